//! Races through the API: two robots deciding the same request at once (one wins, the
//! other gets 409 and what it became), and a data provider's copy kept from the feed
//! while two robots and a page decide in parallel.

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::domain::{Role, RoleAssignment};

use crate::api_client::{FeedCopy, Machine, agreements_in, machine_of};
use crate::helpers::*;

/// Pending requests the officer may decide, filed now through the API: their ids.
async fn filed_for_the_officer(app: &TestApp, supplier: &Machine, how_many: usize) -> Vec<String> {
    use tilslutning::db::schema::{institutions, requests};
    let units: Vec<String> = app.with_db(|c| {
        let busy = requests::table
            .filter(requests::service_id.eq(PLADS_SERVICE))
            .select(requests::institution_number);
        institutions::table
            .filter(institutions::municipality_code.eq("101"))
            .filter(institutions::ownership_code.eq("1"))
            .filter(institutions::level.eq("anvisningsenhed"))
            .filter(institutions::status.eq("active"))
            .filter(institutions::number.like("G%"))
            .filter(institutions::number.ne_all(busy))
            .limit(how_many as i64)
            .select(institutions::number)
            .load(c)
            .expect("units")
    });
    assert_eq!(units.len(), how_many, "free units in the demo data");
    let filed = supplier
        .post(
            "/api/v1/requests",
            "/api/v1/requests",
            &json!({ "service": PLADS_SERVICE, "scopes": ["STAMDATA"], "institutions": units, "purpose": "Kapløb" }),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    filed.body["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

fn colleague(app: &TestApp) -> &'static str {
    let email = "robotkollega@demo.tilslutning.dk";
    app.person(
        email,
        "Robin Robot",
        &[RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
    );
    email
}

#[tokio::test]
async fn two_robots_deciding_one_request_at_once_one_wins_the_other_is_told() {
    let app = spawn_app().await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let a = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    let b = machine_of(&app, colleague(&app), "approver", &["decide"]).await;
    let ids = filed_for_the_officer(&app, &supplier, 4).await;
    let template = "/api/v1/requests/{id}/decision";
    for id in &ids {
        let path = format!("/api/v1/requests/{id}/decision");
        let (approve, reject) = (
            json!({ "decision": "approve" }),
            json!({ "decision": "reject", "reason": "Nej tak" }),
        );
        let (first, second) = tokio::join!(
            a.post(&path, template, &approve),
            b.post(&path, template, &reject),
        );
        let statuses = [first.status, second.status];
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CONFLICT)
                .count(),
            1,
            "{statuses:?}"
        );
        let winner = if first.status == StatusCode::OK {
            &first
        } else {
            &second
        };
        assert_eq!(
            app.request_status_of(id),
            winner.body["status"].as_str().expect("status")
        );
        let decided = app
            .audit_actions_for(id)
            .iter()
            .filter(|a| *a == "request.approved" || *a == "request.rejected")
            .count();
        assert_eq!(decided, 1, "one decision in the log");
    }
}

#[tokio::test]
async fn the_feed_never_skips_or_repeats_a_change_under_concurrent_writers() {
    let app = spawn_app().await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let provider = machine_of(&app, OPERATOR, "access_check", &["access"]).await;
    let a = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    let b = machine_of(&app, colleague(&app), "approver", &["decide"]).await;
    let ids = filed_for_the_officer(&app, &supplier, 14).await;
    let (left, right) = ids.split_at(7);

    let decide = |robot: &'static str, machine: Machine, ids: Vec<String>| async move {
        for id in ids {
            let answer = machine
                .post(
                    &format!("/api/v1/requests/{id}/decision"),
                    "/api/v1/requests/{id}/decision",
                    &json!({ "decision": "approve" }),
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{robot}: {}", answer.body);
        }
    };
    let poller = async {
        let mut cursors: Vec<i64> = Vec::new();
        let mut copy: HashMap<String, String> = HashMap::new();
        let mut after = "0".to_string();
        let mut quiet = 0;
        while quiet < 3 {
            let page = provider
                .get(
                    &format!("/api/v1/agreements/changes?after={after}&limit=5"),
                    "/api/v1/agreements/changes",
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let items = page.body["items"].as_array().expect("items").clone();
            for item in &items {
                cursors.push(
                    item["cursor"]
                        .as_str()
                        .expect("cursor")
                        .parse()
                        .expect("a number"),
                );
                let agreement = &item["agreement"];
                copy.insert(
                    agreement["id"].as_str().expect("id").to_string(),
                    agreement["status"].as_str().expect("status").to_string(),
                );
            }
            after = page.body["next_cursor"]
                .as_str()
                .expect("cursor")
                .to_string();
            quiet = if items.is_empty() { quiet + 1 } else { 0 };
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        (cursors, copy)
    };
    let ((), (), (cursors, _)) = tokio::join!(
        decide("a", a, left.to_vec()),
        decide("b", b, right.to_vec()),
        poller,
    );
    assert!(
        cursors.windows(2).all(|w| w[0] < w[1]),
        "strictly in feed order, nothing repeated"
    );

    // After the writers stop, one more pass from the start holds the database exactly.
    let mut copy = FeedCopy::default();
    let seen = copy.catch_up(&provider, 500).await.len();
    let database = agreements_in(&app);
    assert_eq!(copy.agreements, database);
    let created_now = cursors.len();
    assert!(
        created_now >= 14,
        "every approval shows in the feed while it happens ({created_now})"
    );
    assert!(seen >= database.len());
}
