//! Retiring a scope of the catalogue and taking that back, on the operators' page and
//! through the API: a retired scope is not offered on the filing form and a filing that
//! names it is refused in the reader's words with what was typed kept, while the
//! agreements that name it show it as before. Each change is one audit row.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::{agreement_scopes, agreements, scopes};

use crate::api_client::{Machine, make_token};
use crate::helpers::*;

/// An active agreement and one of its scopes: (agreement id, scope code, Danish name).
fn agreement_with_scope(app: &TestApp) -> (String, String, String) {
    app.with_db(|c| {
        agreements::table
            .inner_join(agreement_scopes::table.inner_join(scopes::table))
            .filter(agreements::status.eq("active"))
            .filter(scopes::sensitive.eq(false))
            .select((agreements::id, scopes::code, scopes::name_da))
            .order((agreements::id, scopes::code))
            .first(c)
            .expect("a demo agreement with a scope")
    })
}

fn retired_at(app: &TestApp, code: &str) -> Option<time::PrimitiveDateTime> {
    app.with_db(|c| {
        scopes::table
            .find(code)
            .select(scopes::retired_at)
            .first(c)
            .expect("scope")
    })
}

fn offered_on_form(page: &Page, code: &str) -> bool {
    page.contains(&format!("name=\"scopes\" value=\"{code}\""))
}

#[tokio::test]
async fn an_operator_retires_a_scope_on_the_page_and_filing_it_is_refused() {
    let app = spawn_app().await;
    let (agreement, code, name) = agreement_with_scope(&app);
    let supplier = app.login_as(SUPPLIER).await;
    assert!(offered_on_form(&supplier.get("/requests/new").await, &code));
    let agreement_before = supplier.get(&format!("/agreements/{agreement}")).await;
    assert!(agreement_before.contains(&name));

    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/scopes").await;
    assert!(list.contains(&format!("Udfas {code}")), "{}", list.body);
    // Without the CSRF token nothing happens.
    let forged = operator
        .post_raw(&format!("/operator/scopes/{code}/retire"), &[])
        .await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    assert!(retired_at(&app, &code).is_none());
    let retired = operator
        .post(&format!("/operator/scopes/{code}/retire"), &[])
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER);
    assert_eq!(
        retired.location.as_deref(),
        Some("/operator/scopes?notice=scope-retired")
    );
    assert!(retired_at(&app, &code).is_some());
    assert_eq!(app.audit_actions_for(&code), ["scope.retired"]);
    let list = operator.get("/operator/scopes?notice=scope-retired").await;
    assert!(list.contains("Dataadgangen er udfaset"), "{}", list.body);
    assert!(list.contains(&format!("Tilbyd {code} igen")));
    // Twice: nothing changes, and it says so.
    let again = operator
        .post(&format!("/operator/scopes/{code}/retire"), &[])
        .await;
    assert_eq!(
        again.location.as_deref(),
        Some("/operator/scopes?notice=scope-unchanged")
    );
    assert_eq!(app.audit_actions_for(&code), ["scope.retired"]);
    // Not an operator: refused, nothing changes.
    assert_eq!(
        supplier
            .post(&format!("/operator/scopes/{code}/reinstate"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(retired_at(&app, &code).is_some());

    // The form no longer offers it; filing it anyway is refused, what was typed kept.
    let form = supplier.get("/requests/new").await;
    assert!(!offered_on_form(&form, &code), "{}", form.body);
    let start = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(7),
    );
    let refused = supplier
        .post(
            "/requests",
            &[
                ("service_id", PLADS_SERVICE),
                ("scopes", code.as_str()),
                ("purpose", "Formål der bevares"),
                ("wished_start", &start),
                ("institutions", "G10302"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("En af de valgte dataadgange er udfaset"),
        "{}",
        refused.body
    );
    assert!(refused.contains("Formål der bevares"));
    assert!(refused.contains("G10302"));
    let requests_before = app.count("requests");

    // The agreement that names it shows it as before.
    let agreement_after = supplier.get(&format!("/agreements/{agreement}")).await;
    assert_eq!(agreement_after.status, StatusCode::OK);
    assert!(agreement_after.contains(&name), "{}", agreement_after.body);
    let officer = app.login_as(OFFICER).await;
    let seen = officer.get(&format!("/agreements/{agreement}")).await;
    assert!(seen.contains(&name));

    // Taken back: offered again.
    let reinstated = operator
        .post(&format!("/operator/scopes/{code}/reinstate"), &[])
        .await;
    assert_eq!(
        reinstated.location.as_deref(),
        Some("/operator/scopes?notice=scope-reinstated")
    );
    assert!(retired_at(&app, &code).is_none());
    assert_eq!(
        app.audit_actions_for(&code),
        ["scope.retired", "scope.reinstated"]
    );
    assert!(offered_on_form(&supplier.get("/requests/new").await, &code));
    assert_eq!(app.count("requests"), requests_before, "nothing was filed");
}

#[tokio::test]
async fn an_operator_token_retires_and_reinstates_a_scope_and_the_api_filing_follows() {
    let app = spawn_app().await;
    let (agreement, code, name) = agreement_with_scope(&app);
    let operator = app.login_as(OPERATOR).await;
    let keeper = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["scopes"]).await),
    )
    .await;
    let other = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["suppliers"]).await),
    )
    .await;
    let retire = format!("/api/v1/scopes/{code}/retire");
    let retire_t = "/api/v1/scopes/{code}/retire";
    let reinstate = format!("/api/v1/scopes/{code}/reinstate");
    let reinstate_t = "/api/v1/scopes/{code}/reinstate";

    let listed = keeper.get("/api/v1/scopes", "/api/v1/scopes").await;
    assert!(
        listed.body["scopes"]
            .as_array()
            .expect("scopes")
            .iter()
            .all(|s| s["retired"] == false)
    );
    assert_eq!(
        other.post(&retire, retire_t, &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(retired_at(&app, &code).is_none());
    let missing = keeper
        .post("/api/v1/scopes/NOPE/retire", retire_t, &json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let done = keeper.post(&retire, retire_t, &json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["code"], code.as_str());
    assert_eq!(done.body["retired"], true);
    let twice = keeper.post(&retire, retire_t, &json!({})).await;
    assert_eq!(twice.status, StatusCode::OK);
    assert_eq!(twice.body["retired"], true);
    assert_eq!(app.audit_actions_for(&code), ["scope.retired"]);
    let read = keeper
        .get(&format!("/api/v1/scopes/{code}"), "/api/v1/scopes/{code}")
        .await;
    assert_eq!(read.body["retired"], true);

    // A supplier's system: the catalogue it files from leaves it out, and a filing that
    // names it is refused with the reason in the caller's language.
    let filer = crate::api_client::machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let offered = filer.get("/api/v1/services", "/api/v1/services").await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.body);
    let codes: Vec<&str> = offered.body["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(|s| s["code"].as_str())
        .collect();
    assert!(
        !codes.is_empty() && !codes.contains(&code.as_str()),
        "{codes:?}"
    );
    let filing = json!({
        "service": PLADS_SERVICE, "scopes": [code], "institutions": ["G10302"],
        "purpose": "Formål",
    });
    let refused = filer
        .post("/api/v1/requests", "/api/v1/requests", &filing)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        (refused.code(), refused.field()),
        ("invalid_value", "/scopes")
    );
    let problem = &refused.body["problems"][0];
    assert_eq!(problem["code"], "retired_scope", "{}", refused.body);
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("udfaset") || m.contains("retired")),
        "{}",
        refused.body
    );

    // The agreement that names it is read as before.
    let reader = crate::api_client::machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    let read = reader
        .get(
            &format!("/api/v1/agreements/{agreement}"),
            "/api/v1/agreements/{id}",
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.to_string().contains(&code), "{}", read.body);
    let _ = name;

    let back = keeper.post(&reinstate, reinstate_t, &json!({})).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.body["retired"], false);
    assert_eq!(
        app.audit_actions_for(&code),
        ["scope.retired", "scope.reinstated"]
    );
    let filed = filer
        .post("/api/v1/requests", "/api/v1/requests", &filing)
        .await;
    assert_ne!(
        filed.body["problems"][0]["code"], "retired_scope",
        "{}",
        filed.body
    );
}
