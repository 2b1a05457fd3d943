//! Delegation (fuldmagt) over HTTP: staff let the municipality decide for a self-governing
//! unit; an officer lets a colleague decide; decisions record the delegation; revoked and
//! expired delegations stop working; only those concerned may grant or end them.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{audit_log, delegations, requests};
use tilslutning::domain::request_form::format_date;
use tilslutning::domain::{Role, RoleAssignment};

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
        .post(
            &decide,
            &[
                ("decision", "approve"),
                ("scopes", "STAMDATA"),
                ("refused_scope", "BOERN"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
                ("refused_scope", "FORAELDRE"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
            ],
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
    let page = officer.get(&format!("/requests/{id}")).await;
    assert!(
        page.contains("Under fuldmagt")
            && page.contains("Fuldmagt fra G10602")
            && !page.contains(recorded.as_deref().unwrap_or("none")),
        "the delegation in words, not as stored: {}",
        page.body
    );
    let audit = officer.get("/audit?action=request.approved").await;
    assert!(
        audit.contains("<dt>Under fuldmagt</dt><dd>Fuldmagt fra G10602"),
        "the audit log says the delegation in words too: {}",
        audit.body
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

fn colleague_form<'a>(
    municipality: &'a str,
    email: &'a str,
    until: &'a str,
    from: &'a str,
) -> [(&'a str, &'a str); 5] {
    [
        ("kind", "colleague"),
        ("municipality", municipality),
        ("colleague", email),
        ("valid_from", from),
        ("valid_until", until),
    ]
}

#[tokio::test]
async fn an_officer_lets_a_colleague_decide_for_a_period() {
    let app = spawn_app().await;
    let colleague = "vikar@demo.tilslutning.dk";
    let colleague_id = app.person(
        colleague,
        "Vera Vikar",
        &[RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
    );
    let (id, _) = app.pending(PLADS_SERVICE, "G10201");
    let (from, until) = (today(), in_days(7));

    let officer = app.login_as(OFFICER).await;
    let bad = officer
        .post(
            "/delegations",
            &colleague_form("101", "ingen@example.org", &until, &from),
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
            &colleague_form("147", colleague, &until, &from),
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
            &colleague_form("101", colleague, &until, &from),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let substitute = app.login_as(colleague).await;
    assert!(substitute.get("/inbox").await.contains("G10201"));
    let theirs = substitute.get("/delegations").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.contains("I kraft") && theirs.contains("Karin Kommune"));
    let page = substitute
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "reject"), ("reason", "Vikar siger nej.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // A later change of roles ends the delegation's effect: the grant is gone.
    app.with_db(|c| {
        diesel::delete(
            tilslutning::db::schema::role_assignments::table
                .filter(tilslutning::db::schema::role_assignments::user_id.eq(&colleague_id)),
        )
        .execute(c)
        .expect("remove roles");
        let grants = tilslutning::db::delegations::grants_for(
            c,
            &colleague_id,
            &[],
            tilslutning::db::now().date(),
        )
        .expect("grants");
        assert!(grants.is_empty(), "no role, no delegated right: {grants:?}");
    });
    let (next, next_reference) = app.pending(PLADS_SERVICE, "G10202");
    let substitute = app.login_as(colleague).await;
    assert_eq!(
        substitute.get(&format!("/requests/{next}")).await.status,
        StatusCode::NOT_FOUND,
        "the delegation no longer reaches a person without the officer role"
    );
    let refused = substitute
        .post(
            &format!("/requests/{next}/decision"),
            &[("decision", "reject"), ("reason", "Nej.")],
        )
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ),
        "{}",
        refused.status
    );
    assert_eq!(app.request_status(&next_reference), "pending");

    // Expired yesterday: listed as expired.
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
    assert!(officer.get("/delegations").await.contains("Udløbet"));
}

/// Every kind of person as the colleague of an officer's delegation: only another
/// municipal officer of the same municipality is accepted; everyone else is refused with
/// a Danish message that keeps the typed email, and no delegation is written.
#[tokio::test]
async fn a_delegation_goes_only_to_an_officer_of_the_same_municipality() {
    let app = spawn_app().await;
    let supplier_id: String = app.with_db(|c| {
        tilslutning::db::schema::suppliers::table
            .select(tilslutning::db::schema::suppliers::id)
            .first(c)
            .expect("supplier")
    });
    let candidates: Vec<(&str, Vec<RoleAssignment>, bool)> = vec![
        ("ingen-rolle@example.org", vec![], false),
        (
            "leverandoer-admin@example.org",
            vec![RoleAssignment::supplier(Role::SupplierAdmin, &supplier_id)],
            false,
        ),
        (
            "leverandoer-bruger@example.org",
            vec![RoleAssignment::supplier(Role::SupplierUser, &supplier_id)],
            false,
        ),
        (
            "revisor-101@example.org",
            vec![RoleAssignment::municipal(Role::Auditor, "101")],
            false,
        ),
        (
            "revisor-alt@example.org",
            vec![RoleAssignment::portal(Role::Auditor)],
            false,
        ),
        (
            "drift2@example.org",
            vec![RoleAssignment::portal(Role::Operator)],
            false,
        ),
        (
            "personale@example.org",
            vec![RoleAssignment::institution("G10101")],
            false,
        ),
        (
            "officer-147@example.org",
            vec![RoleAssignment::municipal(Role::MunicipalOfficer, "147")],
            false,
        ),
        (
            "officer-101@example.org",
            vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
            true,
        ),
    ];
    for (email, roles, _) in &candidates {
        app.person(email, email, roles);
    }
    let officer = app.login_as(OFFICER).await;
    let (from, until) = (today(), in_days(7));
    for demo in [SUPPLIER, AUDITOR, OPERATOR, STAFF] {
        let page = officer
            .post("/delegations", &colleague_form("101", demo, &until, &from))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{demo}");
        assert!(
            page.contains(demo) && page.contains("er ikke dagtilbudsansvarlig"),
            "{demo}: {}",
            page.body
        );
    }
    for (email, _, accepted) in &candidates {
        let page = officer
            .post("/delegations", &colleague_form("101", email, &until, &from))
            .await;
        if *accepted {
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{email}: {}", page.body);
        } else {
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
            assert!(
                page.contains("er ikke dagtilbudsansvarlig i") && page.contains(email),
                "{email}: {}",
                page.body
            );
            assert!(
                page.contains(&format!("value=\"{email}\"")),
                "the typed email stays in the field"
            );
        }
    }
    assert_eq!(
        app.count("delegations"),
        1,
        "only the officer of 101 got one"
    );

    // Even a delegation row written past the form gives nothing to a person who is not
    // an officer of its municipality (the supplier, the auditor).
    let supplier = app.login_as(SUPPLIER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    for (who, email) in [("supplier", SUPPLIER), ("auditor", AUDITOR)] {
        let user_id: String = app.with_db(|c| {
            tilslutning::db::users::find_by_email(c, email)
                .expect("query")
                .expect("user")
                .id
        });
        app.with_db(|c| {
            diesel::insert_into(delegations::table)
                .values((
                    delegations::id.eq(format!("forged-{who}")),
                    delegations::kind.eq("officer_to_colleague"),
                    delegations::municipality_code.eq("101"),
                    delegations::granted_by.eq(&user_id),
                    delegations::granted_to.eq(Some(&user_id)),
                    delegations::valid_from.eq(tilslutning::db::now().date()),
                    delegations::valid_until.eq(tilslutning::db::now().date()),
                    delegations::created_at.eq(tilslutning::db::now()),
                ))
                .execute(c)
                .expect("insert")
        });
        let session = app.login_as(email).await;
        assert!(!session.get("/inbox").await.contains(&reference), "{who}");
        let page = session
            .post(
                &format!("/requests/{id}/decision"),
                &[("decision", "approve"), ("scopes", "STAMDATA")],
            )
            .await;
        assert_ne!(page.status, StatusCode::SEE_OTHER, "{who} decided");
    }
    drop(supplier);
    assert_eq!(app.request_status(&reference), "pending");
}
