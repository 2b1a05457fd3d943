//! Deciding: approve a subset, reject with a reason, who may decide what, bulk
//! decisions across institutions, extensions, and ending agreements.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{agreement_scopes, agreements, request_scopes};

use crate::helpers::*;

fn open_agreement(app: &TestApp, service: &str, institution: &str) -> Option<(String, String)> {
    app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(service))
            .filter(agreements::institution_number.eq(institution))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .select((agreements::id, agreements::reference))
            .first(c)
            .optional()
            .expect("query")
    })
}

fn agreement_scopes_of(app: &TestApp, agreement: &str) -> Vec<String> {
    app.with_db(|c| {
        agreement_scopes::table
            .filter(agreement_scopes::agreement_id.eq(agreement))
            .order(agreement_scopes::scope_code)
            .select(agreement_scopes::scope_code)
            .load(c)
            .expect("scopes")
    })
}

#[tokio::test]
async fn the_officer_approves_a_subset_and_the_supplier_sees_the_agreement() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let page = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[
                ("decision", "approve"),
                ("scopes", "STAMDATA"),
                ("refused_scope", "INDMELDELSER"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
                ("refused_scope", "CPR"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.request_status(&reference), "approved");
    let (agreement_id, agreement_ref) =
        open_agreement(&app, PLADS_SERVICE, "G10201").expect("agreement created");
    assert_eq!(
        agreement_scopes_of(&app, &agreement_id),
        vec!["STAMDATA".to_string()]
    );
    let refused: Vec<(String, Option<bool>)> = app.with_db(|c| {
        request_scopes::table
            .filter(request_scopes::request_id.eq(&id))
            .order(request_scopes::scope_code)
            .select((request_scopes::scope_code, request_scopes::granted))
            .load(c)
            .expect("scopes")
    });
    assert_eq!(
        refused,
        vec![
            ("CPR".into(), Some(false)),
            ("INDMELDELSER".into(), Some(false)),
            ("STAMDATA".into(), Some(true))
        ]
    );
    assert_eq!(
        app.audit_actions_for(&id),
        vec!["request.filed", "request.approved"]
    );
    assert_eq!(
        app.audit_actions_for(&agreement_id),
        vec!["agreement.created"]
    );

    let supplier = app.login_as(SUPPLIER).await;
    let list = supplier.get("/agreements?status=active").await;
    assert!(list.contains(&agreement_ref));
    let detail = supplier.get(&format!("/requests/{id}")).await;
    assert!(detail.contains("Godkendt") && detail.contains("ikke godkendt"));
    assert!(
        detail.contains(&agreement_ref),
        "the request links to its agreement"
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_supplier_sees_it() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10202");
    let bare = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "reject"), ("reason", "  ")],
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.contains("Skriv en begrundelse"));
    assert_eq!(app.request_status(&reference), "pending");
    let reason = "Formålet er ikke beskrevet godt nok.";
    let page = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "reject"), ("reason", reason)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.request_status(&reference), "rejected");
    let supplier = app.login_as(SUPPLIER).await;
    let detail = supplier.get(&format!("/requests/{id}")).await;
    assert!(detail.contains(reason));
    assert!(detail.contains("Afvist"));
    assert!(open_agreement(&app, PLADS_SERVICE, "G10202").is_none());
}

#[tokio::test]
async fn the_officer_sees_but_does_not_decide_for_a_self_governing_institution() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(APP_SERVICE, "G10602");
    let detail = officer.get(&format!("/requests/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        !detail.contains("/decision"),
        "no decide form for the officer"
    );
    let attempt = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "STAMDATA")],
        )
        .await;
    assert_eq!(attempt.status, StatusCode::FORBIDDEN);
    assert_eq!(app.request_status(&reference), "pending");

    let staff = app.login_as(STAFF).await;
    let inbox = staff.get("/inbox").await;
    assert!(inbox.contains(&reference));
    let page = staff
        .post(
            &format!("/requests/{id}/decision"),
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
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.request_status(&reference), "approved");
    let role: String = app.with_db(|c| {
        use tilslutning::db::schema::requests;
        requests::table
            .find(&id)
            .select(requests::decided_role.assume_not_null())
            .first(c)
            .expect("role")
    });
    assert_eq!(
        role, "institution_staff",
        "the decision records the role it was made in"
    );
}

#[tokio::test]
async fn bulk_decisions_cover_many_institutions_at_once() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (a, ref_a) = app.pending(APP_SERVICE, "G10101");
    let (b, ref_b) = app.pending(PLADS_SERVICE, "G10203");
    let inbox = officer.get("/inbox").await;
    assert!(inbox.contains(&ref_a) && inbox.contains(&ref_b));
    let klynge_1 = inbox
        .body
        .find("Klynge G10100 Daginstitution Solsikken")
        .expect("grouped under klynge G10100");
    let klynge_2 = inbox
        .body
        .find("Klynge G10200 Daginstitution Mælkebøtten")
        .expect("grouped under klynge G10200");
    let (pos_a, pos_b) = (
        inbox.body.find(&ref_a).expect("a"),
        inbox.body.find(&ref_b).expect("b"),
    );
    assert!(
        klynge_1 < pos_a && pos_a < klynge_2 && klynge_2 < pos_b,
        "each unit under its klynge"
    );
    assert!(
        !inbox.contains(&app.pending(APP_SERVICE, "G10602").1),
        "self-governing units are not in the officer's inbox"
    );

    let missing_reason = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("ids", &a),
                ("ids", &b),
                ("decision", "reject"),
            ],
        )
        .await;
    assert_eq!(missing_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing_reason.contains(&format!("value=\"{a}\" id=\"sel-{a}\" checked")),
        "the selection is kept"
    );
    assert_eq!(app.request_status(&ref_a), "pending");

    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("ids", &a),
                ("ids", &b),
                ("decision", "approve"),
                ("confirm_sensitive", &b),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.location
            .as_deref()
            .unwrap_or_default()
            .contains("done=2")
    );
    assert_eq!(app.request_status(&ref_a), "approved");
    assert_eq!(app.request_status(&ref_b), "approved");

    // Everything matching a filter: the rest of klynge G10100.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("all_matching", "1"),
                ("institution", "G10100"),
                ("decision", "reject"),
                ("reason", "Ikke i år."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    for unit in ["G10102", "G10103", "G10104"] {
        let rejected: i64 = app.with_db(|c| {
            use tilslutning::db::schema::requests;
            requests::table
                .filter(requests::institution_number.eq(unit))
                .filter(requests::status.eq("rejected"))
                .count()
                .get_result(c)
                .expect("count")
        });
        assert_eq!(rejected, 1, "{unit}");
    }
    assert_eq!(
        app.request_status(&ref_a),
        "approved",
        "already decided rows are left alone"
    );
}

#[tokio::test]
async fn approving_an_extension_adds_scopes_to_the_same_agreement() {
    let app = spawn_app().await;
    let (agreement_id, _) = open_agreement(&app, PLADS_SERVICE, "G10402").expect("demo agreement");
    assert_eq!(
        agreement_scopes_of(&app, &agreement_id),
        vec!["STAMDATA".to_string()]
    );
    let supplier = app.login_as(SUPPLIER).await;
    let page = app
        .file(
            &supplier,
            PLADS_SERVICE,
            &["STAMDATA", "INDMELDELSER"],
            "G10402",
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (id, _) = app.pending(PLADS_SERVICE, "G10402");
    let officer = app.login_as(OFFICER).await;
    let page = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "INDMELDELSER")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (still, _) = open_agreement(&app, PLADS_SERVICE, "G10402").expect("agreement");
    assert_eq!(still, agreement_id, "the same agreement");
    assert_eq!(
        agreement_scopes_of(&app, &agreement_id),
        vec!["INDMELDELSER".to_string(), "STAMDATA".to_string()]
    );
    assert_eq!(
        app.audit_actions_for(&agreement_id),
        vec!["agreement.created", "agreement.extended"]
    );
}

#[tokio::test]
async fn agreements_are_revoked_with_a_reason_and_terminated_once() {
    let app = spawn_app().await;
    let (revocable, _) = open_agreement(&app, PLADS_SERVICE, "G10401").expect("demo agreement");
    let officer = app.login_as(OFFICER).await;
    let bare = officer
        .post(
            &format!("/agreements/{revocable}/revoke"),
            &[("confirmed", "yes"), ("reason", "")],
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.contains("Skriv en begrundelse"));
    let page = officer
        .post(
            &format!("/agreements/{revocable}/revoke"),
            &[("confirmed", "yes"), ("reason", "Tjenesten bruges ikke.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(open_agreement(&app, PLADS_SERVICE, "G10401").is_none());

    let supplier = app.login_as(SUPPLIER).await;
    let late = supplier
        .post(
            &format!("/agreements/{revocable}/terminate"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.contains("allerede afsluttet"));
    let detail = supplier.get(&format!("/agreements/{revocable}")).await;
    assert!(
        detail.contains("Tilbagekaldt")
            && detail.contains("SLETTET")
            && detail.contains("Tjenesten bruges ikke.")
    );

    let (terminable, _) = open_agreement(&app, PLADS_SERVICE, "G10402").expect("demo agreement");
    let page = supplier
        .post(
            &format!("/agreements/{terminable}/terminate"),
            &[("confirmed", "yes"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(open_agreement(&app, PLADS_SERVICE, "G10402").is_none());
    assert_eq!(
        app.audit_actions_for(&terminable),
        vec!["agreement.created", "agreement.terminated"]
    );
}

#[tokio::test]
async fn a_decision_needs_at_least_one_requested_scope() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let none = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.contains("Vælg mindst én dataadgang"));
    let foreign = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "BOERN")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.contains("kun godkendes dataadgange, som anmodningen omfatter"));
    assert_eq!(app.request_status(&reference), "pending");
}

#[tokio::test]
async fn an_approvals_comment_is_kept_in_the_request_its_history_and_the_audit_row() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(APP_SERVICE, "G10101");
    let comment = "Godkendt til skoleåret; vi ser på det igen i maj.";
    let page = officer
        .post(
            &format!("/requests/{id}/decision"),
            &[
                ("decision", "approve"),
                ("scopes", "STAMDATA"),
                ("refused_scope", "BOERN"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
                ("refused_scope", "FORAELDRE"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
                ("refused_scope", "UNILOGIN"),
                ("refused_reason", "Ikke nødvendig for tjenesten."),
                ("reason", comment),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.request_status(&reference), "approved");

    let supplier = app.login_as(SUPPLIER).await;
    let detail = supplier.get(&format!("/requests/{id}")).await;
    assert!(
        detail.contains(
            "<dt>Kommentar</dt><dd>Godkendt til skoleåret; vi ser på det igen i maj.</dd>"
        ),
        "the supplier sees the comment: {}",
        detail.body
    );
    assert!(
        detail.contains("Kommentar: Godkendt til skoleåret"),
        "the history line carries it"
    );
    let details: String = app.with_db(|c| {
        use tilslutning::db::schema::audit_log;
        audit_log::table
            .filter(audit_log::target_id.eq(&id))
            .filter(audit_log::action.eq("request.approved"))
            .select(audit_log::details)
            .first(c)
            .expect("audit row")
    });
    let details: serde_json::Value = serde_json::from_str(&details).expect("json");
    assert_eq!(details["reason"], comment, "{details}");

    // A bulk approval keeps its comment too; a blank one stores nothing.
    let (bulk, bulk_ref) = app.pending(APP_SERVICE, "G10102");
    let (blank, blank_ref) = app.pending(APP_SERVICE, "G10103");
    for (id, text) in [(&bulk, "Samlet godkendelse."), (&blank, "   ")] {
        let page = officer
            .post(
                "/inbox/decide",
                &[
                    ("confirmed", "yes"),
                    ("ids", id),
                    ("decision", "approve"),
                    ("reason", text),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let stored = |reference: &str| -> Option<String> {
        app.with_db(|c| {
            use tilslutning::db::schema::requests;
            requests::table
                .filter(requests::reference.eq(reference))
                .select(requests::decision_reason)
                .first(c)
                .expect("row")
        })
    };
    assert_eq!(app.request_status(&bulk_ref), "approved");
    assert_eq!(stored(&bulk_ref).as_deref(), Some("Samlet godkendelse."));
    assert_eq!(stored(&blank_ref), None);
}

fn granted_scopes(app: &TestApp, request: &str) -> Vec<String> {
    app.with_db(|c| {
        request_scopes::table
            .filter(request_scopes::request_id.eq(request))
            .filter(request_scopes::granted.eq(true))
            .select(request_scopes::scope_code)
            .order(request_scopes::scope_code)
            .load(c)
            .expect("scopes")
    })
}

/// CPR numbers and other sensitive scopes are never approved unseen in bulk: the inbox
/// marks them on each row; without a confirmation of that very request a bulk approval
/// leaves it pending and says so; "all matching" follows the same rule; a confirmed
/// request is granted its sensitive scopes.
#[tokio::test]
async fn a_bulk_approval_grants_sensitive_scopes_only_when_confirmed_request_by_request() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (cpr_1, cpr_1_ref) = app.pending(PLADS_SERVICE, "G10201");
    let (cpr_2, cpr_2_ref) = app.pending(PLADS_SERVICE, "G10202");
    let (plain, plain_ref) = app.pending(APP_SERVICE, "G10101");

    let inbox = officer.get("/inbox?institution=G10200").await;
    assert!(
        inbox.contains("CPR-numre <strong class=\"tag-sensitive\">(følsom)</strong>"),
        "each row shows its scopes with the sensitive ones marked: {}",
        inbox.body
    );
    assert!(inbox.contains("Institutionens stamdata"));
    assert!(
        inbox.contains(&format!("name=\"confirm_sensitive\" value=\"{cpr_1}\"")),
        "the confirmation lists the request"
    );
    assert!(inbox.contains(&format!("<strong>CPR-numre</strong> i {cpr_1_ref}")));

    // Ticked rows, no confirmation: the plain one is approved, the CPR one stays pending.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("ids", &plain),
                ("ids", &cpr_1),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let location = page.location.clone().unwrap_or_default();
    assert!(
        location.contains("done=1") && location.contains("sensitive_left=1"),
        "{location}"
    );
    assert_eq!(app.request_status(&plain_ref), "approved");
    assert_eq!(app.request_status(&cpr_1_ref), "pending");
    let result = officer.get(&location).await;
    assert!(
        result.contains("1 anmodning med følsomme dataadgange blev ikke godkendt og venter stadig"),
        "{}",
        result.body
    );

    // A confirmation of another request does not cover this one.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("ids", &cpr_1),
                ("decision", "approve"),
                ("confirm_sensitive", &cpr_2),
            ],
        )
        .await;
    assert!(
        page.location
            .unwrap_or_default()
            .contains("sensitive_left=1")
    );
    assert_eq!(app.request_status(&cpr_1_ref), "pending");

    // "All matching" follows the same rule.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("all_matching", "1"),
                ("institution", "G10200"),
                ("decision", "approve"),
            ],
        )
        .await;
    let location = page.location.unwrap_or_default();
    assert!(location.contains("sensitive_left=3"), "{location}");
    assert_eq!(app.request_status(&cpr_1_ref), "pending");
    assert_eq!(app.request_status(&cpr_2_ref), "pending");

    // Confirmed: granted in full, CPR included.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("all_matching", "1"),
                ("institution", "G10200"),
                ("decision", "approve"),
                ("confirm_sensitive", &cpr_1),
            ],
        )
        .await;
    let location = page.location.unwrap_or_default();
    assert!(
        location.contains("done=1") && location.contains("sensitive_left=2"),
        "{location}"
    );
    assert_eq!(app.request_status(&cpr_1_ref), "approved");
    assert!(granted_scopes(&app, &cpr_1).contains(&"CPR".to_string()));
    assert_eq!(app.request_status(&cpr_2_ref), "pending");

    // A bulk rejection needs no confirmation: it grants nothing.
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("ids", &cpr_2),
                ("decision", "reject"),
                ("reason", "Ikke nu."),
            ],
        )
        .await;
    assert!(page.location.unwrap_or_default().contains("done=1"));
    assert_eq!(app.request_status(&cpr_2_ref), "rejected");
}

#[tokio::test]
async fn ending_an_agreement_and_bulk_decisions_are_confirmed_first_naming_what_happens() {
    let app = spawn_app().await;
    let (agreement, _) = open_agreement(&app, PLADS_SERVICE, "G10401").expect("demo agreement");
    let officer = app.login_as(OFFICER).await;
    let step = officer
        .post(
            &format!("/agreements/{agreement}/revoke"),
            &[("reason", "Bruges ikke.")],
        )
        .await;
    assert_eq!(step.status, StatusCode::OK);
    for expected in [
        "Tilbagekald aftale",
        "mister med det samme adgangen til G10401",
        "Det kan ikke fortrydes.",
        "Bruges ikke.",
        r#"name="confirmed" value="yes""#,
        "Ja, tilbagekald aftalen",
    ] {
        assert!(step.contains(expected), "{expected}: {}", step.body);
    }
    assert!(
        open_agreement(&app, PLADS_SERVICE, "G10401").is_some(),
        "nothing happens before the confirmation"
    );
    let done = officer
        .post(
            &format!("/agreements/{agreement}/revoke"),
            &[("reason", "Bruges ikke."), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(open_agreement(&app, PLADS_SERVICE, "G10401").is_none());

    let supplier = app.login_as(SUPPLIER).await;
    let (terminable, _) = open_agreement(&app, PLADS_SERVICE, "G10402").expect("demo agreement");
    let other = app.login_as(OTHER_SUPPLIER).await;
    let refused = other
        .post(&format!("/agreements/{terminable}/terminate"), &[])
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "the step is not shown to someone who may not end it: {}",
        refused.status
    );
    let step = supplier
        .post(&format!("/agreements/{terminable}/terminate"), &[])
        .await;
    assert!(step.contains("Opsig aftale") && step.contains("Ja, opsig aftalen"));

    let filed = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10301\nG10302")
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER);
    let (a, b) = (
        app.pending(PLADS_SERVICE, "G10301").0,
        app.pending(PLADS_SERVICE, "G10302").0,
    );
    let step = officer
        .post(
            "/inbox/decide",
            &[("ids", &a), ("ids", &b), ("decision", "approve")],
        )
        .await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(
        step.contains("Godkend 2 anmodninger?")
            && step.contains("De 2 valgte anmodninger godkendes")
            && step.contains(&format!(r#"name="ids" value="{a}""#)),
        "{}",
        step.body
    );
    assert_eq!(
        app.request_status_of(&a),
        "pending",
        "nothing is decided before the confirmation"
    );

    // "All that match" a filter that does not parse is refused, not all of the inbox.
    let garbled = officer
        .post(
            "/inbox/decide",
            &[
                ("all_matching", "1"),
                ("institution", "G1"),
                ("decision", "approve"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.request_status_of(&a), "pending");
    assert_eq!(app.request_status_of(&b), "pending");
}
