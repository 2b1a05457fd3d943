//! Suppliers' systems and approvers' robots through `/api/v1`: filing at national size,
//! following, withdrawing, deciding and ending, each token only as far as the person
//! behind it reaches; and a data provider following every change through the feed.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tilslutning::db::schema::{agreements, institutions, requests};

use crate::api_client::{FeedCopy, agreements_in, machine_of};
use crate::helpers::*;

/// Kommunale units in the officer's municipality with nothing pending or open for the
/// service: the officer decides requests filed for them.
pub(crate) fn free_units(app: &TestApp, service: &str, how_many: i64) -> Vec<String> {
    app.with_db(|c| {
        let busy_requests = requests::table
            .filter(requests::service_id.eq(service))
            .select(requests::institution_number);
        let busy_agreements = agreements::table
            .filter(agreements::service_id.eq(service))
            .select(agreements::institution_number);
        institutions::table
            .filter(institutions::municipality_code.eq(tilslutning::demo::OFFICER_MUNICIPALITY))
            .filter(institutions::ownership_code.eq("1"))
            .filter(institutions::level.eq("anvisningsenhed"))
            .filter(institutions::status.eq("active"))
            .filter(institutions::number.like("G%"))
            .filter(institutions::number.ne_all(busy_requests))
            .filter(institutions::number.ne_all(busy_agreements))
            .order(institutions::number)
            .limit(how_many)
            .select(institutions::number)
            .load(c)
            .expect("units")
    })
}

fn filing(units: &[String]) -> Value {
    json!({
        "service": PLADS_SERVICE,
        "scopes": ["STAMDATA"],
        "institutions": units,
        "purpose": "Pladsanvisning",
    })
}

#[tokio::test]
async fn a_supplier_files_follows_and_withdraws_and_an_officer_decides_through_the_api() {
    let app = spawn_app().await;
    let supplier = machine_of(
        &app,
        SUPPLIER,
        "supplier",
        &["file", "withdraw", "terminate"],
    )
    .await;
    let officer = machine_of(&app, OFFICER, "approver", &["decide", "revoke"]).await;

    let services = supplier.get("/api/v1/services", "/api/v1/services").await;
    assert_eq!(services.status, StatusCode::OK, "{}", services.body);
    let ids: Vec<&str> = services.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(ids.contains(&PLADS_SERVICE), "{ids:?}");
    assert!(
        !ids.contains(&LEARNING_SERVICE),
        "another supplier's service"
    );

    let units = free_units(&app, PLADS_SERVICE, 3);
    assert_eq!(units.len(), 3, "the demo data has free units");
    let filed = supplier
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let made = filed.body["requests"].as_array().expect("requests").clone();
    assert_eq!(made.len(), 3);
    let first = made[0]["id"].as_str().expect("id").to_string();
    let second = made[1]["id"].as_str().expect("id").to_string();
    let third = made[2]["id"].as_str().expect("id").to_string();
    assert_eq!(app.request_status_of(&first), "pending");
    let audit = app.audit_actions_for(&first);
    assert_eq!(audit, ["request.filed"]);
    assert!(
        app.audit_details_for(&first)[0].contains("api_token"),
        "the audit row names the token"
    );

    let read = supplier
        .get(
            &format!("/api/v1/requests/{first}"),
            "/api/v1/requests/{id}",
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.body["status"], "pending");
    assert_eq!(read.body["national_status"], "VENTER");

    // The officer's robot sees them among what it may decide, and decides.
    let inbox = officer
        .get(
            "/api/v1/requests?decidable=true&limit=500",
            "/api/v1/requests",
        )
        .await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    let pending: Vec<&str> = inbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(pending.contains(&first.as_str()) && pending.contains(&second.as_str()));

    let decide = |id: &str, body: Value| {
        let (officer, id) = (&officer, id.to_string());
        async move {
            officer
                .post(
                    &format!("/api/v1/requests/{id}/decision"),
                    "/api/v1/requests/{id}/decision",
                    &body,
                )
                .await
        }
    };
    let no_reason = decide(&second, json!({ "decision": "reject" })).await;
    assert_eq!(
        (no_reason.status, no_reason.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "/reason")
    );
    let approved = decide(
        &first,
        json!({ "decision": "approve", "reason": "God fornøjelse" }),
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["national_status"], "GODKENDT");
    let agreement = approved.body["agreement"]["id"]
        .as_str()
        .expect("an agreement")
        .to_string();
    let again = decide(
        &first,
        json!({ "decision": "reject", "reason": "Fortrudt" }),
    )
    .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let rejected = decide(
        &second,
        json!({ "decision": "reject", "reason": "Ikke nødvendigt" }),
    )
    .await;
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["national_status"], "SLETTET");

    // The supplier withdraws the third; a second withdrawal is a conflict.
    let withdrawn = supplier
        .post(
            &format!("/api/v1/requests/{third}/withdraw"),
            "/api/v1/requests/{id}/withdraw",
            &json!({}),
        )
        .await;
    assert_eq!(withdrawn.body["status"], "withdrawn", "{}", withdrawn.body);
    let twice = supplier
        .post(
            &format!("/api/v1/requests/{third}/withdraw"),
            "/api/v1/requests/{id}/withdraw",
            &json!({}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Both sides see the agreement; the officer revokes it, with a reason.
    let seen = supplier
        .get(
            &format!("/api/v1/agreements/{agreement}"),
            "/api/v1/agreements/{id}",
        )
        .await;
    assert_eq!(seen.body["status"], "active", "{}", seen.body);
    assert_eq!(seen.body["scopes"][0]["code"], "STAMDATA");
    let no_reason = officer
        .post(
            &format!("/api/v1/agreements/{agreement}/revoke"),
            "/api/v1/agreements/{id}/revoke",
            &json!({}),
        )
        .await;
    assert_eq!(
        (no_reason.status, no_reason.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "/reason")
    );
    let revoked = officer
        .post(
            &format!("/api/v1/agreements/{agreement}/revoke"),
            "/api/v1/agreements/{id}/revoke",
            &json!({ "reason": "Institutionen skifter system" }),
        )
        .await;
    assert_eq!(revoked.body["status"], "revoked", "{}", revoked.body);
    assert_eq!(revoked.body["national_status"], "SLETTET");
    let late = supplier
        .post(
            &format!("/api/v1/agreements/{agreement}/terminate"),
            "/api/v1/agreements/{id}/terminate",
            &json!({}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_token_reaches_no_further_than_its_owner_and_its_permissions() {
    let app = spawn_app().await;
    let units = free_units(&app, PLADS_SERVICE, 1);
    let filer = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let filed = filer
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let id = filed.body["requests"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let path = format!("/api/v1/requests/{id}");

    let reader = machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    let refused = reader
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a read-only token files nothing"
    );
    let withdraw = reader
        .post(
            &format!("{path}/withdraw"),
            "/api/v1/requests/{id}/withdraw",
            &json!({}),
        )
        .await;
    assert_eq!(withdraw.status, StatusCode::FORBIDDEN);

    let other = machine_of(&app, OTHER_SUPPLIER, "supplier", &["withdraw"]).await;
    assert_eq!(
        other.get(&path, "/api/v1/requests/{id}").await.status,
        StatusCode::NOT_FOUND
    );
    let foreign = other
        .post(
            &format!("{path}/withdraw"),
            "/api/v1/requests/{id}/withdraw",
            &json!({}),
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "another supplier's request does not exist for it"
    );

    let staff = machine_of(&app, STAFF, "approver", &["decide"]).await;
    let decided = staff
        .post(
            &format!("{path}/decision"),
            "/api/v1/requests/{id}/decision",
            &json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(
        decided.status,
        StatusCode::NOT_FOUND,
        "staff of another institution"
    );

    let looker = machine_of(&app, OFFICER, "approver", &["read"]).await;
    assert_eq!(
        looker.get(&path, "/api/v1/requests/{id}").await.status,
        StatusCode::OK
    );
    let decided = looker
        .post(
            &format!("{path}/decision"),
            "/api/v1/requests/{id}/decision",
            &json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(
        decided.status,
        StatusCode::FORBIDDEN,
        "a read-only approver token decides nothing"
    );
    let nothing = looker
        .get("/api/v1/requests?decidable=true", "/api/v1/requests")
        .await;
    assert_eq!(nothing.body["items"].as_array().map(Vec::len), Some(0));

    let provider = machine_of(&app, OPERATOR, "access_check", &["access"]).await;
    assert_eq!(
        provider.get(&path, "/api/v1/requests/{id}").await.status,
        StatusCode::FORBIDDEN
    );

    // The officer loses the role: the token stops with it.
    let decider = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    assert_eq!(
        decider.get(&path, "/api/v1/requests/{id}").await.status,
        StatusCode::OK
    );
    app.with_db(|c| {
        use tilslutning::db::schema::{role_assignments, users};
        let officer: String = users::table
            .filter(users::email.eq(OFFICER))
            .select(users::id)
            .first(c)
            .expect("officer");
        diesel::delete(role_assignments::table.filter(role_assignments::user_id.eq(officer)))
            .execute(c)
            .expect("roles removed")
    });
    let after = decider.get(&path, "/api/v1/requests/{id}").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.request_status_of(&id), "pending");
}

#[tokio::test]
async fn a_refused_filing_names_each_institution_and_files_nothing() {
    let app = spawn_app().await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let mut units = free_units(&app, PLADS_SERVICE, 2);
    units.push("G1".into());
    units.push("G99999".into());
    let before = app.count("requests");
    let refused = supplier
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "lines_refused"),
        "{}",
        refused.body
    );
    let problems: Vec<(String, String)> = refused.body["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap_or("").to_string(),
                p["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                "malformed_number".to_string(),
                "/institutions/2".to_string()
            ),
            ("not_in_register".to_string(), "/institutions/3".to_string()),
        ]
    );
    assert_eq!(app.count("requests"), before);

    let no_purpose = supplier
        .post("/api/v1/requests", "/api/v1/requests", &json!({ "service": PLADS_SERVICE, "scopes": ["STAMDATA"], "institutions": [units[0]], "purpose": " " }))
        .await;
    assert_eq!(
        (no_purpose.code(), no_purpose.field()),
        ("invalid_value", "/purpose")
    );
    let unknown = supplier
        .post("/api/v1/requests", "/api/v1/requests", &json!({ "service": "nope", "scopes": ["STAMDATA"], "institutions": [units[0]], "purpose": "x" }))
        .await;
    assert_eq!(unknown.code(), "unknown_service", "{}", unknown.body);
    let wrong_type = supplier
        .post("/api/v1/requests", "/api/v1/requests", &json!({ "service": PLADS_SERVICE, "scopes": ["STAMDATA"], "institutions": [units[0]], "purpose": 7 }))
        .await;
    assert_eq!(
        (wrong_type.code(), wrong_type.field()),
        ("invalid_field", "/purpose")
    );
    let extra = supplier
        .post("/api/v1/requests", "/api/v1/requests", &json!({ "service": PLADS_SERVICE, "scopes": ["STAMDATA"], "institutions": [units[0]], "purpose": "x", "priority": 1 }))
        .await;
    assert_eq!(extra.code(), "invalid_field");
    assert_eq!(app.count("requests"), before);
}

#[tokio::test]
async fn lists_page_by_cursor_without_repeating_a_row() {
    let app = spawn_app().await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/requests?limit=2&cursor={c}"),
            None => "/api/v1/requests?limit=2".to_string(),
        };
        let page = supplier.get(&path, "/api/v1/requests").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for item in page.body["items"].as_array().expect("items") {
            assert!(
                seen.insert(item["id"].as_str().expect("id").to_string()),
                "a row repeated"
            );
        }
        pages += 1;
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let theirs: i64 = app.with_db(|c| {
        use tilslutning::db::schema::services;
        requests::table
            .inner_join(services::table)
            .filter(services::supplier_id.eq("demo-supplier-1"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert_eq!(seen.len() as i64, theirs);
    assert!(pages > 1);
    let bad = supplier
        .get("/api/v1/requests?limit=0", "/api/v1/requests")
        .await;
    assert_eq!((bad.code(), bad.field()), ("invalid_value", "limit"));
    let agreements = supplier
        .get("/api/v1/agreements?limit=1", "/api/v1/agreements")
        .await;
    assert_eq!(agreements.status, StatusCode::OK, "{}", agreements.body);
}

#[tokio::test]
async fn a_data_provider_keeps_a_copy_of_every_agreement_from_the_feed() {
    let app = spawn_app().await;
    let provider = machine_of(&app, OPERATOR, "access_check", &["access"]).await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file", "terminate"]).await;
    let officer = machine_of(&app, OFFICER, "approver", &["decide", "revoke"]).await;
    let mut copy = FeedCopy::default();
    copy.catch_up(&provider, 7).await;
    assert_eq!(
        copy.agreements,
        agreements_in(&app),
        "the feed from the start holds every agreement"
    );
    assert!(
        copy.catch_up(&provider, 7).await.is_empty(),
        "nothing repeats"
    );

    let units = free_units(&app, PLADS_SERVICE, 4);
    let filed = supplier
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    let mut made = Vec::new();
    for request in filed.body["requests"].as_array().expect("requests") {
        let id = request["id"].as_str().expect("id");
        let decided = officer
            .post(
                &format!("/api/v1/requests/{id}/decision"),
                "/api/v1/requests/{id}/decision",
                &json!({ "decision": "approve" }),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
        made.push(
            decided.body["agreement"]["id"]
                .as_str()
                .expect("agreement")
                .to_string(),
        );
    }
    let created = copy.catch_up(&provider, 7).await;
    assert_eq!(created, ["created", "created", "created", "created"]);
    assert!(
        made.iter()
            .all(|id| copy.agreements.get(id).map(String::as_str) == Some("active"))
    );
    let one = &made[0];
    let revoked = officer
        .post(
            &format!("/api/v1/agreements/{one}/revoke"),
            "/api/v1/agreements/{id}/revoke",
            &json!({ "reason": "Slut" }),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(copy.catch_up(&provider, 7).await, ["revoked"]);
    assert_eq!(copy.agreements, agreements_in(&app));

    let supplier_feed = supplier
        .get("/api/v1/agreements/changes", "/api/v1/agreements/changes")
        .await;
    assert_eq!(supplier_feed.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_approvers_robot_decides_many_at_once_as_the_page_does() {
    let app = spawn_app().await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let officer = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    let units = free_units(&app, PLADS_SERVICE, 3);
    let filed = supplier
        .post("/api/v1/requests", "/api/v1/requests", &filing(&units))
        .await;
    let ids: Vec<String> = filed.body["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    let path = "/api/v1/requests/decisions";
    let no_reason = officer
        .post(path, path, &json!({ "decision": "reject", "ids": ids }))
        .await;
    assert_eq!(
        (no_reason.status, no_reason.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "/reason")
    );
    let neither = officer
        .post(path, path, &json!({ "decision": "approve" }))
        .await;
    assert_eq!(neither.field(), "/ids");
    let done = officer
        .post(path, path, &json!({ "decision": "approve", "ids": ids }))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        (done.body["decided"].as_i64(), done.body["skipped"].as_i64()),
        (Some(3), Some(0))
    );
    assert!(ids.iter().all(|id| app.request_status_of(id) == "approved"));
    let again = officer
        .post(path, path, &json!({ "decision": "approve", "ids": ids }))
        .await;
    assert_eq!(
        (
            again.body["decided"].as_i64(),
            again.body["skipped"].as_i64()
        ),
        (Some(0), Some(3))
    );

    let reader = machine_of(&app, OFFICER, "approver", &["read"]).await;
    let refused = reader
        .post(
            path,
            path,
            &json!({ "decision": "approve", "all_matching": true }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
