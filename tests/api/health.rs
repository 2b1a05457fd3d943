//! Health, readiness, static assets, security headers and the not-found page.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    let health = anon.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = anon.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body, "ready");
    for path in ["/healthz", "/readyz", "/login"] {
        let head = client()
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .expect("HEAD");
        assert_eq!(head.status(), StatusCode::OK, "HEAD {path}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let client = client();
    for path in [
        "/login",
        "/",
        "/static/app.css",
        "/no-such-page",
        "/healthz",
    ] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("GET");
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
        assert!(headers.get("referrer-policy").is_some(), "{path}");
    }
}

#[tokio::test]
async fn unknown_pages_get_a_danish_not_found_page() {
    let app = spawn_app().await;
    let page = app.anonymous().get("/findes/ikke").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.contains("Siden findes ikke"));
    assert!(page.contains("lang=\"da\""));
}

#[tokio::test]
async fn the_stylesheet_is_served_locally() {
    let app = spawn_app().await;
    let css = app.anonymous().get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.contains(":focus-visible"));
}

#[tokio::test]
async fn each_role_reaches_its_pages_from_the_start_page() {
    let app = spawn_app().await;
    let expectations: [(&str, &[&str]); 4] = [
        (
            SUPPLIER,
            &["/requests/new", "/requests", "/agreements", "/institutions"],
        ),
        (
            OFFICER,
            &["/inbox", "/requests", "/agreements", "/institutions"],
        ),
        (STAFF, &["/inbox", "/requests", "/agreements"]),
        (OPERATOR, &["/requests", "/agreements", "/institutions"]),
    ];
    for (email, links) in expectations {
        let session = app.login_as(email).await;
        let home = session.get("/").await;
        for link in links {
            assert!(
                home.contains(&format!("href=\"{link}\"")),
                "{email} has no link to {link}"
            );
            let page = session.get(link).await;
            assert_eq!(page.status, StatusCode::OK, "{email} {link}");
        }
    }
}

#[tokio::test]
async fn a_portal_served_over_https_tells_browsers_to_keep_to_https() {
    let plain = spawn_app().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(dir.path(), &Options::default());
    settings.base_url = "https://tilslutning.example.dk".into();
    settings.mail.in_process_worker = false;
    let app = tilslutning::startup::Application::build(settings)
        .await
        .expect("application builds");
    let https_address = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    let hsts = |response: &reqwest::Response| {
        response
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    for path in ["/login", "/healthz", "/static/app.css", "/no-such-page"] {
        let response = client()
            .get(format!("{https_address}{path}"))
            .send()
            .await
            .expect("GET");
        let value = hsts(&response).unwrap_or_default();
        assert!(value.contains("includeSubDomains"), "{path}: {value:?}");
        let max_age: i64 = value
            .split(';')
            .find_map(|p| p.trim().strip_prefix("max-age="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        assert!(max_age >= 180 * 24 * 3600, "{path}: {value}");
        let response = client()
            .get(format!("{}{path}", plain.address))
            .send()
            .await
            .expect("GET");
        assert_eq!(hsts(&response), None, "plain http sends none: {path}");
    }
}
