//! The words of mail, in each reader's language: every kind of mail composed in English
//! and in Danish (no missing key, no word of the other language), a decision under a
//! delegation that says so, and the reasons the system gives (a register closure, an end
//! date passed) in each reader's language on the pages, in the mail and in the API.

use std::collections::HashSet;
use std::sync::Arc;

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::audit::Caller;
use tilslutning::db::mail::MailMessage;
use tilslutning::db::schema::{agreements, delegations, requests};
use tilslutning::db::{agreements as agreement_db, register_import, requests as request_db};
use tilslutning::domain::request_form::format_date;
use tilslutning::domain::{AgreementStatus, Reason, SystemReason, register_file};
use tilslutning::i18n::Language;
use tilslutning::mail::MailWorker;
use tilslutning::mail::compose::{self, Notification};

use crate::api_client::machine_of;
use crate::helpers::*;
use crate::mail::{smtp_app, unsent};

/// Words only Danish mail uses.
const DANISH: [&str; 17] = [
    "Afgjort",
    "Godkend",
    "Begrundelse",
    "Årsag",
    "Dataadgange",
    "følsom",
    "anmodning",
    "Du får",
    "Aftale ",
    "Tjeneste:",
    "Trukket",
    "Bortfaldet",
    "Kommentar",
    "Vælg",
    "oversigt",
    "fuldmagt",
    "Institutionen ",
];

/// Words only English mail uses.
const ENGLISH: [&str; 16] = [
    "Decided",
    "Approve",
    "Reason",
    "Data scopes",
    "sensitive",
    "request",
    "You receive",
    "Agreement",
    "Service:",
    "Withdrawn",
    "Lapsed",
    "Comment",
    "Choose",
    "digest",
    "delegation",
    "Municipality",
];

/// The words of a mail, without its addresses (links name `/requests/…`).
fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.contains("://"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Panics unless the subject and text read in `language` only.
fn reads_only_in(language: Language, what: &str, subject: &str, text: &str, html: &str) {
    for part in [subject, text, html] {
        assert!(
            !part.contains('⟦'),
            "{what} ({language:?}) misses a key: {part}"
        );
    }
    assert!(
        html.contains(&format!("lang=\"{}\"", language.code())),
        "{what}: {html}"
    );
    let read = format!("{subject} {}", words(text));
    let other = match language {
        Language::Danish => &ENGLISH[..],
        Language::English => &DANISH[..],
    };
    for word in other {
        assert!(
            !read.contains(word),
            "{what} ({language:?}) has «{word}»: {read}"
        );
    }
}

fn check(what: &str, build: impl Fn(tilslutning::i18n::Texts) -> Notification) {
    for language in Language::ALL {
        let tx = language.texts();
        let rendered =
            compose::render(&build(tx), tx, "https://tilslutning.example").expect("render");
        reads_only_in(
            language,
            what,
            &rendered.subject,
            &rendered.text,
            &rendered.html,
        );
    }
}

fn with_status(app: &TestApp, status: &str) -> String {
    app.with_db(|c| {
        requests::table
            .filter(requests::status.eq(status))
            .select(requests::id)
            .first(c)
            .expect("a request in that state")
    })
}

fn agreement_with(app: &TestApp, status: &str) -> String {
    app.with_db(|c| {
        agreements::table
            .filter(agreements::status.eq(status))
            .select(agreements::id)
            .first(c)
            .expect("an agreement in that state")
    })
}

#[tokio::test]
async fn every_kind_of_mail_reads_in_english_and_in_danish() {
    let app = spawn_app().await;
    // A rejection and a withdrawal besides what the demo data holds.
    let (learning, _) = app.pending(LEARNING_SERVICE, "G10603");
    let staff = app.login_as(STAFF).await;
    staff
        .post(
            &format!("/requests/{learning}/decision"),
            &[("decision", "reject"), ("reason", "Ikke nødvendigt.")],
        )
        .await;
    let (withdrawn, _) = app.pending(APP_SERVICE, "G10101");
    let supplier = app.login_as(SUPPLIER).await;
    supplier
        .post(&format!("/requests/{withdrawn}/withdraw"), &[])
        .await;
    let expiring = app.agreement_at("G10601");
    app.with_db(|c| {
        tilslutning::db::write_tx(c, |c| {
            agreement_db::end(
                c,
                &Caller::default(),
                &expiring,
                AgreementStatus::Ended,
                Some(&Reason::System(SystemReason::EndDatePassed)),
            )
        })
        .expect("ended")
    });

    let request =
        |id: &str| app.with_db(|c| request_db::summary(c, id).expect("read").expect("request"));
    let agreement = |id: &str| {
        app.with_db(|c| {
            agreement_db::detail(c, id)
                .expect("read")
                .expect("agreement")
        })
    };
    let (pending_a, _) = app.pending(PLADS_SERVICE, "G10201");
    let (pending_b, _) = app.pending(PLADS_SERVICE, "G10202");
    let pending = [request(&pending_a), request(&pending_b)];
    let both: Vec<_> = pending.iter().collect();
    let nobody: HashSet<String> = HashSet::new();
    let all_nobody: HashSet<String> = pending
        .iter()
        .map(|d| d.institution.number.clone())
        .collect();
    let base = "https://tilslutning.example";
    check("one new request", |tx| {
        compose::new_requests(tx, base, &both[..1], &nobody)
    });
    check("new requests", |tx| {
        compose::new_requests(tx, base, &both, &nobody)
    });
    check("new requests nobody can decide", |tx| {
        compose::new_requests(tx, base, &both, &all_nobody)
    });
    check("a reminder", |tx| {
        compose::reminder(tx, base, &both[..1], 1, &nobody)
    });
    check("reminders", |tx| {
        compose::reminder(tx, base, &both, 7, &all_nobody)
    });
    let approved = request(&with_status(&app, "approved"));
    check("an approval", |tx| {
        compose::decision(tx, base, &approved, None)
    });
    let rejected = request(&learning);
    check("a rejection", |tx| {
        compose::decision(tx, base, &rejected, None)
    });
    let mut delegated = approved.clone();
    delegated.request.decided_role = None;
    delegated.request.decided_delegation = Some("a delegation no longer on file".into());
    check("a decision under an unknown delegation", |tx| {
        compose::decision(tx, base, &delegated, None)
    });
    let withdrawn = request(&withdrawn);
    check("a withdrawal", |tx| {
        compose::withdrawn(tx, base, &withdrawn)
    });
    let lapsed = request(&with_status(&app, "lapsed"));
    check("a lapse", |tx| compose::lapsed(tx, base, &lapsed));
    for status in ["terminated", "revoked"] {
        let closed = agreement(&agreement_with(&app, status));
        check(status, |tx| compose::agreement_closed(tx, base, &closed));
    }
    let expired = agreement(&expiring);
    check("an expired agreement", |tx| {
        compose::agreement_closed(tx, base, &expired)
    });
    check("a moved agreement", |tx| {
        compose::agreement_moved(tx, base, &expired)
    });
    check("an invitation", |tx| {
        compose::account_link(
            tx,
            true,
            "https://x.example/invitation/t",
            Some("Olga Drift"),
        )
    });
    check("an invitation from nobody", |tx| {
        compose::account_link(tx, true, "https://x.example/invitation/t", None)
    });
    check("a password reset", |tx| {
        compose::account_link(tx, false, "https://x.example/password/reset/t", None)
    });
    // A digest of mails held in the reader's own language.
    check("a digest", |tx| {
        let held: Vec<MailMessage> = [&approved, &lapsed]
            .iter()
            .map(|d| {
                let n = compose::lapsed(tx, base, d);
                let r = compose::render(&n, tx, base).expect("render");
                let now = tilslutning::db::now();
                MailMessage {
                    id: String::new(),
                    event_id: None,
                    recipient: SUPPLIER.into(),
                    language: tx.language().code().into(),
                    subject: r.subject,
                    text_body: r.text,
                    html_body: r.html,
                    status: "held".into(),
                    attempts: 0,
                    next_attempt_at: now,
                    claimed_until: None,
                    created_at: now,
                    sent_at: None,
                    last_error: None,
                    failing_since: None,
                }
            })
            .collect();
        compose::digest(tx, &held.iter().collect::<Vec<_>>())
    });
    // Plurals and grouping from the catalogue.
    let en = Language::English.texts();
    let one = compose::reminder(en, base, &both[..1], 1, &nobody);
    assert_eq!(one.subject, "1 request is still waiting for your decision");
    assert!(
        one.intro
            .contains("This request has waited more than 1 day:")
    );
    let da = Language::Danish.texts();
    let one = compose::reminder(da, base, &both[..1], 1, &nobody);
    assert_eq!(one.subject, "1 anmodning venter stadig på din afgørelse");
    assert!(
        one.intro
            .contains("Denne anmodning har ventet mere end 1 dag:")
    );
}

/// The officer decides at G10602 under the staff's delegation; the supplier reads the
/// receipt in English, the service's contact mailbox in Danish.
#[tokio::test]
async fn a_decision_under_a_delegation_says_who_decided_and_under_what_in_both_languages() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let supplier = app.login_as(SUPPLIER).await;
    let saved = supplier
        .post("/profile", &[("language", "en"), ("mail", "immediate")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let staff = app.login_as(STAFF).await;
    let today = tilslutning::db::now().date();
    let (from, until) = (
        format_date(today),
        format_date(today + time::Duration::days(30)),
    );
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
    let delegation: String = app.with_db(|c| {
        delegations::table
            .select(delegations::id)
            .first(c)
            .expect("delegation")
    });
    let officer = app.login_as(OFFICER).await;
    let (id, _) = app.pending(APP_SERVICE, "G10602");
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
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let contact = "demo-service-app@example.org";
    wait_until(15, "both receipts", || {
        !smtp.to(SUPPLIER).is_empty() && !smtp.to(contact).is_empty()
    })
    .await;
    wait_until(10, "queue drained", || unsent(&app) == 0).await;

    let en = &smtp.to(SUPPLIER)[0];
    assert!(
        en.text
            .contains("Decided by: Karin Kommune under a delegation, "),
        "{}",
        en.text
    );
    assert!(
        en.text.contains("Delegation from G10602 ")
            && en
                .text
                .contains(": the municipality (København) decides for the institution")
            && en.text.contains(&format!(
                "({}–{})",
                tilslutning::routes::date(today),
                tilslutning::routes::date(today + time::Duration::days(30))
            )),
        "{}",
        en.text
    );
    let da = &smtp.to(contact)[0];
    assert!(
        da.text
            .contains("Afgjort af: Karin Kommune under fuldmagt, "),
        "{}",
        da.text
    );
    assert!(
        da.text.contains("Fuldmagt fra G10602 ")
            && da
                .text
                .contains(": kommunen (København) afgør for institutionen"),
        "{}",
        da.text
    );
    for (language, mail) in [(Language::English, en), (Language::Danish, da)] {
        reads_only_in(
            language,
            "delegated receipt",
            &mail.subject,
            &mail.text,
            &mail.html,
        );
        assert!(!mail.text.contains("()"), "no empty role: {}", mail.text);
        assert!(
            !mail.text.contains(&delegation) && !mail.html.contains(&delegation),
            "no delegation id: {}",
            mail.text
        );
    }
}

fn import_closures(app: &TestApp, file: &str) {
    app.with_db(|c| {
        let kommuner: Vec<String> = tilslutning::db::register::municipalities(c)
            .expect("municipalities")
            .into_iter()
            .map(|m| m.code)
            .collect();
        let parsed = register_file::parse(file.as_bytes(), &kommuner);
        let plan =
            register_import::plan(c, parsed, None, tilslutning::db::now().date()).expect("plan");
        tilslutning::db::write_tx(c, |c| {
            register_import::apply(c, &Caller::default(), &plan, "test.csv")
        })
        .expect("apply")
    });
}

/// A register closure lapses a request and ends an agreement: the supplier reads why in
/// English (their choice), the municipality in Danish — on the pages, in the mail and,
/// for any caller, in the API in the language it asks for, with the reason's code.
#[tokio::test]
async fn a_register_closure_reason_reads_in_each_readers_language() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let supplier = app.login_as(SUPPLIER).await;
    supplier
        .post("/profile", &[("language", "en"), ("mail", "immediate")])
        .await;
    let (request, reference) = app.pending(PLADS_SERVICE, "G10201");
    let agreement = app.agreement_at("G10401");
    let agreement_reference: String = app.with_db(|c| {
        agreements::table
            .find(&agreement)
            .select(agreements::reference)
            .first(c)
            .expect("reference")
    });
    import_closures(
        &app,
        "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;InstType3;ejerformKode;admKommuneKode;Status;LukketDato;EfterfoelgerNummer\n\
         G10201;Vuggestuen Mælkebøtten;G10200;101;1;101;lukket;2026-08-01;G10204\n\
         G10401;Vuggestuen Skovbrynet;G10400;101;1;101;lukket;;\n",
    );
    let (code, args): (Option<String>, Option<String>) = app.with_db(|c| {
        requests::table
            .find(&request)
            .select((
                requests::decision_reason_code,
                requests::decision_reason_args,
            ))
            .first(c)
            .expect("row")
    });
    assert_eq!(code.as_deref(), Some("institution-closed"));
    assert!(args.unwrap_or_default().contains("G10204"));

    let lapse_en = "Institution G10201 has closed; it continues as G10204.";
    let lapse_da = "Institutionen G10201 er lukket; den videreføres som G10204.";
    let end_en = "Institution G10401 has closed.";
    let end_da = "Institutionen G10401 er lukket.";
    // Pages.
    let page = supplier.get(&format!("/requests/{request}")).await;
    assert!(
        page.contains(lapse_en) && !page.contains(lapse_da),
        "{}",
        page.body
    );
    let officer = app.login_as(OFFICER).await;
    let page = officer.get(&format!("/requests/{request}")).await;
    assert!(
        page.contains(lapse_da) && !page.contains(lapse_en),
        "{}",
        page.body
    );
    let page = supplier.get(&format!("/agreements/{agreement}")).await;
    assert!(
        page.contains(end_en) && !page.contains(end_da),
        "{}",
        page.body
    );
    let page = officer.get(&format!("/agreements/{agreement}")).await;
    assert!(
        page.contains(end_da) && !page.contains(end_en),
        "{}",
        page.body
    );
    // Mail.
    wait_until(15, "both sides told of the lapse and the end", || {
        let to_supplier = smtp.to(SUPPLIER);
        let to_officer = smtp.to(OFFICER);
        to_supplier
            .iter()
            .any(|m| m.subject == format!("{reference} has lapsed"))
            && to_supplier
                .iter()
                .any(|m| m.subject == format!("Agreement {agreement_reference} has ended"))
            && to_officer
                .iter()
                .any(|m| m.subject == format!("{reference} er bortfaldet"))
            && to_officer
                .iter()
                .any(|m| m.subject == format!("Aftale {agreement_reference} er ophørt"))
    })
    .await;
    for m in smtp.to(SUPPLIER) {
        reads_only_in(Language::English, "closure", &m.subject, &m.text, &m.html);
        if m.subject.contains(&reference) {
            assert!(
                m.text.contains(&format!("Reason: {lapse_en}")),
                "{}",
                m.text
            );
        } else {
            assert!(m.text.contains(&format!("Reason: {end_en}")), "{}", m.text);
        }
    }
    for m in smtp.to(OFFICER) {
        reads_only_in(Language::Danish, "closure", &m.subject, &m.text, &m.html);
        if m.subject.contains(&reference) {
            assert!(m.text.contains(&format!("Årsag: {lapse_da}")), "{}", m.text);
        } else {
            assert!(
                m.text.contains(&format!("Begrundelse: {end_da}")),
                "{}",
                m.text
            );
        }
    }
    // The API, in the language asked for.
    let mut machine = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    for (language, lapse, end) in [("en", lapse_en, end_en), ("da", lapse_da, end_da)] {
        machine.language = Some(language);
        let answer = machine
            .get(
                &format!("/api/v1/requests/{request}"),
                "/api/v1/requests/{id}",
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["decision_reason"], lapse, "{}", answer.body);
        assert_eq!(answer.body["decision_reason_code"], "institution-closed");
        let answer = machine
            .get(
                &format!("/api/v1/agreements/{agreement}"),
                "/api/v1/agreements/{id}",
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["close_reason"], end, "{}", answer.body);
        assert_eq!(answer.body["close_reason_code"], "institution-closed");
    }
}

/// The sweep ends an agreement past its end date: the supplier reads it in English, the
/// institution's staff in Danish, and the API in either.
#[tokio::test]
async fn an_expired_agreement_reads_in_each_readers_language() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let supplier = app.login_as(SUPPLIER).await;
    supplier
        .post("/profile", &[("language", "en"), ("mail", "immediate")])
        .await;
    let ending = app.agreement_at("G10601");
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
    let (text, code): (Option<String>, Option<String>) = app.with_db(|c| {
        agreements::table
            .find(&ending)
            .select((agreements::close_reason, agreements::close_reason_code))
            .first(c)
            .expect("row")
    });
    assert_eq!((text, code.as_deref()), (None, Some("end-date-passed")));

    let (en, da) = ("The end date has passed.", "Slutdatoen er passeret.");
    let page = supplier.get(&format!("/agreements/{ending}")).await;
    assert!(page.contains(en) && !page.contains(da), "{}", page.body);
    let staff = app.login_as(STAFF).await;
    let page = staff.get(&format!("/agreements/{ending}")).await;
    assert!(page.contains(da) && !page.contains(en), "{}", page.body);
    wait_until(15, "both sides told", || {
        smtp.to(SUPPLIER)
            .iter()
            .any(|m| m.subject.contains("has expired"))
            && smtp
                .to(STAFF)
                .iter()
                .any(|m| m.subject.contains("er udløbet"))
    })
    .await;
    let to_supplier = smtp.to(SUPPLIER);
    let mail = to_supplier
        .iter()
        .find(|m| m.subject.contains("has expired"))
        .expect("mail");
    reads_only_in(
        Language::English,
        "expiry",
        &mail.subject,
        &mail.text,
        &mail.html,
    );
    assert!(
        mail.text.contains(&format!("Reason: {en}")),
        "{}",
        mail.text
    );
    let to_staff = smtp.to(STAFF);
    let mail = to_staff
        .iter()
        .find(|m| m.subject.contains("er udløbet"))
        .expect("mail");
    reads_only_in(
        Language::Danish,
        "expiry",
        &mail.subject,
        &mail.text,
        &mail.html,
    );
    assert!(
        mail.text.contains(&format!("Begrundelse: {da}")),
        "{}",
        mail.text
    );
    let mut machine = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    for (language, words) in [("en", en), ("da", da)] {
        machine.language = Some(language);
        let answer = machine
            .get(
                &format!("/api/v1/agreements/{ending}"),
                "/api/v1/agreements/{id}",
            )
            .await;
        assert_eq!(answer.body["close_reason"], words, "{}", answer.body);
        assert_eq!(answer.body["close_reason_code"], "end-date-passed");
    }
}
