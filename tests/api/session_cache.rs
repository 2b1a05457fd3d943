//! The session cache: a page read is answered from who the server found behind the session
//! lately; any other request but a sign-in makes the server forget them all, so a sign-out or a change of
//! rights made on this server counts at once, a write is always checked against the
//! database, and a change made elsewhere counts once the cache's time has passed.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{role_assignments, users};

use crate::helpers::*;

async fn cached_app(trusted_for_ms: u64) -> TestApp {
    fn long(s: &mut tilslutning::configuration::Settings) {
        s.session_cache = std::time::Duration::from_secs(60);
    }
    fn short(s: &mut tilslutning::configuration::Settings) {
        s.session_cache = std::time::Duration::from_millis(300);
    }
    spawn_app_with(Options {
        tune: Some(if trusted_for_ms >= 60_000 {
            long
        } else {
            short
        }),
        ..Options::default()
    })
    .await
}

/// Takes the officer's roles away in the database, as another app server would.
fn remove_roles_elsewhere(app: &TestApp, email: &str) {
    app.with_db(|c| {
        let id: String = users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(c)
            .expect("person");
        diesel::delete(role_assignments::table.filter(role_assignments::user_id.eq(id)))
            .execute(c)
            .expect("roles removed")
    });
}

#[tokio::test]
async fn a_read_is_answered_from_the_cache_until_a_write_here_makes_the_server_forget() {
    let app = cached_app(60_000).await;
    let officer = app.login_as(OFFICER).await;
    assert_eq!(officer.get("/inbox").await.status, StatusCode::OK);
    remove_roles_elsewhere(&app, OFFICER);
    assert_eq!(
        officer.get("/inbox").await.status,
        StatusCode::OK,
        "the server still trusts what it found a moment ago"
    );
    // A write is checked against the database: without roles there is nothing to decide.
    let decision = officer
        .post(
            "/inbox/decide",
            &[("decision", "approve"), ("selected", "nothing")],
        )
        .await;
    assert!(
        matches!(
            decision.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        decision.status
    );
    // That write made the server forget: the next read sees the roles gone.
    assert_eq!(officer.get("/inbox").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn signing_out_counts_at_once_for_the_same_cookie() {
    let app = cached_app(60_000).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let mut officer = Session {
        base: app.address.clone(),
        client: reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        csrf: String::new(),
    };
    officer.csrf = csrf_in(&officer.get("/login").await.body).expect("csrf");
    let signed_in = officer
        .post("/login", &[("email", OFFICER), ("password", PASSWORD)])
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let inbox = officer.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    officer.csrf = csrf_in(&inbox.body).expect("csrf");
    let url: reqwest::Url = app.address.parse().expect("address");
    let cookie = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url)
        .expect("the session cookie")
        .to_str()
        .expect("ascii")
        .to_string();
    officer.post("/logout", &[]).await;
    let replayed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/inbox", app.address))
        .header("Cookie", cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert!(
        replayed
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login")),
        "an ended session is sent to the login page"
    );
}

#[tokio::test]
async fn a_change_made_elsewhere_counts_once_the_cache_time_has_passed() {
    let app = cached_app(300).await;
    let officer = app.login_as(OFFICER).await;
    assert_eq!(officer.get("/inbox").await.status, StatusCode::OK);
    remove_roles_elsewhere(&app, OFFICER);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(officer.get("/inbox").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn someone_else_signing_in_leaves_the_other_sessions_trusted() {
    let app = cached_app(60_000).await;
    let officer = app.login_as(OFFICER).await;
    assert_eq!(officer.get("/inbox").await.status, StatusCode::OK);
    remove_roles_elsewhere(&app, OFFICER);
    // A sign-in starts a session and ends at most the caller's own: the server keeps
    // trusting what it found behind the officer's session.
    let operator = app.login_as(OPERATOR).await;
    assert_eq!(
        officer.get("/inbox").await.status,
        StatusCode::OK,
        "a sign-in by someone else made the server forget the officer"
    );
    // Any other write still makes it forget everyone: the operator's sign-out, and then
    // the officer's next read sees the roles gone.
    operator.post("/logout", &[]).await;
    assert_eq!(officer.get("/inbox").await.status, StatusCode::FORBIDDEN);
}
