//! Sign-in through a real OpenID Connect provider on loopback (`tests/oidc/`): the whole
//! code flow without a browser, how identities become people, and the attacks — wrong or
//! replayed state, replayed code, bad ID tokens, another browser's callback, the provider
//! down or refusing. Each failure is a clear page and an audit row, never a 500.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::{identities, users};
use tilslutning::domain::{Role, RoleAssignment};

use crate::helpers::*;

async fn spawn_with_provider(organisation_claim: bool) -> TestApp {
    let provider = OidcProvider::shared();
    spawn_app_with(Options {
        oidc_issuer: Some(provider.issuer.clone()),
        oidc_organisation_claim: organisation_claim,
        ..Options::default()
    })
    .await
}

/// A subject no other test uses.
fn subject(name: &str) -> String {
    format!("{name}-{}", uuid::Uuid::now_v7().simple())
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_string()
    } else {
        format!("{base}{location}")
    }
}

async fn follow(session: &Session, url: &str) -> Page {
    let response = session.client.get(url).send().await.expect("GET");
    page_of(response).await
}

async fn page_of(response: reqwest::Response) -> Page {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Page {
        status,
        location,
        body: response.text().await.unwrap_or_default(),
    }
}

/// Begins at the portal and signs in at the provider's login form as `sub`, stopping at
/// the redirect back to the portal; returns the callback URL.
async fn through_provider(session: &Session, sub: &str, next: &str) -> String {
    through(&OidcProvider::shared().issuer, session, sub, next).await
}

/// The same, through the provider at `issuer`.
async fn through(issuer: &str, session: &Session, sub: &str, next: &str) -> String {
    let begun = session.get(&format!("/auth/oidc/login?next={next}")).await;
    assert_eq!(begun.status, StatusCode::SEE_OTHER, "{}", begun.body);
    let authorize = begun.location.expect("redirect to the provider");
    assert!(authorize.starts_with(issuer), "{authorize}");
    for wanted in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "scope=openid",
    ] {
        assert!(
            authorize.contains(wanted),
            "{wanted} missing from {authorize}"
        );
    }
    let mut at = follow(session, &authorize).await;
    if let Some(interaction) = at.location.clone().filter(|l| l.contains("/interaction/")) {
        let url = absolute(issuer, &interaction);
        let response = session
            .client
            .post(&url)
            .form(&[("prompt", "login"), ("login", sub), ("password", "x")])
            .send()
            .await
            .expect("login at the provider");
        let resumed = page_of(response).await;
        assert_eq!(resumed.status, StatusCode::SEE_OTHER, "{}", resumed.body);
        at = follow(
            session,
            &absolute(issuer, &resumed.location.expect("resume")),
        )
        .await;
    }
    let callback = at.location.expect("redirect back to the portal");
    assert!(
        callback.starts_with(&format!("{}/auth/oidc/callback?", session.base)),
        "{callback}"
    );
    callback
}

/// The whole sign-in; returns the session and the portal's answer to the callback.
pub(crate) async fn sign_in(app: &TestApp, sub: &str) -> (Session, Page) {
    let session = app.anonymous();
    let callback = through_provider(&session, sub, "/").await;
    let page = follow(&session, &callback).await;
    (session, page)
}

/// A person the operator registered with a role, with the provider subject pre-registered.
fn pre_register(app: &TestApp, email: &str, sub: &str) -> String {
    let issuer = OidcProvider::shared().issuer.clone();
    app.with_db(|c| {
        let id = users::upsert(c, email, "Oda Officer", None).expect("person");
        users::grant(
            c,
            &id,
            &RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
        )
        .expect("role");
        identities::pre_register(c, &id, &issuer, sub).expect("subject");
        id
    })
}

fn audit_details(app: &TestApp, wanted: &str) -> Vec<String> {
    use tilslutning::db::schema::audit_log::dsl::*;
    app.with_db(|c| {
        audit_log
            .filter(action.eq(wanted))
            .order(seq)
            .select(details)
            .load(c)
            .expect("audit rows")
    })
}

fn failures_with(app: &TestApp, reason: &str) -> usize {
    audit_details(app, "user.login_failed")
        .iter()
        .filter(|d| d.contains(&format!("\"reason\":\"{reason}\"")))
        .count()
}

#[tokio::test]
async fn a_pre_registered_subject_signs_in_through_the_provider() {
    let app = spawn_with_provider(false).await;
    let sub = subject("oda");
    let user_id = pre_register(&app, "oda@kommune.example.dk", &sub);
    let session = app.anonymous();
    let callback = through_provider(&session, &sub, "/inbox").await;
    let landed = follow(&session, &callback).await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER, "{}", landed.body);
    assert_eq!(landed.location.as_deref(), Some("/inbox"));
    let inbox = session.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.contains("Oda Officer"));
    let actions = app.audit_actions_for(&user_id);
    assert_eq!(actions, ["user.identity_linked", "user.login"]);
    assert!(audit_details(&app, "user.identity_linked")[0].contains("pre_registered_subject"));

    // The second time the subject is simply known: no new link.
    let (_, again) = sign_in(&app, &sub).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.audit_actions_for(&user_id),
        ["user.identity_linked", "user.login", "user.login"]
    );
    let method: String = app.with_db(|c| {
        use tilslutning::db::schema::sessions::dsl::*;
        sessions
            .filter(user_id.eq(&user_id))
            .select(login_method)
            .first(c)
            .expect("session")
    });
    assert_eq!(method, "oidc");
}

/// A person the operator created for signing in through the provider: a role, no password.
fn staff_without_password(app: &TestApp, email: &str, name: &str) -> String {
    app.with_db(|c| {
        let id = users::upsert(c, email, name, None).expect("person");
        users::grant(
            c,
            &id,
            &RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
        )
        .expect("role");
        id
    })
}

#[tokio::test]
async fn a_verified_email_links_once_and_later_the_subject_alone_counts() {
    let app = spawn_with_provider(false).await;
    let provider = OidcProvider::shared();
    staff_without_password(&app, "kim@kommune.example.dk", "Kim Kommunal");
    let sub = subject("kim");
    provider
        .register(json!({ "sub": sub, "email": "KIM@kommune.example.dk", "email_verified": true }))
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(session.get("/").await.contains("Kim Kommunal"));

    // The email at the provider changes; the subject still finds the same person.
    provider
        .register(
            json!({ "sub": sub, "email": "changed@elsewhere.example", "email_verified": true }),
        )
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(session.get("/").await.contains("Kim Kommunal"));

    // Another subject claiming the same email does not take the person over.
    let intruder = subject("intruder");
    provider
        .register(
            json!({ "sub": intruder, "email": "kim@kommune.example.dk", "email_verified": true }),
        )
        .await;
    let (session, page) = sign_in(&app, &intruder).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.contains("Du har ikke adgang endnu"));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("identities"), 1);
}

#[tokio::test]
async fn an_email_claim_never_opens_a_password_account_or_an_operator() {
    let app = spawn_with_provider(false).await;
    let provider = OidcProvider::shared();
    // The demo officer signs in with a password (and could have a second factor); the
    // operator is an operator. A provider account claiming their email gets nowhere.
    for email in [OFFICER, OPERATOR] {
        let sub = subject("claims");
        provider
            .register(json!({ "sub": sub, "email": email, "email_verified": true }))
            .await;
        let (session, page) = sign_in(&app, &sub).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
        assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    }
    app.with_db(|c| {
        let operator = users::find_by_email(c, OPERATOR)
            .expect("query")
            .expect("operator");
        diesel::update(tilslutning::db::schema::users::table.find(&operator.id))
            .set(tilslutning::db::schema::users::password_hash.eq(None::<String>))
            .execute(c)
            .expect("no password")
    });
    let sub = subject("claims");
    provider
        .register(json!({ "sub": sub, "email": OPERATOR, "email_verified": true }))
        .await;
    let (_, page) = sign_in(&app, &sub).await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "not even without a password"
    );
    assert_eq!(app.count("identities"), 0);
}

#[tokio::test]
async fn an_unverified_email_is_never_linked() {
    let app = spawn_with_provider(false).await;
    let sub = subject("unverified");
    OidcProvider::shared()
        .register(json!({ "sub": sub, "email": STAFF, "email_verified": false }))
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.contains("Du har ikke adgang endnu"));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("identities"), 0);
}

#[tokio::test]
async fn an_unknown_person_gets_the_no_access_page_with_what_to_tell_the_administrator() {
    let app = spawn_with_provider(false).await;
    let sub = subject("stranger");
    OidcProvider::shared()
        .register(json!({ "sub": sub, "email": "stranger@example.org", "name": "Sven Stranger" }))
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.contains("Du har ikke adgang endnu"));
    assert!(page.contains("Sven Stranger"));
    assert!(page.contains(&sub), "the subject is shown to pass on");
    assert!(page.contains("Log ud hos login-tjenesten"));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sessions"), 0);
    let rows = audit_details(&app, "user.login_no_access");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains(&sub));
}

#[tokio::test]
async fn an_organisation_claim_makes_a_municipal_officer_of_a_new_person() {
    let app = spawn_with_provider(true).await;
    let provider = OidcProvider::shared();
    let sub = subject("frb");
    provider
        .register(json!({
            "sub": sub, "email": "fie@frederiksberg.example.dk", "name": "Fie Frederiksberg",
            "organisation": "147"
        }))
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(session.get("/inbox").await.contains("Fie Frederiksberg"));
    let roles = app.with_db(|c| {
        let user = users::find_by_email(c, "fie@frederiksberg.example.dk")
            .expect("query")
            .expect("person made");
        users::roles_of(c, &user.id).expect("roles")
    });
    assert_eq!(
        roles,
        [RoleAssignment::municipal(Role::MunicipalOfficer, "147")]
    );
    assert_eq!(audit_details(&app, "user.role_granted").len(), 1);

    // An organisation the portal does not know gives no access.
    let other = subject("unknown-org");
    provider
        .register(json!({ "sub": other, "organisation": "999" }))
        .await;
    let (_, page) = sign_in(&app, &other).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_state_is_refused_and_the_right_one_still_works_once() {
    let app = spawn_with_provider(false).await;
    let sub = subject("state");
    pre_register(&app, "state@kommune.example.dk", &sub);
    let session = app.anonymous();
    let callback = through_provider(&session, &sub, "/").await;
    let (before, after) = callback.split_once("state=").expect("state in callback");
    let forged = format!(
        "{before}state=forged{}",
        &after[after.find('&').unwrap_or(after.len())..]
    );
    let page = follow(&session, &forged).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Login er udløbet eller ugyldigt"));
    assert_eq!(failures_with(&app, "bad_state"), 1);

    let page = follow(&session, &callback).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The same callback again: the state is used up.
    let replay = follow(&app.anonymous(), &callback).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    let replay = follow(&session, &callback).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert_eq!(failures_with(&app, "bad_state"), 3);
}

#[tokio::test]
async fn a_callback_carried_to_another_browser_is_refused() {
    let app = spawn_with_provider(false).await;
    let sub = subject("victim");
    pre_register(&app, "victim@kommune.example.dk", &sub);
    let attacker = app.anonymous();
    let callback = through_provider(&attacker, &sub, "/").await;
    // The victim's browser never began this sign-in (login CSRF).
    let victim = app.anonymous();
    let page = follow(&victim, &callback).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(victim.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn a_replayed_code_is_refused_by_the_provider() {
    let app = spawn_with_provider(false).await;
    let sub = subject("replay");
    pre_register(&app, "replay@kommune.example.dk", &sub);
    let session = app.anonymous();
    let first = through_provider(&session, &sub, "/").await;
    assert_eq!(follow(&session, &first).await.status, StatusCode::SEE_OTHER);
    let code = first
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .expect("code")
        .to_string();
    // A fresh sign-in in the same browser, answered with the code already used.
    let second = through_provider(&session, &sub, "/").await;
    let replayed = second
        .split(['?', '&'])
        .map(|p| {
            if p.starts_with("code=") {
                format!("code={code}")
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>();
    let replayed = format!("{}?{}", replayed[0], replayed[1..].join("&"));
    let page = follow(&session, &replayed).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(page.contains("Login kunne ikke bekræftes"));
    assert_eq!(failures_with(&app, "code_rejected"), 1);
}

#[tokio::test]
async fn bad_id_tokens_are_refused() {
    let app = spawn_with_provider(false).await;
    let provider = OidcProvider::shared();
    for mode in [
        "tamper",
        "expired",
        "wrong_nonce",
        "wrong_audience",
        "wrong_issuer",
    ] {
        let sub = subject(mode);
        pre_register(&app, &format!("{sub}@kommune.example.dk"), &sub);
        provider.misbehave_for(&sub, mode).await;
        let (session, page) = sign_in(&app, &sub).await;
        assert_eq!(
            page.status,
            StatusCode::BAD_REQUEST,
            "{mode}: {}",
            page.body
        );
        assert!(page.contains("Login kunne ikke bekræftes"), "{mode}");
        assert_eq!(
            session.get("/").await.status,
            StatusCode::SEE_OTHER,
            "{mode}"
        );
    }
    assert_eq!(failures_with(&app, "token_invalid"), 5);
    assert_eq!(app.count("sessions"), 0);
    assert_eq!(
        app.count("identities"),
        5,
        "only the pre-registered subjects"
    );
}

#[tokio::test]
async fn id_tokens_from_the_future_or_for_another_client_are_refused() {
    let app = spawn_with_provider(false).await;
    let provider = OidcProvider::shared();
    // Properly signed by the provider's key: only the claim checks can refuse them.
    let refused = ["future_iat", "future_nbf", "foreign_azp"];
    for mode in refused {
        let sub = subject(mode);
        let user_id = pre_register(&app, &format!("{sub}@kommune.example.dk"), &sub);
        provider.misbehave_for(&sub, mode).await;
        let (session, page) = sign_in(&app, &sub).await;
        assert_eq!(
            page.status,
            StatusCode::BAD_REQUEST,
            "{mode}: {}",
            page.body
        );
        assert!(page.contains("Login kunne ikke bekræftes"), "{mode}");
        assert!(page.contains("du er ikke logget ind"), "{mode}");
        assert_eq!(
            session.get("/").await.status,
            StatusCode::SEE_OTHER,
            "{mode}"
        );
        assert!(
            !app.audit_actions_for(&user_id)
                .contains(&"user.login".to_string()),
            "{mode}"
        );
    }
    assert_eq!(app.count("sessions"), 0, "no session was made");
    let failed = audit_details(&app, "user.login_failed");
    assert_eq!(failed.len(), refused.len());
    for (detail, wanted) in failed
        .iter()
        .zip(["in the future", "not valid before", "azp"])
    {
        assert!(detail.contains("\"reason\":\"token_invalid\""), "{detail}");
        assert!(detail.contains(wanted), "{detail}");
    }

    // A clock a little ahead and an azp naming this client are fine.
    for mode in ["slight_skew", "own_azp"] {
        let sub = subject(mode);
        pre_register(&app, &format!("{sub}@kommune.example.dk"), &sub);
        provider.misbehave_for(&sub, mode).await;
        let (_, page) = sign_in(&app, &sub).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{mode}: {}", page.body);
    }
    assert_eq!(app.count("sessions"), 2);
}

/// The `Set-Cookie` header for the sign-in cookie in a response.
fn sign_in_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tilslutning_oidc="))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_sign_in_cookie_is_removed_at_the_path_it_was_set_with() {
    let app = spawn_with_provider(false).await;
    let sub = subject("cookie");
    pre_register(&app, "cookie@kommune.example.dk", &sub);
    let session = app.anonymous();
    let begun = session
        .client
        .get(format!("{}/auth/oidc/login", app.address))
        .send()
        .await
        .expect("GET");
    assert!(
        sign_in_cookie(&begun).contains("Path=/auth/oidc"),
        "{begun:?}"
    );
    let callback = through_provider(&session, &sub, "/").await;
    let back = session.client.get(&callback).send().await.expect("GET");
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    let removal = sign_in_cookie(&back);
    assert!(removal.contains("Path=/auth/oidc"), "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");

    // A sign-in that fails at the callback is removed at the same path too; a callback
    // that is no sign-in of this browser's (forged) leaves the cookie alone.
    let begun = session.get("/auth/oidc/login").await;
    let authorize = begun.location.expect("redirect");
    let state = authorize
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .expect("state");
    let callback = |query: String| {
        session
            .client
            .get(format!("{}/auth/oidc/callback?{query}", app.address))
            .send()
    };
    let forged = callback("state=forged&code=x".into()).await.expect("GET");
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert_eq!(sign_in_cookie(&forged), "", "left alone");
    let refused = callback(format!("state={state}&error=access_denied"))
        .await
        .expect("GET");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let removal = sign_in_cookie(&refused);
    assert!(
        removal.contains("Path=/auth/oidc") && removal.contains("Max-Age=0"),
        "{removal}"
    );
}

#[tokio::test]
async fn a_refusal_at_the_provider_is_a_clear_page() {
    let app = spawn_with_provider(false).await;
    let session = app.anonymous();
    let begun = session.get("/auth/oidc/login").await;
    let authorize = begun.location.expect("redirect");
    let state = authorize
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .expect("state");
    let page = session
        .get(&format!(
            "/auth/oidc/callback?state={state}&error=access_denied&error_description=cancelled"
        ))
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Login blev ikke gennemført"));
    assert_eq!(failures_with(&app, "provider_refused"), 1);
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page_not_an_error() {
    let app = spawn_app_with(Options {
        oidc_issuer: Some(format!("http://127.0.0.1:{}", free_port())),
        ..Options::default()
    })
    .await;
    let page = app.anonymous().get("/auth/oidc/login").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.contains("Login-tjenesten svarer ikke"));
    assert_eq!(failures_with(&app, "provider_unavailable"), 1);
    // Password sign-in still works meanwhile.
    app.login_as(SUPPLIER).await;
}

#[tokio::test]
async fn the_login_page_offers_the_provider_only_when_configured() {
    let with = spawn_with_provider(false).await;
    let page = with.anonymous().get("/login?next=/inbox").await;
    assert!(page.contains("Log ind med testudbyderen"));
    assert!(page.contains("href=\"/auth/oidc/login?next=%2Finbox\""));
    let without = spawn_app().await;
    assert!(
        !without
            .anonymous()
            .get("/login")
            .await
            .contains("/auth/oidc/login")
    );
    assert_eq!(
        without.anonymous().get("/auth/oidc/login").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_here_and_at_the_provider() {
    let app = spawn_with_provider(false).await;
    let sub = subject("logout");
    pre_register(&app, "logout@kommune.example.dk", &sub);
    let (mut session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    session.csrf = csrf_in(&session.get("/").await.body).expect("csrf");
    let out = session.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let end_session = out.location.expect("to the provider");
    let issuer = &OidcProvider::shared().issuer;
    assert!(
        end_session.starts_with(&format!("{issuer}/session/end?")),
        "{end_session}"
    );
    assert!(end_session.contains("id_token_hint="));
    assert!(end_session.contains("post_logout_redirect_uri="));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);

    // The provider asks to confirm, then sends the browser back to the login page.
    let response = session.client.get(&end_session).send().await.expect("GET");
    let xsrf = response
        .headers()
        .get("x-logout-xsrf")
        .and_then(|v| v.to_str().ok())
        .expect("logout form")
        .to_string();
    let confirmed = session
        .client
        .post(format!("{issuer}/session/end/confirm"))
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await
        .expect("confirm");
    let back = page_of(confirmed).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(
        back.location.as_deref(),
        Some(format!("{}/login?notice=signed-out", app.address).as_str())
    );
    // Signing in again needs the provider's login form again.
    let begun = session.get("/auth/oidc/login").await;
    let at = follow(&session, &begun.location.expect("authorize")).await;
    assert!(at.location.expect("redirect").contains("/interaction/"));
}

#[tokio::test]
async fn a_disabled_person_is_refused_at_the_callback() {
    let app = spawn_with_provider(false).await;
    let sub = subject("disabled");
    let user_id = pre_register(&app, "disabled@kommune.example.dk", &sub);
    app.with_db(|c| {
        use tilslutning::db::schema::users::dsl::*;
        diesel::update(users.find(&user_id))
            .set(status.eq("disabled"))
            .execute(c)
            .expect("disable")
    });
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.contains("Din adgang er lukket"));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(failures_with(&app, "disabled"), 1);
}

#[tokio::test]
async fn an_operator_registers_a_subject_and_that_person_signs_in_by_it() {
    let app = spawn_with_provider(false).await;
    let operator = app.login_as(OPERATOR).await;
    let created = operator
        .post(
            "/operator/users",
            &[
                ("email", "sofie@institution.example.dk"),
                ("display_name", "Sofie Selvejende"),
                ("role", "institution_staff"),
                ("scope", "G10601"),
            ],
        )
        .await;
    let person = created.location.expect("to the person's page");
    let person = person.split('?').next().expect("path").to_string();
    let sub = subject("sofie");
    let added = operator
        .post(&format!("{person}/subjects"), &[("subject", &sub)])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(operator.get(&person).await.contains(&sub));
    // The same subject cannot be given to a second person.
    let other = operator.get("/operator/users?q=kommune@").await;
    assert!(other.contains(OFFICER));
    let officer_page = format!(
        "/operator/users/{}",
        app.with_db(|c| users::find_by_email(c, OFFICER))
            .expect("query")
            .expect("officer")
            .id
    );
    let twice = operator
        .post(&format!("{officer_page}/subjects"), &[("subject", &sub)])
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The provider knows her under another email; the subject decides.
    OidcProvider::shared()
        .register(json!({ "sub": sub, "email": "sofie.private@example.org" }))
        .await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(session.get("/inbox").await.contains("Sofie Selvejende"));
}

#[tokio::test]
async fn a_provider_that_goes_down_before_the_code_is_traded_gets_a_clear_page() {
    let provider = OidcProvider::start();
    let app = spawn_app_with(Options {
        oidc_issuer: Some(provider.issuer.clone()),
        ..Options::default()
    })
    .await;
    let sub = subject("midway");
    let user_id = app.with_db(|c| {
        let id = users::upsert(c, "midway@kommune.example.dk", "Mia Midway", None).expect("person");
        users::grant(
            c,
            &id,
            &RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
        )
        .expect("role");
        identities::pre_register(c, &id, &provider.issuer, &sub).expect("subject");
        id
    });
    let session = app.anonymous();
    let callback = through(&provider.issuer, &session, &sub, "/").await;
    provider.stop();
    let page = follow(&session, &callback).await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(page.contains("Login-tjenesten svarer ikke"));
    assert_eq!(session.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(failures_with(&app, "provider_unavailable"), 1);
    assert!(
        !app.audit_actions_for(&user_id)
            .contains(&"user.login".to_string())
    );
}

#[tokio::test]
async fn claims_the_id_token_lacks_are_read_from_the_userinfo_endpoint() {
    let app = spawn_with_provider(true).await;
    let provider = OidcProvider::shared();
    let sub = subject("userinfo");
    provider
        .register(json!({
            "sub": sub, "email": "uma@frederiksberg.example.dk", "name": "Uma Userinfo",
            "organisation": "147"
        }))
        .await;
    provider.misbehave_for(&sub, "userinfo_only").await;
    let (session, page) = sign_in(&app, &sub).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(session.get("/inbox").await.contains("Uma Userinfo"));
    let roles = app.with_db(|c| {
        let user = users::find_by_email(c, "uma@frederiksberg.example.dk")
            .expect("query")
            .expect("person made from the userinfo claims");
        users::roles_of(c, &user.id).expect("roles")
    });
    assert_eq!(
        roles,
        [RoleAssignment::municipal(Role::MunicipalOfficer, "147")]
    );
}
