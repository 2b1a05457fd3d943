//! A database out of reach is a fast, honest 503: pages answer within the checkout timeout
//! (2 s by default) with `Retry-After` and a Danish page, the API with a JSON error whose
//! code is stable, `/readyz` with 503, and everything works again when the database is back.
//! On PostgreSQL the app reaches its database through a relay that the test cuts (every
//! connection dropped, new ones closed at once); on SQLite, where a file cannot go away under an
//! open connection, the test holds the app's only pooled connection, so checkouts time out
//! the same way.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tilslutning::db::PooledConnection;

use crate::helpers::*;

const TOKEN: &str = "outage-test-import-token-0123456789";
/// The default checkout timeout, and some room for the request itself.
const WITHIN: Duration = Duration::from_millis(2_500);

enum Outage {
    /// PostgreSQL through a relay the test cuts.
    Relay(DbRelay),
    /// SQLite: the app's only connection, held while the outage lasts.
    Held(Option<PooledConnection>),
}

impl Outage {
    fn begin(&mut self, app: &TestApp) {
        match self {
            Self::Relay(relay) => relay.cut(),
            Self::Held(held) => *held = Some(app.app_db.get().expect("the app's connection")),
        }
    }

    fn end(&mut self) {
        match self {
            Self::Relay(relay) => relay.restore(),
            Self::Held(held) => *held = None,
        }
    }
}

async fn app_with_outage() -> (TestApp, Outage) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options {
        no_worker: true,
        import_token: Some(TOKEN.into()),
        pool_size: Some(1),
        ..Options::default()
    };
    let mut settings = test_settings(dir.path(), &options);
    let direct = settings.database_url.clone();
    if direct.starts_with("postgres") {
        let relay = DbRelay::to(&direct);
        settings.database_url = relay.url_for(&direct);
        settings.pool_size = 4;
        let app = spawn_app_reaching(settings, &direct, dir).await;
        (app, Outage::Relay(relay))
    } else {
        let app = spawn_app_from(settings, dir).await;
        (app, Outage::Held(None))
    }
}

#[tokio::test]
async fn a_database_out_of_reach_is_a_fast_503_with_retry_after_then_recovers() {
    let (app, mut outage) = app_with_outage().await;
    let officer = app.login_as(OFFICER).await;
    assert_eq!(officer.get("/requests").await.status, StatusCode::OK);
    outage.begin(&app);

    for path in ["/", "/requests"] {
        let started = Instant::now();
        let response = officer
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("GET");
        let took = started.elapsed();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(took < WITHIN, "{path} answered after {took:?}");
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("5"),
            "{path}"
        );
        let body = response.text().await.expect("body");
        assert!(
            body.contains("Portalen er midlertidigt utilgængelig") && body.contains("lang=\"da\""),
            "{path}: {body}"
        );
        assert!(
            !body.contains("r2d2") && !body.contains("timed out"),
            "{body}"
        );
    }

    let started = Instant::now();
    let ready = client()
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < WITHIN,
        "/readyz took {:?}",
        started.elapsed()
    );
    assert!(ready.headers().contains_key("retry-after"));
    let health = client()
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("healthz");
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "the process itself is alive"
    );

    let started = Instant::now();
    let api = client()
        .post(format!("{}/api/register/import", app.address))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({ "csv": "", "dry_run": true }))
        .send()
        .await
        .expect("API");
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < WITHIN,
        "the API took {:?}",
        started.elapsed()
    );
    assert!(api.headers().contains_key("retry-after"));
    let error: serde_json::Value = api.json().await.expect("a JSON error");
    assert_eq!(error["error"]["code"], "database_unavailable", "{error}");

    outage.end();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = officer.get("/requests").await;
        if page.status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {} after the outage",
            page.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = app.anonymous().get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
}
