//! Register imports: the same file twice (and in the other encoding and separator)
//! changes nothing; dry runs change nothing and say what would; closures lapse requests,
//! end agreements, tell both sides and are audited; a complete file closes what it lacks;
//! bad rows are listed while good rows go in; closed numbers are never reopened.

use diesel::prelude::*;
use tilslutning::db::audit::Caller;
use tilslutning::db::register_import::{self, ImportPlan};
use tilslutning::db::schema::{agreements, audit_log, institutions, outbox, requests};
use tilslutning::domain::register_file;

use crate::helpers::*;

const UNITS: &str = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;daginstitutionsNavn;InstType3;ejerformKode;admKommuneKode;Email;Adresse\n\
G70001;Vuggestuen Vest;G70000;Klyngen Vest;101;1;147;vest@example.dk;Vestergade 1\n\
G70002;Børnehaven Vest;G70000;Klyngen Vest;102;1;147;;Vestergade 2\n\
G7000X;Stavefejl;G70000;Klyngen Vest;102;1;147;;\n\
G70003;Ukendt kommune;G70000;Klyngen Vest;102;1;999;;\n";

fn plan_for(app: &TestApp, bytes: &[u8], complete_for: Option<&str>) -> ImportPlan {
    app.with_db(|c| {
        let kommuner: Vec<String> = tilslutning::db::register::municipalities(c)
            .expect("m")
            .into_iter()
            .map(|m| m.code)
            .collect();
        let parsed = register_file::parse(bytes, &kommuner);
        register_import::plan(c, parsed, complete_for, tilslutning::db::now().date()).expect("plan")
    })
}

fn import(
    app: &TestApp,
    bytes: &[u8],
    complete_for: Option<&str>,
) -> (ImportPlan, register_import::Applied) {
    let plan = plan_for(app, bytes, complete_for);
    let applied = app.with_db(|c| {
        tilslutning::db::write_tx(c, |c| {
            register_import::apply(c, &Caller::default(), &plan, "test.csv")
        })
        .expect("apply")
    });
    (plan, applied)
}

/// The 98 municipality codes of the reference data.
fn municipality_codes(app: &TestApp) -> Vec<String> {
    app.with_db(|c| {
        tilslutning::db::register::municipalities(c)
            .expect("m")
            .into_iter()
            .map(|m| m.code)
            .collect()
    })
}

fn status_of(app: &TestApp, number: &str) -> String {
    app.with_db(|c| {
        institutions::table
            .find(number)
            .select(institutions::status)
            .first(c)
            .expect("institution")
    })
}

fn register_snapshot(app: &TestApp) -> Vec<(String, String, String, Option<String>)> {
    app.with_db(|c| {
        institutions::table
            .order(institutions::number)
            .select((
                institutions::number,
                institutions::name,
                institutions::status,
                institutions::email,
            ))
            .load(c)
            .expect("rows")
    })
}

#[tokio::test]
async fn importing_the_same_file_twice_in_either_encoding_changes_nothing() {
    let app = spawn_app().await;
    let (plan, applied) = import(&app, UNITS.as_bytes(), None);
    assert_eq!(applied.created, 3, "the klynge and two units");
    assert_eq!(
        plan.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![4, 5],
        "bad rows named by line"
    );
    assert_eq!(status_of(&app, "G70001"), "active");
    let parent: Option<String> = app.with_db(|c| {
        institutions::table
            .find("G70002")
            .select(institutions::parent_number)
            .first(c)
            .expect("row")
    });
    assert_eq!(parent.as_deref(), Some("G70000"));
    let after_first = register_snapshot(&app);
    let audit_after_first = app.count("audit_log");

    let (again, applied) = import(&app, UNITS.as_bytes(), None);
    assert!(again.is_empty() && applied.created + applied.changed + applied.closed == 0);
    let commas = UNITS.replace(';', ",");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&commas);
    let (third, _) = import(&app, &latin1, None);
    assert!(
        third.is_empty(),
        "Windows-1252 with commas reads as the same file: {:?}",
        third.changes
    );
    assert_eq!(register_snapshot(&app), after_first);
    let register_changes: i64 = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::action.like("register.c%"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert_eq!(
        register_changes, 3,
        "only the first import changed anything"
    );
    assert_eq!(
        app.count("audit_log"),
        audit_after_first + 2,
        "the later imports are recorded, but changed nothing"
    );
}

#[tokio::test]
async fn a_dry_run_says_what_a_closure_would_do_and_changes_nothing() {
    let app = spawn_app().await;
    let file = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode;Status;EfterfoelgerNummer\n\
                G10201;Vuggestuen Mælkebøtten;G10200;101;1;101;lukket;G10202\n";
    let before = register_snapshot(&app);
    let plan = plan_for(&app, file.as_bytes(), None);
    assert_eq!(plan.closures.len(), 1);
    assert_eq!(
        plan.closures[0].pending_requests.len(),
        1,
        "the pending Pladsanvisning request would lapse"
    );
    assert_eq!(plan.closures[0].replaced_by.as_deref(), Some("G10202"));
    assert_eq!(register_snapshot(&app), before, "planning changes nothing");
}

#[tokio::test]
async fn a_closure_lapses_requests_ends_agreements_and_tells_both_sides() {
    let app = spawn_app().await;
    let (pending, reference) = app.pending(PLADS_SERVICE, "G10201");
    // G10401 has an agreement for Pladsanvisning; close both units in one file.
    let file = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode;Status;LukketDato;EfterfoelgerNummer\n\
                G10201;Vuggestuen Mælkebøtten;G10200;101;1;101;lukket;2026-08-01;G10204\n\
                G10401;Vuggestuen Skovbrynet;G10400;101;1;101;lukket;;\n";
    let events_before = app.count("outbox");
    let (_, applied) = import(&app, file.as_bytes(), None);
    assert_eq!((applied.closed, applied.lapsed_requests), (2, 1));
    assert!(applied.ended_agreements >= 1);
    assert_eq!(status_of(&app, "G10201"), "closed");
    assert_eq!(app.request_status(&reference), "lapsed");
    let open_at_closed: i64 = app.with_db(|c| {
        agreements::table
            .filter(agreements::institution_number.eq("G10401"))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert_eq!(open_at_closed, 0);
    let topics: Vec<String> = app.with_db(|c| {
        outbox::table
            .order(outbox::created_at)
            .select(outbox::topic)
            .load(c)
            .expect("topics")
    });
    assert!(topics[events_before as usize..].contains(&"request.lapsed".to_string()));
    assert!(topics[events_before as usize..].contains(&"agreement.ended".to_string()));
    assert_eq!(app.audit_actions_for("G10201"), vec!["register.closed"]);
    // The system's reason is stored as a code and its arguments, not a sentence.
    let reason: Option<String> = app.with_db(|c| {
        requests::table
            .find(&pending)
            .select(requests::decision_reason_args)
            .first(c)
            .expect("row")
    });
    assert!(
        reason.unwrap_or_default().contains("G10204"),
        "the lapse names the successor"
    );
    // The supplier is offered the successor, and cannot file at the closed number.
    let supplier = app.login_as(SUPPLIER).await;
    let refused = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10201")
        .await;
    assert!(refused.contains("Brug i stedet G10204"));
    let lapsed = supplier.get(&format!("/requests/{pending}")).await;
    assert!(lapsed.contains("Anmod igen hos G10204"));
    let officer = app.login_as(OFFICER).await;
    assert!(
        !officer
            .get(&format!("/requests/{pending}"))
            .await
            .contains("Anmod igen"),
        "only the supplier is offered it"
    );
    assert_eq!(
        officer
            .post(&format!("/requests/{pending}/rerequest"), &[])
            .await
            .status,
        reqwest::StatusCode::FORBIDDEN
    );
    let again = supplier
        .post(&format!("/requests/{pending}/rerequest"), &[])
        .await;
    assert_eq!(
        again.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        again.body
    );
    let (new_id, _) = app.pending(PLADS_SERVICE, "G10204");
    let scopes =
        app.with_db(|c| tilslutning::db::requests::scope_codes(c, &new_id).expect("scopes"));
    let old_scopes =
        app.with_db(|c| tilslutning::db::requests::scope_codes(c, &pending).expect("scopes"));
    assert_eq!(scopes, old_scopes, "the same scopes, at the successor");
    let twice = supplier
        .post(&format!("/requests/{pending}/rerequest"), &[])
        .await;
    assert_eq!(twice.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.contains("allerede en ventende anmodning"));
}

#[tokio::test]
async fn a_complete_file_closes_what_it_lacks_for_its_levels_only() {
    let app = spawn_app().await;
    // Every active daycare unit and klynge of Hjørring (860) but one.
    let rows: Vec<(String, String, Option<String>, String)> = app.with_db(|c| {
        institutions::table
            .filter(institutions::municipality_code.eq("860"))
            .filter(institutions::status.eq("active"))
            .filter(institutions::level.eq("anvisningsenhed"))
            .filter(institutions::parent_number.is_not_null())
            .order(institutions::number)
            .select((
                institutions::number,
                institutions::name,
                institutions::parent_number,
                institutions::ownership_code,
            ))
            .load(c)
            .expect("rows")
    });
    let (dropped, kept) = rows.split_first().expect("units");
    let mut file = String::from(
        "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode\n",
    );
    for (number, name, parent, ownership) in kept {
        file.push_str(&format!(
            "{number};{name};{};101;{ownership};860\n",
            parent.clone().unwrap_or_default()
        ));
    }
    let plan = plan_for(&app, file.as_bytes(), Some("860"));
    let closing: Vec<&str> = plan.closures.iter().map(|c| c.number.as_str()).collect();
    assert!(closing.contains(&dropped.0.as_str()), "{closing:?}");
    assert!(
        closing
            .iter()
            .all(|n| !n.chars().all(|c| c.is_ascii_digit())),
        "schools are another level and stay: {closing:?}"
    );
    assert!(
        !closing.contains(&"G60100"),
        "klynger are not in a unit file's levels"
    );
    let (_, applied) = import(&app, file.as_bytes(), Some("860"));
    assert!(applied.closed >= 1);
    assert_eq!(status_of(&app, &dropped.0), "closed");
    assert_eq!(status_of(&app, "860001"), "active");
}

#[tokio::test]
async fn closed_numbers_are_never_reopened() {
    let app = spawn_app().await;
    let file = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode;Status\n\
                G10503;Genåbnet;G10500;101;1;101;aktiv\n";
    let plan = plan_for(&app, file.as_bytes(), None);
    assert!(
        plan.errors
            .iter()
            .any(|e| e.line == 2 && e.problem.code() == "closed_number_reused")
    );
    assert!(plan.is_empty());
}

fn upload_form(csrf: &str, file: &str, dry_run: bool) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("complete_for", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("enheder.csv"),
        );
    if dry_run {
        form = form.text("dry_run", "1");
    }
    form
}

#[tokio::test]
async fn operators_upload_a_file_with_a_dry_run_first() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let form_page = operator.get("/operator/register").await;
    assert_eq!(form_page.status, reqwest::StatusCode::OK);
    assert!(form_page.contains("enctype=\"multipart/form-data\""));
    let post = |form| {
        operator
            .client
            .post(format!("{}/operator/register", app.address))
            .multipart(form)
            .send()
    };

    let dry = post(upload_form(&operator.csrf, UNITS, true))
        .await
        .expect("POST");
    assert_eq!(dry.status(), reqwest::StatusCode::OK);
    let body = dry.text().await.expect("body");
    assert!(
        body.contains("Prøvekørsel af enheder.csv – intet er ændret"),
        "{body}"
    );
    assert!(body.contains("Linje 4") && body.contains("Linje 5"));
    assert_eq!(
        app.with_db(|c| institutions::table
            .find("G70001")
            .count()
            .get_result::<i64>(c)
            .expect("count")),
        0
    );

    let real = post(upload_form(&operator.csrf, UNITS, false))
        .await
        .expect("POST");
    assert!(
        real.text()
            .await
            .expect("body")
            .contains("enheder.csv er importeret")
    );
    assert_eq!(status_of(&app, "G70001"), "active");
    let by_operator: Option<String> = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("register.created"))
            .select(audit_log::actor_role)
            .first(c)
            .expect("row")
    });
    assert_eq!(
        by_operator.as_deref(),
        Some("operator"),
        "the import is recorded as the operator's"
    );

    let forged = post(upload_form("not-a-token", UNITS, false))
        .await
        .expect("POST");
    assert_eq!(forged.status(), reqwest::StatusCode::FORBIDDEN);
    let officer = app.login_as(OFFICER).await;
    assert_eq!(
        officer.get("/operator/register").await.status,
        reqwest::StatusCode::FORBIDDEN
    );
    let by_officer = officer
        .client
        .post(format!("{}/operator/register", app.address))
        .multipart(upload_form(&officer.csrf, UNITS, false))
        .send()
        .await
        .expect("POST");
    assert_eq!(by_officer.status(), reqwest::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn systems_import_with_a_bearer_token_and_get_json_back() {
    let token = "a-long-register-import-token-0123456789";
    let app = spawn_app_with(Options {
        import_token: Some(token.into()),
        ..Options::default()
    })
    .await;
    let client = client();
    let url = format!("{}/api/register/import", app.address);
    let body = serde_json::json!({ "csv": UNITS, "dry_run": false });
    let denied = client
        .post(&url)
        .bearer_auth("wrong")
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(denied.status(), reqwest::StatusCode::UNAUTHORIZED);
    let error: serde_json::Value = denied.json().await.expect("json");
    assert_eq!(error["error"]["code"], "unauthorized");
    let ok = client
        .post(&url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(ok.status(), reqwest::StatusCode::OK);
    let result: serde_json::Value = ok.json().await.expect("json");
    assert_eq!(result["created"], 3);
    assert_eq!(result["refused"].as_array().map(Vec::len), Some(2));
    assert!(
        result["refused"][0]["code"].is_string() && result["refused"][0]["message"].is_string(),
        "{result}"
    );
    let again: serde_json::Value = client
        .post(&url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (again["created"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(3))
    );
    let garbage = client
        .post(&url)
        .bearer_auth(token)
        .body("{nope")
        .send()
        .await
        .expect("POST");
    assert_eq!(garbage.status(), reqwest::StatusCode::BAD_REQUEST);

    let disabled = spawn_app().await;
    let off = client
        .post(format!("{}/api/register/import", disabled.address))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(off.status(), reqwest::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_page_shows_who_has_access_without_personal_data() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    let search = anon.get("/aabenhed?q=Skovbrynet").await;
    assert_eq!(search.status, reqwest::StatusCode::OK);
    assert!(search.contains("/aabenhed/G10401"));
    let page = anon.get("/aabenhed/G10401").await;
    assert_eq!(page.status, reqwest::StatusCode::OK);
    assert!(
        page.contains("Børneportalen Pladsanvisning")
            && page.contains("Børneportalen A/S (CVR 12345678)")
    );
    assert!(page.contains("Institutionens stamdata, Indmeldelser og ventelister"));
    for private in ["Karin", "Lene", "Sofie", "@", "Begrundelse"] {
        assert!(!page.contains(private), "no personal data: {private}");
    }
    // Revoked agreements leave the page.
    let officer = app.login_as(OFFICER).await;
    let id: String = app.with_db(|c| {
        agreements::table
            .filter(agreements::institution_number.eq("G10401"))
            .filter(agreements::status.eq("active"))
            .select(agreements::id)
            .first(c)
            .expect("agreement")
    });
    officer
        .post(
            &format!("/agreements/{id}/revoke"),
            &[("confirmed", "yes"), ("reason", "Slut.")],
        )
        .await;
    let after = anon.get("/aabenhed/G10401").await;
    assert!(!after.contains("Børneportalen Pladsanvisning"));
    assert_eq!(
        anon.get("/aabenhed/X").await.status,
        reqwest::StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon.get("/aabenhed/999999").await.status,
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_national_scale_register_imports_once_and_then_changes_nothing() {
    let app = spawn_app().await;
    let codes = municipality_codes(&app);
    let units = tilslutning::sample_register::units_csv(&codes);
    let schools = tilslutning::sample_register::schools_csv(&codes);
    let before = app.count("institutions");
    let (plan, applied) = import(&app, units.as_bytes(), None);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors.first());
    assert_eq!(applied.created, 98 * 26 * 3);
    let (_, applied) = import(&app, schools.as_bytes(), None);
    assert_eq!(applied.created, 1960);
    assert_eq!(app.count("institutions"), before + 98 * 26 * 3 + 1960);
    let (again, _) = import(&app, units.as_bytes(), None);
    assert!(again.is_empty());
    assert_eq!(again.unchanged, 98 * 26 * 3);

    // Every unit renamed, its email left empty: all change in one import, and the empty
    // field keeps the stored address.
    let renamed: String = units
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut fields: Vec<String> = line.split(';').map(str::to_string).collect();
            if i > 0 {
                fields[1] = fields[1].replace("Enhed ", "Afdeling ");
                fields[10].clear();
            }
            fields.join(";") + "\n"
        })
        .collect();
    let (plan, applied) = import(&app, renamed.as_bytes(), None);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors.first());
    assert_eq!(applied.changed, 98 * 26 * 2);
    assert_eq!(applied.created + applied.closed, 0);
    let unit = app
        .with_db(|c| tilslutning::db::register::find(c, "G80001"))
        .expect("query")
        .expect("unit");
    assert!(
        unit.name.starts_with("Afdeling 0 i Klynge 0"),
        "{}",
        unit.name
    );
    assert_eq!(unit.email.as_deref(), Some("g80001@dagtilbud.example.dk"));
    assert_eq!(unit.parent_number.as_deref(), Some("G80000"));
    assert!(unit.is_active());
    let change_rows: i64 = app.with_db(|c| {
        tilslutning::db::schema::audit_log::table
            .filter(tilslutning::db::schema::audit_log::action.eq("register.changed"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert_eq!(change_rows, 98 * 26 * 2, "one audit row per change");
}

#[tokio::test]
async fn an_a_number_agreement_moves_to_its_g_number_in_one_step() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let report = operator.get("/operator/a-numbers").await;
    assert_eq!(report.status, reqwest::StatusCode::OK);
    assert!(
        report.contains("København (101) – 1")
            && report.contains("A10101")
            && report.contains("G10101")
    );
    let legacy: String = app.with_db(|c| {
        agreements::table
            .filter(agreements::institution_number.eq("A10101"))
            .filter(agreements::status.eq("active"))
            .select(agreements::id)
            .first(c)
            .expect("legacy agreement")
    });
    let supplier = app.login_as(OTHER_SUPPLIER).await;
    assert!(
        !supplier
            .get(&format!("/agreements/{legacy}"))
            .await
            .contains("Flyt til")
    );
    assert_eq!(
        supplier
            .post(&format!("/agreements/{legacy}/move"), &[])
            .await
            .status,
        reqwest::StatusCode::FORBIDDEN
    );
    let officer = app.login_as(OFFICER).await;
    assert!(
        officer
            .get(&format!("/agreements/{legacy}"))
            .await
            .contains("Flyt til G10101")
    );
    let moved = officer
        .post(&format!("/agreements/{legacy}/move"), &[])
        .await;
    assert_eq!(
        moved.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        moved.body
    );
    let new_id = moved
        .location
        .expect("redirect")
        .trim_start_matches("/agreements/")
        .split('?')
        .next()
        .expect("id")
        .to_string();
    let (number, status): (String, String) = app.with_db(|c| {
        agreements::table
            .find(&new_id)
            .select((agreements::institution_number, agreements::status))
            .first(c)
            .expect("new")
    });
    assert_eq!((number.as_str(), status.as_str()), ("G10101", "active"));
    let old: String = app.with_db(|c| {
        agreements::table
            .find(&legacy)
            .select(agreements::status)
            .first(c)
            .expect("old")
    });
    assert_eq!(old, "ended");
    assert_eq!(
        app.audit_actions_for(&legacy).last().map(String::as_str),
        Some("agreement.moved")
    );
    assert_eq!(app.audit_actions_for(&new_id), vec!["agreement.moved"]);
    let topics: Vec<String> =
        app.with_db(|c| outbox::table.select(outbox::topic).load(c).expect("topics"));
    assert!(
        topics.contains(&"agreement.moved".to_string()),
        "the supplier is told"
    );
    assert!(!operator.get("/operator/a-numbers").await.contains("A10101"));
    let again = officer
        .post(&format!("/agreements/{legacy}/move"), &[])
        .await;
    assert_eq!(again.status, reqwest::StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_unit_moved_to_another_klynge_keeps_its_agreements() {
    let app = spawn_app().await;
    let open = |app: &TestApp| -> i64 {
        app.with_db(|c| {
            agreements::table
                .filter(agreements::institution_number.eq("G10401"))
                .filter(agreements::status.eq("active"))
                .count()
                .get_result(c)
                .expect("count")
        })
    };
    let before = open(&app);
    assert!(before > 0);
    let file = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode\nG10401;Vuggestuen Skovbrynet;G10300;101;1;101\n";
    let (plan, applied) = import(&app, file.as_bytes(), None);
    assert!(
        plan.changes[0]
            .1
            .iter()
            .any(|c| c.field == "parent_number" && c.after.as_deref() == Some("G10300"))
    );
    assert_eq!(applied.changed, 1);
    let parent: Option<String> = app.with_db(|c| {
        institutions::table
            .find("G10401")
            .select(institutions::parent_number)
            .first(c)
            .expect("row")
    });
    assert_eq!(parent.as_deref(), Some("G10300"));
    assert_eq!(open(&app), before, "agreements stay with the unit");
}

/// Runs `tilslutning import-register` (the real binary) against the app's database.
fn import_command(app: &TestApp, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tilslutning"))
        .arg("import-register")
        .arg(file)
        .args(extra)
        .env("TILSLUTNING_DATABASE_URL", &app.settings.database_url)
        .env("TILSLUTNING_DATA_DIR", &app.settings.data_dir)
        .output()
        .expect("runs")
}

#[tokio::test]
async fn the_command_line_refuses_what_the_page_and_the_api_refuse_and_changes_nothing() {
    let token = "a-long-register-import-token-0123456789";
    let app = spawn_app_with(Options {
        import_token: Some(token.into()),
        ..Options::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, content: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        path
    };
    let units = write("enheder.csv", UNITS.as_bytes());
    let empty = write("tom.csv", b"");
    let header_only = write(
        "kun-overskrift.csv",
        UNITS.lines().next().unwrap_or("").as_bytes(),
    );
    let not_a_register = write("noget-andet.csv", b"navn;alder\nAnna;7\n");
    let huge = write(
        "stor.csv",
        &vec![b'x'; tilslutning::app::register::MAX_FILE_BYTES + 1],
    );
    let before = (register_snapshot(&app), app.count("audit_log"));

    let cases: [(&std::path::Path, &[&str], &str); 5] = [
        (
            &units,
            &["--complete-for", "999"],
            "not one of the register's municipality codes",
        ),
        (&empty, &[], "is empty"),
        (&huge, &[], "larger than 50 MB"),
        (&header_only, &[], "nothing in"),
        (&not_a_register, &[], "nothing in"),
    ];
    for (file, args, says) in cases {
        let run = import_command(&app, file, args);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{file:?} {args:?} exits non-zero");
        assert!(
            err.contains(says) && err.contains("nothing was changed"),
            "{file:?}: {err}"
        );
        assert_eq!(
            (register_snapshot(&app), app.count("audit_log")),
            before,
            "{file:?} {args:?} changed nothing"
        );
    }

    // The page and the API refuse «999» through the same use case.
    let operator = app.login_as(OPERATOR).await;
    let form = upload_form(&operator.csrf, UNITS, false).text("complete_for", "999");
    let page = operator
        .client
        .post(format!("{}/operator/register", app.address))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(page.status(), reqwest::StatusCode::BAD_REQUEST);
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("«999» er ikke en kommunekode.")
    );
    let api = client()
        .post(format!("{}/api/register/import", app.address))
        .bearer_auth(token)
        .json(&serde_json::json!({ "csv": UNITS, "complete_for": "999" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(api.status(), reqwest::StatusCode::BAD_REQUEST);
    let error: serde_json::Value = api.json().await.expect("json");
    assert_eq!(error["error"]["code"], "unknown_municipality");
    let logins = app.count("audit_log") - before.1;
    assert_eq!(register_snapshot(&app), before.0);

    // A good file: a dry run changes nothing, the real run imports, both exit 0.
    let dry = import_command(&app, &units, &["--complete-for", "147", "--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("Dry run: nothing was changed."));
    assert_eq!(register_snapshot(&app), before.0);
    let real = import_command(&app, &units, &["--complete-for", "147"]);
    assert!(
        real.status.success(),
        "{}",
        String::from_utf8_lossy(&real.stderr)
    );
    let out = String::from_utf8_lossy(&real.stdout);
    assert!(
        out.contains("line 4:") && out.contains("Applied: 3 created"),
        "{out}"
    );
    assert_eq!(status_of(&app, "G70001"), "active");
    assert!(app.count("audit_log") > before.1 + logins);
}

#[tokio::test]
async fn an_overlong_api_body_gets_the_json_error_with_a_stable_code() {
    let token = "a-long-register-import-token-0123456789";
    let app = spawn_app_with(Options {
        import_token: Some(token.into()),
        ..Options::default()
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_string();
    // A client announcing a 200 MB body: answered before it is sent.
    let raw = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "POST /api/register/import HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\n{{\"csv\": \""
        )
        .expect("write");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("raw request");
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(
        raw.to_lowercase()
            .contains("content-type: application/json"),
        "{raw}"
    );
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or_default();
    let error: serde_json::Value = serde_json::from_str(body).expect("a JSON error");
    assert_eq!(error["error"]["code"], "too_large", "{body}");

    // A csv over the file limit inside a body under the body limit: the same code.
    let csv = "x".repeat(tilslutning::app::register::MAX_FILE_BYTES + 1);
    let response = client()
        .post(format!("{}/api/register/import", app.address))
        .bearer_auth(token)
        .json(&serde_json::json!({ "csv": csv }))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    let error: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error["error"]["code"], "too_large");
}

/// A national supplier files for every daycare unit and school of the generated national
/// register in one step (7,056 numbers): one request and one audit row each, one outbox
/// event for the filing, and the audit chain still verifies.
#[tokio::test]
async fn a_national_filing_files_every_number_in_one_step() {
    let app = spawn_app().await;
    let codes = municipality_codes(&app);
    import(
        &app,
        tilslutning::sample_register::units_csv(&codes).as_bytes(),
        None,
    );
    import(
        &app,
        tilslutning::sample_register::schools_csv(&codes).as_bytes(),
        None,
    );
    let numbers: Vec<String> = app.with_db(|c| {
        institutions::table
            .filter(institutions::status.eq("active"))
            .filter(institutions::level.ne("daginstitution"))
            .filter(
                institutions::number.ge("G80000").or(institutions::number
                    .ge("200000")
                    .and(institutions::number.lt("300000"))),
            )
            .select(institutions::number)
            .load(c)
            .expect("numbers")
    });
    assert_eq!(numbers.len(), 98 * 26 * 2 + 1960, "every unit and school");
    let supplier = app.login_as(SUPPLIER).await;
    let (requests_before, audit_before, outbox_before) = (
        app.count("requests"),
        app.count("audit_log"),
        app.count("outbox"),
    );
    let started = std::time::Instant::now();
    let filed = app
        .file(&supplier, APP_SERVICE, &["STAMDATA"], &numbers.join("\n"))
        .await;
    let took = started.elapsed();
    assert_eq!(
        filed.status,
        reqwest::StatusCode::SEE_OTHER,
        "{:.2000}",
        filed.body
    );
    eprintln!(
        "a national filing of {} numbers took {took:?} (debug build)",
        numbers.len()
    );
    assert_eq!(
        app.count("requests"),
        requests_before + numbers.len() as i64
    );
    assert_eq!(app.count("audit_log"), audit_before + numbers.len() as i64);
    assert_eq!(
        app.count("outbox"),
        outbox_before + 1,
        "one event for the filing"
    );
    let verified = app.with_db(|c| tilslutning::db::audit::verify(c).expect("verify"));
    assert!(verified.is_ok(), "{verified:?}");

    // The filing's page pages through it by keyset.
    let page = supplier
        .get(filed.location.as_deref().expect("location"))
        .await;
    assert!(
        page.contains("25 anmodninger på denne side – der er flere"),
        "{:.3000}",
        page.body
    );
}

/// A bulk approval of 1,000 requests is decided set-based and leaves exactly what
/// deciding them one by one leaves: each request approved with its scopes granted, one
/// agreement each, a request and an agreement audit row each in a chain that verifies,
/// and one outbox event each for the supplier's receipt.
#[tokio::test]
async fn a_bulk_approval_of_a_thousand_requests_leaves_what_one_by_one_would() {
    use tilslutning::db::schema::{agreements, outbox, request_scopes, requests};
    let app = spawn_app().await;
    let codes = municipality_codes(&app);
    import(
        &app,
        tilslutning::sample_register::units_csv(&codes).as_bytes(),
        None,
    );
    let numbers: Vec<String> = app.with_db(|c| {
        institutions::table
            .filter(institutions::level.eq("anvisningsenhed"))
            .filter(institutions::ownership_code.eq("1"))
            .filter(institutions::number.ge("G80000"))
            .order(institutions::number)
            .limit(1000)
            .select(institutions::number)
            .load(c)
            .expect("numbers")
    });
    assert_eq!(numbers.len(), 1000);
    // An officer of every municipality decides them all.
    let officer_everywhere: Vec<_> = codes
        .iter()
        .map(|code| {
            tilslutning::domain::RoleAssignment::municipal(
                tilslutning::domain::Role::MunicipalOfficer,
                code,
            )
        })
        .collect();
    app.person(
        "landsdaekkende@example.org",
        "Lis Land",
        &officer_everywhere,
    );
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(
            &supplier,
            APP_SERVICE,
            &["STAMDATA", "GRUPPER"],
            &numbers.join("\n"),
        )
        .await;
    assert_eq!(filed.status, reqwest::StatusCode::SEE_OTHER);
    let officer = app.login_as("landsdaekkende@example.org").await;
    let (audit_before, outbox_before, agreements_before) = (
        app.count("audit_log"),
        app.count("outbox"),
        app.count("agreements"),
    );
    let ids: Vec<String> = app.with_db(|c| {
        requests::table
            .filter(requests::institution_number.eq_any(&numbers))
            .filter(requests::status.eq("pending"))
            .select(requests::id)
            .load(c)
            .expect("ids")
    });
    assert_eq!(ids.len(), 1000);
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).collect();
    fields.push(("decision", "approve"));
    fields.push(("reason", "Godkendt samlet."));
    fields.push(("confirmed", "yes"));
    let started = std::time::Instant::now();
    let page = officer.post("/inbox/decide", &fields).await;
    eprintln!(
        "a bulk approval of 1,000 requests took {:?} (debug build)",
        started.elapsed()
    );
    assert_eq!(
        page.status,
        reqwest::StatusCode::SEE_OTHER,
        "{:.2000}",
        page.body
    );
    assert!(
        page.location
            .unwrap_or_default()
            .contains("done=1000&skipped=0")
    );
    let (approved, granted): (i64, i64) = app.with_db(|c| {
        (
            requests::table
                .filter(requests::id.eq_any(&ids))
                .filter(requests::status.eq("approved"))
                .filter(requests::decision_reason.eq("Godkendt samlet."))
                .count()
                .get_result(c)
                .expect("approved"),
            request_scopes::table
                .filter(request_scopes::request_id.eq_any(&ids))
                .filter(request_scopes::granted.eq(true))
                .count()
                .get_result(c)
                .expect("granted"),
        )
    });
    assert_eq!((approved, granted), (1000, 2000));
    assert_eq!(app.count("agreements"), agreements_before + 1000);
    assert!(app.count("agreement_scopes") >= 2000);
    let with_agreement: i64 = app.with_db(|c| {
        agreements::table
            .filter(agreements::request_id.eq_any(&ids))
            .filter(agreements::status.eq("active"))
            .count()
            .get_result(c)
            .expect("agreements")
    });
    assert_eq!(with_agreement, 1000);
    assert_eq!(app.count("audit_log"), audit_before + 2000);
    let events: i64 = app.with_db(|c| {
        outbox::table
            .filter(outbox::topic.eq("request.decided"))
            .count()
            .get_result(c)
            .expect("events")
    });
    assert!(events >= 1000);
    assert!(app.count("outbox") >= outbox_before + 1000);
    let verified = app.with_db(|c| tilslutning::db::audit::verify(c).expect("verify"));
    assert!(verified.is_ok(), "{verified:?}");
    // Deciding them again finds nothing pending.
    let again = officer.post("/inbox/decide", &fields).await;
    assert!(
        again
            .location
            .unwrap_or_default()
            .contains("done=0&skipped=1000")
    );
}

#[tokio::test]
async fn requests_and_agreements_follow_their_institution_to_another_klynge_and_municipality() {
    use tilslutning::db::schema::requests;
    let app = spawn_app().await;
    let copies = |app: &TestApp| -> Vec<(Option<String>, Option<String>)> {
        app.with_db(|c| {
            requests::table
                .filter(requests::institution_number.eq("G10401"))
                .select((requests::municipality_code, requests::klynge_number))
                .load(c)
                .expect("requests")
        })
    };
    let before = copies(&app);
    assert!(!before.is_empty(), "the demo files requests for G10401");
    assert!(
        before.iter().all(|(m, _)| m.as_deref() == Some("101")),
        "{before:?}"
    );
    let file = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode\nG10401;Vuggestuen Skovbrynet;G10300;101;1;101\n";
    let (_, applied) = import(&app, file.as_bytes(), None);
    assert_eq!(applied.changed, 1);
    assert!(
        copies(&app)
            .iter()
            .all(|(_, k)| k.as_deref() == Some("G10300")),
        "{:?}",
        copies(&app)
    );
    app.with_db(|c| {
        diesel::update(institutions::table.find("G10401"))
            .set(institutions::municipality_code.eq("147"))
            .execute(c)
            .expect("move")
    });
    assert!(
        copies(&app)
            .iter()
            .all(|(m, _)| m.as_deref() == Some("147"))
    );
    let agreement_municipalities: Vec<Option<String>> = app.with_db(|c| {
        agreements::table
            .filter(agreements::institution_number.eq("G10401"))
            .select(agreements::municipality_code)
            .load(c)
            .expect("agreements")
    });
    assert!(!agreement_municipalities.is_empty());
    assert!(
        agreement_municipalities
            .iter()
            .all(|m| m.as_deref() == Some("147"))
    );
}

#[tokio::test]
async fn the_sweep_fills_the_copies_a_bulk_load_left_empty() {
    use tilslutning::db::mail::jobs;
    let app = spawn_app().await;
    let expected: Vec<(String, Option<String>, Option<String>)> = app.with_db(|c| {
        requests::table
            .order(requests::id)
            .select((
                requests::id,
                requests::municipality_code,
                requests::klynge_number,
            ))
            .load(c)
            .expect("requests")
    });
    assert!(expected.len() > 3, "the demo files requests");
    let agreements_before: Vec<(String, Option<String>)> = app.with_db(|c| {
        agreements::table
            .order(agreements::id)
            .select((agreements::id, agreements::municipality_code))
            .load(c)
            .expect("agreements")
    });
    assert!(!agreements_before.is_empty(), "the demo has agreements");
    app.with_db(|c| {
        diesel::update(requests::table)
            .set((
                requests::municipality_code.eq(None::<String>),
                requests::klynge_number.eq(None::<String>),
            ))
            .execute(c)
            .expect("empty request copies");
        diesel::update(agreements::table)
            .set(agreements::municipality_code.eq(None::<String>))
            .execute(c)
            .expect("empty agreement copies");
    });
    // Two rows of each kind per batch: the sweep must come back until nothing is missing.
    let mut rounds = 0;
    while app.with_db(|c| jobs::fill_municipality_copies(c, 2).expect("sweep")) > 0 {
        rounds += 1;
        assert!(rounds < 1000, "the sweep never finishes");
    }
    assert!(
        rounds >= expected.len() / 2,
        "batches are bounded: {rounds} rounds"
    );
    let after: Vec<(String, Option<String>, Option<String>)> = app.with_db(|c| {
        requests::table
            .order(requests::id)
            .select((
                requests::id,
                requests::municipality_code,
                requests::klynge_number,
            ))
            .load(c)
            .expect("requests")
    });
    assert_eq!(after, expected);
    let agreements_after: Vec<(String, Option<String>)> = app.with_db(|c| {
        agreements::table
            .order(agreements::id)
            .select((agreements::id, agreements::municipality_code))
            .load(c)
            .expect("agreements")
    });
    assert_eq!(agreements_after, agreements_before);
}

/// Saves English as the session's language (the switch a signed-in person uses).
async fn in_english(session: &Session) {
    let saved = session.post("/language", &[("language", "en")]).await;
    assert_eq!(
        saved.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        saved.body
    );
}

/// Renames G10401 and makes it a kindergarten.
const CHANGE: &str = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode\nG10401;Vuggestuen Skovbrynet Nord;G10300;102;1;101\n";

async fn upload(
    app: &TestApp,
    operator: &Session,
    form: reqwest::multipart::Form,
) -> (reqwest::StatusCode, String) {
    let response = operator
        .client
        .post(format!("{}/operator/register", app.address))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn the_register_pages_and_the_import_read_in_english() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    in_english(&operator).await;

    let list = operator.get("/institutions?municipality=101").await;
    for english in [
        "Institution register",
        "All municipalities",
        "Include closed institutions",
        "Placement unit",
        "København (101)",
        ">Active<",
        "Ownership",
    ] {
        assert!(list.contains(english), "{english}: {}", list.body);
    }
    for danish in [
        "Alle kommuner",
        "Vis også lukkede",
        ">Aktiv<",
        "Anvisningsenhed",
        "Ejerform",
    ] {
        assert!(!list.contains(danish), "Danish left: {danish}");
    }
    assert!(!list.contains("⟦"));
    let refused = operator.get("/institutions?municipality=12").await;
    assert!(
        refused.contains("<title>Error: Institutions")
            && refused.contains("The municipality code must be three digits.")
            && refused.contains(r#"aria-invalid="true" aria-describedby="filter-error""#),
        "{}",
        refused.body
    );

    let detail = operator.get("/institutions/G10401").await;
    for english in [
        "Level",
        "Institution type",
        "Municipality",
        "Daycare institution (cluster)",
        "← Institutions",
    ] {
        assert!(detail.contains(english), "{english}: {}", detail.body);
    }
    assert!(!detail.contains("Niveau") && !detail.contains("⟦"));

    let form = operator.get("/operator/register").await;
    assert!(
        form.contains("Import of the institution register")
            && form.contains("Dry run: show what would happen")
    );
    assert!(!form.contains("Prøvekørsel") && !form.contains("⟦"));

    let (status, dry) = upload(&app, &operator, upload_form(&operator.csrf, UNITS, true)).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(
        dry.contains("Dry run of enheder.csv – nothing has been changed")
            && dry.contains("Refused lines")
            && dry.contains("Line 4: EnhedsNummer «G7000X»")
            && dry.contains("Line 5: admKommuneKode «999» is not a Danish municipality code."),
        "{dry}"
    );
    assert!(!dry.contains("Linje") && !dry.contains("Afviste") && !dry.contains("⟦"));

    let change = reqwest::multipart::Form::new()
        .text("csrf", operator.csrf.clone())
        .text("dry_run", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(CHANGE.as_bytes().to_vec()).file_name("g10401.csv"),
        );
    let (_, changed) = upload(&app, &operator, change).await;
    assert!(
        changed.contains("Name: Vuggestuen Skovbrynet → Vuggestuen Skovbrynet Nord")
            && changed.contains("Institution type: 101 – Nursery → 102 – Kindergarten"),
        "the changes in words, not field keys: {changed}"
    );
    assert!(!changed.contains("inst_type_code"));

    let empty = reqwest::multipart::Form::new()
        .text("csrf", operator.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(Vec::new()).file_name("tom.csv"),
        );
    let (status, refused) = upload(&app, &operator, empty).await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("<title>Error: Import of the institution register")
            && refused.contains(r##"<a href="#file">Choose a file to import.</a>"##)
            && refused.contains(r#"aria-invalid="true" aria-describedby="file-error""#)
            && !refused.contains("⟦"),
        "{refused}"
    );
    let unknown = upload_form(&operator.csrf, UNITS, false).text("complete_for", "999");
    let (status, refused) = upload(&app, &operator, unknown).await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);
    assert!(
        refused.contains(r##"<a href="#complete_for">«999» is not a municipality code.</a>"##),
        "{refused}"
    );

    let report = operator.get("/operator/a-numbers").await;
    assert!(
        report.contains("Agreements on A-numbers")
            && report.contains("København (101) – 1 agreement")
            && report.contains("1 agreement in all.")
            && report.contains("Replaced by"),
        "{}",
        report.body
    );
    assert!(!report.contains("i alt") && !report.contains("⟦"));
}

#[tokio::test]
async fn the_import_says_its_changes_in_danish_by_default() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let change = reqwest::multipart::Form::new()
        .text("csrf", operator.csrf.clone())
        .text("dry_run", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(CHANGE.as_bytes().to_vec()).file_name("g10401.csv"),
        );
    let (_, changed) = upload(&app, &operator, change).await;
    assert!(
        changed.contains("Prøvekørsel af g10401.csv – intet er ændret")
            && changed.contains("Navn: Vuggestuen Skovbrynet → Vuggestuen Skovbrynet Nord")
            && changed.contains("Institutionstype: 101 – Vuggestue → 102 – Børnehave"),
        "{changed}"
    );
    let report = operator.get("/operator/a-numbers").await;
    assert!(report.contains("København (101) – 1 aftale") && report.contains("1 aftale i alt."));
    let list = operator.get("/institutions?municipality=101").await;
    assert!(list.contains("Alle kommuner") && list.contains(">Aktiv<") && !list.contains("⟦"));
}
