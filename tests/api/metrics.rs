//! `/metrics` (requests per route pattern, pool, mail queues, sign-in throttle, audit
//! rows; who may scrape) and the JSON logs of the real binary with their request ids.

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;

/// The sum of the samples of `name` whose labels include `labels`; `None` without any.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut found = None;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let (series_name, series_labels) = match series.split_once('{') {
            Some((n, rest)) => (n, parse_labels(rest.strip_suffix('}').unwrap_or(rest))),
            None => (series, HashMap::new()),
        };
        if series_name != name
            || !labels
                .iter()
                .all(|(k, v)| series_labels.get(*k).map(String::as_str) == Some(*v))
        {
            continue;
        }
        let value: f64 = value.parse().expect("a sample's value is a number");
        found = Some(found.unwrap_or(0.0) + value);
    }
    found
}

/// `a="x",b="y{z}"` → {a: x, b: y{z}} (values may hold commas and braces).
fn parse_labels(text: &str) -> HashMap<String, String> {
    let mut labels = HashMap::new();
    let mut rest = text;
    while let Some((key, after)) = rest.split_once("=\"") {
        let mut value = String::new();
        let mut chars = after.char_indices();
        let mut end = after.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        labels.insert(key.trim_start_matches(',').to_string(), value);
        rest = &after[end..];
    }
    labels
}

async fn scrape(app: &TestApp) -> String {
    let response = client()
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("GET /metrics");
    assert_eq!(response.status(), StatusCode::OK, "loopback may scrape");
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    response.text().await.expect("body")
}

fn unprocessed_events(app: &TestApp) -> i64 {
    use tilslutning::db::schema::outbox;
    app.with_db(|c| {
        outbox::table
            .filter(outbox::processed_at.is_null())
            .count()
            .get_result(c)
            .expect("count")
    })
}

#[tokio::test]
async fn metrics_show_requests_by_route_pattern_the_pool_and_the_mail_queues() {
    let app = spawn_app_with(Options {
        no_worker: true,
        ..Options::default()
    })
    .await;
    let officer = app.login_as(OFFICER).await;
    let (id, _) = app.pending(PLADS_SERVICE, "G10201");
    for _ in 0..3 {
        let page = officer.get(&format!("/requests/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    assert_eq!(
        officer.get("/no-such-page/123").await.status,
        StatusCode::NOT_FOUND
    );
    // Mail waiting in both queues, the oldest of each an hour and two hours old.
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G20101")
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let an_hour_ago = tilslutning::db::now() - time::Duration::hours(1);
    let two_hours_ago = tilslutning::db::now() - time::Duration::hours(2);
    app.with_db(|c| {
        use tilslutning::db::schema::{mail_messages, outbox};
        let oldest: String = outbox::table
            .filter(outbox::processed_at.is_null())
            .order(outbox::created_at)
            .select(outbox::id)
            .first(c)
            .expect("an unprocessed event after a filing");
        diesel::update(outbox::table.find(oldest))
            .set(outbox::created_at.eq(an_hour_ago))
            .execute(c)
            .expect("age the event");
        let to = tilslutning::db::mail::Recipient::mailbox("drift@example.dk");
        tilslutning::db::mail::enqueue(c, None, &to, "Emne", "Tekst", "<p>Tekst</p>")
            .expect("queue a message");
        diesel::update(mail_messages::table.filter(mail_messages::status.eq("pending")))
            .set(mail_messages::created_at.eq(two_hours_ago))
            .execute(c)
            .expect("age the message");
    });
    let unsent: i64 = app.with_db(|c| {
        use tilslutning::db::schema::mail_messages;
        mail_messages::table
            .filter(mail_messages::status.eq("pending"))
            .count()
            .get_result(c)
            .expect("count")
    });

    let text = scrape(&app).await;

    let detail = [
        ("method", "GET"),
        ("route", "/requests/{id}"),
        ("status", "200"),
    ];
    let served = sample(&text, "http_requests_total", &detail).expect("request counter");
    assert!(served >= 3.0, "{served}");
    assert!(
        !text.contains(&id),
        "a raw path with an id is never a label"
    );
    assert!(
        sample(
            &text,
            "http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        )
        .is_some_and(|n| n >= 1.0)
    );
    let timed =
        sample(&text, "http_request_duration_seconds_count", &detail).expect("latency histogram");
    assert!(timed >= 3.0, "{timed}");
    assert!(
        sample(
            &text,
            "http_request_duration_seconds_bucket",
            &[("route", "/requests/{id}"), ("le", "+Inf")]
        )
        .is_some_and(|n| n >= 3.0),
        "the latency is a histogram with buckets"
    );

    assert_eq!(
        sample(&text, "tilslutning_db_pool_max_connections", &[]),
        Some(6.0),
        "this app's pool (the tests' pool size)"
    );
    let idle = sample(
        &text,
        "tilslutning_db_pool_connections",
        &[("state", "idle")],
    )
    .expect("idle connections");
    let in_use = sample(
        &text,
        "tilslutning_db_pool_connections",
        &[("state", "in_use")],
    )
    .expect("connections in use");
    assert!(
        idle >= 1.0 && idle + in_use <= 6.0,
        "{idle} idle, {in_use} in use"
    );
    assert!(sample(&text, "tilslutning_db_pool_waiting", &[]).is_some());

    assert_eq!(
        sample(&text, "tilslutning_outbox_depth", &[("queue", "events")]),
        Some(unprocessed_events(&app) as f64)
    );
    assert_eq!(
        sample(&text, "tilslutning_outbox_depth", &[("queue", "mail")]),
        Some(unsent as f64)
    );
    let event_age = sample(
        &text,
        "tilslutning_outbox_oldest_age_seconds",
        &[("queue", "events")],
    )
    .expect("oldest event age");
    assert!((3600.0..3700.0).contains(&event_age), "{event_age}");
    let mail_age = sample(
        &text,
        "tilslutning_outbox_oldest_age_seconds",
        &[("queue", "mail")],
    )
    .expect("oldest mail age");
    assert!((7200.0..7300.0).contains(&mail_age), "{mail_age}");
}

#[tokio::test]
async fn sign_ins_count_their_audit_rows_and_the_throttle_counts_its_refusals() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    let audit_before = sample(&before, "tilslutning_audit_rows_total", &[]).unwrap_or(0.0);
    let throttled_before = sample(&before, "tilslutning_login_throttled_total", &[]).unwrap_or(0.0);

    app.login_as(OFFICER).await;
    let after_login = scrape(&app).await;
    let audit_after =
        sample(&after_login, "tilslutning_audit_rows_total", &[]).expect("audit rows counted");
    assert!(
        audit_after >= audit_before + 1.0,
        "{audit_before} → {audit_after}"
    );

    for _ in 0..5 {
        let (_, page) = app.try_login(STAFF, "forkert forkert").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    for _ in 0..3 {
        let (_, page) = app.try_login(STAFF, PASSWORD).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let after = scrape(&app).await;
    let throttled = sample(&after, "tilslutning_login_throttled_total", &[])
        .expect("throttle refusals counted");
    assert!(
        throttled >= throttled_before + 3.0,
        "{throttled_before} → {throttled}"
    );
    assert!(
        sample(
            &after,
            "http_requests_total",
            &[("method", "POST"), ("route", "/login"), ("status", "429")]
        )
        .is_some_and(|n| n >= 3.0)
    );
}

const TOKEN: &str = "a-metrics-token-of-enough-length-42";

async fn metrics_status(app: &TestApp, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut request = client().get(format!("{}/metrics", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("GET /metrics");
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn metrics_are_refused_to_anyone_not_allowed_or_without_the_token() {
    // By default only a direct connection from loopback: a request a local reverse proxy
    // forwards from the internet is refused, whatever address it claims.
    let default = spawn_app().await;
    for claimed in ["203.0.113.9", "127.0.0.1"] {
        let (status, body) = metrics_status(&default, &[("X-Forwarded-For", claimed)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "forwarded for {claimed}");
        assert!(!body.contains("http_requests_total"));
    }
    let (status, _) = metrics_status(&default, &[("Forwarded", "for=127.0.0.1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Allowed addresses elsewhere, and a token: loopback without it is refused.
    let guarded = spawn_app_with(Options {
        metrics_allow: Some("192.0.2.0/24, 2001:db8::1".into()),
        metrics_token: Some(TOKEN.into()),
        ..Options::default()
    })
    .await;
    for headers in [
        vec![],
        vec![("Authorization", "Bearer not-the-token-but-long-enough-1")],
        vec![("Authorization", TOKEN)],
    ] {
        let (status, body) = metrics_status(&guarded, &headers).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{headers:?}");
        assert!(!body.contains("http_requests_total"));
    }
    let bearer = format!("Bearer {TOKEN}");
    let (status, body) = metrics_status(&guarded, &[("Authorization", &bearer)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("tilslutning_db_pool_max_connections"));
    // The token also opens it through a proxy.
    let (status, _) = metrics_status(
        &guarded,
        &[
            ("Authorization", &bearer),
            ("X-Forwarded-For", "203.0.113.9"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Nobody at all.
    let closed = spawn_app_with(Options {
        metrics_allow: Some("none".into()),
        ..Options::default()
    })
    .await;
    assert_eq!(metrics_status(&closed, &[]).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_malformed_allow_list_or_a_short_token_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    for options in [
        Options {
            metrics_allow: Some("10.0.0.0/8, intranet".into()),
            ..Options::default()
        },
        Options {
            metrics_token: Some("short".into()),
            ..Options::default()
        },
    ] {
        let settings = test_settings(dir.path(), &options);
        let built = tilslutning::startup::Application::build(settings).await;
        let error = built.err().expect("refused");
        assert!(
            format!("{error:#}").contains("TILSLUTNING_METRICS_"),
            "{error:#}"
        );
    }
}

#[tokio::test]
async fn json_logs_carry_each_requests_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = test_settings(dir.path(), &Options::default());
    let port = free_port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tilslutning"))
        .arg("serve")
        .env("TILSLUTNING_DATA_DIR", dir.path())
        .env("TILSLUTNING_DATABASE_URL", &settings.database_url)
        .env("TILSLUTNING_BIND", format!("127.0.0.1:{port}"))
        .env("TILSLUTNING_MAIL_WORKER", "off")
        .env("RUST_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = client();
    let mut ready = false;
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut ids = Vec::new();
    for path in ["/login", "/no-such-page"] {
        let response = client.get(format!("{base}{path}")).send().await;
        if let Ok(response) = response {
            let id = response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            ids.push((path, id));
        }
    }
    let _ = server.kill();
    let output = server.wait_with_output().expect("server output");
    assert!(
        ready,
        "the server did not start: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .chain(String::from_utf8_lossy(&output.stderr).lines())
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(!lines.is_empty(), "the server logged nothing");
    assert_eq!(ids.len(), 2);
    for (path, id) in ids {
        let id = id.unwrap_or_else(|| panic!("{path} has an X-Request-Id"));
        let served = lines
            .iter()
            .find(|l| l["span"]["request_id"] == id.as_str() && l["message"] == "request served")
            .unwrap_or_else(|| panic!("no log line for {path} with request id {id}: {stdout}"));
        assert_eq!(served["span"]["path"], path);
        assert!(served["status"].is_u64(), "{served}");
        assert!(
            served["timestamp"].is_string() && served["level"] == "INFO",
            "{served}"
        );
    }
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "detail")]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

#[tokio::test]
async fn the_unsent_mail_gauge_reads_the_index_even_when_nearly_all_mail_is_sent() {
    use tilslutning::db::DbConnection;
    let app = spawn_app_with(Options {
        no_worker: true,
        ..Options::default()
    })
    .await;
    // A mail history: thousands sent, one waiting; the planner's statistics know it.
    app.with_db(|c| {
        let sent = "INSERT INTO mail_messages (id, recipient, language, subject, text_body, \
            html_body, status, attempts, next_attempt_at, created_at) \
            SELECT 'sent-' || n, 'x@example.dk', 'da', 's', 't', 'h', 'sent', 1, \
            TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:00' FROM generate_series(1, 5000) AS n";
        match c {
            DbConnection::Postgresql(pg) => {
                diesel::sql_query(sent).execute(pg).expect("history");
                diesel::sql_query("ANALYZE mail_messages").execute(pg).expect("analyze");
            }
            DbConnection::Sqlite(lite) => {
                diesel::sql_query(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) \
                     INSERT INTO mail_messages (id, recipient, language, subject, text_body, \
                     html_body, status, attempts, next_attempt_at, created_at) \
                     SELECT 'sent-' || i, 'x@example.dk', 'da', 's', 't', 'h', 'sent', 1, \
                     '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM n",
                )
                .execute(lite)
                .expect("history");
                diesel::sql_query("ANALYZE").execute(lite).expect("analyze");
            }
        }
        let to = tilslutning::db::mail::Recipient::mailbox("drift@example.dk");
        tilslutning::db::mail::enqueue(c, None, &to, "Emne", "Tekst", "<p>Tekst</p>")
            .expect("queue a message");
    });
    let shown = app.with_db(|c| match c {
        DbConnection::Sqlite(lite) => diesel::sql_query(format!(
            "EXPLAIN QUERY PLAN {}",
            tilslutning::db::gauges::unsent_mail_query(true)
        ))
        .load::<PlanLine>(lite)
        .expect("explain")
        .into_iter()
        .map(|p| p.detail)
        .collect::<Vec<_>>()
        .join("\n"),
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "EXPLAIN {}",
            tilslutning::db::gauges::unsent_mail_query(false)
        ))
        .load::<PgPlanLine>(pg)
        .expect("explain")
        .into_iter()
        .map(|p| p.line)
        .collect::<Vec<_>>()
        .join("\n"),
    });
    assert!(
        ["mail_messages_due", "mail_messages_status_created"]
            .iter()
            .any(|index| shown.contains(index))
            && !shown.contains("Seq Scan")
            && !shown.contains("SCAN mail_messages"),
        "{shown}"
    );
    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, "tilslutning_outbox_depth", &[("queue", "mail")]),
        Some(1.0)
    );
}
