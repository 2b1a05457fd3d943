//! An agreement's life after approval, through the pages and the API on a real SMTP
//! server: the institution side puts it on hold ("sat i bero") and resumes it, a supplier
//! pauses and resumes a whole service without lifting the institution's own hold, the
//! access check and the change feed follow each step, both sides are mailed, and the wrong
//! person is refused.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::agreements;

use crate::api_client::{Machine, machine_of, make_token};
use crate::helpers::*;
use crate::mail::{smtp_app, unsent};

/// The demo supplier's services page, where its services are paused and resumed.
const SERVICES_PAGE: &str = "/suppliers/demo-supplier-1/services";

/// The open agreement of `service` at `unit`, made to have started a month ago so the
/// access check can answer yes.
fn started_agreement(app: &TestApp, service: &str, unit: &str) -> String {
    app.with_db(|c| {
        let id: String = agreements::table
            .filter(agreements::service_id.eq(service))
            .filter(agreements::institution_number.eq(unit))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .select(agreements::id)
            .first(c)
            .expect("agreement");
        diesel::update(agreements::table.find(&id))
            .set(agreements::starts_on.eq(tilslutning::db::now().date() - time::Duration::days(30)))
            .execute(c)
            .expect("started");
        id
    })
}

fn status_of(app: &TestApp, id: &str) -> String {
    app.with_db(|c| {
        agreements::table
            .find(id)
            .select(agreements::status)
            .first(c)
            .expect("status")
    })
}

async fn access_machine(app: &TestApp) -> Machine {
    let operator = app.login_as(OPERATOR).await;
    let token = make_token(&operator, "access_check", &["access"]).await;
    Machine::new(app, Some(token)).await
}

async fn allowed(machine: &Machine, service: &str, unit: &str) -> (bool, String) {
    let answer = machine
        .get(
            &format!("/api/v1/access?service={service}&scope=STAMDATA&institution={unit}"),
            "/api/v1/access",
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    (
        answer.body["allowed"].as_bool().expect("allowed"),
        answer.body["national_status"]
            .as_str()
            .unwrap_or("")
            .to_string(),
    )
}

#[tokio::test]
async fn the_institution_side_suspends_and_resumes_and_the_access_check_and_mail_follow() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let id = started_agreement(&app, PLADS_SERVICE, "G10401");
    let checker = access_machine(&app).await;
    assert_eq!(
        allowed(&checker, PLADS_SERVICE, "G10401").await,
        (true, "GODKENDT".into())
    );
    let officer = app.login_as(OFFICER).await;
    let page = officer.get(&format!("/agreements/{id}")).await;
    assert!(page.contains("Sæt aftalen i bero"), "{}", page.body);

    // No reason: the form comes back with a clear message, nothing changes.
    let refused = officer
        .post(
            &format!("/agreements/{id}/suspend"),
            &[("reason", "   "), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Skriv en begrundelse"), "{}", refused.body);
    assert_eq!(status_of(&app, &id), "active");

    // With a reason: first the confirmation step, then the hold.
    let reason = "Databehandleraftalen skal fornyes.";
    let confirm = officer
        .post(&format!("/agreements/{id}/suspend"), &[("reason", reason)])
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.contains("Ja, sæt aftalen i bero"),
        "{}",
        confirm.body
    );
    assert!(confirm.contains(reason));
    assert_eq!(status_of(&app, &id), "active", "not before it is confirmed");
    let done = officer
        .post(
            &format!("/agreements/{id}/suspend"),
            &[("reason", reason), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(status_of(&app, &id), "suspended");
    assert_eq!(
        allowed(&checker, PLADS_SERVICE, "G10401").await,
        (false, "VENTER".into())
    );
    let shown = officer
        .get(&format!("/agreements/{id}?notice=suspended"))
        .await;
    assert!(shown.contains("Aftalen er sat i bero"), "{}", shown.body);
    assert!(shown.contains(reason));
    assert!(shown.contains("Genoptag aftalen"));
    let list = officer.get("/agreements?status=suspended").await;
    assert!(list.contains(reason), "the list shows why: {}", list.body);
    let csv = officer.get("/agreements/export.csv?status=suspended").await;
    assert!(
        csv.contains(reason) && csv.contains("VENTER"),
        "{}",
        csv.body
    );

    // Suspending again is a clear refusal, not a 500.
    let again = officer
        .post(
            &format!("/agreements/{id}/suspend"),
            &[("reason", "Igen."), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.contains("allerede sat i bero"), "{}", again.body);

    // The wrong people: the supplier may not suspend, another supplier does not see it.
    let supplier = app.login_as(SUPPLIER).await;
    let by_supplier = supplier
        .post(&format!("/agreements/{id}/resume"), &[("confirmed", "yes")])
        .await;
    assert_eq!(by_supplier.status, StatusCode::FORBIDDEN);
    let other = app.login_as(OTHER_SUPPLIER).await;
    let by_other = other
        .post(
            &format!("/agreements/{id}/suspend"),
            &[("reason", "x"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(by_other.status, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, &id), "suspended");

    // Both sides are told, with the reason.
    wait_until(15, "both sides hear of the hold", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("er sat i bero") && m.text.contains(reason))
            && smtp
                .to(OFFICER)
                .iter()
                .any(|m| m.subject.contains("er sat i bero"))
    })
    .await;

    // Resuming: confirmed, then in force again.
    let confirm = officer.post(&format!("/agreements/{id}/resume"), &[]).await;
    assert!(confirm.contains("Ja, genoptag aftalen"), "{}", confirm.body);
    let resumed = officer
        .post(&format!("/agreements/{id}/resume"), &[("confirmed", "yes")])
        .await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER, "{}", resumed.body);
    assert_eq!(status_of(&app, &id), "active");
    assert_eq!(
        allowed(&checker, PLADS_SERVICE, "G10401").await,
        (true, "GODKENDT".into())
    );
    let twice = officer
        .post(&format!("/agreements/{id}/resume"), &[("confirmed", "yes")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.contains("ikke sat i bero"), "{}", twice.body);
    wait_until(15, "both sides hear of the resumption", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("er genoptaget"))
            && smtp
                .to(OFFICER)
                .iter()
                .any(|m| m.subject.contains("er genoptaget"))
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;

    // The audit log and the change feed carry both steps.
    let actions = app.audit_actions_for(&id);
    assert!(actions.ends_with(&["agreement.suspended".into(), "agreement.resumed".into()]));
    let feed = checker
        .get(
            "/api/v1/agreements/changes?after=0",
            "/api/v1/agreements/changes",
        )
        .await;
    let kinds: Vec<&str> = feed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|c| c["agreement"]["id"] == id.as_str())
        .filter_map(|c| c["change"].as_str())
        .collect();
    assert!(kinds.ends_with(&["suspended", "resumed"]), "{kinds:?}");
}

#[tokio::test]
async fn a_supplier_pauses_a_service_and_its_resume_leaves_the_institutions_hold() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let held = started_agreement(&app, PLADS_SERVICE, "G10401");
    let free = started_agreement(&app, PLADS_SERVICE, "G10402");
    let checker = access_machine(&app).await;
    let officer = app.login_as(OFFICER).await;
    let institution_reason = "Institutionen holder pause.";
    let done = officer
        .post(
            &format!("/agreements/{held}/suspend"),
            &[("reason", institution_reason), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    let supplier = app.login_as(SUPPLIER).await;
    // The old holds page leads to the one services page, which offers the pause.
    let old = supplier.get("/service-holds").await;
    assert_eq!(old.status, StatusCode::SEE_OTHER);
    assert_eq!(old.location.as_deref(), Some(SERVICES_PAGE));
    let page = supplier.get(SERVICES_PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.contains("Sæt Børneportalen Pladsanvisning i bero"),
        "{}",
        page.body
    );
    assert!(
        !page.contains("Tjenester i bero"),
        "no second navigation entry"
    );
    assert!(!page.contains("Sat i bero af jer"), "nothing paused yet");
    let path = format!("/service-holds/{PLADS_SERVICE}/pause");
    let refused = supplier.post(&path, &[("reason", "  ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Skriv en begrundelse"), "{}", refused.body);
    assert!(
        refused.contains("Tjenester hos"),
        "the refusal comes back on the services page: {}",
        refused.body
    );
    let confirm = supplier
        .post(&path, &[("reason", "Vedligeholdelse af systemet.")])
        .await;
    assert!(
        confirm.contains("Ja, sæt tjenesten i bero"),
        "{}",
        confirm.body
    );
    assert!(
        confirm.contains(&format!(
            "href=\"{SERVICES_PAGE}#h-service-{PLADS_SERVICE}\""
        )),
        "the way back is the services page: {}",
        confirm.body
    );
    assert_eq!(status_of(&app, &free), "active");
    let paused = supplier
        .post(
            &path,
            &[
                ("reason", "Vedligeholdelse af systemet."),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER, "{}", paused.body);
    assert_eq!(
        paused.location.as_deref(),
        Some(format!("{SERVICES_PAGE}?notice=service-paused").as_str())
    );
    let listed = supplier.get(SERVICES_PAGE).await;
    assert!(listed.contains("Sat i bero af jer"), "{}", listed.body);
    assert!(
        listed.contains("Jeres begrundelse: Vedligeholdelse af systemet."),
        "{}",
        listed.body
    );
    assert!(listed.contains("Genoptag Børneportalen Pladsanvisning"));
    let open_plads: Vec<(String, String, Option<String>)> = app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .select((
                agreements::id,
                agreements::status,
                agreements::supplier_pause_reason,
            ))
            .load(c)
            .expect("agreements")
    });
    assert!(open_plads.len() >= 3);
    for (id, status, reason) in &open_plads {
        assert_eq!(status, "suspended", "{id}");
        assert_eq!(reason.as_deref(), Some("Vedligeholdelse af systemet."));
        assert_eq!(
            app.audit_actions_for(id).last().map(String::as_str),
            Some("agreement.suspended"),
            "one audit row per agreement"
        );
    }
    assert!(!allowed(&checker, PLADS_SERVICE, "G10402").await.0);

    // The wrong people: another supplier does not see the service, an officer has no page.
    let other = app.login_as(OTHER_SUPPLIER).await;
    let by_other = other
        .post(
            &format!("/service-holds/{PLADS_SERVICE}/resume"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(by_other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        officer.get("/service-holds").await.status,
        StatusCode::FORBIDDEN
    );

    // The supplier resumes: its own hold goes, the institution's stays.
    let resumed = supplier
        .post(
            &format!("/service-holds/{PLADS_SERVICE}/resume"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER, "{}", resumed.body);
    assert_eq!(
        resumed.location.as_deref(),
        Some(format!("{SERVICES_PAGE}?notice=service-resumed").as_str())
    );
    assert_eq!(status_of(&app, &free), "active");
    assert_eq!(status_of(&app, &held), "suspended");
    assert!(allowed(&checker, PLADS_SERVICE, "G10402").await.0);
    assert!(!allowed(&checker, PLADS_SERVICE, "G10401").await.0);
    let again = supplier
        .post(
            &format!("/service-holds/{PLADS_SERVICE}/resume"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.contains("Der er ingen aftaler at ændre for tjenesten."),
        "{}",
        again.body
    );
    assert!(again.contains("Tjenester hos"), "{}", again.body);

    // The institution lifts its own: in force again.
    officer
        .post(
            &format!("/agreements/{held}/resume"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(status_of(&app, &held), "active");
    assert!(allowed(&checker, PLADS_SERVICE, "G10401").await.0);

    wait_until(15, "both sides hear of the service pause", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("Pladsanvisning") && m.subject.contains("i bero"))
            && smtp.to(OFFICER).iter().any(|m| {
                m.subject.contains("Pladsanvisning")
                    && m.subject.contains("i bero")
                    && m.text.contains("Vedligeholdelse af systemet.")
            })
    })
    .await;
}

#[tokio::test]
async fn holds_through_the_api_each_side_lifting_its_own() {
    let app = spawn_app().await;
    let id = started_agreement(&app, PLADS_SERVICE, "G10401");
    let officer = machine_of(&app, OFFICER, "approver", &["decide", "revoke"]).await;
    let reader = machine_of(&app, OFFICER, "approver", &["decide"]).await;
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["terminate"]).await;
    let template = "/api/v1/agreements/{id}/suspend";
    let path = format!("/api/v1/agreements/{id}/suspend");

    let no_reason = officer.post(&path, template, &json!({})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.field(), "/reason");
    let not_permitted = reader
        .post(&path, template, &json!({"reason": "Pause."}))
        .await;
    assert_eq!(not_permitted.status, StatusCode::FORBIDDEN);
    let by_supplier = supplier
        .post(&path, template, &json!({"reason": "Pause."}))
        .await;
    assert_eq!(by_supplier.status, StatusCode::FORBIDDEN);

    let suspended = officer
        .post(&path, template, &json!({"reason": "Pause."}))
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.body);
    assert_eq!(suspended.body["status"], "suspended");
    assert_eq!(suspended.body["national_status"], "VENTER");
    assert_eq!(suspended.body["holds"][0]["side"], "institution");
    assert_eq!(suspended.body["holds"][0]["reason"], "Pause.");
    let twice = officer
        .post(&path, template, &json!({"reason": "Pause."}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "conflict");

    let service_path = format!("/api/v1/services/{PLADS_SERVICE}/pause");
    let paused = supplier
        .post(
            &service_path,
            "/api/v1/services/{id}/pause",
            &json!({"reason": "Opgradering."}),
        )
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.body);
    assert!(paused.body["agreements"].as_array().expect("list").len() >= 3);
    let by_officer = officer
        .post(
            &service_path,
            "/api/v1/services/{id}/pause",
            &json!({"reason": "x"}),
        )
        .await;
    assert_eq!(by_officer.status, StatusCode::NOT_FOUND);
    let read = officer
        .get(
            &format!("/api/v1/agreements/{id}"),
            "/api/v1/agreements/{id}",
        )
        .await;
    assert_eq!(read.body["holds"].as_array().expect("holds").len(), 2);

    let lifted = officer
        .post(
            &format!("/api/v1/agreements/{id}/resume"),
            "/api/v1/agreements/{id}/resume",
            &json!({}),
        )
        .await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    assert_eq!(
        lifted.body["status"], "suspended",
        "the supplier still holds it"
    );
    assert_eq!(lifted.body["holds"][0]["side"], "supplier");
    let resumed = supplier
        .post(
            &format!("/api/v1/services/{PLADS_SERVICE}/resume"),
            "/api/v1/services/{id}/resume",
            &json!({}),
        )
        .await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.body);
    assert_eq!(status_of(&app, &id), "active");
    let listed = supplier
        .get("/api/v1/agreements?status=suspended", "/api/v1/agreements")
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    for item in listed.body["items"].as_array().expect("items") {
        assert!(!item["holds"].as_array().expect("holds").is_empty());
    }
}

#[tokio::test]
async fn two_suspending_at_once_get_one_hold_and_a_clear_answer() {
    let app = spawn_app().await;
    let id = started_agreement(&app, PLADS_SERVICE, "G10401");
    let a = app.login_as(OFFICER).await;
    let b = app.login_as(OFFICER).await;
    let path = format!("/agreements/{id}/suspend");
    let (first, second) = tokio::join!(
        a.post(&path, &[("reason", "Først."), ("confirmed", "yes")]),
        b.post(&path, &[("reason", "Anden."), ("confirmed", "yes")]),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let holds = app
        .audit_actions_for(&id)
        .iter()
        .filter(|a| *a == "agreement.suspended")
        .count();
    assert_eq!(holds, 1);
    let resume = format!("/agreements/{id}/resume");
    let (first, second) = tokio::join!(
        a.post(&resume, &[("confirmed", "yes")]),
        b.post(&resume, &[("confirmed", "yes")]),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(status_of(&app, &id), "active");
}

/// The agreement of the app service at G10504 that the demo data makes end in 20 days.
fn ending_agreement(app: &TestApp) -> (String, String, time::Date) {
    app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(APP_SERVICE))
            .filter(agreements::institution_number.eq("G10504"))
            .select((
                agreements::id,
                agreements::reference,
                agreements::ends_on.assume_not_null(),
            ))
            .first(c)
            .expect("the demo agreement ending soon")
    })
}

#[tokio::test]
async fn both_sides_are_reminded_30_and_7_days_before_the_end_once_each_even_after_a_restart() {
    use std::sync::Arc;
    use tilslutning::mail::MailWorker;
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        no_worker: true,
        ..Options::default()
    })
    .await;
    let deliver = |worker: &MailWorker| {
        for _ in 0..20 {
            worker.round().expect("round");
            if unsent(&app) == 0 {
                break;
            }
        }
    };
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    deliver(&worker);
    smtp.clear();
    let (id, reference, ends_on) = ending_agreement(&app);
    // Another agreement first seen 3 days before its end: told once, not for 30 and 7.
    let close = app.agreement_at("G10601");
    let today = tilslutning::db::now().date();
    app.with_db(|c| {
        diesel::update(agreements::table.find(&close))
            .set(agreements::ends_on.eq(Some(today + time::Duration::days(3))))
            .execute(c)
            .expect("ends soon")
    });
    let about = |who: &str, what: &str| {
        smtp.to(who)
            .iter()
            .filter(|m| m.subject.contains(what) || m.text.contains(what))
            .count()
    };

    let now = tilslutning::db::now();
    worker.periodic(now).expect("periodic");
    deliver(&worker);
    let subject = format!("Aftale {reference} udløber");
    // The demo data's 30-day reminder went out with its own mail (delivered above).
    wait_until(10, "the reminder at G10601, once", || {
        about(STAFF, "udløber") == 1
    })
    .await;
    assert_eq!(about(SUPPLIER, &subject), 0, "not again");
    assert!(
        smtp.to(SUPPLIER).iter().any(|m| m.text.contains("forny")),
        "the supplier is told it can renew"
    );

    // Again, and after a restart (a new worker): nothing more.
    worker.periodic(now).expect("periodic");
    deliver(&worker);
    let restarted =
        MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    restarted
        .periodic(now + time::Duration::hours(1))
        .expect("periodic");
    deliver(&restarted);
    assert_eq!(about(SUPPLIER, &subject), 0);
    assert_eq!(about(STAFF, "udløber"), 1);

    // Six days before the end: the 7-day reminder, once.
    let later = now + (ends_on - today) - time::Duration::days(6);
    restarted.periodic(later).expect("periodic");
    deliver(&restarted);
    restarted.periodic(later).expect("periodic");
    deliver(&restarted);
    wait_until(10, "the 7-day reminder to both sides", || {
        about(SUPPLIER, &subject) == 1 && about(OFFICER, &subject) == 1
    })
    .await;
    let sent = app.with_db(|c| tilslutning::db::end_reminders::sent_for(c, &id).expect("rows"));
    assert_eq!(sent, vec![(ends_on, 7), (ends_on, 30)]);
    restarted.periodic(later).expect("periodic");
    deliver(&restarted);
    assert_eq!(about(SUPPLIER, &subject), 1, "once each");
}

#[tokio::test]
async fn a_supplier_renews_in_one_click_and_the_approval_moves_the_same_agreements_end() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let (id, reference, ends_on) = ending_agreement(&app);
    let supplier = app.login_as(SUPPLIER).await;
    let page = supplier.get(&format!("/agreements/{id}")).await;
    assert!(page.contains("Anmod om fornyelse"), "{}", page.body);
    let path = format!("/agreements/{id}/renew");

    let bad = supplier.post(&path, &[("until", "31-13-2027x")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.contains("Skriv slutdatoen") && bad.contains("31-13-2027x"),
        "{}",
        bad.body
    );
    let early = tilslutning::domain::request_form::format_date(ends_on - time::Duration::days(1));
    let too_early = supplier.post(&path, &[("until", &early)]).await;
    assert_eq!(too_early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_early.contains("efter aftalens nuværende slutdato"));

    let new_end = ends_on + time::Duration::days(365);
    let until = tilslutning::domain::request_form::format_date(new_end);
    let filed = supplier.post(&path, &[("until", &until)]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let location = filed.location.clone().expect("to the request");
    assert!(location.starts_with("/requests/"), "{location}");
    let request_page = supplier.get(&location).await;
    let renewal = format!("Fornyelse af aftale {reference}");
    assert!(request_page.contains(&renewal), "{}", request_page.body);
    let request_id = location
        .trim_start_matches("/requests/")
        .split('?')
        .next()
        .expect("id")
        .to_string();

    // Once: a second one is refused while the first is pending.
    let again = supplier.post(&path, &[("until", &until)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.contains("allerede en anmodning"), "{}", again.body);
    // The wrong people.
    let other = app.login_as(OTHER_SUPPLIER).await;
    assert_eq!(
        other.post(&path, &[("until", &until)]).await.status,
        StatusCode::NOT_FOUND
    );
    let officer = app.login_as(OFFICER).await;
    assert_eq!(
        officer.post(&path, &[("until", &until)]).await.status,
        StatusCode::FORBIDDEN
    );

    // The approver hears of it as a renewal, and approving it moves the end date.
    wait_until(15, "the approver's mail names the renewal", || {
        smtp.to(OFFICER).iter().any(|m| m.text.contains(&renewal))
    })
    .await;
    let inbox_request = officer.get(&format!("/requests/{request_id}")).await;
    assert!(inbox_request.contains(&renewal));
    let inbox = officer.get("/inbox?institution=G10504").await;
    assert!(
        inbox.contains(&renewal),
        "the inbox row says it renews: {}",
        inbox.body
    );
    let approved = officer
        .post(
            &format!("/requests/{request_id}/decision"),
            &[("decision", "approve"), ("scopes", "STAMDATA")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let (now_id, _, now_ends) = ending_agreement(&app);
    assert_eq!(now_id, id, "the same agreement continues");
    assert_eq!(now_ends, new_end);
    assert_eq!(status_of(&app, &id), "active");
    assert_eq!(
        app.audit_actions_for(&id).last().map(String::as_str),
        Some("agreement.renewed")
    );

    // Through the API: a supplier token with `file` renews again.
    let machine = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let template = "/api/v1/agreements/{id}/renew";
    let api_path = format!("/api/v1/agreements/{id}/renew");
    let wrong = machine
        .post(&api_path, template, &json!({"valid_until": "soon"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.field(), "/valid_until");
    let later = tilslutning::domain::request_form::format_date(new_end + time::Duration::days(365));
    let created = machine
        .post(&api_path, template, &json!({"valid_until": later}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["renews_agreement_id"], id.as_str());
    let renewal_id = created.body["request_id"].as_str().expect("id").to_string();
    let read = machine
        .get(
            &format!("/api/v1/requests/{renewal_id}"),
            "/api/v1/requests/{id}",
        )
        .await;
    assert_eq!(
        read.body["renews"]["reference"],
        reference.as_str(),
        "{}",
        read.body
    );
    let twice = machine
        .post(&api_path, template, &json!({"valid_until": later}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_agreement_ended_by_a_closure_is_asked_for_again_at_the_successor() {
    use tilslutning::db::schema::institutions;
    use tilslutning::domain::{AgreementStatus, Reason, SystemReason};
    let app = spawn_app().await;
    let id = started_agreement(&app, PLADS_SERVICE, "G10402");
    app.with_db(|c| {
        diesel::update(institutions::table.find("G10402"))
            .set((
                institutions::status.eq("closed"),
                institutions::closed_on.eq(Some(tilslutning::db::now().date())),
                institutions::replaced_by.eq(Some("G10403")),
            ))
            .execute(c)
            .expect("closed");
        tilslutning::db::agreements::end(
            c,
            &tilslutning::db::audit::Caller::default(),
            &id,
            AgreementStatus::Ended,
            Some(&Reason::System(SystemReason::InstitutionClosed {
                number: "G10402".into(),
                successor: Some("G10403".into()),
            })),
        )
        .expect("ended by the closure")
    });
    let officer = app.login_as(OFFICER).await;
    let seen = officer.get(&format!("/agreements/{id}")).await;
    assert!(
        !seen.contains("Anmod igen hos G10403"),
        "only the supplier files"
    );
    assert_eq!(
        officer
            .post(&format!("/agreements/{id}/rerequest"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let supplier = app.login_as(SUPPLIER).await;
    let page = supplier.get(&format!("/agreements/{id}")).await;
    assert!(page.contains("Anmod igen hos G10403"), "{}", page.body);
    let filed = supplier
        .post(&format!("/agreements/{id}/rerequest"), &[])
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let (request, _) = app.pending(PLADS_SERVICE, "G10403");
    let scopes: Vec<String> = app.with_db(|c| {
        use tilslutning::db::schema::request_scopes;
        request_scopes::table
            .filter(request_scopes::request_id.eq(&request))
            .order(request_scopes::scope_code)
            .select(request_scopes::scope_code)
            .load(c)
            .expect("scopes")
    });
    assert_eq!(
        scopes,
        vec!["STAMDATA".to_string()],
        "the agreement's scopes"
    );
}
