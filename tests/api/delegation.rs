//! Delegation (fuldmagt) over HTTP: staff let the municipality decide for a self-governing
//! unit; an officer lets a colleague decide; decisions record the delegation; revoked and
//! expired delegations stop working; only those concerned may grant or end them.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{audit_log, delegations, requests};
use tilslutning::domain::request_form::format_date;

use crate::helpers::*;

fn today() -> String {
    format_date(tilslutning::db::now().date())
}

fn in_days(days: i64) -> String {
    format_date(tilslutning::db::now().date() + time::Duration::days(days))
}

#[tokio::test]
async fn staff_let_the_municipality_decide_and_the_decision_records_it() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(APP_SERVICE, "G10602");
    let decide = format!("/requests/{id}/decision");
    assert_eq!(
        officer
            .post(&decide, &[("decision", "approve"), ("scopes", "STAMDATA")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let staff = app.login_as(STAFF).await;
    let page = staff.get("/delegations").await;
    assert!(page.contains("Lad kommunen afgøre for institutionen"));
    let (from, until) = (today(), in_days(30));
    let granted = staff
        .post(
            "/delegations",
            &[
                ("kind", "institution"),
                ("institution", "G10602"),
                ("valid_from", &from),
                ("valid_until", &until),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);

    // The officer logs in again so the new delegation is in force for the session.
    let officer = app.login_as(OFFICER).await;
    assert!(
        officer.get("/inbox").await.contains(&reference),
        "the delegated unit shows in the officer's inbox"
    );
    let page = officer
        .post(&decide, &[("decision", "approve"), ("scopes", "STAMDATA")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let recorded: Option<String> = app.with_db(|c| {
        requests::table
            .find(&id)
            .select(requests::decided_delegation)
            .first(c)
            .expect("row")
    });
    assert!(
        recorded
            .as_deref()
            .unwrap_or_default()
            .contains("fuldmagt fra G10602 til kommune 101"),
        "{recorded:?}"
    );
    let audited: Option<String> = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::target_id.eq(&id))
            .filter(audit_log::action.eq("request.approved"))
            .select(audit_log::delegation)
            .first(c)
            .expect("row")
    });
    assert_eq!(audited, recorded);
    assert!(
        officer
            .get(&format!("/requests/{id}"))
            .await
            .contains("Under fuldmagt")
    );

    // Revoked: the officer can no longer decide there.
    let delegation: String = app.with_db(|c| {
        delegations::table
            .select(delegations::id)
            .first(c)
            .expect("delegation")
    });
    let supplier = app.login_as(SUPPLIER).await;
    assert_eq!(
        supplier
            .post(&format!("/delegations/{delegation}/revoke"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        staff
            .post(&format!("/delegations/{delegation}/revoke"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let officer = app.login_as(OFFICER).await;

    assert!(
        !officer.get("/inbox").await.contains("G10602"),
        "no longer in the inbox"
    );
}

#[tokio::test]
async fn an_officer_lets_a_colleague_decide_for_a_period() {
    let app = spawn_app().await;
    let colleague = "vikar@demo.tilslutning.dk";
    app.with_db(|c| {
        let hash = tilslutning::auth::password::hash(PASSWORD).expect("hash");
        tilslutning::db::users::upsert(c, colleague, "Vera Vikar", Some(&hash)).expect("user");
    });
    let (id, _) = app.pending(PLADS_SERVICE, "G10201");
    let substitute = app.login_as(colleague).await;
    assert_eq!(
        substitute.get(&format!("/requests/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "no access before the delegation"
    );

    let officer = app.login_as(OFFICER).await;
    let bad = officer
        .post(
            "/delegations",
            &[
                ("kind", "colleague"),
                ("municipality", "101"),
                ("colleague", "ingen@example.org"),
                ("valid_from", &today()),
                ("valid_until", &in_days(7)),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.contains("ingen aktiv bruger") && bad.contains("ingen@example.org"),
        "the typed email is kept in the message"
    );
    let foreign = officer
        .post(
            "/delegations",
            &[
                ("kind", "colleague"),
                ("municipality", "147"),
                ("colleague", colleague),
                ("valid_from", &today()),
                ("valid_until", &in_days(7)),
            ],
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "only for the officer's own municipality"
    );
    let ok = officer
        .post(
            "/delegations",
            &[
                ("kind", "colleague"),
                ("municipality", "101"),
                ("colleague", colleague),
                ("valid_from", &today()),
                ("valid_until", &in_days(7)),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let substitute = app.login_as(colleague).await;
    assert!(
        substitute.get("/").await.contains("href=\"/inbox\""),
        "the substitute reaches the inbox from the menu"
    );
    assert!(substitute.get("/inbox").await.contains("G10201"));
    assert!(substitute.get("/").await.contains("href=\"/delegations\""));
    let theirs = substitute.get("/delegations").await;
    assert_eq!(
        theirs.status,
        StatusCode::OK,
        "the menu's Fuldmagter link works for the substitute too"
    );
    assert!(theirs.contains("I kraft") && theirs.contains("Karin Kommune"));
    assert!(
        !theirs.contains("Giv kollegaen fuldmagt"),
        "but they cannot pass it on"
    );
    let page = substitute
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "reject"), ("reason", "Vikar siger nej.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let recorded: Option<String> = app.with_db(|c| {
        requests::table
            .find(&id)
            .select(requests::decided_delegation)
            .first(c)
            .expect("row")
    });
    assert!(
        recorded
            .unwrap_or_default()
            .contains("fuldmagt som kommunens dagtilbudsansvarlige i 101")
    );

    // Expired yesterday: no longer in force.
    let yesterday = tilslutning::db::now().date() - time::Duration::days(1);
    app.with_db(|c| {
        diesel::update(delegations::table)
            .set((
                delegations::valid_from.eq(yesterday - time::Duration::days(3)),
                delegations::valid_until.eq(yesterday),
            ))
            .execute(c)
            .expect("expire")
    });
    let substitute = app.login_as(colleague).await;
    let (next, _) = app.pending(PLADS_SERVICE, "G10202");
    assert_eq!(
        substitute.get(&format!("/requests/{next}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(officer.get("/delegations").await.contains("Udløbet"));
}
