//! Shared mailboxes and escalation: staff and officers register and remove mailboxes
//! through the pages (the wrong person refused, bad input kept with its message), the
//! mailboxes get the notifications they chose from a real SMTP server on loopback, and a
//! request left pending escalates once to the municipality's mailbox (or its officers)
//! and once to the operators — not again after a restart.

use std::sync::Arc;

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{institutions, notification_addresses, requests};
use tilslutning::mail::MailWorker;

use crate::helpers::*;
use crate::mail::{smtp_app, unsent};

const MUNICIPAL_MAILBOX: &str = tilslutning::demo::MUNICIPAL_MAILBOX;
const INSTITUTION_MAILBOX: &str = tilslutning::demo::INSTITUTION_MAILBOX;

fn mailbox_id(app: &TestApp, email: &str) -> Option<String> {
    app.with_db(|c| {
        notification_addresses::table
            .filter(notification_addresses::email.eq(email))
            .select(notification_addresses::id)
            .first(c)
            .optional()
            .expect("query")
    })
}

#[tokio::test]
async fn staff_and_officers_keep_their_mailboxes_and_nobody_elses() {
    let app = spawn_app().await;
    let staff = app.login_as(STAFF).await;
    let page = staff.get("/mailboxes").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.contains(INSTITUTION_MAILBOX),
        "the demo's mailbox is listed"
    );
    assert!(
        !page.contains(MUNICIPAL_MAILBOX),
        "staff do not see the municipality's mailboxes"
    );
    assert!(page.contains("href=\"/mailboxes\""), "in the navigation");

    // A bad address: the form comes back with the message and what was typed.
    let bad = staff
        .post(
            "/mailboxes",
            &[
                ("owner", "institution:G10602"),
                ("email", "sager-at-selvejende"),
                ("label", "Sagssystem"),
                ("language", "en"),
                ("kinds", "new_requests"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.contains("Skriv en gyldig e-mailadresse"));
    assert!(bad.contains("value=\"sager-at-selvejende\""));
    assert!(bad.contains("value=\"Sagssystem\""));
    assert!(bad.contains("<option value=\"institution:G10602\" selected"));
    let none = staff
        .post(
            "/mailboxes",
            &[
                ("owner", "institution:G10602"),
                ("email", "sager@selvejende.example.dk"),
            ],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.contains("Vælg mindst én slags besked"));

    let added = staff
        .post(
            "/mailboxes",
            &[
                ("owner", "institution:G10602"),
                ("email", " Sager@Selvejende.example.dk "),
                ("label", "Sagssystem"),
                ("language", "en"),
                ("kinds", "new_requests"),
                ("kinds", "outcomes"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let id = mailbox_id(&app, "sager@selvejende.example.dk").expect("stored, normalised");
    assert_eq!(app.audit_actions_for(&id), vec!["mailbox.added"]);
    let listed = staff.get("/mailboxes?notice=mailbox-added").await;
    assert!(listed.contains("sager@selvejende.example.dk"));
    assert!(listed.contains("Postkassen er tilføjet."));
    let again = staff
        .post(
            "/mailboxes",
            &[
                ("owner", "institution:G10602"),
                ("email", "sager@selvejende.example.dk"),
                ("kinds", "reminders"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("er allerede registreret"));

    // The wrong person at each address.
    let officer = app.login_as(OFFICER).await;
    let supplier = app.login_as(SUPPLIER).await;
    let auditor = app.login_as(AUDITOR).await;
    let operator = app.login_as(OPERATOR).await;
    for s in [&supplier, &auditor, &operator] {
        assert_eq!(s.get("/mailboxes").await.status, StatusCode::FORBIDDEN);
        let refused = s
            .post(
                "/mailboxes",
                &[
                    ("owner", "municipality:101"),
                    ("email", "x@example.dk"),
                    ("kinds", "reminders"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let cases: [(&Session, &str); 4] = [
        // Staff of G106xx, not of the kommunal G10101.
        (&staff, "institution:G10101"),
        (&staff, "municipality:101"),
        // An officer keeps the municipality's mailboxes, not an institution's.
        (&officer, "institution:G10601"),
        (&officer, "municipality:147"),
    ];
    for (who, owner) in cases {
        let refused = who
            .post(
                "/mailboxes",
                &[
                    ("owner", owner),
                    ("email", "x@example.dk"),
                    ("kinds", "reminders"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{owner}");
    }
    assert_eq!(
        officer
            .post(&format!("/mailboxes/{id}/remove"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        staff
            .post_raw(&format!("/mailboxes/{id}/remove"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
    assert_eq!(
        staff
            .post("/mailboxes/nonexistent/remove", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(mailbox_id(&app, "x@example.dk").is_none());

    // The officer adds and sees the municipality's mailbox.
    let municipal = officer
        .post(
            "/mailboxes",
            &[
                ("owner", "municipality:101"),
                ("email", "tickets@kommune.example.dk"),
                ("kinds", "reminders"),
            ],
        )
        .await;
    assert_eq!(
        municipal.status,
        StatusCode::SEE_OTHER,
        "{}",
        municipal.body
    );
    let officer_page = officer.get("/mailboxes").await;
    assert!(officer_page.contains("tickets@kommune.example.dk"));
    assert!(officer_page.contains(MUNICIPAL_MAILBOX));
    assert!(!officer_page.contains("sager@selvejende.example.dk"));

    let removed = staff.post(&format!("/mailboxes/{id}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(mailbox_id(&app, "sager@selvejende.example.dk").is_none());
    assert_eq!(
        app.audit_actions_for(&id),
        vec!["mailbox.added", "mailbox.removed"]
    );
}

#[tokio::test]
async fn a_new_request_reaches_the_mailboxes_that_chose_it_once_per_filing() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let staff = app.login_as(STAFF).await;
    for unit in ["G10602", "G10603"] {
        let owner = format!("institution:{unit}");
        let added = staff
            .post(
                "/mailboxes",
                &[
                    ("owner", owner.as_str()),
                    ("email", "tickets@selvejende.example.dk"),
                    ("language", "en"),
                    ("kinds", "new_requests"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let quiet = staff
        .post(
            "/mailboxes",
            &[
                ("owner", "institution:G10602"),
                ("email", "only-reminders@selvejende.example.dk"),
                ("kinds", "reminders"),
            ],
        )
        .await;
    assert_eq!(quiet.status, StatusCode::SEE_OTHER);
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10602\nG10603")
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    wait_until(15, "mail to the staff and the mailbox", || {
        smtp.to("tickets@selvejende.example.dk").len() == 1 && !smtp.to(STAFF).is_empty()
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;
    let mail = &smtp.to("tickets@selvejende.example.dk")[0];
    assert_eq!(
        mail.subject, "2 new data-access requests",
        "in the mailbox's language"
    );
    for unit in ["G10602", "G10603"] {
        let (_, reference) = app.pending(PLADS_SERVICE, unit);
        assert!(mail.text.contains(&reference), "{unit} listed");
    }
    assert!(
        smtp.to("only-reminders@selvejende.example.dk").is_empty(),
        "a mailbox that chose reminders only hears nothing of a new request"
    );
    assert!(
        smtp.to(MUNICIPAL_MAILBOX).is_empty(),
        "a self-governing institution's mail does not go to the municipality"
    );

    // The demo's G10601 mailbox takes new requests; the municipality's one those of its
    // kommunale institutions.
    let filed = app
        .file(
            &supplier,
            PLADS_SERVICE,
            &["STAMDATA", "CPR"],
            "G10601\nG10102",
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    wait_until(15, "the demo mailboxes", || {
        smtp.to(INSTITUTION_MAILBOX).len() == 1 && smtp.to(MUNICIPAL_MAILBOX).len() == 1
    })
    .await;
    assert!(
        smtp.to(INSTITUTION_MAILBOX)[0]
            .subject
            .starts_with("Ny anmodning")
    );
}

fn with_escalation(settings: &mut tilslutning::configuration::Settings) {
    settings.mail.escalate_after_days = 2;
    settings.mail.escalate_to_operators_after_days = 4;
}

/// Moves the filing of every pending request in municipality 101 `days` back.
fn backdate_municipality_101(app: &TestApp, days: i64) -> Vec<String> {
    let when = tilslutning::db::now() - time::Duration::days(days) - time::Duration::hours(1);
    app.with_db(|c| {
        let ids: Vec<String> = requests::table
            .inner_join(institutions::table)
            .filter(institutions::municipality_code.eq("101"))
            .filter(requests::status.eq("pending"))
            .select(requests::id)
            .load(c)
            .expect("pending");
        diesel::update(requests::table.filter(requests::id.eq_any(&ids)))
            .set(requests::filed_at.eq(when))
            .execute(c)
            .expect("backdate");
        ids
    })
}

fn escalations(smtp: &SmtpServer, to: &str) -> Vec<Received> {
    smtp.to(to)
        .into_iter()
        .filter(|m| m.subject.contains("ventet for længe") || m.subject.starts_with("Eskalering"))
        .collect()
}

#[tokio::test]
async fn a_waiting_request_escalates_once_to_the_mailbox_then_once_to_the_operators() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        tune: Some(with_escalation),
        ..Options::default()
    })
    .await;
    wait_until(30, "demo mail delivered", || unsent(&app) == 0).await;
    smtp.clear();
    let ids = backdate_municipality_101(&app, 3);
    assert!(ids.len() >= 2, "the demo has waiting requests in 101");
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    let now = tilslutning::db::now();
    worker.periodic(now).expect("escalate");
    worker
        .periodic(now + time::Duration::hours(1))
        .expect("again");
    wait_until(15, "the escalation", || {
        !escalations(&smtp, MUNICIPAL_MAILBOX).is_empty()
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;
    let to_mailbox = escalations(&smtp, MUNICIPAL_MAILBOX);
    assert_eq!(to_mailbox.len(), 1, "one mail listing every request");
    assert!(
        to_mailbox[0].text.contains("mere end 2 dage"),
        "{}",
        to_mailbox[0].text
    );
    for id in &ids {
        let reference: String = app.with_db(|c| {
            requests::table
                .find(id)
                .select(requests::reference)
                .first(c)
                .expect("reference")
        });
        assert!(
            to_mailbox[0].text.contains(&reference),
            "{reference} listed"
        );
        assert_eq!(
            app.audit_actions_for(id)
                .iter()
                .filter(|a| a.starts_with("request.escalated"))
                .collect::<Vec<_>>(),
            vec!["request.escalated"]
        );
    }
    assert!(
        escalations(&smtp, OPERATOR).is_empty(),
        "not yet the operators"
    );
    assert!(
        escalations(&smtp, OFFICER).is_empty(),
        "with a mailbox, the officers are not escalated to"
    );
    let officer = app.login_as(OFFICER).await;
    let detail = officer.get(&format!("/requests/{}", ids[0])).await;
    assert!(
        detail.contains("Eskaleret til kommunen"),
        "in the history: {} {}",
        detail.status,
        detail.body
    );
    assert!(detail.contains("Sendt til kommunens fælles postkasse"));

    // Past the second threshold: once to the operators.
    backdate_municipality_101(&app, 5);
    worker
        .periodic(tilslutning::db::now())
        .expect("to operators");
    worker.periodic(tilslutning::db::now()).expect("not again");
    wait_until(15, "the operators' escalation", || {
        !escalations(&smtp, OPERATOR).is_empty()
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;

    // A restart: a new worker finds nothing left to escalate.
    let restarted =
        MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    restarted
        .periodic(tilslutning::db::now() + time::Duration::days(1))
        .expect("after restart");
    for _ in 0..5 {
        restarted.round().expect("round");
    }
    assert_eq!(escalations(&smtp, OPERATOR).len(), 1);
    assert_eq!(escalations(&smtp, MUNICIPAL_MAILBOX).len(), 1);
    assert!(
        escalations(&smtp, OPERATOR)[0]
            .subject
            .starts_with("Eskalering: ")
    );
    for id in &ids {
        let steps: Vec<String> = app
            .audit_actions_for(id)
            .into_iter()
            .filter(|a| a.starts_with("request.escalated"))
            .collect();
        assert_eq!(
            steps,
            vec!["request.escalated", "request.escalated_to_operators"]
        );
    }
}

#[tokio::test]
async fn without_a_mailbox_the_escalation_goes_to_the_officers() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        tune: Some(with_escalation),
        ..Options::default()
    })
    .await;
    wait_until(30, "demo mail delivered", || unsent(&app) == 0).await;
    smtp.clear();
    app.with_db(|c| {
        diesel::delete(
            notification_addresses::table
                .filter(notification_addresses::email.eq(MUNICIPAL_MAILBOX)),
        )
        .execute(c)
        .expect("delete")
    });
    let ids = backdate_municipality_101(&app, 3);
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    worker.periodic(tilslutning::db::now()).expect("escalate");
    wait_until(15, "the officer's escalation", || {
        !escalations(&smtp, OFFICER).is_empty()
    })
    .await;
    assert_eq!(escalations(&smtp, OFFICER).len(), 1);
    assert!(
        app.audit_details_for(&ids[0])
            .iter()
            .any(|d| d.contains("\"to\":\"officers\"")),
        "the audit row says where it went"
    );
}

#[tokio::test]
async fn staff_and_officers_see_who_holds_approver_rights() {
    let app = spawn_app().await;
    let staff = app.login_as(STAFF).await;
    let today = tilslutning::db::now().date();
    let from = tilslutning::domain::request_form::format_date(today);
    let until = tilslutning::domain::request_form::format_date(today + time::Duration::days(30));
    let delegated = staff
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
    assert_eq!(
        delegated.status,
        StatusCode::SEE_OTHER,
        "{}",
        delegated.body
    );

    let page = staff.get("/approvers").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("href=\"/approvers\""), "in the navigation");
    let row = |body: &str, number: &str| -> String {
        let start = body
            .find(&format!("id=\"inst-{number}\""))
            .unwrap_or_else(|| panic!("{number} listed"));
        let end = body[start..].find("</tr>").expect("row end") + start;
        body[start..end].to_string()
    };
    for unit in tilslutning::demo::SELF_GOVERNING_UNITS {
        assert!(row(&page.body, unit).contains("Sofie Selvejende"), "{unit}");
    }
    assert!(
        !page.contains("id=\"inst-G10101\""),
        "staff see only their own"
    );
    let g10602 = row(&page.body, "G10602");
    assert!(
        g10602.contains("afgør") && g10602.contains("Fuldmagt fra Sofie Selvejende"),
        "the delegation to the municipality, with its period: {g10602}"
    );
    assert!(g10602.contains(&tilslutning::routes::date(today + time::Duration::days(30))));
    assert!(row(&page.body, "G10603").contains("Kommunen afgør ikke"));
    assert!(
        page.contains("Karin Kommune"),
        "the municipality's officers are named"
    );

    let officer = app.login_as(OFFICER).await;
    let page = officer.get("/approvers").await;
    assert_eq!(page.status, StatusCode::OK);
    let kommunal = row(&page.body, "G10101");
    assert!(kommunal.contains("Dagtilbudsansvarlige i"), "{kommunal}");
    // The municipality runs to more than one page: the self-governing unit is on a later one.
    let mut body = page.body.clone();
    let mut next = page.body.find("rel=\"next\"").map(|_| page.body.clone());
    while let Some(current) = next.take() {
        let at = current.find("rel=\"next\"").expect("next");
        let start = current[..at].rfind("href=\"").expect("href") + 6;
        let end = current[start..].find('"').expect("end") + start;
        let more = officer
            .get(&current[start..end].replace("&amp;", "&"))
            .await;
        assert_eq!(more.status, StatusCode::OK);
        body.push_str(&more.body);
        next = more
            .body
            .contains("rel=\"next\"")
            .then(|| more.body.clone());
    }
    assert!(row(&body, "G10601").contains("Sofie Selvejende"));
    assert!(
        !body.contains("id=\"inst-G20101\""),
        "not another municipality's"
    );

    for who in [SUPPLIER, OPERATOR, AUDITOR] {
        let s = app.login_as(who).await;
        assert_eq!(
            s.get("/approvers").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
}

#[tokio::test]
async fn mailboxes_and_approver_rights_through_the_api() {
    use crate::api_client::machine_of;
    use serde_json::json;
    let app = spawn_app().await;
    let staff = machine_of(&app, STAFF, "approver", &["mailboxes"]).await;
    let listed = staff.get("/api/v1/mailboxes", "/api/v1/mailboxes").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(
        listed.body["institutions"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(
        listed.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["email"] == INSTITUTION_MAILBOX)
    );
    let bad = staff
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({ "institution_number": "G10602", "email": "nope", "kinds": ["new_requests"] }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((bad.code(), bad.field()), ("invalid_value", "/email"));
    let elsewhere = staff
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({ "institution_number": "G10101", "email": "a@b.dk", "kinds": ["reminders"] }),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let added = staff
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({
                "institution_number": "G10602",
                "email": "Robot@Selvejende.example.dk",
                "label": "Robot",
                "language": "en",
                "kinds": ["new_requests", "reminders"],
            }),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["email"], "robot@selvejende.example.dk");
    assert_eq!(added.body["kinds"], json!(["new_requests", "reminders"]));
    let id = added.body["id"].as_str().expect("id").to_string();
    let twice = staff
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({ "institution_number": "G10602", "email": "robot@selvejende.example.dk", "kinds": ["reminders"] }),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // A token without the permission reads but does not change; an officer's token may
    // not remove the staff's mailbox.
    let reader = machine_of(&app, STAFF, "approver", &["read"]).await;
    let refused = reader
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({ "institution_number": "G10603", "email": "x@y.dk", "kinds": ["reminders"] }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let officer = machine_of(&app, OFFICER, "approver", &["mailboxes"]).await;
    let path = format!("/api/v1/mailboxes/{id}/remove");
    let template = "/api/v1/mailboxes/{id}/remove";
    assert_eq!(
        officer.post(&path, template, &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let municipal = officer
        .post(
            "/api/v1/mailboxes",
            "/api/v1/mailboxes",
            &json!({ "municipality_code": "101", "email": "robot@kommune.example.dk", "kinds": ["reminders"] }),
        )
        .await;
    assert_eq!(municipal.status, StatusCode::CREATED, "{}", municipal.body);
    let removed = staff.post(&path, template, &json!({})).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(mailbox_id(&app, "robot@selvejende.example.dk").is_none());
    assert_eq!(
        staff.post(&path, template, &json!({})).await.status,
        StatusCode::NOT_FOUND
    );

    let rights = reader.get("/api/v1/approvers", "/api/v1/approvers").await;
    assert_eq!(rights.status, StatusCode::OK, "{}", rights.body);
    let institutions = rights.body["institutions"]
        .as_array()
        .expect("institutions");
    assert_eq!(institutions.len(), 4);
    assert!(institutions.iter().all(|i| {
        i["staff"]
            .as_array()
            .is_some_and(|s| s.iter().any(|p| p["email"] == STAFF))
    }));
    let supplier = machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    assert_eq!(
        supplier
            .get("/api/v1/approvers", "/api/v1/approvers")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        supplier
            .get("/api/v1/mailboxes", "/api/v1/mailboxes")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
