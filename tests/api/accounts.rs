//! Local accounts that hold up: the TOTP second factor with recovery codes, and password
//! reset by a single-use, expiring link mailed through the outbox.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::auth::totp;

use crate::helpers::*;

fn unix_now() -> u64 {
    tilslutning::db::now().assume_utc().unix_timestamp() as u64
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

/// Turns the second factor on for a signed-in person; returns the secret and the codes.
/// Turns the second factor on; returns the secret, the recovery codes and the code that
/// turned it on.
async fn turn_on_totp(session: &Session) -> (String, Vec<String>, String) {
    let setup = session.get("/profile/totp").await;
    assert_eq!(setup.status, StatusCode::OK);
    let secret = between(&setup.body, "id=\"totp-secret\">", "<")
        .expect("secret shown")
        .to_string();
    let wrong = session
        .post("/profile/totp", &[("secret", &secret), ("code", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.contains("Koden passer ikke"));
    let code = totp::code_at(&secret, unix_now()).expect("code");
    let on = session
        .post("/profile/totp", &[("secret", &secret), ("code", &code)])
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    let codes: Vec<String> = on
        .body
        .split("<li><code>")
        .skip(1)
        .filter_map(|part| part.split('<').next())
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), totp::RECOVERY_CODES);
    // The forms on the codes page (the header's "Log ud") belong to the new session.
    let token = csrf_in(&on.body).expect("csrf");
    assert_eq!(
        token,
        csrf_in(&session.get("/profile").await.body).expect("csrf"),
        "the codes page carries the new session's CSRF token"
    );
    (secret, codes, code)
}

/// Signs in with the password and returns the session waiting for its code.
async fn password_step(app: &TestApp, email: &str) -> Session {
    let (mut session, page) = app.try_login(email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login/code?next=%2F"));
    let form = session.get("/login/code").await;
    assert_eq!(form.status, StatusCode::OK);
    session.csrf = csrf_in(&form.body).expect("csrf");
    session
}

#[tokio::test]
async fn the_second_factor_is_asked_after_the_password_and_each_code_works_once() {
    let app = spawn_app().await;
    let elsewhere = app.login_as(SUPPLIER).await;
    let session = app.login_as(SUPPLIER).await;
    let (secret, codes, used) = turn_on_totp(&session).await;
    assert_eq!(
        elsewhere.get("/").await.status,
        StatusCode::SEE_OTHER,
        "sessions begun without the second factor end"
    );
    assert_eq!(
        session.get("/").await.status,
        StatusCode::OK,
        "this browser goes on"
    );
    assert!(
        session
            .get("/profile")
            .await
            .contains("10 ubrugte gendannelseskoder")
    );
    assert_eq!(
        app.audit_actions_for(&user_id(&app, SUPPLIER))
            .last()
            .map(String::as_str),
        Some("user.totp_enabled")
    );

    // The password alone opens nothing but the code form.
    let pending = password_step(&app, SUPPLIER).await;
    assert_eq!(pending.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(pending.get("/requests").await.status, StatusCode::SEE_OTHER);
    // The code used to turn it on cannot be used again (the very code, not the current
    // one: a 30-second step may have passed since).
    let replay = pending.post("/login/code", &[("code", &used)]).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(replay.contains("Koden er forkert eller allerede brugt"));
    let next = totp::code_at(&secret, unix_now() + 30).expect("code");
    let done = pending.post("/login/code", &[("code", &next)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location.as_deref(), Some("/"));
    assert!(pending.get("/").await.contains("Lene Leverandør"));

    // A recovery code works once.
    let other = password_step(&app, SUPPLIER).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let done = other.post("/login/code", &[("code", &typed)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let again = password_step(&app, SUPPLIER).await;
    let refused = again.post("/login/code", &[("code", &codes[3])]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let logins = audit_details(&app, "user.login");
    assert!(
        logins
            .iter()
            .any(|d| d.contains("\"second_factor\":\"totp\""))
    );
    assert!(
        logins
            .iter()
            .any(|d| d.contains("\"second_factor\":\"recovery_code\""))
    );
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = spawn_app().await;
    let session = app.login_as(SUPPLIER).await;
    turn_on_totp(&session).await;
    let pending = password_step(&app, SUPPLIER).await;
    // The sign-in counts as an attempt until its code is right: password and codes
    // share the account's five.
    for _ in 0..4 {
        let page = pending.post("/login/code", &[("code", "123456")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked = pending.post("/login/code", &[("code", "123456")]).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.contains("Prøv igen om"));
}

#[tokio::test]
async fn the_second_factor_is_turned_off_only_with_the_password() {
    let app = spawn_app().await;
    let session = app.login_as(OPERATOR).await;
    turn_on_totp(&session).await;
    let session = {
        // Turning it on gave this browser a new session id; pick up its CSRF token.
        let mut s = session;
        s.csrf = csrf_in(&s.get("/profile").await.body).expect("csrf");
        s
    };
    let wrong = session
        .post("/profile/totp/disable", &[("password", "not the password")])
        .await;
    assert_eq!(
        wrong.location.as_deref(),
        Some("/profile?notice=totp-password")
    );
    assert!(
        session
            .get("/profile")
            .await
            .contains("Totrinsbekræftelse er slået til")
    );
    let off = session
        .post("/profile/totp/disable", &[("password", PASSWORD)])
        .await;
    assert_eq!(off.location.as_deref(), Some("/profile?notice=totp-off"));
    let (_, page) = app.try_login(OPERATOR, PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/"));
}

fn user_id(app: &TestApp, email: &str) -> String {
    use tilslutning::db::schema::users::dsl;
    app.with_db(|c| {
        dsl::users
            .filter(dsl::email.eq(email))
            .select(dsl::id)
            .first(c)
            .expect("person")
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

/// The link paths in the mail queued to `to`, oldest first.
fn mailed_links(app: &TestApp, to: &str, prefix: &str) -> Vec<String> {
    use tilslutning::db::schema::mail_messages::dsl::*;
    let bodies: Vec<String> = app.with_db(|c| {
        mail_messages
            .filter(recipient.eq(to))
            .order(created_at)
            .select(text_body)
            .load(c)
            .expect("mail")
    });
    bodies
        .iter()
        .filter_map(|body| {
            let at = body.find(prefix)?;
            Some(body[at..].split_whitespace().next()?.to_string())
        })
        .collect()
}

async fn ask_for_reset(app: &TestApp, email: &str) -> Page {
    let mut visitor = app.anonymous();
    let form = visitor.get("/password/forgot").await;
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    visitor.post("/password/forgot", &[("email", email)]).await
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = spawn_app().await;
    let earlier = app.login_as(SUPPLIER).await;
    let asked = ask_for_reset(&app, &SUPPLIER.to_uppercase()).await;
    assert_eq!(asked.location.as_deref(), Some("/login?notice=reset-sent"));
    let unknown = ask_for_reset(&app, "nobody@example.org").await;
    assert_eq!(
        unknown.location, asked.location,
        "the same answer either way"
    );
    let links = mailed_links(&app, SUPPLIER, "/password/reset/");
    assert_eq!(links.len(), 1);
    assert!(mailed_links(&app, "nobody@example.org", "/").is_empty());
    let link = &links[0];

    let mut visitor = app.anonymous();
    let form = visitor.get(link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.contains(SUPPLIER));
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let weak = visitor
        .post(
            link,
            &[("password", "password123"), ("repeat", "password123")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new_password = "en lang og ny sætning til nulstilling";
    let set = visitor
        .post(
            link,
            &[("password", new_password), ("repeat", new_password)],
        )
        .await;
    assert_eq!(set.location.as_deref(), Some("/login?notice=password-set"));
    assert_eq!(
        earlier.get("/").await.status,
        StatusCode::SEE_OTHER,
        "signed out everywhere"
    );
    let (_, old) = app.try_login(SUPPLIER, PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, new) = app.try_login(SUPPLIER, new_password).await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);

    // The link is used up.
    let dead = visitor.get(link).await;
    assert_eq!(dead.status, StatusCode::GONE);
    assert!(dead.contains("Linket er brugt, udløbet eller forkert"));
    let replay = visitor
        .post(
            link,
            &[
                ("password", "endnu en helt ny sætning"),
                ("repeat", "endnu en helt ny sætning"),
            ],
        )
        .await;
    assert_eq!(replay.status, StatusCode::GONE);
    let actions = app.audit_actions_for(&user_id(&app, SUPPLIER));
    assert!(actions.contains(&"user.password_reset_requested".to_string()));
    assert!(actions.contains(&"user.password_reset".to_string()));
}

#[tokio::test]
async fn reset_links_expire_and_cannot_be_asked_for_endlessly() {
    let app = spawn_app().await;
    for _ in 0..5 {
        ask_for_reset(&app, STAFF).await;
    }
    let links = mailed_links(&app, STAFF, "/password/reset/");
    assert_eq!(links.len(), 3, "at most three reset mails an hour");
    // Each link works: a stranger asking for more cannot void the one the person uses.
    for link in &links {
        assert_eq!(app.anonymous().get(link).await.status, StatusCode::OK);
    }
    app.with_db(|c| {
        use tilslutning::db::schema::account_tokens::dsl::*;
        diesel::update(account_tokens)
            .set(expires_at.eq(tilslutning::db::now() - time::Duration::minutes(1)))
            .execute(c)
            .expect("expire")
    });
    for link in &links {
        assert_eq!(app.anonymous().get(link).await.status, StatusCode::GONE);
    }
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_than_the_limit() {
    let app = spawn_app().await;
    let mut visitors = Vec::new();
    for _ in 0..12 {
        let mut visitor = app.anonymous();
        let form = visitor.get("/login").await;
        visitor.csrf = csrf_in(&form.body).expect("csrf");
        visitors.push(visitor);
    }
    let guesses = visitors.iter().map(|v| {
        v.post(
            "/login",
            &[("email", SUPPLIER), ("password", "a wrong guess")],
        )
    });
    let pages = futures::future::join_all(guesses).await;
    let checked = pages
        .iter()
        .filter(|p| p.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = pages
        .iter()
        .filter(|p| p.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 12);
    assert_eq!(checked, 5, "exactly the limit of guesses was checked");
}

#[tokio::test]
async fn a_forwarded_address_header_does_not_escape_the_per_client_limit() {
    let app = spawn_app().await;
    let mut visitor = app.anonymous();
    let form = visitor.get("/login").await;
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let mut statuses = Vec::new();
    for n in 0..22 {
        let response = visitor
            .client
            .post(format!("{}/login", app.address))
            .header("X-Forwarded-For", format!("10.0.0.{n}"))
            .form(&[
                ("csrf", visitor.csrf.as_str()),
                ("email", &format!("guess{n}@example.org")),
                ("password", "a wrong guess"),
            ])
            .send()
            .await
            .expect("POST");
        statuses.push(response.status());
    }
    assert!(
        statuses[..20]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
    );
    assert_eq!(
        statuses[20],
        StatusCode::TOO_MANY_REQUESTS,
        "the peer address counts"
    );
    let addresses: Vec<Option<String>> = app.with_db(|c| {
        use tilslutning::db::schema::audit_log::dsl::*;
        audit_log
            .filter(action.eq("user.login_failed"))
            .select(client_addr)
            .load(c)
            .expect("audit")
    });
    assert!(
        addresses.iter().all(|a| a.as_deref() == Some("127.0.0.1")),
        "{addresses:?}"
    );
}

#[tokio::test]
async fn colleagues_signing_in_at_once_behind_one_address_do_not_block_each_other() {
    let app = spawn_app().await;
    let hash = tilslutning::auth::password::hash(PASSWORD).expect("hash");
    let emails: Vec<String> = (0..25)
        .map(|n| format!("kollega{n}@kommune.example.dk"))
        .collect();
    app.with_db(|c| {
        for email in &emails {
            let id =
                tilslutning::db::users::upsert(c, email, "Kollega", Some(&hash)).expect("person");
            tilslutning::db::users::grant(
                c,
                &id,
                &tilslutning::domain::RoleAssignment::municipal(
                    tilslutning::domain::Role::MunicipalOfficer,
                    "101",
                ),
            )
            .expect("role");
        }
    });
    let logins = emails.iter().map(|email| app.try_login(email, PASSWORD));
    let pages = futures::future::join_all(logins).await;
    let statuses: Vec<StatusCode> = pages.iter().map(|(_, page)| page.status).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn attempts_left_unfinished_count_against_the_address_after_a_minute() {
    use tilslutning::db::throttle::{self, Attempt};
    let app = spawn_app().await;
    let client = Some("192.0.2.7");
    app.with_db(|c| {
        for n in 0..throttle::PER_CLIENT {
            let started = tilslutning::app::sign_in::begin_attempt(
                c,
                &format!("victim{n}@example.org"),
                client,
            )
            .expect("attempt");
            assert!(matches!(started, Attempt::Started { .. }));
        }
        // Still under way: colleagues behind one address are not blocked by each other.
        let now = tilslutning::db::now();
        assert_eq!(
            throttle::blocked_for(c, "next@example.org", client, now).expect("q"),
            None
        );
        // Hung up during the password check: after a minute they count as failures.
        diesel::update(tilslutning::db::schema::login_failures::table)
            .set(
                tilslutning::db::schema::login_failures::failed_at
                    .eq(now - time::Duration::minutes(2)),
            )
            .execute(c)
            .expect("age");
        assert!(
            throttle::blocked_for(c, "next@example.org", client, now)
                .expect("q")
                .is_some()
        );
    });
}

#[tokio::test]
async fn parallel_correct_sign_ins_to_one_account_all_succeed() {
    let app = spawn_app().await;
    let logins = (0..8).map(|_| app.try_login(SUPPLIER, PASSWORD));
    let pages = futures::future::join_all(logins).await;
    let statuses: Vec<StatusCode> = pages.iter().map(|(_, page)| page.status).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("login_failures"),
        0,
        "no success counts as a failure"
    );
    // Failures before them still count: four wrong, then eight right at once, then the
    // account is open — and five wrong at once are still no more than the limit.
    for _ in 0..4 {
        let (_, page) = app.try_login(SUPPLIER, "a wrong guess").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let logins = (0..8).map(|_| app.try_login(SUPPLIER, PASSWORD));
    let pages = futures::future::join_all(logins).await;
    assert!(pages.iter().all(|(_, p)| p.status == StatusCode::SEE_OTHER));
}

#[tokio::test]
async fn a_change_of_language_and_mail_rhythm_is_audited() {
    use tilslutning::db::schema::audit_log;
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let rows = || -> Vec<String> {
        app.with_db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("user.preferences_changed"))
                .select(audit_log::details)
                .load(c)
                .expect("rows")
        })
    };
    let refused = supplier
        .post("/profile", &[("language", "fr"), ("mail", "digest")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(rows().is_empty(), "a refused choice changes nothing");
    let saved = supplier
        .post("/profile", &[("language", "en"), ("mail", "digest")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let written = rows();
    assert_eq!(written.len(), 1);
    let details: serde_json::Value = serde_json::from_str(&written[0]).expect("json");
    assert_eq!(details["language"], "en");
    assert_eq!(details["mail"], "digest");
}
