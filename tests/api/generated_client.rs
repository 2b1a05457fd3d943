//! The API as a client generated from its OpenAPI document by a tool nobody here wrote
//! (openapi-python-client) sees it: a supplier's system files and follows, an approver's
//! robot decides, a data provider checks access and reads the feed — then the database is
//! asked whether all of it happened.

use std::path::PathBuf;
use std::process::Command;

use diesel::prelude::*;
use serde_json::{Value, json};
use tilslutning::db::schema::{agreements, institutions, requests};

use crate::api_client::make_token;
use crate::api_flows::free_units;
use crate::helpers::*;

/// The generator: `TILSLUTNING_TEST_OPENAPI_GENERATOR`, or where `scripts/test` installs it.
fn generator() -> PathBuf {
    let path = std::env::var_os("TILSLUTNING_TEST_OPENAPI_GENERATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/test-tools/openapi-venv/bin/openapi-python-client")
        });
    assert!(
        path.exists(),
        "openapi-python-client is not at {} (scripts/test installs it)",
        path.display()
    );
    path
}

fn run(command: &mut Command, what: &str) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_generated_client_files_follows_decides_and_checks_access() {
    let app = spawn_app().await;
    let generator = generator();
    let work = tempfile::tempdir().expect("temp dir");
    let document = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("openapi.json")
        .text()
        .await
        .expect("body");
    let spec = work.path().join("openapi.json");
    std::fs::write(&spec, document).expect("write the document");
    let package = work.path().join("tilslutning_api_client");
    let bin = generator.parent().expect("the generator's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    run(
        Command::new(&generator)
            .arg("generate")
            .arg("--path")
            .arg(&spec)
            .arg("--output-path")
            .arg(&package)
            .args(["--meta", "none"])
            .env("PATH", &path),
        "generating the client",
    );

    let units = free_units(&app, PLADS_SERVICE, 2);
    assert_eq!(units.len(), 2, "the demo data has free units");
    let unknown = app.with_db(|c| {
        (10_000..99_999)
            .map(|n| format!("G{n}"))
            .find(|number| {
                institutions::table
                    .find(number)
                    .count()
                    .get_result::<i64>(c)
                    .expect("count")
                    == 0
            })
            .expect("a number nobody has")
    });
    let supplier = app.login_as(SUPPLIER).await;
    let officer = app.login_as(OFFICER).await;
    let operator = app.login_as(OPERATOR).await;
    let task = json!({
        "base_url": app.address,
        "supplier_token": make_token(&supplier, "supplier", &["file", "withdraw"]).await,
        "approver_token": make_token(&officer, "approver", &["decide"]).await,
        "access_token": make_token(&operator, "access_check", &["access"]).await,
        "service": PLADS_SERVICE,
        "units": units,
        "unknown": unknown,
    });
    let flow = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/generated_client/flow.py");
    let printed = run(
        Command::new(bin.join("python"))
            .arg(&flow)
            .arg(task.to_string())
            .env("PYTHONPATH", work.path()),
        "the generated client's flow",
    );
    let done: Value = serde_json::from_str(printed.trim()).expect("the flow prints JSON");

    assert_eq!(done["refused_code"], "lines_refused", "{done}");
    assert!(
        done["refused_message"]
            .as_str()
            .unwrap_or("")
            .contains("Nothing was filed"),
        "asked in English: {done}"
    );
    assert_eq!(
        done["problems"],
        json!([[
            unknown,
            "not_in_register",
            format!("{unknown} is not in the institution register.")
        ]]),
        "each refused institution is named, in the caller's language"
    );
    assert_eq!(done["followed_both"], true);
    assert_eq!(done["read_status"], "pending");
    assert_eq!(done["withdrawn_status"], "withdrawn");
    assert_eq!(done["decidable_had_it"], true);
    assert_eq!(
        (&done["approved_status"], &done["approved_national"]),
        (&json!("approved"), &json!("GODKENDT"))
    );
    let agreement = done["agreement"]
        .as_str()
        .expect("an agreement")
        .to_string();
    assert_eq!(done["access"], json!([true, false, agreement]));
    assert_eq!(done["batch"], json!([true, false]));
    assert_eq!(
        done["feed_last"],
        json!([["created", agreement, "active"]]),
        "the feed names the new agreement once"
    );

    // What the client was told is what the database holds.
    let statuses: Vec<(String, String)> = app.with_db(|c| {
        requests::table
            .filter(requests::service_id.eq(PLADS_SERVICE))
            .filter(requests::institution_number.eq_any([&units[0], &units[1], &unknown]))
            .select((requests::institution_number, requests::status))
            .order(requests::institution_number)
            .load(c)
            .expect("requests")
    });
    assert_eq!(
        statuses,
        [
            (units[0].clone(), "approved".to_string()),
            (units[1].clone(), "withdrawn".to_string())
        ],
        "one request each, the refused filing left nothing"
    );
    let stored: (String, String) = app.with_db(|c| {
        agreements::table
            .find(&agreement)
            .select((agreements::institution_number, agreements::status))
            .first(c)
            .expect("the agreement")
    });
    assert_eq!(stored, (units[0].clone(), "active".to_string()));
    let feed_length = done["feed_length"].as_u64().unwrap_or(0);
    let in_database: i64 = app.with_db(|c| {
        tilslutning::db::schema::audit_log::table
            .filter(tilslutning::db::schema::audit_log::target_type.eq("agreement"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert!(
        feed_length > 0 && feed_length as i64 <= in_database,
        "the feed read {feed_length} changes of {in_database} agreement rows"
    );
}
