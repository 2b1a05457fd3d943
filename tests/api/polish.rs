//! Finishing touches to an agreement's life and the supplier's self-service, each proved
//! against the real thing: hold mails read from the SMTP test server say the reason once,
//! end reminders say the days really left, audit actions all read as sentences, the API
//! answers 403 and 404 alike on holds and agreements, a missing refusal reason points at
//! its scope, and a supplier admin changes a colleague's role.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::agreements;

use crate::helpers::*;
use crate::mail::smtp_app;

/// How often `needle` occurs in `haystack`.
fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Every mail to `who` whose subject holds `subject`, each asserted to say `reason` once
/// in its text and once in its HTML.
fn says_once(smtp: &SmtpServer, who: &str, subject: &str, reason: &str) -> bool {
    let mails: Vec<Received> = smtp
        .to(who)
        .into_iter()
        .filter(|m| m.subject.contains(subject))
        .collect();
    for m in &mails {
        assert_eq!(occurrences(&m.text, reason), 1, "text to {who}: {}", m.text);
        assert_eq!(occurrences(&m.html, reason), 1, "html to {who}: {}", m.html);
    }
    !mails.is_empty()
}

#[tokio::test]
async fn hold_mails_say_the_reason_once_for_an_agreement_and_for_a_service() {
    let smtp = SmtpServer::start();
    let app = smtp_app(&smtp).await;
    let id: String = app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::institution_number.eq("G10401"))
            .filter(agreements::status.eq("active"))
            .select(agreements::id)
            .first(c)
            .expect("agreement")
    });
    let officer = app.login_as(OFFICER).await;
    let reason = "Databehandleraftalen skal fornyes";
    let held = officer
        .post(
            &format!("/agreements/{id}/suspend"),
            &[("reason", reason), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
    wait_until(15, "both sides hear of the hold", || {
        says_once(&smtp, SUPPLIER, "er sat i bero", reason)
            && says_once(&smtp, OFFICER, "er sat i bero", reason)
    })
    .await;
    // A whole service (the agreement at G10401 still held by the institution): the
    // supplier's reason once per mail, however many agreements it lists.
    smtp.clear();
    let supplier = app.login_as(SUPPLIER).await;
    let service_reason = "Vedligeholdelse af systemet";
    let paused = supplier
        .post(
            &format!("/service-holds/{PLADS_SERVICE}/pause"),
            &[("reason", service_reason), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER, "{}", paused.body);
    wait_until(15, "both sides hear of the service pause", || {
        says_once(&smtp, SUPPLIER, "Pladsanvisning", service_reason)
            && says_once(&smtp, OFFICER, "Pladsanvisning", service_reason)
    })
    .await;
    let to_supplier = smtp.to(SUPPLIER);
    let mail = to_supplier
        .iter()
        .find(|m| m.subject.contains("Pladsanvisning"))
        .expect("the supplier's mail");
    assert!(
        occurrences(&mail.text, "/agreements/") >= 2,
        "the mail lists several agreements: {}",
        mail.text
    );
}

#[tokio::test]
async fn each_end_reminder_says_the_days_really_left_in_both_languages() {
    use std::sync::Arc;
    use tilslutning::db::schema::users;
    use tilslutning::mail::MailWorker;
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        no_worker: true,
        ..Options::default()
    })
    .await;
    let worker = MailWorker::new(app.db.clone(), Arc::new(app.settings.clone())).expect("worker");
    let deliver = || {
        for _ in 0..20 {
            worker.round().expect("round");
            if crate::mail::unsent(&app) == 0 {
                break;
            }
        }
    };
    deliver();
    smtp.clear();
    // The unit's staff reads English; the supplier Danish.
    app.with_db(|c| {
        diesel::update(users::table.filter(users::email.eq(STAFF)))
            .set(users::language.eq("en"))
            .execute(c)
            .expect("english")
    });
    let id = app.agreement_at("G10601");
    let reference: String = app.with_db(|c| {
        agreements::table
            .find(&id)
            .select(agreements::reference)
            .first(c)
            .expect("reference")
    });
    let now = tilslutning::db::now();
    let today = now.date();
    app.with_db(|c| {
        diesel::update(agreements::table.find(&id))
            .set(agreements::ends_on.eq(Some(today + time::Duration::days(25))))
            .execute(c)
            .expect("ends in 25 days")
    });
    let subjects = |who: &str| -> Vec<String> {
        smtp.to(who)
            .into_iter()
            .filter(|m| m.subject.contains("udløber") || m.subject.contains(" end"))
            .map(|m| format!("{}\n{}", m.subject, m.text))
            .collect()
    };

    // The 30-day reminder, 25 days before the end: 25 days, not 30.
    worker.periodic(now).expect("periodic");
    deliver();
    wait_until(10, "the 30-day reminder", || {
        !subjects(STAFF).is_empty() && !subjects(SUPPLIER).is_empty()
    })
    .await;
    let english = subjects(STAFF);
    assert_eq!(english.len(), 1, "{english:?}");
    assert!(
        english[0].starts_with(&format!("Agreement {reference} ends in 25 days, on ")),
        "{english:?}"
    );
    assert!(english[0].contains("(in 25 days)"), "{english:?}");
    let danish = subjects(SUPPLIER);
    assert_eq!(danish.len(), 1, "{danish:?}");
    assert!(
        danish[0].starts_with(&format!("Aftale {reference} udløber om 25 dage, den ")),
        "{danish:?}"
    );
    assert!(
        !danish[0].contains("30 dage"),
        "no 30-day wording: {danish:?}"
    );
    smtp.clear();

    // The 7-day reminder, 6 days before: 6 days. The supplier's agreement at G10504, which
    // the demo makes end in 20 days, is due its own 7-day reminder then too (1 day left)
    // and comes in the same mail.
    worker
        .periodic(now + time::Duration::days(19))
        .expect("periodic");
    deliver();
    wait_until(10, "the 7-day reminder", || {
        !subjects(STAFF).is_empty() && !subjects(SUPPLIER).is_empty()
    })
    .await;
    let english = subjects(STAFF);
    assert_eq!(english.len(), 1, "{english:?}");
    assert!(
        english[0].starts_with(&format!("Agreement {reference} ends in 6 days, on ")),
        "{english:?}"
    );
    let danish = subjects(SUPPLIER);
    assert_eq!(danish.len(), 1, "{danish:?}");
    assert!(
        danish[0].starts_with("2 aftaler udløber inden for 6 dage"),
        "{danish:?}"
    );
    assert!(
        danish[0].contains("(om 6 dage)") && danish[0].contains("(om 1 dag)"),
        "each agreement its own days, singular for one: {danish:?}"
    );
    assert!(!danish[0].contains(" 7 dage"), "{danish:?}");
}

#[tokio::test]
async fn the_supplier_s_activity_reads_as_words_in_both_languages_after_a_retirement() {
    use tilslutning::db::schema::audit_log;
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let own = "demo-supplier-1";
    let hold = format!("/service-holds/{PLADS_SERVICE}");
    for (path, fields) in [
        (
            format!("{hold}/pause"),
            vec![("reason", "Opgradering"), ("confirmed", "yes")],
        ),
        (format!("{hold}/resume"), vec![("confirmed", "yes")]),
        (
            format!("/suppliers/{own}/services/{APP_SERVICE}/retire"),
            vec![("confirmed", "yes"), ("agreements", "end")],
        ),
    ] {
        let done = admin.post(&path, &fields).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{path}: {}", done.body);
    }
    crate::api_client::make_token(&admin, "supplier", &["read", "file"]).await;

    // Every row the page can show is an action the catalogues word.
    let actions: Vec<String> = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::supplier_id.eq(own))
            .select(audit_log::action)
            .distinct()
            .load(c)
            .expect("actions")
    });
    for wanted in ["service.retired", "service.paused", "api_token.created"] {
        assert!(actions.iter().any(|a| a == wanted), "{actions:?}");
    }
    for action in &actions {
        assert!(
            tilslutning::domain::audit_actions::is_known(action),
            "{action} has no words"
        );
    }

    let danish = admin.get(&format!("/suppliers/{own}/activity")).await;
    assert_eq!(danish.status, StatusCode::OK);
    for words in [
        "Tjeneste udfaset",
        "Aktiv → Udfaset",
        "Afsluttet",
        "Læse anmodninger og aftaler, Indsende anmodninger",
    ] {
        assert!(danish.contains(words), "{words}: {}", danish.body);
    }
    let saved = admin.post("/language", &[("language", "en")]).await;
    assert!(saved.status.is_redirection(), "{}", saved.body);
    let english = admin.get(&format!("/suppliers/{own}/activity")).await;
    for words in ["Service retired", "Active → Retired", "Ended", "Supplier"] {
        assert!(english.contains(words), "{words}: {}", english.body);
    }
    for page in [&danish, &english] {
        for code in actions.iter().map(String::as_str).chain([
            "active → retired",
            ">terminated<",
            ">supplier<",
            "read file",
            "reason code",
            "reason args",
            ">new<",
            ">extension<",
            "0:00:00.0",
        ]) {
            assert!(!page.contains(code), "{code} shows raw: {}", page.body);
        }
        // A fact without a name in the catalogue shows as its key, in lower case.
        for label in page.body.split("<dt>").skip(1) {
            let label = label.split('<').next().unwrap_or_default();
            assert!(
                label.chars().next().is_some_and(char::is_uppercase),
                "the fact {label:?} has no name in the catalogue"
            );
        }
    }
}

#[tokio::test]
async fn a_supplier_token_that_sees_a_service_but_may_not_hold_it_gets_403_as_for_agreements() {
    use crate::api_client::machine_of;
    use serde_json::json;
    let app = spawn_app().await;
    let agreement: String = app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::status.eq("active"))
            .select(agreements::id)
            .first(c)
            .expect("agreement")
    });
    let reader = machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    let stranger = machine_of(&app, OTHER_SUPPLIER, "supplier", &["read", "terminate"]).await;
    let hold = json!({"reason": "Opgradering."});
    let calls = [
        (
            format!("/api/v1/services/{PLADS_SERVICE}/pause"),
            "/api/v1/services/{id}/pause",
        ),
        (
            format!("/api/v1/services/{PLADS_SERVICE}/resume"),
            "/api/v1/services/{id}/resume",
        ),
        (
            format!("/api/v1/agreements/{agreement}/terminate"),
            "/api/v1/agreements/{id}/terminate",
        ),
    ];
    for (path, template) in &calls {
        // Its own supplier's service and agreement, without `terminate`: seen, refused.
        let refused = reader.post(path, template, &hold).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            refused.body
        );
        assert_eq!(refused.code(), "forbidden", "{path}");
        // Another supplier's: not there for this token.
        let unseen = stranger.post(path, template, &hold).await;
        assert_eq!(
            unseen.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            unseen.body
        );
    }
    let still: Vec<String> = app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::supplier_paused_at.is_not_null())
            .select(agreements::id)
            .load(c)
            .expect("held")
    });
    assert!(still.is_empty(), "nothing was put on hold: {still:?}");
}

/// The roles `user` holds at `supplier`, sorted.
fn roles_at(app: &TestApp, user: &str, supplier: &str) -> Vec<String> {
    use tilslutning::db::schema::role_assignments;
    let mut roles: Vec<String> = app.with_db(|c| {
        role_assignments::table
            .filter(role_assignments::user_id.eq(user))
            .filter(role_assignments::supplier_id.eq(supplier))
            .select(role_assignments::role)
            .load(c)
            .expect("roles")
    });
    roles.sort();
    roles
}

fn id_of(app: &TestApp, email: &str) -> String {
    use tilslutning::db::schema::users;
    app.with_db(|c| {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(c)
            .expect("person")
    })
}

const OWN: &str = "demo-supplier-1";

#[tokio::test]
async fn a_supplier_admin_makes_a_colleague_admin_and_user_again_on_the_page_never_the_last_admin()
{
    use tilslutning::domain::{Role, RoleAssignment};
    let app = spawn_app().await;
    let bo = app.person(
        "bo@boerneportalen.example",
        "Bo Bruger",
        &[RoleAssignment::supplier(Role::SupplierUser, OWN)],
    );
    let me = id_of(&app, SUPPLIER);
    let admin = app.login_as(SUPPLIER).await;
    let path = format!("/suppliers/{OWN}/colleagues/{bo}/role");
    let page = admin.get(&format!("/suppliers/{OWN}/colleagues")).await;
    assert!(
        page.contains(&format!("action=\"{path}\""))
            && page.contains("Gør til Leverandøradministrator: Bo Bruger"),
        "{}",
        page.body
    );
    assert!(
        !page.contains(&format!("/colleagues/{me}/role")),
        "no form to change one's own role"
    );

    // Without the form's CSRF token nothing changes.
    let forged = admin
        .post_raw(&path, &[("csrf", "forged"), ("role", "supplier_admin")])
        .await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_user"]);

    let made = admin.post(&path, &[("role", "supplier_admin")]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_admin"]);
    let shown = admin
        .get(&format!(
            "/suppliers/{OWN}/colleagues?notice=colleague-role-changed"
        ))
        .await;
    assert!(
        shown.contains("Kollegaens rolle er ændret"),
        "{}",
        shown.body
    );
    assert!(shown.contains("Gør til Leverandørbruger: Bo Bruger"));
    let audit = app.audit_actions_for(&bo);
    assert!(
        audit.ends_with(&["user.role_removed".into(), "user.role_granted".into()]),
        "{audit:?}"
    );
    let bad = admin.post(&path, &[("role", "operator")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_admin"]);

    // Back to user: Lene is then the last admin, and cannot make herself a user.
    let back = admin.post(&path, &[("role", "supplier_user")]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_user"]);
    let last = admin
        .post(
            &format!("/suppliers/{OWN}/colleagues/{me}/role"),
            &[("role", "supplier_user")],
        )
        .await;
    assert_eq!(last.status, StatusCode::BAD_REQUEST, "{}", last.body);
    assert!(last.contains("mindst én administrator"), "{}", last.body);
    assert_eq!(roles_at(&app, &me, OWN), ["supplier_admin"]);

    // Another supplier's admin finds nothing; a supplier user may not.
    let other = app.login_as(OTHER_SUPPLIER).await;
    let refused = other.post(&path, &[("role", "supplier_admin")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let user = app.login_as("bo@boerneportalen.example").await;
    let own = user
        .post(
            &format!("/suppliers/{OWN}/colleagues/{bo}/role"),
            &[("role", "supplier_admin")],
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_user"]);
}

#[tokio::test]
async fn through_the_api_a_supplier_admin_changes_a_colleague_s_role_never_the_last_admin() {
    use crate::api_client::machine_of;
    use serde_json::json;
    use tilslutning::domain::{Role, RoleAssignment};
    let app = spawn_app().await;
    let bo = app.person(
        "bo@boerneportalen.example",
        "Bo Bruger",
        &[RoleAssignment::supplier(Role::SupplierUser, OWN)],
    );
    let me = id_of(&app, SUPPLIER);
    let admin = machine_of(&app, SUPPLIER, "supplier", &["administer"]).await;
    let template = "/api/v1/suppliers/{supplier}/colleagues/{user}/role";
    let path = format!("/api/v1/suppliers/{OWN}/colleagues/{bo}/role");

    let made = admin
        .post(&path, template, &json!({"role": "supplier_admin"}))
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.body["roles"], json!(["supplier_admin"]));
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_admin"]);
    let again = admin
        .post(&path, template, &json!({"role": "supplier_admin"}))
        .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "the same role twice is no error"
    );
    let bad = admin
        .post(&path, template, &json!({"role": "operator"}))
        .await;
    assert_eq!(
        (bad.status, bad.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "/role")
    );
    let back = admin
        .post(&path, template, &json!({"role": "supplier_user"}))
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_user"]);

    let last = admin
        .post(
            &format!("/api/v1/suppliers/{OWN}/colleagues/{me}/role"),
            template,
            &json!({"role": "supplier_user"}),
        )
        .await;
    assert_eq!(
        (last.status, last.code()),
        (StatusCode::CONFLICT, "last_admin"),
        "{}",
        last.body
    );
    assert_eq!(roles_at(&app, &me, OWN), ["supplier_admin"]);
    let nobody = admin
        .post(
            &format!("/api/v1/suppliers/{OWN}/colleagues/no-such-person/role"),
            template,
            &json!({"role": "supplier_admin"}),
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);

    // Another supplier's admin token: not there for it. A token without `administer`: 403.
    let other = machine_of(&app, OTHER_SUPPLIER, "supplier", &["administer"]).await;
    let refused = other
        .post(&path, template, &json!({"role": "supplier_admin"}))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let reader = machine_of(&app, SUPPLIER, "supplier", &["read"]).await;
    let not_permitted = reader
        .post(&path, template, &json!({"role": "supplier_admin"}))
        .await;
    assert_eq!(
        not_permitted.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_permitted.body
    );
    assert_eq!(roles_at(&app, &bo, OWN), ["supplier_user"]);

    // Every answer above was checked against the OpenAPI document (`Machine`), which
    // therefore describes the new path and its answers.
}
