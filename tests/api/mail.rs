//! Mail against a real SMTP server on loopback: who gets what (one mail per approver for a
//! batch, receipts to the supplier, the other side on withdraw / revoke / terminate / end),
//! language and digest choices, reminders, the default folder transport, and delivery that
//! survives the SMTP server going away — every mail arrives exactly once.

use std::sync::Arc;

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{agreements, audit_log, mail_messages, requests};
use tilslutning::mail::MailWorker;

use crate::helpers::*;

const UNIT_CONTACT: &str = "g10301@demo-institution.dk";
const MAILBOX: &str = tilslutning::demo::MUNICIPAL_MAILBOX;

fn count_status(app: &TestApp, status: &str) -> i64 {
    app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq(status))
            .count()
            .get_result(c)
            .expect("count")
    })
}

pub(crate) fn unsent(app: &TestApp) -> i64 {
    app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq_any(["pending"]))
            .count()
            .get_result::<i64>(c)
            .expect("count")
    }) + app.with_db(|c| {
        use tilslutning::db::schema::outbox;
        outbox::table
            .filter(outbox::processed_at.is_null())
            .count()
            .get_result::<i64>(c)
            .expect("count")
    })
}

/// An app mailing `smtp`, with the demo data's own mail already delivered and forgotten.
pub(crate) async fn smtp_app(smtp: &SmtpServer) -> TestApp {
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        ..Options::default()
    })
    .await;
    wait_until(30, "the demo data's mail is delivered", || {
        unsent(&app) == 0
    })
    .await;
    smtp.clear();
    app
}

#[tokio::test]
async fn a_filing_for_a_klynge_mails_each_approver_once_listing_every_unit() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let supplier = app.login_as(SUPPLIER).await;
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA", "CPR"], "G10300")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    wait_until(15, "mail to the officer, the mailbox and each unit", || {
        smtp.to(OFFICER).len() == 1
            && smtp.to(MAILBOX).len() == 1
            && smtp.to(UNIT_CONTACT).len() == 1
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;
    let officer_mail = &smtp.to(OFFICER)[0];
    assert_eq!(officer_mail.subject, "3 nye anmodninger om dataadgang");
    for unit in ["G10301", "G10302", "G10303"] {
        let (id, reference) = app.pending(PLADS_SERVICE, unit);
        assert!(
            officer_mail.text.contains(&reference),
            "{unit} listed in the text part"
        );
        assert!(
            officer_mail
                .html
                .contains(&format!("{}/requests/{id}", app.settings.base_url)),
            "{unit} linked in the HTML part"
        );
    }
    assert!(
        officer_mail.text.contains("CPR-numre (følsom)"),
        "sensitive scopes are marked"
    );
    assert!(
        !officer_mail.text.contains("Test af dataadgang"),
        "the purpose stays in the portal"
    );
    let unit_mail = &smtp.to(UNIT_CONTACT)[0];
    assert!(
        unit_mail
            .subject
            .starts_with("Ny anmodning om dataadgang: DA-"),
        "{}",
        unit_mail.subject
    );
    assert!(
        smtp.to(STAFF).is_empty(),
        "staff of other institutions hear nothing"
    );
    assert!(smtp.to(SUPPLIER).is_empty());
}

#[tokio::test]
async fn a_decision_is_a_receipt_to_the_supplier_in_their_language() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let other = app.login_as(OTHER_SUPPLIER).await;
    let saved = other
        .post("/profile", &[("language", "en"), ("mail", "immediate")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let officer = app.login_as(OFFICER).await;
    let (plads, plads_ref) = app.pending(PLADS_SERVICE, "G10201");
    officer
        .post(
            &format!("/requests/{plads}/decision"),
            &[
                ("decision", "approve"),
                ("scopes", "STAMDATA"),
                ("reason", "Kun stamdata indtil videre."),
                ("refused_scope", "INDMELDELSER"),
                ("refused_reason", "Ventelisten ligger hos kommunen."),
                ("refused_scope", "CPR"),
                ("refused_reason", "Ikke nødvendigt."),
            ],
        )
        .await;
    let (learning, learning_ref) = app.pending(LEARNING_SERVICE, "G10603");
    let staff = app.login_as(STAFF).await;
    staff
        .post(
            &format!("/requests/{learning}/decision"),
            &[("decision", "reject"), ("reason", "Ikke nødvendigt.")],
        )
        .await;
    wait_until(15, "both receipts", || {
        !smtp.to(SUPPLIER).is_empty() && !smtp.to(OTHER_SUPPLIER).is_empty()
    })
    .await;

    let da = &smtp.to(SUPPLIER)[0];
    assert_eq!(da.subject, format!("Afgørelse på {plads_ref}: godkendt"));
    assert!(
        da.text
            .contains("Afgjort af: Karin Kommune (Kommunal dagtilbudsansvarlig)"),
        "{}",
        da.text
    );
    assert!(da.text.contains("Godkendt: Institutionens stamdata"));
    assert!(da.text.contains(
        "Ikke godkendt: Indmeldelser og ventelister – begrundelse: Ventelisten ligger hos kommunen."
    ));
    assert!(
        da.text
            .contains("Ikke godkendt: CPR-numre (følsom) – begrundelse: Ikke nødvendigt.")
    );
    assert!(da.text.contains("Aftale: AF-"));
    assert!(
        da.text.contains("Kommentar: Kun stamdata indtil videre."),
        "the approver's comment is in the receipt: {}",
        da.text
    );
    assert!(
        !smtp.to("demo-service-plads@example.org").is_empty(),
        "the service's contact email gets it too"
    );

    let en = &smtp.to(OTHER_SUPPLIER)[0];
    assert_eq!(en.subject, format!("Decision on {learning_ref}: rejected"));
    assert!(
        en.text
            .contains("Decided by: Sofie Selvejende (Institution staff)"),
        "{}",
        en.text
    );
    assert!(en.text.contains("Reason: Ikke nødvendigt."));
    assert!(en.html.contains("lang=\"en\""));
}

#[tokio::test]
async fn the_other_side_hears_of_withdrawals_revocations_terminations_and_ends() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let supplier = app.login_as(SUPPLIER).await;
    let officer = app.login_as(OFFICER).await;
    let (request, reference) = app.pending(APP_SERVICE, "G10101");
    supplier
        .post(&format!("/requests/{request}/withdraw"), &[])
        .await;
    let agreement = |unit: &str| -> String {
        app.with_db(|c| {
            agreements::table
                .filter(agreements::institution_number.eq(unit))
                .filter(agreements::status.eq("active"))
                .select(agreements::id)
                .first(c)
                .expect("agreement")
        })
    };
    let revoked = agreement("G10401");
    officer
        .post(
            &format!("/agreements/{revoked}/revoke"),
            &[("confirmed", "yes"), ("reason", "Ikke længere i brug.")],
        )
        .await;
    let terminated = agreement("G10402");
    supplier
        .post(
            &format!("/agreements/{terminated}/terminate"),
            &[("confirmed", "yes")],
        )
        .await;
    wait_until(15, "three notices", || {
        let officer_mail = smtp.to(OFFICER);
        officer_mail
            .iter()
            .any(|m| m.subject.contains(&reference) && m.subject.contains("trukket tilbage"))
            && officer_mail
                .iter()
                .any(|m| m.subject.contains("opsagt af leverandøren"))
            && smtp.to(SUPPLIER).iter().any(|m| {
                m.subject.contains("tilbagekaldt af institutionen")
                    && m.text.contains("Ikke længere i brug.")
            })
    })
    .await;
    assert!(
        !smtp
            .to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("opsagt")),
        "the supplier is not told what it did itself"
    );

    // An agreement whose end date has passed ends, and both sides are told.
    let ending = agreement("G10601");
    let yesterday = tilslutning::db::now()
        .date()
        .previous_day()
        .expect("yesterday");
    app.with_db(|c| {
        diesel::update(agreements::table.find(&ending))
            .set(agreements::ends_on.eq(Some(yesterday)))
            .execute(c)
            .expect("update")
    });
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    worker
        .periodic(tilslutning::db::now())
        .expect("periodic jobs");
    let status: String = app.with_db(|c| {
        agreements::table
            .find(&ending)
            .select(agreements::status)
            .first(c)
            .expect("status")
    });
    assert_eq!(status, "ended");
    wait_until(15, "both sides told of the end", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("er udløbet"))
            && smtp
                .to(STAFF)
                .iter()
                .any(|m| m.subject.contains("er udløbet"))
    })
    .await;
}

#[tokio::test]
async fn a_digest_reader_gets_one_morning_mail_and_reminders_come_once_per_period() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        no_worker: true,
        ..Options::default()
    })
    .await;
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    while unsent(&app) > 0 {
        worker.round().expect("round");
    }
    smtp.clear();
    let officer = app.login_as(OFFICER).await;
    officer
        .post("/profile", &[("language", "da"), ("mail", "digest")])
        .await;
    let supplier = app.login_as(SUPPLIER).await;
    app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10301")
        .await;
    app.file(&supplier, APP_SERVICE, &["STAMDATA"], "G10302")
        .await;
    for _ in 0..5 {
        worker.round().expect("round");
    }
    assert!(smtp.to(OFFICER).is_empty(), "held for the digest");
    assert!(
        !smtp.to(MAILBOX).is_empty(),
        "the shared mailbox gets mail at once"
    );
    assert_eq!(count_status(&app, "held"), 2);

    let tomorrow_morning = time::PrimitiveDateTime::new(
        tilslutning::db::now().date().next_day().expect("tomorrow"),
        time::Time::from_hms(9, 0, 0).expect("time"),
    );
    worker.periodic(tomorrow_morning).expect("digest");
    for _ in 0..5 {
        worker.round().expect("round");
    }
    let digests = smtp.to(OFFICER);
    assert_eq!(digests.len(), 1, "one digest");
    assert!(
        digests[0]
            .subject
            .starts_with("Daglig oversigt fra Tilslutning: 2 beskeder"),
        "{}",
        digests[0].subject
    );
    assert!(digests[0].text.contains("G10301") && digests[0].text.contains("G10302"));
    assert_eq!(count_status(&app, "digested"), 2);

    // Requests that wait too long: one reminder per approver, then not again in the period.
    officer
        .post("/profile", &[("language", "da"), ("mail", "immediate")])
        .await;
    let long_ago = tilslutning::db::now() - time::Duration::days(10);
    app.with_db(|c| {
        diesel::update(requests::table.filter(requests::status.eq("pending")))
            .set(requests::filed_at.eq(long_ago))
            .execute(c)
            .expect("age")
    });
    let now = tilslutning::db::now();
    worker.periodic(now).expect("reminders");
    worker
        .periodic(now + time::Duration::hours(1))
        .expect("no second reminder");
    for _ in 0..5 {
        worker.round().expect("round");
    }
    let reminders: Vec<Received> = smtp
        .to(OFFICER)
        .into_iter()
        .filter(|m| m.subject.contains("venter stadig"))
        .collect();
    assert_eq!(
        reminders.len(),
        1,
        "one reminder listing every waiting request"
    );
    assert!(reminders[0].text.contains("mere end 7 dage"));
}

#[tokio::test]
async fn mail_survives_the_smtp_server_going_away_and_arrives_exactly_once() {
    let mut smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let before = count_status(&app, "sent");
    smtp.stop();
    let supplier = app.login_as(SUPPLIER).await;
    for units in [
        "G10301\nG10302",
        "G10303\nG10403",
        "G10404\nG10501\nG10504",
        "G20101\nG20102",
    ] {
        let page = app
            .file(&supplier, PLADS_SERVICE, &["STAMDATA"], units)
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let officer = app.login_as(OFFICER).await;
    let (id, _) = app.pending(PLADS_SERVICE, "G10301");
    officer
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "STAMDATA")],
        )
        .await;
    wait_until(15, "failed attempts while the server is down", || {
        app.with_db(|c| {
            mail_messages::table
                .filter(mail_messages::last_error.is_not_null())
                .count()
                .get_result::<i64>(c)
                .expect("count")
        }) > 3
    })
    .await;
    assert!(smtp.received().is_empty());
    smtp.resume();
    wait_until(30, "everything delivered after the restart", || {
        unsent(&app) == 0 && count_status(&app, "sent") > before
    })
    .await;
    let sent = count_status(&app, "sent") - before;
    wait_until(10, "the server stored every message", || {
        smtp.received().len() as i64 >= sent
    })
    .await;
    let received = smtp.received();
    assert_eq!(received.len() as i64, sent, "every mail exactly once");
    let mut ids: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "no message delivered twice");
    assert_eq!(count_status(&app, "undeliverable"), 0);
}

#[tokio::test]
async fn two_workers_share_the_queue_without_sending_a_row_twice() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let before = count_status(&app, "sent");
    let second = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone()))
        .expect("worker")
        .spawn();
    let supplier = app.login_as(SUPPLIER).await;
    let units: Vec<String> = [
        "G10101", "G10102", "G10103", "G10104", "G10204", "G10301", "G10302", "G10303",
    ]
    .map(String::from)
    .to_vec();
    let filings = units
        .iter()
        .map(|u| app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], u));
    futures::future::join_all(filings).await;
    wait_until(30, "all delivered", || {
        unsent(&app) == 0 && count_status(&app, "sent") >= before + 8
    })
    .await;
    second.stop_and_wait();
    let sent = count_status(&app, "sent") - before;
    wait_until(10, "stored", || smtp.received().len() as i64 >= sent).await;
    assert_eq!(
        smtp.received().len() as i64,
        sent,
        "each row sent exactly once"
    );
}

#[tokio::test]
async fn undeliverable_mail_is_audited_shown_to_operators_and_can_be_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let app = spawn_app_with(Options {
        mail: Some(format!("smtp://127.0.0.1:{port}")),
        mail_retry_for: Some(std::time::Duration::from_millis(300)),
        ..Options::default()
    })
    .await;
    // What the demo data left for the worker settles first (undeliverable, as nothing
    // listens), so the withdrawal notice is the newest row on the operators' first page.
    wait_until(30, "the demo data's mail settled", || unsent(&app) == 0).await;
    let withdrawn_undeliverable = || -> i64 {
        app.with_db(|c| {
            mail_messages::table
                .filter(mail_messages::status.eq("undeliverable"))
                .filter(mail_messages::subject.like("%trukket tilbage%"))
                .count()
                .get_result(c)
                .expect("count")
        })
    };
    let demo_withdrawals = withdrawn_undeliverable();
    let supplier = app.login_as(SUPPLIER).await;
    supplier
        .post(
            &format!(
                "/requests/{}/withdraw",
                app.pending(APP_SERVICE, "101001").0
            ),
            &[],
        )
        .await;
    wait_until(
        30,
        "the withdrawal notice is undeliverable once its retry period is over",
        || withdrawn_undeliverable() > demo_withdrawals,
    )
    .await;
    let audited: i64 = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("mail.undeliverable"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert!(audited > 0);
    let operator = app.login_as(OPERATOR).await;
    let page = operator.get("/operator/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Kan ikke leveres") && page.contains("trukket tilbage"));
    assert_eq!(
        app.login_as(OFFICER)
            .await
            .get("/operator/mail")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The server comes up on that port; the operator retries one message.
    let id: String = app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq("undeliverable"))
            .filter(mail_messages::subject.like("%trukket tilbage%"))
            .select(mail_messages::id)
            .first(c)
            .expect("row")
    });
    let smtp = SmtpServer::start_on(port);
    let retried = operator
        .post(&format!("/operator/mail/{id}/retry"), &[])
        .await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    wait_until(15, "the retried mail arrives", || {
        smtp.received()
            .iter()
            .any(|m| m.subject.contains("trukket tilbage"))
    })
    .await;
    // The worker marks it sent just after the server took it.
    wait_until(15, "the retried mail is marked sent", || {
        let status: String = app.with_db(|c| {
            mail_messages::table
                .find(&id)
                .select(mail_messages::status)
                .first(c)
                .expect("status")
        });
        status == "sent"
    })
    .await;
    let again = operator
        .post(&format!("/operator/mail/{id}/retry"), &[])
        .await;
    assert_eq!(
        again.status,
        StatusCode::NOT_FOUND,
        "only undeliverable mail can be retried"
    );
}

#[tokio::test]
async fn the_embedded_default_writes_mail_files_to_a_folder() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    app.file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10302")
        .await;
    let folder = app.settings.data_dir.join("mail");
    // A file appears while it is being written; wait for a complete message.
    let complete = || {
        std::fs::read_dir(&folder)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .any(|e| {
                        std::fs::read_to_string(e.path())
                            .map(|raw| {
                                raw.contains("Subject:")
                                    && raw.contains("multipart/alternative")
                                    && raw.trim_end().ends_with("--")
                            })
                            .unwrap_or(false)
                    })
            })
            .unwrap_or(false)
    };
    wait_until(15, "a complete multipart .eml file", complete).await;
}

#[tokio::test]
async fn the_mail_queue_reads_in_english() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let danish = operator.get("/operator/mail").await;
    assert!(danish.contains("Beskeder efter status") && danish.contains("Kan ikke leveres"));
    let saved = operator.post("/language", &[("language", "en")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = operator.get("/operator/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.contains("Messages by status") && page.contains("<h2>Undeliverable</h2>"),
        "{}",
        page.body
    );
    for danish in [
        "Beskeder efter status",
        "Kan ikke leveres",
        "I kø",
        "Ingen mails",
        "Sendt<",
    ] {
        assert!(!page.contains(danish), "Danish left: {danish}");
    }
    assert!(!page.contains("⟦"));
}
