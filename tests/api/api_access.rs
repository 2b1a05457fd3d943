//! The access check as a data provider uses it, and the tokens it rests on: made on the
//! page by the right person only, refused when absent, foreign, expired or revoked, and
//! every answer as the OpenAPI document describes it.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::{agreement_scopes, agreements, api_tokens};

use crate::api_client::{Machine, make_token, secret_in};
use crate::helpers::*;

/// An active agreement of the demo data, made to have started a month ago: (service,
/// institution, one of its scopes, id).
fn active_agreement(app: &TestApp) -> (String, String, String, String) {
    app.with_db(|c| {
        let found: (String, String, String, String) = agreements::table
            .inner_join(agreement_scopes::table)
            .filter(agreements::status.eq("active"))
            .filter(agreements::ends_on.is_null())
            .select((
                agreements::service_id,
                agreements::institution_number,
                agreement_scopes::scope_code,
                agreements::id,
            ))
            .first(c)
            .expect("the demo data has an active agreement");
        diesel::update(agreements::table.find(&found.3))
            .set(agreements::starts_on.eq(tilslutning::db::now().date() - time::Duration::days(30)))
            .execute(c)
            .expect("started");
        found
    })
}

async fn access_machine(app: &TestApp) -> Machine {
    let operator = app.login_as(OPERATOR).await;
    let token = make_token(&operator, "access_check", &["access"]).await;
    Machine::new(app, Some(token)).await
}

#[tokio::test]
async fn the_access_check_answers_from_the_agreement_as_it_stands() {
    let app = spawn_app().await;
    let (service, institution, scope, agreement) = active_agreement(&app);
    let machine = access_machine(&app).await;
    let ask = |scope: &str| {
        format!("/api/v1/access?service={service}&scope={scope}&institution={institution}")
    };

    let yes = machine.get(&ask(&scope), "/api/v1/access").await;
    assert_eq!(yes.status, StatusCode::OK, "{}", yes.body);
    assert_eq!(yes.body["allowed"], true, "{}", yes.body);
    assert_eq!(yes.body["agreement"]["id"], agreement.as_str());
    assert_eq!(yes.body["status"], "active");
    assert_eq!(yes.body["national_status"], "GODKENDT");
    assert_eq!(yes.headers["cache-control"], "no-store");

    // A scope the agreement does not hold, but the catalogue does.
    let held: Vec<String> = app.with_db(|c| {
        agreement_scopes::table
            .filter(agreement_scopes::agreement_id.eq(&agreement))
            .select(agreement_scopes::scope_code)
            .load(c)
            .expect("scopes")
    });
    let catalogue: Vec<String> = app.with_db(|c| {
        tilslutning::db::schema::scopes::table
            .select(tilslutning::db::schema::scopes::code)
            .load(c)
            .expect("scopes")
    });
    let other = catalogue
        .iter()
        .find(|s| !held.contains(s))
        .expect("a scope outside the agreement");
    let no = machine.get(&ask(other), "/api/v1/access").await;
    assert_eq!(no.status, StatusCode::OK, "{}", no.body);
    assert_eq!(no.body["allowed"], false);
    assert_eq!(no.body["agreement"]["id"], agreement.as_str());

    // Before the agreement starts it allows nothing.
    let before = machine
        .get(&format!("{}&on=2000-01-01", ask(&scope)), "/api/v1/access")
        .await;
    assert_eq!(before.body["allowed"], false);

    // Suspended: the agreement stays, the answer is no, the national word is VENTER.
    app.with_db(|c| {
        diesel::update(agreements::table.find(&agreement))
            .set(agreements::status.eq("suspended"))
            .execute(c)
            .expect("suspend")
    });
    let paused = machine.get(&ask(&scope), "/api/v1/access").await;
    assert_eq!(paused.body["allowed"], false);
    assert_eq!(paused.body["status"], "suspended");
    assert_eq!(paused.body["national_status"], "VENTER");
}

#[tokio::test]
async fn a_batch_answers_every_pair_and_refuses_what_it_cannot_read() {
    let app = spawn_app().await;
    let (service, institution, scope, _) = active_agreement(&app);
    let machine = access_machine(&app).await;
    let mut institutions = vec![institution.clone()];
    institutions.extend((0..999).map(|i| format!("G9{i:04}")));
    let answer = machine
        .post(
            "/api/v1/access",
            "/api/v1/access",
            &json!({ "service": service, "scopes": [scope, "STAMDATA"], "institutions": institutions }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let results = answer.body["results"].as_array().expect("results");
    assert_eq!(results.len(), 2000);
    assert_eq!(results[0]["institution"], institution.as_str());
    assert_eq!(results[0]["allowed"], true);
    assert!(
        results[2..]
            .iter()
            .all(|r| r["allowed"] == false && r["agreement"].is_null())
    );

    let refused = |body: serde_json::Value| {
        let machine = &machine;
        async move {
            machine
                .post("/api/v1/access", "/api/v1/access", &body)
                .await
        }
    };
    let bad_number = refused(
        json!({ "service": service, "scopes": [scope], "institutions": [institution, "G12"] }),
    )
    .await;
    assert_eq!(
        (bad_number.status, bad_number.code(), bad_number.field()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
            "/institutions/1"
        )
    );
    let wrong_type =
        refused(json!({ "service": service, "scopes": "STAMDATA", "institutions": [institution] }))
            .await;
    assert_eq!(
        (wrong_type.code(), wrong_type.field()),
        ("invalid_field", "/scopes")
    );
    let missing = refused(json!({ "scopes": [scope], "institutions": [institution] })).await;
    assert_eq!(
        (missing.code(), missing.field()),
        ("invalid_field", "/service")
    );
    let unknown_service =
        refused(json!({ "service": "no-such", "scopes": [scope], "institutions": [institution] }))
            .await;
    assert_eq!(
        (unknown_service.code(), unknown_service.field()),
        ("unknown_service", "/service")
    );
    let unknown_scope = refused(
        json!({ "service": service, "scopes": [scope, "NOPE"], "institutions": [institution] }),
    )
    .await;
    assert_eq!(
        (unknown_scope.code(), unknown_scope.field()),
        ("unknown_scope", "/scopes/1")
    );
    let too_many: Vec<String> = (0..10_001)
        .map(|i| format!("G{:05}", i % 100_000))
        .collect();
    let huge =
        refused(json!({ "service": service, "scopes": [scope], "institutions": too_many })).await;
    assert_eq!(huge.code(), "too_many");
    let bad_day = refused(json!({ "service": service, "scopes": [scope], "institutions": [institution], "on": "1. maj" })).await;
    assert_eq!((bad_day.code(), bad_day.field()), ("invalid_value", "/on"));
    let not_json = machine
        .post_raw("/api/v1/access", "/api/v1/access", "{\"service\":")
        .await;
    assert_eq!(
        (not_json.status, not_json.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json")
    );

    let missing_param = machine
        .get(
            &format!("/api/v1/access?service={service}&institution={institution}"),
            "/api/v1/access",
        )
        .await;
    assert_eq!(
        (missing_param.code(), missing_param.field()),
        ("invalid_field", "scope")
    );
}

#[tokio::test]
async fn no_token_a_cookie_or_a_dead_token_is_unauthorized_in_the_callers_language() {
    let app = spawn_app().await;
    let (service, institution, scope, _) = active_agreement(&app);
    let path = format!("/api/v1/access?service={service}&scope={scope}&institution={institution}");

    let mut nobody = Machine::new(&app, None).await;
    let refused = nobody.get(&path, "/api/v1/access").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert_eq!(refused.headers["www-authenticate"], "Bearer");
    assert!(refused.message().contains("API-nøgle"));
    nobody.language = Some("en-GB,en;q=0.9,da;q=0.5");
    let english = nobody.get(&path, "/api/v1/access").await;
    assert!(english.message().contains("API token"), "{}", english.body);
    assert_eq!(english.headers["content-language"], "en");

    // A signed-in browser's cookie opens nothing under /api.
    let operator = app.login_as(OPERATOR).await;
    let with_cookie = operator.get(&path).await;
    assert_eq!(with_cookie.status, StatusCode::UNAUTHORIZED);

    let secret = make_token(&operator, "access_check", &["access"]).await;
    let live = Machine::new(&app, Some(secret.clone())).await;
    assert_eq!(
        live.get(&path, "/api/v1/access").await.status,
        StatusCode::OK
    );
    let last = if secret.ends_with('0') { '1' } else { '0' };
    let forged = Machine::new(&app, Some(format!("{}{last}", &secret[..secret.len() - 1]))).await;
    assert_eq!(
        forged.get(&path, "/api/v1/access").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Revoked on the page: the next call is refused although this server had the token
    // in its cache, and both ends are audited.
    let second = make_token(&operator, "access_check", &["access"]).await;
    let machine = Machine::new(&app, Some(second.clone())).await;
    assert_eq!(
        machine.get(&path, "/api/v1/access").await.status,
        StatusCode::OK
    );
    let id: String = app.with_db(|c| {
        api_tokens::table
            .filter(api_tokens::token_hash.eq(tilslutning::db::api_tokens::hash_secret(&second)))
            .select(api_tokens::id)
            .first(c)
            .expect("the live token")
    });
    let revoked = operator
        .post(&format!("/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        machine.get(&path, "/api/v1/access").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.audit_actions_for(&id),
        ["api_token.created", "api_token.revoked"]
    );
    let last_used: Option<time::PrimitiveDateTime> = app.with_db(|c| {
        api_tokens::table
            .find(&id)
            .select(api_tokens::last_used_at)
            .first(c)
            .expect("token")
    });
    assert!(
        last_used.is_some(),
        "the list shows when a token was last used"
    );
}

#[tokio::test]
async fn only_an_access_check_token_asks_the_access_check() {
    let app = spawn_app().await;
    let (service, institution, scope, _) = active_agreement(&app);
    let path = format!("/api/v1/access?service={service}&scope={scope}&institution={institution}");
    let supplier = app.login_as(SUPPLIER).await;
    let token = make_token(&supplier, "supplier", &["read"]).await;
    let machine = Machine::new(&app, Some(token)).await;
    let answer = machine.get(&path, "/api/v1/access").await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
}

#[tokio::test]
async fn each_person_makes_only_the_tokens_their_role_allows() {
    let app = spawn_app().await;
    let expires = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(30),
    );
    let attempt = |kind: &'static str, permission: &'static str| {
        let expires = expires.clone();
        move |session: Session| async move {
            let page = session
                .post(
                    "/api-tokens",
                    &[
                        ("kind", kind),
                        ("name", "Robot"),
                        ("expires_on", &expires),
                        ("permission", permission),
                    ],
                )
                .await;
            (page.status, secret_in(&page.body).is_some())
        }
    };
    let made = (StatusCode::OK, true);
    let refused = (StatusCode::FORBIDDEN, false);
    let cases = [
        (OPERATOR, "access_check", "access", made),
        (OPERATOR, "supplier", "read", refused),
        (OPERATOR, "approver", "read", refused),
        (SUPPLIER, "supplier", "file", made),
        (SUPPLIER, "access_check", "access", refused),
        (SUPPLIER, "approver", "decide", refused),
        (OFFICER, "approver", "decide", made),
        (OFFICER, "supplier", "read", refused),
        (STAFF, "approver", "read", made),
        (STAFF, "access_check", "access", refused),
        (AUDITOR, "access_check", "access", refused),
        (AUDITOR, "approver", "read", refused),
    ];
    for (who, kind, permission, expected) in cases {
        let session = app.login_as(who).await;
        let got = attempt(kind, permission)(session).await;
        assert_eq!(got, expected, "{who} making a {kind} token");
    }
    // The auditor has no page of tokens at all; nobody signed out does either.
    let auditor = app.login_as(AUDITOR).await;
    assert_eq!(
        auditor.get("/api-tokens").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.anonymous().get("/api-tokens").await.status,
        StatusCode::SEE_OTHER
    );

    // A bad order keeps what was typed and says what is wrong.
    let operator = app.login_as(OPERATOR).await;
    let too_far = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(400),
    );
    let page = operator
        .post(
            "/api-tokens",
            &[
                ("kind", "access_check"),
                ("name", "Dataudbyder X"),
                ("expires_on", &too_far),
                ("permission", "access"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("højst virke et år"));
    assert!(page.contains("value=\"Dataudbyder X\""));
    assert!(secret_in(&page.body).is_none());
    // Without the CSRF token nothing is made.
    let forged = operator
        .post_raw(
            "/api-tokens",
            &[
                ("kind", "access_check"),
                ("name", "X"),
                ("expires_on", &expires),
                ("permission", "access"),
            ],
        )
        .await;
    assert_ne!(forged.status, StatusCode::OK);
    assert!(secret_in(&forged.body).is_none());
}

#[tokio::test]
async fn a_token_is_stored_only_as_its_hash_and_shown_once() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let secret = make_token(&operator, "access_check", &["access"]).await;
    let stored: Vec<String> = app.with_db(|c| {
        api_tokens::table
            .select(api_tokens::token_hash)
            .load(c)
            .expect("tokens")
    });
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], secret);
    assert!(!stored[0].contains(&secret[4..]));
    let list = operator.get("/api-tokens").await;
    assert!(list.contains("Testsystem"));
    assert!(
        !list.contains(&secret),
        "the list never shows the secret again"
    );
}

#[tokio::test]
async fn a_token_read_once_is_trusted_only_for_the_cache_time() {
    let app = spawn_app_with(Options {
        tune: Some(|s| s.api.token_cache = std::time::Duration::from_millis(400)),
        ..Options::default()
    })
    .await;
    let (service, institution, scope, _) = active_agreement(&app);
    let path = format!("/api/v1/access?service={service}&scope={scope}&institution={institution}");
    let machine = access_machine(&app).await;
    let first = machine.get(&path, "/api/v1/access").await;
    assert_eq!(first.status, StatusCode::OK);

    // Revoked where this server cannot see it (on another app server): the copy it read
    // is trusted a little longer, then the token is read again and refused.
    app.with_db(|c| {
        diesel::update(api_tokens::table)
            .set(api_tokens::revoked_at.eq(tilslutning::db::now()))
            .execute(c)
            .expect("revoke")
    });
    assert_eq!(
        machine.get(&path, "/api/v1/access").await.status,
        StatusCode::OK,
        "within the cache time the copy stands"
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        machine.get(&path, "/api/v1/access").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Expired: a token past its last day is refused, read again or not.
    let other = access_machine(&app).await;
    assert_eq!(
        other.get(&path, "/api/v1/access").await.status,
        StatusCode::OK
    );
    app.with_db(|c| {
        diesel::update(api_tokens::table.filter(api_tokens::revoked_at.is_null()))
            .set(api_tokens::expires_at.eq(tilslutning::db::now() - time::Duration::seconds(1)))
            .execute(c)
            .expect("expire")
    });
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        other.get(&path, "/api/v1/access").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_token_over_its_calls_a_minute_is_told_to_wait_and_others_are_not() {
    let app = spawn_app_with(Options {
        tune: Some(|s| s.api.calls_per_minute = 3),
        ..Options::default()
    })
    .await;
    let (service, institution, scope, _) = active_agreement(&app);
    let path = format!("/api/v1/access?service={service}&scope={scope}&institution={institution}");
    let mut busy = access_machine(&app).await;
    for _ in 0..3 {
        assert_eq!(
            busy.get(&path, "/api/v1/access").await.status,
            StatusCode::OK
        );
    }
    let refused = busy.get(&path, "/api/v1/access").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("Retry-After is whole seconds");
    assert!(
        (1..=20).contains(&wait),
        "one call a 20 s comes back: {wait}"
    );
    busy.language = Some("en");
    let english = busy.get(&path, "/api/v1/access").await;
    assert!(
        english.message().contains("too many calls"),
        "{}",
        english.body
    );

    let calm = access_machine(&app).await;
    assert_eq!(
        calm.get(&path, "/api/v1/access").await.status,
        StatusCode::OK,
        "another token keeps its own count"
    );
}

#[tokio::test]
async fn an_address_guessing_at_tokens_is_held_back_and_a_trusted_token_is_not() {
    let app = spawn_app_with(Options {
        tune: Some(|s| s.api.refused_tokens_per_minute = 3),
        ..Options::default()
    })
    .await;
    let (service, institution, scope, _) = active_agreement(&app);
    let path = format!("/api/v1/access?service={service}&scope={scope}&institution={institution}");
    let trusted = access_machine(&app).await;
    assert_eq!(
        trusted.get(&path, "/api/v1/access").await.status,
        StatusCode::OK
    );
    let guesser = Machine::new(&app, Some(format!("tsk_{}", "0".repeat(64)))).await;
    for guess in 1..=4 {
        let answer = guesser.get(&path, "/api/v1/access").await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "guess {guess} is looked up and refused"
        );
    }
    let held = guesser.get(&path, "/api/v1/access").await;
    assert_eq!(
        (held.status, held.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{}",
        held.body
    );
    let wait: u64 = held.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("Retry-After is whole seconds");
    assert!(
        (1..=20).contains(&wait),
        "one refusal a 20 s comes back: {wait}"
    );
    assert_eq!(
        trusted.get(&path, "/api/v1/access").await.status,
        StatusCode::OK,
        "a token the server trusts is still answered from the same address"
    );
}
