//! Races: two people deciding the same request at once (exactly one wins, the other is
//! told), two filings for the same service and institution, and many writers at once
//! on SQLite without "database is locked".

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{agreements, audit_log, requests};
use tilslutning::domain::{Role, RoleAssignment};

use crate::helpers::*;

/// A second municipal officer for København, so two people can decide at once.
fn second_officer(app: &TestApp) -> &'static str {
    let email = "kollega@demo.tilslutning.dk";
    app.with_db(|c| {
        let hash = tilslutning::auth::password::hash(PASSWORD).expect("hash");
        let id =
            tilslutning::db::users::upsert(c, email, "Kim Kollega", Some(&hash)).expect("user");
        tilslutning::db::users::grant(
            c,
            &id,
            &RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
        )
        .expect("role");
    });
    email
}

#[tokio::test]
async fn when_two_decide_at_once_exactly_one_wins() {
    let app = spawn_app().await;
    let colleague = second_officer(&app);
    let supplier = app.login_as(SUPPLIER).await;
    let units = "G10301\nG10302\nG10303\nG10401\nG10403\nG10404";
    let filed = app.file(&supplier, APP_SERVICE, &["STAMDATA"], units).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let a = app.login_as(OFFICER).await;
    let b = app.login_as(colleague).await;
    for unit in units.lines() {
        let (id, reference) = app.pending(APP_SERVICE, unit);
        let path = format!("/requests/{id}/decision");
        let (first, second) = tokio::join!(
            a.post(&path, &[("decision", "approve"), ("scopes", "STAMDATA")]),
            b.post(&path, &[("decision", "reject"), ("reason", "Nej tak.")]),
        );
        let statuses = [first.status, second.status];
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::SEE_OTHER)
                .count(),
            1,
            "{unit}: {statuses:?}"
        );
        let loser = if first.status == StatusCode::CONFLICT {
            &first
        } else {
            &second
        };
        assert_eq!(loser.status, StatusCode::CONFLICT, "{unit}");
        assert!(loser.contains("allerede afgjort"), "the loser is told");
        let status = app.request_status(&reference);
        let decisions: i64 = app.with_db(|c| {
            audit_log::table
                .filter(audit_log::target_id.eq(&id))
                .filter(audit_log::action.eq_any(["request.approved", "request.rejected"]))
                .count()
                .get_result(c)
                .expect("count")
        });
        assert_eq!(decisions, 1, "{unit}: one decision recorded");
        let agreements_made: i64 = app.with_db(|c| {
            agreements::table
                .filter(agreements::service_id.eq(APP_SERVICE))
                .filter(agreements::institution_number.eq(unit))
                .filter(agreements::status.eq("active"))
                .count()
                .get_result(c)
                .expect("count")
        });
        assert_eq!(
            agreements_made,
            i64::from(status == "approved"),
            "{unit}: agreement only if approved"
        );
    }
}

#[tokio::test]
async fn two_filings_for_the_same_institution_at_once_leave_one_pending_request() {
    let app = spawn_app().await;
    let first = app.login_as(SUPPLIER).await;
    let second = app.login_as(SUPPLIER).await;
    for unit in ["G10302", "G10303", "G10701"] {
        let (x, y) = tokio::join!(
            app.file(&first, PLADS_SERVICE, &["STAMDATA"], unit),
            app.file(&second, PLADS_SERVICE, &["STAMDATA"], unit),
        );
        let statuses = [x.status, y.status];
        assert!(
            statuses.contains(&StatusCode::SEE_OTHER),
            "{unit}: {statuses:?}"
        );
        assert!(
            statuses.contains(&StatusCode::UNPROCESSABLE_ENTITY),
            "{unit}: {statuses:?}"
        );
        let pending: i64 = app.with_db(|c| {
            requests::table
                .filter(requests::service_id.eq(PLADS_SERVICE))
                .filter(requests::institution_number.eq(unit))
                .filter(requests::status.eq("pending"))
                .count()
                .get_result(c)
                .expect("count")
        });
        assert_eq!(pending, 1, "{unit}");
    }
}

#[tokio::test]
async fn many_writers_at_once_all_succeed() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    // København's kommunale units without a pending or approved Pladsanvisning request.
    let units: Vec<String> = [
        "G10101", "G10102", "G10103", "G10104", "G10204", "G10301", "G10302", "G10303", "G10403",
        "G10404", "G10501", "G10504",
    ]
    .map(String::from)
    .to_vec();
    let filings = units
        .iter()
        .map(|u| app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], u));
    let pages = futures::future::join_all(filings).await;
    for (unit, page) in units.iter().zip(&pages) {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{unit}: {}", page.body);
    }
    let officer_a = app.login_as(OFFICER).await;
    let ids: Vec<String> = units
        .iter()
        .map(|u| app.pending(PLADS_SERVICE, u).0)
        .collect();
    let paths: Vec<String> = ids
        .iter()
        .map(|id| format!("/requests/{id}/decision"))
        .collect();
    let decisions = paths
        .iter()
        .map(|p| officer_a.post(p, &[("decision", "approve"), ("scopes", "STAMDATA")]));
    for page in futures::future::join_all(decisions).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
}
