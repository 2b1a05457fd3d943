//! Filing requests through the form: klynge expansion, per-line refusals with the rest
//! kept, A-numbers, duplicates, scopes already covered, extensions, withdraw.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{request_scopes, requests};

use crate::helpers::*;

#[tokio::test]
async fn a_klynge_number_files_one_request_per_active_unit() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let (before, outbox_before) = (app.count("requests"), app.count("outbox"));
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10300")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.expect("redirect to the batch");
    assert!(location.starts_with("/requests?batch="));
    assert_eq!(
        app.count("requests"),
        before + 3,
        "G10304 is closed, so three units"
    );
    assert_eq!(
        app.count("outbox"),
        outbox_before + 1,
        "one outbox row for the whole batch"
    );
    let list = supplier.get(&location).await;
    assert!(list.contains("Anmodningen er sendt"));
    for unit in ["G10301", "G10302", "G10303"] {
        assert!(list.contains(unit), "{unit} listed");
        let (id, _) = app.pending(PLADS_SERVICE, unit);
        assert_eq!(app.audit_actions_for(&id), vec!["request.filed"]);
    }
    assert!(!list.contains("G10304"));
}

#[tokio::test]
async fn every_bad_line_is_explained_and_nothing_is_filed_or_lost() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let before = app.count("requests");
    let page = app
        .file(
            &supplier,
            PLADS_SERVICE,
            &["STAMDATA"],
            "G10302\nX12\n999999\nG10503\nA10101",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Linje 2"), "bad format");
    assert!(page.contains("Linje 3") && page.contains("findes ikke i institutionsregisteret"));
    assert!(page.contains("Linje 4") && page.contains("er lukket"));
    assert!(
        page.contains("Linje 5") && page.contains("Brug G-nummeret G10101"),
        "A-number names its G-number"
    );
    assert!(
        page.contains("G10302\nX12\n999999"),
        "the pasted list is kept"
    );
    assert!(page.contains("Test af dataadgang"), "the purpose is kept");
    assert!(
        page.contains("value=\"STAMDATA\" checked"),
        "the chosen scope stays chosen"
    );
    assert_eq!(app.count("requests"), before);
}

#[tokio::test]
async fn a_closed_number_names_its_successor() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10304")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Brug i stedet G10401"));
}

#[tokio::test]
async fn a_numbers_are_accepted_until_the_configured_cutoff() {
    let app = spawn_app_with(Options {
        a_number_cutoff: time::Date::from_calendar_date(2100, time::Month::January, 1).ok(),
        ..Options::default()
    })
    .await;
    let supplier = app.login_as(SUPPLIER).await;
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "A10102")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.pending(PLADS_SERVICE, "A10102");
}

#[tokio::test]
async fn a_second_pending_request_for_the_same_service_and_institution_is_refused() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let (_, reference) = app.pending(PLADS_SERVICE, "G10201");
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10201")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("allerede en ventende anmodning"));
    assert!(
        page.contains(&reference),
        "names the pending request {reference}"
    );
}

#[tokio::test]
async fn scopes_an_agreement_covers_are_refused_and_new_ones_extend_it() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let covered = app
        .file(
            &supplier,
            PLADS_SERVICE,
            &["STAMDATA", "INDMELDELSER"],
            "G10401",
        )
        .await;
    assert_eq!(covered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(covered.contains("dækker allerede alle de valgte dataadgange"));

    let extension = app
        .file(
            &supplier,
            PLADS_SERVICE,
            &["STAMDATA", "OEKONOMI"],
            "G10401",
        )
        .await;
    assert_eq!(
        extension.status,
        StatusCode::SEE_OTHER,
        "{}",
        extension.body
    );
    let (id, _) = app.pending(PLADS_SERVICE, "G10401");
    let (kind, scopes): (String, Vec<String>) = app.with_db(|c| {
        let kind = requests::table
            .find(&id)
            .select(requests::kind)
            .first(c)
            .expect("request");
        let scopes = request_scopes::table
            .filter(request_scopes::request_id.eq(&id))
            .select(request_scopes::scope_code)
            .load(c)
            .expect("scopes");
        (kind, scopes)
    });
    assert_eq!(kind, "extension");
    assert_eq!(
        scopes,
        vec!["OEKONOMI".to_string()],
        "only the scope not yet covered"
    );
}

#[tokio::test]
async fn sensitive_scopes_need_a_written_reason() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let start = tilslutning::domain::request_form::format_date(tilslutning::db::now().date());
    let page = supplier
        .post(
            "/requests",
            &[
                ("service_id", PLADS_SERVICE),
                ("scopes", "CPR"),
                ("purpose", "Match af børn"),
                ("wished_start", &start),
                ("institutions", "G10302"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Følsomme dataadgange kræver en skriftlig begrundelse."));
}

#[tokio::test]
async fn an_empty_form_says_what_is_missing() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let page = supplier
        .post("/requests", &[("service_id", PLADS_SERVICE)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Vælg mindst én dataadgang.",
        "Beskriv formålet med dataadgangen.",
        "Angiv den ønskede startdato.",
        "Angiv mindst ét institutionsnummer.",
    ] {
        assert!(page.contains(message), "{message}");
    }
}

#[tokio::test]
async fn a_supplier_cannot_file_for_another_suppliers_service() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let before = app.count("requests");
    let forged = app
        .file(&supplier, LEARNING_SERVICE, &["STAMDATA"], "G10302")
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = app
        .file(&supplier, "no-such-service", &["STAMDATA"], "G10302")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.contains("Tjenesten findes ikke"));
    assert_eq!(app.count("requests"), before);
}

#[tokio::test]
async fn the_supplier_withdraws_a_pending_request_once() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let (id, reference) = app.pending(APP_SERVICE, "101001");
    let page = supplier
        .post(&format!("/requests/{id}/withdraw"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.request_status(&reference), "withdrawn");
    let again = supplier
        .post(&format!("/requests/{id}/withdraw"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.contains("allerede afgjort"));
    let detail = supplier.get(&format!("/requests/{id}")).await;
    assert!(detail.contains("Trukket tilbage"));
    assert_eq!(
        app.audit_actions_for(&id),
        vec!["request.filed", "request.withdrawn"]
    );
}

#[tokio::test]
async fn the_request_list_filters_by_status_and_pages() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let many: String = [1, 2, 4, 6, 7]
        .iter()
        .flat_map(|k| (1..=4).map(move |u| format!("G2{k:02}{u:02}\n")))
        .collect();
    let filed = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], &many)
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let pending = supplier.get("/requests?status=pending").await;
    assert!(
        pending.contains("25 anmodninger på denne side – der er flere"),
        "more than 25 pending requests span two pages: {}",
        pending.body
    );
    assert!(!pending.contains("status status-approved"));
    let next = pending.body[pending.body.find("rel=\"next\"").map(|_| 0).unwrap_or(0)..]
        .split("href=\"")
        .find_map(|part| {
            part.strip_prefix("/requests?")
                .and_then(|rest| rest.split('"').next())
        })
        .filter(|q| q.contains("after="))
        .expect("a next-page link")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let second = supplier.get(&format!("/requests?{next}")).await;
    assert!(second.contains("Første side"), "{}", second.body);
    assert!(
        !second.contains("rel=\"next\""),
        "the second page is the last"
    );
    let refs = |html: &str| -> Vec<String> {
        html.split("href=\"/requests/")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .filter(|id| !id.contains('?') && *id != "new")
            .map(str::to_string)
            .collect()
    };
    let (one, two) = (refs(&pending.body), refs(&second.body));
    assert_eq!(one.len(), 25);
    assert!(
        !two.is_empty() && two.iter().all(|id| !one.contains(id)),
        "no row on both pages"
    );
    let approved = supplier.get("/requests?status=approved").await;
    assert!(
        approved.contains("status status-approved") && !approved.contains("status status-pending")
    );
}
