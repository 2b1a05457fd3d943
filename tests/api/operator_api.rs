//! The operators' administration through the API: an operator token made on the tokens
//! page (at most 90 days, offered to operators only) creates and verifies suppliers —
//! which then file — runs a supplier's services and keeps the scope catalogue, each step
//! audited as its maker; it reads no requests or agreements, each permission opens only
//! its half, other tokens reach none of it, and it stops when its maker stops being an
//! operator.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::{agreements, audit_log, role_assignments, users};
use tilslutning::demo::UNVERIFIED_SUPPLIER;

use crate::api_client::{Machine, make_token};
use crate::helpers::*;

const SUPPLIERS: &str = "/api/v1/suppliers";
const SUPPLIER: &str = "/api/v1/suppliers/{supplier}";
const SCOPES: &str = "/api/v1/scopes";
const SCOPE: &str = "/api/v1/scopes/{code}";

fn user_id(app: &TestApp, email: &str) -> String {
    app.with_db(|c| {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(c)
            .expect("user")
    })
}

/// The audit rows about `target`, oldest first: action, actor and the role acted in.
fn audit_of(app: &TestApp, target: &str) -> Vec<(String, Option<String>, Option<String>)> {
    app.with_db(|c| {
        audit_log::table
            .filter(audit_log::target_id.eq(target))
            .order(audit_log::seq)
            .select((
                audit_log::action,
                audit_log::actor_user_id,
                audit_log::actor_role,
            ))
            .load(c)
            .expect("audit")
    })
}

#[tokio::test]
async fn an_operator_token_creates_and_verifies_a_supplier_that_then_runs_its_services() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let machine = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["suppliers"]).await),
    )
    .await;
    let me = user_id(&app, OPERATOR);

    let list = machine.get(SUPPLIERS, SUPPLIERS).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let demo = list.body["suppliers"]
        .as_array()
        .expect("suppliers")
        .iter()
        .find(|s| s["id"] == "demo-supplier-1")
        .expect("the demo supplier is listed")
        .clone();
    assert_eq!(demo["verified"], true);

    let bad = machine
        .post(
            SUPPLIERS,
            SUPPLIERS,
            &json!({"name": "", "cvr": "10150348"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.code(), "invalid_value");
    let fields: Vec<&str> = bad.body["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["field"].as_str())
        .collect();
    assert_eq!(fields, ["/name", "/cvr"]);
    assert!(
        bad.body["problems"][1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("kontrolcifferet passer ikke")),
        "{}",
        bad.body
    );
    let taken = machine
        .post(
            SUPPLIERS,
            SUPPLIERS,
            &json!({"name": "Kopi", "cvr": "45678903"}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert_eq!(taken.field(), "/cvr");

    let created = machine
        .post(
            SUPPLIERS,
            SUPPLIERS,
            &json!({"name": "Robot Leverandør ApS", "cvr": "DK 1015 0345"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["cvr"], "10150345");
    assert_eq!(created.body["verified"], false);
    let id = created.body["id"].as_str().expect("id").to_string();
    let path = format!("{SUPPLIERS}/{id}");

    let verified = machine
        .post(
            &format!("{path}/verify"),
            "/api/v1/suppliers/{supplier}/verify",
            &json!({}),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert_eq!(verified.body["verified"], true);
    // Asking again changes nothing and writes nothing.
    let again = machine
        .post(
            &format!("{path}/verify"),
            "/api/v1/suppliers/{supplier}/verify",
            &json!({}),
        )
        .await;
    assert_eq!(again.body["verified"], true);
    assert_eq!(
        machine.get(&path, SUPPLIER).await.body["verified"],
        true,
        "read back"
    );
    let missing = machine.get(&format!("{SUPPLIERS}/nobody"), SUPPLIER).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // The new supplier's services, run by the operator's token.
    let services = format!("{path}/services");
    let service = machine
        .post(
            &services,
            "/api/v1/suppliers/{supplier}/services",
            &json!({"name": "Robottjeneste", "description": "Oprettet af driften."}),
        )
        .await;
    assert_eq!(service.status, StatusCode::CREATED, "{}", service.body);

    let unverified = machine
        .post(
            &format!("{path}/unverify"),
            "/api/v1/suppliers/{supplier}/unverify",
            &json!({}),
        )
        .await;
    assert_eq!(unverified.body["verified"], false);

    let rows = audit_of(&app, &id);
    let actions: Vec<&str> = rows.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "supplier.created",
            "supplier.verified",
            "supplier.unverified"
        ]
    );
    assert!(
        rows.iter()
            .all(|(_, who, role)| who.as_deref() == Some(me.as_str())
                && role.as_deref() == Some("operator")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn an_operator_token_keeps_the_scope_catalogue_whose_codes_stay() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let machine = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["scopes"]).await),
    )
    .await;
    let list = machine.get(SCOPES, SCOPES).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let scopes = list.body["scopes"].as_array().expect("scopes");
    assert!(!scopes.is_empty());
    assert!(scopes.iter().all(|s| s["uses"].is_i64()));

    let bad = machine
        .post(
            SCOPES,
            SCOPES,
            &json!({"code": "ikke gyldig!", "name_da": "X", "name_en": "", "description_da": "X", "description_en": "X"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.field(), "/code");
    assert_eq!(bad.body["problems"].as_array().map(Vec::len), Some(2));
    let not_json = machine
        .post(
            SCOPES,
            SCOPES,
            &json!({"code": "X", "name_da": "X", "name_en": "X", "description_da": "X", "description_en": "X", "sort_order": "først"}),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_json.field(), "/sort_order");

    let new = json!({
        "code": "robot_fravaer",
        "name_da": "Fravær (robot)",
        "name_en": "Absence (robot)",
        "description_da": "Elevers fravær.",
        "description_en": "Pupils' absence.",
        "sensitive": true,
        "sort_order": 90,
    });
    let added = machine.post(SCOPES, SCOPES, &new).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["code"], "ROBOT_FRAVAER");
    assert_eq!(added.body["sensitive"], true);
    let taken = machine.post(SCOPES, SCOPES, &new).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.field(), "/code");

    let path = format!("{SCOPES}/ROBOT_FRAVAER");
    let changed = machine
        .post(
            &path,
            SCOPE,
            &json!({"code": "ANDET", "name_da": "Fravær", "name_en": "Absence", "description_da": "Fravær.", "description_en": "Absence.", "sensitive": false}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["code"], "ROBOT_FRAVAER", "the code stays");
    assert_eq!(changed.body["name_da"], "Fravær");
    assert_eq!(changed.body["sensitive"], false);
    assert_eq!(changed.body["sort_order"], 0);
    let read = machine.get(&path, SCOPE).await;
    assert_eq!(read.body["name_en"], "Absence");
    let missing = machine
        .post(
            &format!("{SCOPES}/NOPE"),
            SCOPE,
            &json!({"name_da": "X", "name_en": "X", "description_da": "X", "description_en": "X"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = audit_of(&app, "ROBOT_FRAVAER")
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert_eq!(actions, ["scope.created", "scope.changed"]);
}

/// How many audit rows record a change to suppliers or the catalogue.
fn catalogue_changes(app: &TestApp) -> i64 {
    app.with_db(|c| {
        audit_log::table
            .filter(audit_log::target_type.eq_any(["supplier", "scope", "service"]))
            .count()
            .get_result(c)
            .expect("count")
    })
}

#[tokio::test]
async fn each_permission_opens_its_half_only_and_no_other_token_administers() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let suppliers_only = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["suppliers"]).await),
    )
    .await;
    let scopes_only = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["scopes"]).await),
    )
    .await;
    let admin = app.login_as(crate::helpers::SUPPLIER).await;
    let supplier_admin = Machine::new(
        &app,
        Some(make_token(&admin, "supplier", &["administer"]).await),
    )
    .await;
    let officer = app.login_as(OFFICER).await;
    let approver = Machine::new(
        &app,
        Some(make_token(&officer, "approver", &["decide", "mailboxes"]).await),
    )
    .await;
    let before = catalogue_changes(&app);
    let scope = json!({"code": "UBUDEN", "name_da": "X", "name_en": "X", "description_da": "X", "description_en": "X"});
    let supplier = json!({"name": "Ubuden ApS", "cvr": "10150345"});

    assert_eq!(
        suppliers_only.get(SCOPES, SCOPES).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        suppliers_only.post(SCOPES, SCOPES, &scope).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scopes_only.get(SUPPLIERS, SUPPLIERS).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scopes_only
            .get(
                "/api/v1/suppliers/demo-supplier-1/services",
                "/api/v1/suppliers/{supplier}/services"
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for other in [&supplier_admin, &approver] {
        assert_eq!(
            other.get(SUPPLIERS, SUPPLIERS).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other.post(SUPPLIERS, SUPPLIERS, &supplier).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other
                .post(
                    &format!("/api/v1/suppliers/{UNVERIFIED_SUPPLIER}/verify"),
                    "/api/v1/suppliers/{supplier}/verify",
                    &json!({})
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other.post(SCOPES, SCOPES, &scope).await.status,
            StatusCode::FORBIDDEN
        );
    }
    // The supplier admin's token runs its own supplier, never another.
    assert_eq!(
        supplier_admin
            .get(
                "/api/v1/suppliers/demo-supplier-2/services",
                "/api/v1/suppliers/{supplier}/services"
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // An operator token reads no requests or agreements, and runs no colleagues.
    let requests = suppliers_only
        .get("/api/v1/requests", "/api/v1/requests")
        .await;
    assert_eq!(requests.status, StatusCode::OK);
    assert_eq!(requests.body["items"].as_array().map(Vec::len), Some(0));
    let agreement: String = app.with_db(|c| {
        agreements::table
            .select(agreements::id)
            .first(c)
            .expect("a demo agreement")
    });
    let read = suppliers_only
        .get(
            &format!("/api/v1/agreements/{agreement}"),
            "/api/v1/agreements/{id}",
        )
        .await;
    assert!(
        matches!(read.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        read.status
    );
    let colleagues = suppliers_only
        .get(
            "/api/v1/suppliers/demo-supplier-1/colleagues",
            "/api/v1/suppliers/{supplier}/colleagues",
        )
        .await;
    assert_eq!(colleagues.status, StatusCode::NOT_FOUND);

    let verified: bool = app.with_db(|c| {
        use tilslutning::db::schema::suppliers;
        suppliers::table
            .find(UNVERIFIED_SUPPLIER)
            .select(suppliers::verified)
            .first(c)
            .expect("the unverified demo supplier")
    });
    assert!(!verified, "nothing the refused calls asked for happened");
    assert_eq!(catalogue_changes(&app), before, "no audit row was written");
}

#[tokio::test]
async fn an_operator_token_stops_when_its_maker_is_no_longer_an_operator() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let machine = Machine::new(
        &app,
        Some(make_token(&operator, "operator", &["suppliers"]).await),
    )
    .await;
    assert_eq!(
        machine.get(SUPPLIERS, SUPPLIERS).await.status,
        StatusCode::OK
    );
    let me = user_id(&app, OPERATOR);
    app.with_db(|c| {
        diesel::delete(
            role_assignments::table
                .filter(role_assignments::user_id.eq(&me))
                .filter(role_assignments::role.eq("operator")),
        )
        .execute(c)
        .expect("role removed")
    });
    let after = machine.get(SUPPLIERS, SUPPLIERS).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.body);
}

#[tokio::test]
async fn the_tokens_page_offers_operator_tokens_to_operators_only_for_at_most_90_days() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let page = operator.get("/api-tokens").await;
    assert!(
        page.contains("Ny nøgle til administration"),
        "{}",
        page.body
    );
    assert!(page.contains("Højst 90 dage frem."));
    let too_far = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(90),
    );
    let in_time = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(89),
    );
    let refused = operator
        .post(
            "/api-tokens",
            &[
                ("kind", "operator"),
                ("name", "CVR-robot"),
                ("expires_on", too_far.as_str()),
                ("permission", "suppliers"),
            ],
        )
        .await;
    assert!(
        refused.contains("En nøgle til administration kan højst virke 90 dage frem."),
        "{}",
        refused.body
    );
    assert!(refused.contains("value=\"CVR-robot\""), "the name is kept");
    assert!(crate::api_client::secret_in(&refused.body).is_none());
    let none = operator
        .post(
            "/api-tokens",
            &[
                ("kind", "operator"),
                ("name", "Tom"),
                ("expires_on", in_time.as_str()),
            ],
        )
        .await;
    assert!(
        none.contains("Vælg mindst én ting, nøglen må."),
        "{}",
        none.body
    );
    for email in [crate::helpers::SUPPLIER, OFFICER, STAFF] {
        let person = app.login_as(email).await;
        let page = person.get("/api-tokens").await;
        assert!(!page.contains("Ny nøgle til administration"), "{email}");
        let made = person
            .post(
                "/api-tokens",
                &[
                    ("kind", "operator"),
                    ("name", "Forsøg"),
                    ("expires_on", "01.01.2027"),
                    ("permission", "suppliers"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::FORBIDDEN, "{email}");
    }
}
