//! Local sign-in: right and wrong passwords, CSRF on the login form, sessions that
//! really end, rotation at login, and no redirect to other sites.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_right_password_signs_in_and_the_start_page_greets_by_name() {
    let app = spawn_app().await;
    let (session, page) = app.try_login(SUPPLIER, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/"));
    let home = session.get("/").await;
    assert!(home.contains("Lene Leverandør"));
    assert_eq!(app.count("sessions"), 1);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let (_, wrong) = app.try_login(SUPPLIER, "not the password").await;
    let (_, unknown) = app
        .try_login("nobody@example.org", "not the password")
        .await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("Forkert e-mail eller adgangskode."));
    }
    assert!(
        wrong.contains(&format!("value=\"{SUPPLIER}\"")),
        "the typed email is kept"
    );
    assert_eq!(app.count("sessions"), 0);
    let failed: i64 = {
        use diesel::prelude::*;
        use tilslutning::db::schema::audit_log::dsl::*;
        app.with_db(|c| {
            audit_log
                .filter(action.eq("user.login_failed"))
                .count()
                .get_result(c)
                .expect("count")
        })
    };
    assert_eq!(failed, 2, "failed logins are audited");
}

#[tokio::test]
async fn login_without_a_csrf_token_is_refused() {
    let app = spawn_app().await;
    let session = app.anonymous();
    session.get("/login").await;
    let page = session
        .post_raw("/login", &[("email", SUPPLIER), ("password", PASSWORD)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let forged = session
        .post_raw(
            "/login",
            &[
                ("csrf", "00ff"),
                ("email", SUPPLIER),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let session = app.login_as(OFFICER).await;
    assert_eq!(app.count("sessions"), 1);
    let out = session.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sessions"), 0, "the server forgot the session");
    let after = session.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn a_copied_session_cookie_stops_working_after_logout() {
    let app = spawn_app().await;
    let browser = client();
    let form = browser
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = csrf_in(&form).expect("csrf");
    let response = browser
        .post(format!("{}/login", app.address))
        .form(&[
            ("csrf", token.as_str()),
            ("email", SUPPLIER),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tilslutning_session="))
        .expect("session cookie set")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-http base URL: no Secure flag"
    );
    let pair = cookie.split(';').next().expect("cookie pair").to_string();
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let stolen = thief
        .get(format!("{}/", app.address))
        .header("cookie", &pair)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        stolen.status(),
        StatusCode::OK,
        "the copied cookie works while the session lives"
    );
    let home = browser
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let csrf = csrf_in(&home).expect("csrf");
    browser
        .post(format!("{}/logout", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    let stolen = thief
        .get(format!("{}/", app.address))
        .header("cookie", &pair)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        stolen.status(),
        StatusCode::SEE_OTHER,
        "…and not after logout"
    );
}

#[tokio::test]
async fn logging_in_again_replaces_the_old_session() {
    let app = spawn_app().await;
    let (session, _) = app.try_login(SUPPLIER, PASSWORD).await;
    assert_eq!(app.count("sessions"), 1);
    let form = session.get("/login").await;
    let token = csrf_in(&form.body).expect("csrf");
    let again = session
        .post_raw(
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", SUPPLIER),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("sessions"),
        1,
        "the old session was ended, a new one started"
    );
}

#[tokio::test]
async fn after_login_only_local_paths_are_followed() {
    let app = spawn_app().await;
    for next in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let session = app.anonymous();
        let form = session.get("/login").await;
        let token = csrf_in(&form.body).expect("csrf");
        let page = session
            .post_raw(
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", OPERATOR),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(page.location.as_deref(), Some("/"), "next={next}");
    }
}

#[tokio::test]
async fn pages_need_a_signed_in_person() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    for path in [
        "/",
        "/requests",
        "/requests/new",
        "/inbox",
        "/agreements",
        "/institutions",
    ] {
        let page = anon.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location.as_deref(), Some("/login"), "{path}");
    }
}

async fn change(session: &Session, current: &str, new: &str, repeat: &str) -> Page {
    session
        .post(
            "/profile/password",
            &[("current", current), ("new", new), ("repeat", repeat)],
        )
        .await
}

#[tokio::test]
async fn changing_the_password_checks_it_and_logs_out_everywhere_else() {
    let app = spawn_app().await;
    let here = app.login_as(SUPPLIER).await;
    let elsewhere = app.login_as(SUPPLIER).await;
    let wrong = change(
        &here,
        "not it",
        "en lang og god sætning",
        "en lang og god sætning",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.contains("Den nuværende adgangskode er forkert."));
    let short = change(&here, PASSWORD, "kort", "kort").await;
    assert!(short.contains("mindst 12 tegn"));
    let common = change(&here, PASSWORD, "Adgangskode123", "Adgangskode123").await;
    assert!(common.contains("blandt de mest brugte"));
    let mismatch = change(
        &here,
        PASSWORD,
        "en lang og god sætning",
        "en anden lang sætning",
    )
    .await;
    assert!(mismatch.contains("ikke ens"));
    assert!(
        !mismatch.contains("en lang og god sætning"),
        "typed passwords are never echoed back"
    );

    let ok = change(
        &here,
        PASSWORD,
        "en lang og god sætning",
        "en lang og god sætning",
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        here.get("/profile").await.status,
        StatusCode::OK,
        "this browser keeps a fresh session"
    );
    assert_eq!(
        elsewhere.get("/").await.status,
        StatusCode::SEE_OTHER,
        "every other session ended"
    );
    let (_, old) = app.try_login(SUPPLIER, PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, new) = app.try_login(SUPPLIER, "en lang og god sætning").await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    let audited: i64 = {
        use diesel::prelude::*;
        use tilslutning::db::schema::audit_log::dsl::*;
        app.with_db(|c| {
            audit_log
                .filter(action.eq("user.password_changed"))
                .count()
                .get_result(c)
                .expect("count")
        })
    };
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn repeated_failures_throttle_the_account_with_a_clear_message() {
    let app = spawn_app().await;
    for attempt in 1..=5 {
        let (_, page) = app.try_login(OFFICER, "forkert forkert").await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    let (_, blocked) = app.try_login(OFFICER, PASSWORD).await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        blocked.contains("For mange mislykkede forsøg. Prøv igen om 15 minutter."),
        "{}",
        blocked.body
    );
    assert!(
        blocked.contains(&format!("value=\"{OFFICER}\"")),
        "the typed email is kept"
    );
    let (_, other) = app.try_login(SUPPLIER, PASSWORD).await;
    assert_eq!(
        other.status,
        StatusCode::SEE_OTHER,
        "other accounts are not affected"
    );

    // After the window the account opens again; a success clears the count.
    app.with_db(|c| {
        use diesel::prelude::*;
        use tilslutning::db::schema::login_failures::dsl::*;
        diesel::update(login_failures)
            .set(failed_at.eq(tilslutning::db::now() - time::Duration::minutes(16)))
            .execute(c)
            .expect("age failures")
    });
    let (_, open) = app.try_login(OFFICER, PASSWORD).await;
    assert_eq!(open.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("login_failures"), 0);
}
