//! Decisions scope by scope: a partial approval needs a reason for each scope left out
//! (on the page, through the API), and the supplier reads each reason on the request
//! page, in the receipt mail and through the API; the audit viewer shows them; bulk
//! decisions stay all-or-nothing. An extension request reads as what the agreement has
//! and what is added. The inbox shows each row's age and scopes and selects a klynge's
//! rows at once, and only those are decided.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::{request_scopes, requests};

use crate::api_client::machine_of;
use crate::helpers::*;
use crate::mail::{smtp_app, unsent};

const WHY_ENROLMENTS: &str = "Indmeldelser går gennem kommunens pladsanvisning.";
const WHY_CPR: &str = "CPR-numre er ikke nødvendige for pladsanvisning.";

/// (scope, granted, refusal reason) of a request, by scope code.
fn scope_outcomes(app: &TestApp, id: &str) -> Vec<(String, Option<bool>, Option<String>)> {
    app.with_db(|c| {
        request_scopes::table
            .filter(request_scopes::request_id.eq(id))
            .order(request_scopes::scope_code)
            .select((
                request_scopes::scope_code,
                request_scopes::granted,
                request_scopes::refusal_reason,
            ))
            .load(c)
            .expect("scopes")
    })
}

/// The page's decision form fields: grant `granted`, and a reason field per requested scope.
fn decision_fields<'a>(
    granted: &[&'a str],
    reasons: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![("decision", "approve")];
    for s in granted {
        fields.push(("scopes", s));
    }
    for (scope, why) in reasons {
        fields.push(("refused_scope", scope));
        fields.push(("refused_reason", why));
    }
    fields
}

fn is_checked(html: &str, scope: &str) -> bool {
    let needle = format!("name=\"scopes\" value=\"{scope}\"");
    html.split('<')
        .find(|tag| tag.contains(&needle))
        .is_some_and(|tag| tag.contains(" checked"))
}

#[tokio::test]
async fn a_partial_approval_asks_a_reason_per_refused_scope_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let form = officer.get(&format!("/requests/{id}")).await;
    assert!(
        form.contains("name=\"refused_reason\"") && form.contains("id=\"refusal-CPR\""),
        "a reason field per scope"
    );

    // CPR left out without a reason: the form comes back with everything kept.
    let fields = decision_fields(
        &["STAMDATA"],
        &[
            ("STAMDATA", ""),
            ("INDMELDELSER", WHY_ENROLMENTS),
            ("CPR", "  "),
        ],
    );
    let refused = officer
        .post(&format!("/requests/{id}/decision"), &fields)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("Skriv en begrundelse for hver dataadgang, du ikke godkender"),
        "{}",
        refused.body
    );
    assert!(
        refused.contains("href=\"#refusal-CPR\""),
        "the summary links the field"
    );
    assert!(refused.contains("id=\"refusal-CPR-error\""));
    assert!(!refused.contains("id=\"refusal-INDMELDELSER-error\""));
    assert!(refused.contains(WHY_ENROLMENTS), "the typed reason is kept");
    assert!(is_checked(&refused.body, "STAMDATA"));
    assert!(!is_checked(&refused.body, "INDMELDELSER") && !is_checked(&refused.body, "CPR"));
    assert_eq!(app.request_status(&reference), "pending");

    let fields = decision_fields(
        &["STAMDATA"],
        &[
            ("STAMDATA", "typed, then granted after all"),
            ("INDMELDELSER", WHY_ENROLMENTS),
            ("CPR", WHY_CPR),
        ],
    );
    let done = officer
        .post(&format!("/requests/{id}/decision"), &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        scope_outcomes(&app, &id),
        vec![
            ("CPR".into(), Some(false), Some(WHY_CPR.into())),
            (
                "INDMELDELSER".into(),
                Some(false),
                Some(WHY_ENROLMENTS.into())
            ),
            ("STAMDATA".into(), Some(true), None),
        ]
    );
    let audit = app.audit_details_for(&id);
    assert!(
        audit[1].contains("refusal_reasons") && audit[1].contains(WHY_CPR),
        "{audit:?}"
    );

    let supplier = app.login_as(SUPPLIER).await;
    let page = supplier.get(&format!("/requests/{id}")).await;
    assert!(
        page.contains(&format!("Begrundelse: {WHY_CPR}")),
        "{}",
        page.body
    );
    assert!(page.contains(&format!("Begrundelse: {WHY_ENROLMENTS}")));
    assert!(!page.contains("typed, then granted after all"));

    let operator = app.login_as(OPERATOR).await;
    let viewer = operator.get("/audit?action=request.approved").await;
    assert!(
        viewer.contains("Begrundelser for dataadgange, der ikke blev godkendt")
            && viewer.contains(&format!("CPR-numre: {WHY_CPR}")),
        "{}",
        viewer.body
    );
}

#[tokio::test]
async fn the_wrong_person_cannot_decide_with_reasons() {
    let app = spawn_app().await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let fields = decision_fields(&["STAMDATA"], &[("INDMELDELSER", "x"), ("CPR", "y")]);
    let supplier = app.login_as(SUPPLIER).await;
    let own = supplier
        .post(&format!("/requests/{id}/decision"), &fields)
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let other = app.login_as(OTHER_SUPPLIER).await;
    let theirs = other
        .post(&format!("/requests/{id}/decision"), &fields)
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let token = machine_of(&app, OFFICER, "approver", &["read"]).await;
    let read_only = token
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            "/api/v1/requests/{id}/decision",
            &json!({ "decision": "approve", "scopes": ["STAMDATA"],
                "refusal_reasons": { "INDMELDELSER": "x", "CPR": "y" } }),
        )
        .await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
    assert_eq!(app.request_status(&reference), "pending");
}

#[tokio::test]
async fn the_receipt_mail_gives_each_refused_scope_its_reason() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let fields = decision_fields(
        &["STAMDATA"],
        &[("INDMELDELSER", WHY_ENROLMENTS), ("CPR", WHY_CPR)],
    );
    let done = officer
        .post(&format!("/requests/{id}/decision"), &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    wait_until(15, "the receipt reaches the supplier", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains(&reference))
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;
    let mail = smtp
        .to(SUPPLIER)
        .into_iter()
        .find(|m| m.subject.contains(&reference))
        .expect("receipt");
    assert!(
        mail.text.contains(&format!(
            "Ikke godkendt: Indmeldelser og ventelister – begrundelse: {WHY_ENROLMENTS}"
        )),
        "{}",
        mail.text
    );
    assert!(mail.text.contains(WHY_CPR), "{}", mail.text);
    assert!(
        mail.html.contains("CPR-numre er ikke nødvendige"),
        "{}",
        mail.html
    );
    assert!(mail.text.contains("Godkendt: Institutionens stamdata"));
}

#[tokio::test]
async fn through_the_api_a_partial_approval_needs_its_reasons_and_shows_them() {
    let app = spawn_app().await;
    let officer = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let path = format!("/api/v1/requests/{id}/decision");
    let template = "/api/v1/requests/{id}/decision";
    let missing = officer
        .post(
            &path,
            template,
            &json!({ "decision": "approve", "scopes": ["STAMDATA"],
                "refusal_reasons": { "INDMELDELSER": WHY_ENROLMENTS } }),
        )
        .await;
    assert_eq!(
        (missing.status, missing.code(), missing.field()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "refusal_reason_required",
            "/refusal_reasons/CPR"
        ),
        "the pointer names the scope without a reason: {}",
        missing.body
    );
    let blank = officer
        .post(
            &path,
            template,
            &json!({ "decision": "approve", "scopes": ["STAMDATA", "CPR"],
                "refusal_reasons": { "INDMELDELSER": "  " } }),
        )
        .await;
    assert_eq!(
        (blank.code(), blank.field()),
        ("refusal_reason_required", "/refusal_reasons/INDMELDELSER"),
        "a blank reason is none: {}",
        blank.body
    );
    let elsewhere = officer
        .post(
            &path,
            template,
            &json!({ "decision": "approve", "scopes": ["STAMDATA"],
                "refusal_reasons": { "INDMELDELSER": "a", "CPR": "b", "KARAKTERER": "c" } }),
        )
        .await;
    assert_eq!(
        (elsewhere.status, elsewhere.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
    );
    assert_eq!(app.request_status(&reference), "pending");

    let done = officer
        .post(
            &path,
            template,
            &json!({ "decision": "approve", "scopes": ["STAMDATA"],
                "refusal_reasons": { "INDMELDELSER": WHY_ENROLMENTS, "CPR": WHY_CPR } }),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let read = supplier
        .get(&format!("/api/v1/requests/{id}"), "/api/v1/requests/{id}")
        .await;
    let reason_of = |code: &str| {
        read.body["scopes"]
            .as_array()
            .expect("scopes")
            .iter()
            .find(|s| s["code"] == code)
            .map(|s| s["refusal_reason"].clone())
    };
    assert_eq!(reason_of("CPR"), Some(json!(WHY_CPR)));
    assert_eq!(reason_of("INDMELDELSER"), Some(json!(WHY_ENROLMENTS)));
    assert_eq!(reason_of("STAMDATA"), Some(serde_json::Value::Null));

    // A whole rejection keeps its one reason; no reason per scope is asked for.
    let (other, _) = app.pending(PLADS_SERVICE, "G10202");
    let rejected = officer
        .post(
            &format!("/api/v1/requests/{other}/decision"),
            template,
            &json!({ "decision": "reject", "reason": "Ikke nu" }),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
}

#[tokio::test]
async fn bulk_decisions_grant_or_refuse_every_scope_without_reasons_per_scope() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("ids", id.as_str()),
                ("decision", "approve"),
                ("confirm_sensitive", id.as_str()),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.request_status(&reference), "approved");
    assert!(
        scope_outcomes(&app, &id)
            .iter()
            .all(|(_, granted, why)| *granted == Some(true) && why.is_none())
    );
    let stored: i64 = app.with_db(|c| {
        request_scopes::table
            .filter(request_scopes::refusal_reason.is_not_null())
            .inner_join(requests::table)
            .filter(requests::decided_by.is_not_null())
            .count()
            .get_result(c)
            .expect("count")
    });
    // Only the demo data's one partial approval carries reasons.
    assert_eq!(stored, 1);
}

/// The `<tr>` of `html` holding `text`.
fn row_with<'a>(html: &'a str, text: &str) -> &'a str {
    html.split("<tr")
        .find(|row| row.contains(text))
        .unwrap_or_else(|| panic!("a row with {text}"))
}

/// The ids of the ticked row checkboxes of an inbox page.
fn ticked(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = html
        .split('<')
        .filter(|tag| {
            tag.starts_with("input type=\"checkbox\" name=\"ids\"") && tag.contains(" checked")
        })
        .filter_map(|tag| tag.split("value=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    ids.sort();
    ids
}

/// The ids of the rows of klynge `klynge` on an inbox page.
fn rows_of(html: &str, klynge: &str) -> Vec<String> {
    let mut ids: Vec<String> = html
        .split('<')
        .filter(|tag| {
            tag.starts_with("input type=\"checkbox\" name=\"ids\"")
                && tag.contains(&format!("data-klynge=\"{klynge}\""))
        })
        .filter_map(|tag| tag.split("value=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    ids.sort();
    ids
}

fn pending_ids(app: &TestApp) -> Vec<String> {
    app.with_db(|c| {
        requests::table
            .filter(requests::status.eq("pending"))
            .order(requests::id)
            .select(requests::id)
            .load(c)
            .expect("pending")
    })
}

#[tokio::test]
async fn an_extension_reads_as_what_the_agreement_has_and_what_is_added() {
    let app = spawn_app().await;
    let (id, _) = app.pending(PLADS_SERVICE, "G10604");
    let (agreement_id, agreement_ref): (String, String) = app.with_db(|c| {
        use tilslutning::db::schema::agreements;
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::institution_number.eq("G10604"))
            .filter(agreements::status.eq("active"))
            .select((agreements::id, agreements::reference))
            .first(c)
            .expect("the demo agreement")
    });
    for who in [STAFF, SUPPLIER] {
        let page = app
            .login_as(who)
            .await
            .get(&format!("/requests/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.contains(&format!("Udvidelse af aftale {agreement_ref}")),
            "{who}"
        );
        let has = page
            .body
            .split("class=\"extension-has\"")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .expect("what the agreement has");
        assert!(
            has.contains("Institutionens stamdata") && has.contains("Indmeldelser og ventelister")
        );
        assert!(!has.contains("Grupper og relationer"));
        let added = page
            .body
            .split("class=\"extension-added\"")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .expect("what is added");
        assert!(
            added.contains("Grupper og relationer") && !added.contains("Institutionens stamdata")
        );
        assert!(page.contains("Har i forvejen") && page.contains("Tilføjes"));
        assert!(
            page.contains(&format!("href=\"/agreements/{agreement_id}\"")),
            "{who}"
        );
    }
    // A new request is no extension.
    let (plain, _) = app.pending(PLADS_SERVICE, "G10201");
    let page = app
        .login_as(OFFICER)
        .await
        .get(&format!("/requests/{plain}"))
        .await;
    assert!(!page.contains("Har i forvejen"));
}

#[tokio::test]
async fn the_new_request_mail_shows_an_extension_as_what_is_added() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
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
    let (_, reference) = app.pending(PLADS_SERVICE, "G10402");
    wait_until(15, "the officer is told", || {
        smtp.to(OFFICER).iter().any(|m| m.text.contains(&reference))
    })
    .await;
    let mail = smtp
        .to(OFFICER)
        .into_iter()
        .find(|m| m.text.contains(&reference))
        .expect("mail");
    assert!(
        mail.text.contains("Har i forvejen (aftale AF-")
            && mail.text.contains("): Institutionens stamdata"),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains("Tilføjes: Indmeldelser og ventelister"),
        "{}",
        mail.text
    );
}

#[tokio::test]
async fn each_inbox_row_shows_its_age_and_scopes() {
    let app = spawn_app().await;
    let (id, reference) = app.pending(PLADS_SERVICE, "G10201");
    app.with_db(|c| {
        let three_days_ago = tilslutning::db::now() - time::Duration::days(3);
        diesel::update(requests::table.find(&id))
            .set(requests::filed_at.eq(three_days_ago))
            .execute(c)
            .expect("backdate")
    });
    let officer = app.login_as(OFFICER).await;
    let inbox = officer.get("/inbox").await;
    assert!(inbox.contains("Ventet"));
    let row = row_with(&inbox.body, &reference);
    assert!(row.contains("3 dage"), "{row}");
    assert!(row.contains("Indmeldelser og ventelister"), "{row}");
    assert!(
        row.contains("CPR-numre <strong class=\"tag-sensitive\">(følsom)</strong>"),
        "sensitive scopes are marked: {row}"
    );
    let (today, today_ref) = app.pending(APP_SERVICE, "G10101");
    assert!(
        row_with(&inbox.body, &today_ref).contains("i dag"),
        "{today}"
    );

    let english = app.login_as(OFFICER).await;
    english
        .post("/profile", &[("language", "en"), ("mail", "immediate")])
        .await;
    let inbox = english.get("/inbox").await;
    let row = row_with(&inbox.body, &reference);
    assert!(
        row.contains("3 days") && row.contains("CPR numbers"),
        "{row}"
    );
}

#[tokio::test]
async fn select_all_in_a_klynge_ticks_and_decides_exactly_that_klynges_rows() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let inbox = officer.get("/inbox").await;
    assert!(
        inbox.contains("name=\"select_klynge\" value=\"G10100\""),
        "a select-all per klynge that works without JavaScript"
    );
    assert!(inbox.contains("src=\"/static/inbox.js\""));
    let klynge = rows_of(&inbox.body, "G10100");
    assert!(
        klynge.len() >= 2,
        "the demo klynge has several rows: {klynge:?}"
    );
    let (other, _) = app.pending(PLADS_SERVICE, "G10201");
    assert!(!klynge.contains(&other));

    // Without JavaScript: the button posts the form back, deciding nothing, and the page
    // returns with the klynge's rows ticked besides what was ticked and typed before.
    let before = pending_ids(&app);
    let page = officer
        .post(
            "/inbox/decide",
            &[
                ("select_klynge", "G10100"),
                ("ids", other.as_str()),
                ("reason", "Skrevet før"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(pending_ids(&app), before, "selecting decides nothing");
    let mut expected = klynge.clone();
    expected.push(other.clone());
    expected.sort();
    assert_eq!(ticked(&page.body), expected);
    assert!(page.contains("Skrevet før"), "typed text kept");

    // The klynge's rows alone, as the page now ticks them, are decided and nothing else.
    let page = officer
        .post("/inbox/decide", &[("select_klynge", "G10100")])
        .await;
    let chosen = ticked(&page.body);
    assert_eq!(chosen, klynge);
    let mut fields: Vec<(&str, &str)> = chosen.iter().map(|id| ("ids", id.as_str())).collect();
    fields.extend([("decision", "approve"), ("confirmed", "1")]);
    let done = officer.post("/inbox/decide", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    for id in &klynge {
        assert_eq!(app.request_status_of(id), "approved");
    }
    let left: Vec<String> = before
        .into_iter()
        .filter(|id| !klynge.contains(id))
        .collect();
    assert_eq!(
        pending_ids(&app),
        left,
        "nothing outside the klynge was decided"
    );

    // Not someone who decides nothing.
    let supplier = app.login_as(SUPPLIER).await;
    let refused = supplier
        .post("/inbox/decide", &[("select_klynge", "G10100")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_inbox_script_is_served_from_static() {
    let app = spawn_app().await;
    let script = app.login_as(OFFICER).await.get("/static/inbox.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.contains("select-klynge"));
}
