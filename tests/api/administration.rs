//! A supplier runs its own account, and operators administer suppliers and the scope
//! catalogue: services created and edited with bad input kept, retired (pending requests
//! lapse with the system's reason; agreements ended or kept as chosen); colleagues
//! invited (the mail read from the SMTP server, the link chosen and signed in with) and
//! removed, never the last admin; the activity page from the audit rows; suppliers
//! created with a checked CVR number and verified; unverified suppliers refused at
//! filing; scopes added and edited; the wrong person at every new URL refused; the same
//! through the JSON API.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use tilslutning::db::schema::{agreements, audit_log, requests, role_assignments, services, users};
use tilslutning::demo::{UNVERIFIED_SUPPLIER, UNVERIFIED_SUPPLIER_EMAIL};
use tilslutning::domain::{Role, RoleAssignment};

use crate::api_client::{Machine, make_token};
use crate::helpers::*;

const OWN: &str = "demo-supplier-1";
const OTHER: &str = "demo-supplier-2";

fn user_id(app: &TestApp, wanted: &str) -> String {
    app.with_db(|c| {
        users::table
            .filter(users::email.eq(wanted))
            .select(users::id)
            .first(c)
            .expect("person")
    })
}

/// (action, supplier_id) of every audit row about `target`, oldest first.
fn audit_of(app: &TestApp, target: &str) -> Vec<(String, Option<String>)> {
    app.with_db(|c| {
        audit_log::table
            .filter(audit_log::target_id.eq(target))
            .order(audit_log::seq)
            .select((audit_log::action, audit_log::supplier_id))
            .load(c)
            .expect("audit")
    })
}

fn statuses(app: &TestApp, service: &str) -> (Vec<String>, Vec<String>) {
    app.with_db(|c| {
        (
            requests::table
                .filter(requests::service_id.eq(service))
                .select(requests::status)
                .load(c)
                .expect("requests"),
            agreements::table
                .filter(agreements::service_id.eq(service))
                .select(agreements::status)
                .load(c)
                .expect("agreements"),
        )
    })
}

fn service_named(app: &TestApp, wanted: &str) -> Option<(String, Option<String>, String)> {
    app.with_db(|c| {
        services::table
            .filter(services::name.eq(wanted))
            .select((services::id, services::privacy_url, services::status))
            .first(c)
            .optional()
            .expect("query")
    })
}

#[tokio::test]
async fn a_supplier_admin_creates_and_edits_a_service_and_a_bad_address_comes_back_kept() {
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let home = admin.get("/suppliers").await;
    assert_eq!(
        home.location.as_deref(),
        Some(format!("/suppliers/{OWN}/services").as_str())
    );
    let list = admin.get(&format!("/suppliers/{OWN}/services")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.contains("Børneportalen Forældreapp"));

    let bad = [
        ("name", "Børneportalen Kalender"),
        ("description", "Kalender for forældre."),
        ("website", "www.boerneportalen.example"),
        ("privacy_url", "https://boerneportalen.example/privatliv"),
        ("contact_email", "kalender@"),
    ];
    let page = admin
        .post(&format!("/suppliers/{OWN}/services"), &bad)
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Hjemmeside skal være en fuld webadresse"));
    assert!(page.contains("Kontakt-e-mail skal være en e-mailadresse"));
    assert!(
        page.contains("value=\"www.boerneportalen.example\""),
        "kept"
    );
    assert!(page.contains("value=\"Børneportalen Kalender\""), "kept");
    assert!(service_named(&app, "Børneportalen Kalender").is_none());

    let mut good = bad;
    good[2].1 = "https://boerneportalen.example";
    good[4].1 = "kalender@boerneportalen.example";
    let page = admin
        .post(&format!("/suppliers/{OWN}/services"), &good)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (id, privacy, status) = service_named(&app, "Børneportalen Kalender").expect("created");
    assert_eq!(status, "active");
    assert_eq!(
        privacy.as_deref(),
        Some("https://boerneportalen.example/privatliv")
    );

    good[1].1 = "Kalender og beskeder for forældre.";
    let page = admin
        .post(&format!("/suppliers/{OWN}/services/{id}"), &good)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let edit = admin.get(&format!("/suppliers/{OWN}/services/{id}")).await;
    assert!(edit.contains("Kalender og beskeder for forældre."));
    assert_eq!(
        audit_of(&app, &id),
        [
            ("service.created".to_string(), Some(OWN.to_string())),
            ("service.changed".to_string(), Some(OWN.to_string())),
        ]
    );
    // The new service is offered when filing.
    assert!(admin.get("/requests/new").await.contains(&id));
}

/// Retires `service` of the demo supplier, choosing `agreements`; what the confirmation
/// said first.
async fn retire(app: &TestApp, session: &Session, service: &str, agreements: &str) -> Page {
    let _ = app;
    let retire = format!("/suppliers/{OWN}/services/{service}/retire");
    let confirm = session.post(&retire, &[]).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let unchosen = session.post(&retire, &[("confirmed", "yes")]).await;
    let done = session
        .post(&retire, &[("confirmed", "yes"), ("agreements", agreements)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    unchosen
}

#[tokio::test]
async fn retiring_a_service_lapses_its_pending_requests_and_can_end_its_agreements() {
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let (requests_before, agreements_before) = statuses(&app, PLADS_SERVICE);
    let pending = requests_before.iter().filter(|s| *s == "pending").count();
    let open = agreements_before.iter().filter(|s| *s == "active").count();
    assert!(pending > 1 && open > 1, "the demo service has both");

    let path = format!("/suppliers/{OWN}/services/{PLADS_SERVICE}/retire");
    let confirm = admin.post(&path, &[]).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.contains(&format!("{pending} ventende anmodninger bortfalder")),
        "{}",
        confirm.body
    );
    assert!(confirm.contains(&format!("Tjenesten har {open} aftaler i kraft")));
    assert_eq!(
        statuses(&app, PLADS_SERVICE).0,
        requests_before,
        "nothing yet"
    );

    let unchosen = retire(&app, &admin, PLADS_SERVICE, "end").await;
    assert_eq!(unchosen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unchosen.contains("Vælg, hvad der skal ske med aftalerne."));
    let (requests_after, agreements_after) = statuses(&app, PLADS_SERVICE);
    assert!(!requests_after.iter().any(|s| s == "pending"));
    assert_eq!(
        requests_after.iter().filter(|s| *s == "lapsed").count(),
        requests_before.iter().filter(|s| *s == "lapsed").count() + pending
    );
    assert!(!agreements_after.iter().any(|s| s == "active"));
    let codes: Vec<Option<String>> = app.with_db(|c| {
        requests::table
            .filter(requests::service_id.eq(PLADS_SERVICE))
            .filter(requests::status.eq("lapsed"))
            .select(requests::decision_reason_code)
            .load(c)
            .expect("codes")
    });
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.as_deref() == Some("service-retired"))
            .count(),
        pending
    );
    let ended: Vec<Option<String>> = app.with_db(|c| {
        agreements::table
            .filter(agreements::service_id.eq(PLADS_SERVICE))
            .filter(agreements::status.eq("terminated"))
            .select(agreements::close_reason_code)
            .load(c)
            .expect("codes")
    });
    assert_eq!(
        ended
            .iter()
            .filter(|c| c.as_deref() == Some("service-retired"))
            .count(),
        open
    );
    assert!(
        audit_of(&app, PLADS_SERVICE)
            .iter()
            .any(|(a, s)| a == "service.retired" && s.as_deref() == Some(OWN))
    );
    // The supplier reads the reason on the lapsed request.
    let (id, _) = app.with_db(|c| {
        requests::table
            .filter(requests::service_id.eq(PLADS_SERVICE))
            .filter(requests::decision_reason_code.eq("service-retired"))
            .select((requests::id, requests::reference))
            .first::<(String, String)>(c)
            .expect("a lapsed request")
    });
    assert!(
        admin
            .get(&format!("/requests/{id}"))
            .await
            .contains("Leverandøren har udfaset tjenesten Børneportalen Pladsanvisning.")
    );
    // A retired service takes no new requests, and a second retirement changes nothing.
    let filed = app
        .file(&admin, PLADS_SERVICE, &["STAMDATA"], "G10101")
        .await;
    assert_eq!(filed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let again = admin
        .post(&path, &[("confirmed", "yes"), ("agreements", "end")])
        .await;
    assert!(
        again
            .location
            .unwrap_or_default()
            .contains("service-already-retired")
    );
    // A service without agreements asks nothing about them.
    let made = admin
        .post(
            &format!("/suppliers/{OWN}/services"),
            &[
                ("name", "Børneportalen Kalender"),
                ("description", "Kalender for forældre."),
                ("website", ""),
                ("privacy_url", ""),
                ("contact_email", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let (fresh, ..) = service_named(&app, "Børneportalen Kalender").expect("created");
    let confirm = admin
        .post(&format!("/suppliers/{OWN}/services/{fresh}/retire"), &[])
        .await;
    assert!(confirm.contains("Tjenesten har ingen aftaler i kraft."));
}

#[tokio::test]
async fn retiring_a_service_can_keep_its_agreements_running() {
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let (_, before) = statuses(&app, PLADS_SERVICE);
    retire(&app, &admin, PLADS_SERVICE, "keep").await;
    let (requests_after, after) = statuses(&app, PLADS_SERVICE);
    assert_eq!(after, before, "agreements kept as they were");
    assert!(!requests_after.iter().any(|s| s == "pending"));
    let details = app.audit_details_for(PLADS_SERVICE);
    assert!(
        details
            .iter()
            .any(|d| d.contains("\"agreements\":\"kept\"")),
        "{details:?}"
    );
}

fn invitation_link(app: &TestApp, smtp: &SmtpServer, to: &str) -> String {
    let _ = app;
    let mail = smtp.to(to).pop().expect("invitation mail");
    let at = mail.text.find("/invitation/").expect("link in the mail");
    mail.text[at..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string()
}

#[tokio::test]
async fn a_supplier_admin_invites_a_colleague_who_is_mailed_and_signs_in_at_that_supplier_only() {
    let smtp = SmtpServer::start();
    let app = crate::mail::smtp_app(&smtp).await;
    let admin = app.login_as(SUPPLIER).await;
    let path = format!("/suppliers/{OWN}/colleagues");
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Lene Leverandør"));

    let refused = admin
        .post(
            &path,
            &[
                ("email", "mads@"),
                ("display_name", "Mads Madsen"),
                ("role", "operator"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("value=\"mads@\"") && refused.contains("value=\"Mads Madsen\""));
    assert!(refused.contains("Vælg leverandørbruger eller leverandøradministrator."));
    let taken = admin
        .post(
            &path,
            &[
                ("email", OFFICER),
                ("display_name", "Karin"),
                ("role", "supplier_user"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.contains("har allerede en konto"));

    let email = "mads@boerneportalen.example";
    let invited = admin
        .post(
            &path,
            &[
                ("email", "Mads@Boerneportalen.example"),
                ("display_name", "Mads Madsen"),
                ("role", "supplier_user"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    wait_until(30, "the invitation is delivered", || {
        !smtp.to(email).is_empty()
    })
    .await;
    let mail = &smtp.to(email)[0];
    assert!(mail.text.contains("Lene Leverandør"), "{}", mail.text);
    let link = invitation_link(&app, &smtp, email);
    let mut visitor = app.anonymous();
    let form = visitor.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let password = "mads vælger en lang adgangskode";
    let set = visitor
        .post(&link, &[("password", password), ("repeat", password)])
        .await;
    assert_eq!(set.location.as_deref(), Some("/login?notice=password-set"));
    let (session, page) = app.try_login(email, password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(session.get("/requests/new").await.status, StatusCode::OK);
    assert_eq!(
        session.get(&path).await.status,
        StatusCode::FORBIDDEN,
        "a supplier user does not manage colleagues"
    );
    let id = user_id(&app, email);
    let roles: Vec<(String, Option<String>)> = app.with_db(|c| {
        role_assignments::table
            .filter(role_assignments::user_id.eq(&id))
            .select((role_assignments::role, role_assignments::supplier_id))
            .load(c)
            .expect("roles")
    });
    assert_eq!(
        roles,
        [("supplier_user".to_string(), Some(OWN.to_string()))]
    );
    let actions: Vec<String> = audit_of(&app, &id)
        .into_iter()
        .filter(|(_, s)| s.as_deref() == Some(OWN))
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        actions,
        ["user.created", "user.role_granted", "user.invited"]
    );
    let list = admin.get(&path).await;
    assert!(list.contains("Mads Madsen") && list.contains(email));
}

#[tokio::test]
async fn a_colleague_is_removed_and_loses_access_but_the_last_admin_stays() {
    let app = spawn_app().await;
    let colleague = app.person(
        "kollega@boerneportalen.example",
        "Kim Kollega",
        &[RoleAssignment::supplier(Role::SupplierAdmin, OWN)],
    );
    let theirs = app.login_as("kollega@boerneportalen.example").await;
    let admin = app.login_as(SUPPLIER).await;
    let me = user_id(&app, SUPPLIER);

    let removed = admin
        .post(
            &format!("/suppliers/{OWN}/colleagues/{colleague}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_ne!(
        theirs.get("/requests/new").await.status,
        StatusCode::OK,
        "their session ended"
    );
    assert!(
        audit_of(&app, &colleague)
            .iter()
            .any(|(a, s)| a == "user.role_removed" && s.as_deref() == Some(OWN))
    );
    // Lene is now the only admin: she cannot remove herself.
    let last = admin
        .post(&format!("/suppliers/{OWN}/colleagues/{me}/remove"), &[])
        .await;
    assert_eq!(last.status, StatusCode::BAD_REQUEST);
    assert!(last.contains("mindst én administrator"));
    assert_eq!(admin.get("/requests/new").await.status, StatusCode::OK);
    // Someone who is not a colleague here is not found.
    let officer = user_id(&app, OFFICER);
    let stranger = admin
        .post(
            &format!("/suppliers/{OWN}/colleagues/{officer}/remove"),
            &[],
        )
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_activity_page_shows_who_did_what_at_the_supplier_newest_first_in_pages() {
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let service = format!("/suppliers/{OWN}/services/{PLADS_SERVICE}");
    for n in 0..55 {
        let description = format!("Pladsanvisning, version {n}.");
        let page = admin
            .post(
                &service,
                &[
                    ("name", "Børneportalen Pladsanvisning"),
                    ("description", &description),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let page = admin.get(&format!("/suppliers/{OWN}/activity")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Tjeneste ændret"));
    assert!(page.contains("Lene Leverandør (Leverandøradministrator)"));
    // Each change reads "before → after".
    assert!(page.contains("Pladsanvisning, version 53. → Pladsanvisning, version 54."));
    let newest = page
        .body
        .find("→ Pladsanvisning, version 54.")
        .expect("the newest row");
    let older = page
        .body
        .find("→ Pladsanvisning, version 53.")
        .expect("the next row");
    assert!(newest < older, "newest first");
    assert!(
        !page.contains("→ Pladsanvisning, version 3."),
        "past the first page"
    );
    let at = page.body.find("rel=\"next\"").expect("a next page");
    let href_at = page.body[..at].rfind("href=\"").expect("link") + 6;
    let next = page.body[href_at..].split('"').next().expect("href");
    let second = admin.get(&next.replace("&amp;", "&")).await;
    assert!(second.contains("→ Pladsanvisning, version 3."));
    assert!(!second.contains("→ Pladsanvisning, version 54."));
    // Another supplier's rows are not shown.
    assert!(!page.contains("Læringsportalen"));
}

/// (method, path, form fields)
type Visit<'a> = (&'a str, String, &'a [(&'a str, &'a str)]);

#[tokio::test]
async fn the_wrong_person_at_every_new_url_gets_403_or_404_and_changes_nothing() {
    let app = spawn_app().await;
    app.person(
        "bruger@boerneportalen.example",
        "Bo Bruger",
        &[RoleAssignment::supplier(Role::SupplierUser, OWN)],
    );
    let me = user_id(&app, SUPPLIER);
    let service_fields: &[(&str, &str)] = &[("name", "Overtaget"), ("description", "x")];
    let urls: Vec<Visit<'_>> = vec![
        ("get", format!("/suppliers/{OWN}/services/new"), &[]),
        ("post", format!("/suppliers/{OWN}/services"), service_fields),
        (
            "get",
            format!("/suppliers/{OWN}/services/{APP_SERVICE}"),
            &[],
        ),
        (
            "post",
            format!("/suppliers/{OWN}/services/{APP_SERVICE}"),
            service_fields,
        ),
        (
            "post",
            format!("/suppliers/{OWN}/services/{APP_SERVICE}/retire"),
            &[("confirmed", "yes"), ("agreements", "end")],
        ),
        ("get", format!("/suppliers/{OWN}/colleagues"), &[]),
        (
            "post",
            format!("/suppliers/{OWN}/colleagues"),
            &[
                ("email", "x@example.org"),
                ("display_name", "X"),
                ("role", "supplier_admin"),
            ],
        ),
        (
            "post",
            format!("/suppliers/{OWN}/colleagues/{me}/remove"),
            &[],
        ),
        ("get", format!("/suppliers/{OWN}/activity"), &[]),
    ];
    // (who, the statuses allowed for them)
    let people = [
        (OTHER_SUPPLIER, StatusCode::NOT_FOUND),
        ("bruger@boerneportalen.example", StatusCode::FORBIDDEN),
        (OFFICER, StatusCode::NOT_FOUND),
        (STAFF, StatusCode::NOT_FOUND),
        (AUDITOR, StatusCode::NOT_FOUND),
    ];
    let audit_before = app.count("audit_log");
    for (who, expected) in people {
        let session = app.login_as(who).await;
        let logins = app.count("audit_log");
        for (method, url, fields) in &urls {
            let page = if *method == "get" {
                session.get(url).await
            } else {
                session.post(url, fields).await
            };
            assert_eq!(page.status, expected, "{who} {method} {url}");
        }
        assert_eq!(app.count("audit_log"), logins, "{who} changed nothing");
    }
    assert!(app.count("audit_log") > audit_before);
    // The services list: the supplier's own staff see it to pause services (no editing,
    // no activity tab); other people do not see it at all.
    let list = format!("/suppliers/{OWN}/services");
    let staff = app.login_as("bruger@boerneportalen.example").await;
    let seen = staff.get(&list).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.contains("Sæt Børneportalen Pladsanvisning i bero"));
    assert!(!seen.contains(&format!("href=\"/suppliers/{OWN}/services/new\"")));
    assert!(!seen.contains(&format!("href=\"/suppliers/{OWN}/services/{APP_SERVICE}\"")));
    assert!(!seen.contains(&format!("href=\"/suppliers/{OWN}/activity\"")));
    assert!(
        seen.contains("href=\"/suppliers\""),
        "the navigation leads here"
    );
    assert_eq!(
        staff.get("/suppliers").await.location.as_deref(),
        Some(list.as_str())
    );
    for who in [OTHER_SUPPLIER, OFFICER, STAFF, AUDITOR] {
        let session = app.login_as(who).await;
        assert_eq!(
            session.get(&list).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    // Operators may manage services (but pause none), not a supplier's colleagues.
    let operator = app.login_as(OPERATOR).await;
    let managed = operator.get(&list).await;
    assert_eq!(managed.status, StatusCode::OK);
    assert!(managed.contains(&format!("href=\"/suppliers/{OWN}/services/{APP_SERVICE}\"")));
    assert!(!managed.contains("/service-holds/"), "{}", managed.body);
    assert_eq!(
        operator
            .get(&format!("/suppliers/{OWN}/colleagues"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Only operators reach the operators' pages.
    for who in [SUPPLIER, OFFICER, STAFF, AUDITOR] {
        let session = app.login_as(who).await;
        for url in [
            "/operator/suppliers",
            "/operator/scopes",
            "/operator/scopes/new",
            "/operator/scopes/CPR",
        ] {
            assert_eq!(
                session.get(url).await.status,
                StatusCode::FORBIDDEN,
                "{who} {url}"
            );
        }
        for (url, fields) in [
            (
                "/operator/suppliers".to_string(),
                vec![("name", "X"), ("cvr", "10150345")],
            ),
            (
                format!("/operator/suppliers/{UNVERIFIED_SUPPLIER}/verification"),
                vec![("verified", "yes")],
            ),
            (
                "/operator/scopes".to_string(),
                vec![
                    ("code", "NYT"),
                    ("name_da", "x"),
                    ("name_en", "x"),
                    ("description_da", "x"),
                    ("description_en", "x"),
                ],
            ),
            (
                "/operator/scopes/CPR".to_string(),
                vec![
                    ("name_da", "x"),
                    ("name_en", "x"),
                    ("description_da", "x"),
                    ("description_en", "x"),
                ],
            ),
        ] {
            assert_eq!(
                session.post(&url, &fields).await.status,
                StatusCode::FORBIDDEN,
                "{who} {url}"
            );
        }
    }
    let verified: bool = app.with_db(|c| {
        tilslutning::db::schema::suppliers::table
            .find(UNVERIFIED_SUPPLIER)
            .select(tilslutning::db::schema::suppliers::verified)
            .first(c)
            .expect("supplier")
    });
    assert!(!verified);
}

#[tokio::test]
async fn an_unverified_supplier_is_told_on_the_form_and_refused_at_filing_until_verified() {
    let app = spawn_app().await;
    let newcomer = app.login_as(UNVERIFIED_SUPPLIER_EMAIL).await;
    let form = newcomer.get("/requests/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.contains("Nystartet Software ApS er ikke verificeret"));
    let before = app.count("requests");
    let filed = app
        .file(&newcomer, "demo-service-nystartet", &["STAMDATA"], "G10101")
        .await;
    assert_eq!(filed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(filed.contains("ikke verificeret"));
    assert_eq!(app.count("requests"), before);

    let token = make_token(&newcomer, "supplier", &["file"]).await;
    let machine = Machine::new(&app, Some(token)).await;
    let body = json!({
        "service": "demo-service-nystartet",
        "scopes": ["STAMDATA"],
        "purpose": "Fremmøde",
        "institutions": ["G10101"],
    });
    let answer = machine
        .post("/api/v1/requests", "/api/v1/requests", &body)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(answer.code(), "supplier_not_verified");
    assert_eq!(app.count("requests"), before);

    // The operator verifies the supplier; now it files.
    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/suppliers").await;
    assert!(list.contains("Nystartet Software ApS"));
    let verified = operator
        .post(
            &format!("/operator/suppliers/{UNVERIFIED_SUPPLIER}/verification"),
            &[("verified", "yes")],
        )
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    let answer = machine
        .post("/api/v1/requests", "/api/v1/requests", &body)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert!(
        !newcomer
            .get("/requests/new")
            .await
            .contains("ikke verificeret")
    );
    assert_eq!(
        audit_of(&app, UNVERIFIED_SUPPLIER)
            .into_iter()
            .map(|(a, _)| a)
            .collect::<Vec<_>>(),
        ["supplier.verified"]
    );
}

#[tokio::test]
async fn operators_create_suppliers_with_a_checked_cvr_number_and_verify_them() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let bad = operator
        .post(
            "/operator/suppliers",
            &[("name", "Ny Leverandør ApS"), ("cvr", "10150348")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("kontrolcifferet passer ikke"));
    assert!(bad.contains("value=\"10150348\"") && bad.contains("value=\"Ny Leverandør ApS\""));
    let short = operator
        .post("/operator/suppliers", &[("name", "X"), ("cvr", "1234")])
        .await;
    assert!(short.contains("CVR-nummer skal være 8 cifre."));
    let taken = operator
        .post("/operator/suppliers", &[("name", "X"), ("cvr", "45678903")])
        .await;
    assert!(taken.contains("CVR-nummer er allerede i brug."));
    let created = operator
        .post(
            "/operator/suppliers",
            &[("name", "Ny Leverandør ApS"), ("cvr", "DK 1015 0345")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let (id, verified): (String, bool) = app.with_db(|c| {
        use tilslutning::db::schema::suppliers;
        suppliers::table
            .filter(suppliers::cvr.eq("10150345"))
            .select((suppliers::id, suppliers::verified))
            .first(c)
            .expect("created")
    });
    assert!(!verified);
    for verified in ["yes", "no"] {
        let page = operator
            .post(
                &format!("/operator/suppliers/{id}/verification"),
                &[("verified", verified)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        audit_of(&app, &id)
            .into_iter()
            .map(|(a, _)| a)
            .collect::<Vec<_>>(),
        [
            "supplier.created",
            "supplier.verified",
            "supplier.unverified"
        ]
    );
    // The operator reaches its services from the list and can add one.
    let page = operator
        .post(
            &format!("/suppliers/{id}/services"),
            &[("name", "Ny tjeneste"), ("description", "Noget nyt.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let row: String = app.with_db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("service.created"))
            .filter(audit_log::supplier_id.eq(&id))
            .select(audit_log::actor_role)
            .first::<Option<String>>(c)
            .expect("row")
            .unwrap_or_default()
    });
    assert_eq!(row, "operator");
}

#[tokio::test]
async fn operators_add_and_edit_scopes_whose_codes_stay() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/scopes").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.contains("CPR"));
    let fields = |code: &'static str, order: &'static str| {
        vec![
            ("code", code),
            ("name_da", "Fravær"),
            ("name_en", "Absence"),
            ("description_da", "Børns fravær og sygdom."),
            ("description_en", "Children's absence and illness."),
            ("sort_order", order),
        ]
    };
    let bad = operator
        .post("/operator/scopes", &fields("fra vær", "først"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("Kode må kun indeholde store bogstaver"));
    assert!(bad.contains("Rækkefølge skal være et helt tal."));
    assert!(bad.contains("value=\"fra vær\""), "kept");
    let taken = operator.post("/operator/scopes", &fields("CPR", "5")).await;
    assert!(taken.contains("Kode er allerede i brug."));
    let added = operator
        .post("/operator/scopes", &fields("fravaer", "15"))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    // The new scope is offered when filing, in both languages' names.
    let supplier = app.login_as(SUPPLIER).await;
    assert!(supplier.get("/requests/new").await.contains("FRAVAER"));

    let mut edit = fields("IGNORED", "16");
    edit.push(("sensitive", "yes"));
    let saved = operator.post("/operator/scopes/FRAVAER", &edit).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let (sensitive, order): (bool, i32) = app.with_db(|c| {
        use tilslutning::db::schema::scopes;
        scopes::table
            .find("FRAVAER")
            .select((scopes::sensitive, scopes::sort_order))
            .first(c)
            .expect("scope")
    });
    assert!(sensitive);
    assert_eq!(order, 16);
    assert!(
        app.with_db(|c| tilslutning::db::scope_catalogue::find(c, "IGNORED"))
            .expect("query")
            .is_none()
    );
    assert_eq!(
        app.audit_actions_for("FRAVAER"),
        ["scope.created", "scope.changed"]
    );
    assert_eq!(
        operator.get("/operator/scopes/NOSUCH").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_supplier_admins_token_runs_services_and_colleagues_through_the_api() {
    let smtp = SmtpServer::start();
    let app = crate::mail::smtp_app(&smtp).await;
    let admin = app.login_as(SUPPLIER).await;
    let token = make_token(&admin, "supplier", &["administer"]).await;
    let machine = Machine::new(&app, Some(token)).await;
    let services_path = format!("/api/v1/suppliers/{OWN}/services");
    let template = "/api/v1/suppliers/{supplier}/services";

    let list = machine.get(&services_path, template).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.body["services"]
            .as_array()
            .expect("services")
            .iter()
            .any(|s| s["id"] == APP_SERVICE)
    );
    let bad = machine
        .post(
            &services_path,
            template,
            &json!({"name": "Kalender", "description": "Kalender.", "privacy_url": "ftp://x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "invalid_value");
    assert_eq!(bad.field(), "/privacy_url");
    let created = machine
        .post(
            &services_path,
            template,
            &json!({"name": "Kalender", "description": "Kalender.", "privacy_url": "https://x.example/p"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().expect("id").to_string();
    let changed = machine
        .post(
            &format!("{services_path}/{id}"),
            "/api/v1/suppliers/{supplier}/services/{service}",
            &json!({"name": "Kalender", "description": "Kalender og beskeder.", "contact_email": "k@x.example"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["contact_email"], "k@x.example");
    assert_eq!(changed.body["privacy_url"], serde_json::Value::Null);
    let retire_template = "/api/v1/suppliers/{supplier}/services/{service}/retire";
    let unclear = machine
        .post(
            &format!("{services_path}/{PLADS_SERVICE}/retire"),
            retire_template,
            &json!({"agreements": "maybe"}),
        )
        .await;
    assert_eq!(unclear.status, StatusCode::UNPROCESSABLE_ENTITY);
    let retired = machine
        .post(
            &format!("{services_path}/{PLADS_SERVICE}/retire"),
            retire_template,
            &json!({"agreements": "keep"}),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    assert_eq!(retired.body["service"]["status"], "retired");
    assert!(retired.body["lapsed_requests"].as_u64().unwrap_or(0) > 0);
    assert_eq!(retired.body["ended_agreements"], 0);
    let again = machine
        .post(
            &format!("{services_path}/{PLADS_SERVICE}/retire"),
            retire_template,
            &json!({"agreements": "keep"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let colleagues_path = format!("/api/v1/suppliers/{OWN}/colleagues");
    let colleagues_template = "/api/v1/suppliers/{supplier}/colleagues";
    let wrong_role = machine
        .post(
            &colleagues_path,
            colleagues_template,
            &json!({"email": "ny@x.example", "display_name": "Ny", "role": "operator"}),
        )
        .await;
    assert_eq!(wrong_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_role.field(), "/role");
    let invited = machine
        .post(
            &colleagues_path,
            colleagues_template,
            &json!({"email": "ny@x.example", "display_name": "Nora Ny", "role": "supplier_admin"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    assert_eq!(invited.body["roles"], json!(["supplier_admin"]));
    // Waits for the whole mail: one still being written reads without its link.
    wait_until(30, "the invitation with its link is delivered", || {
        smtp.to("ny@x.example")
            .iter()
            .any(|m| m.text.contains("/invitation/"))
    })
    .await;
    let list = machine.get(&colleagues_path, colleagues_template).await;
    assert_eq!(list.body["colleagues"].as_array().map(Vec::len), Some(2));
    let nora = invited.body["id"].as_str().expect("id").to_string();
    let removed = machine
        .post(
            &format!("{colleagues_path}/{nora}/remove"),
            "/api/v1/suppliers/{supplier}/colleagues/{user}/remove",
            &json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let me = user_id(&app, SUPPLIER);
    let last = machine
        .post(
            &format!("{colleagues_path}/{me}/remove"),
            "/api/v1/suppliers/{supplier}/colleagues/{user}/remove",
            &json!({}),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert_eq!(last.code(), "last_admin");
    assert!(
        audit_of(&app, &id)
            .iter()
            .all(|(_, s)| s.as_deref() == Some(OWN))
    );
}

#[tokio::test]
async fn a_token_without_administer_or_for_another_supplier_runs_nothing() {
    let app = spawn_app().await;
    let admin = app.login_as(SUPPLIER).await;
    let reader = Machine::new(&app, Some(make_token(&admin, "supplier", &["file"]).await)).await;
    let other = app.login_as(OTHER_SUPPLIER).await;
    let stranger = Machine::new(
        &app,
        Some(make_token(&other, "supplier", &["administer"]).await),
    )
    .await;
    let template = "/api/v1/suppliers/{supplier}/services";
    let path = format!("/api/v1/suppliers/{OWN}/services");
    let body = json!({"name": "Overtaget", "description": "x"});
    assert_eq!(
        reader.get(&path, template).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        reader.post(&path, template, &body).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        stranger.get(&path, template).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.post(&path, template, &body).await.status,
        StatusCode::NOT_FOUND
    );
    let colleagues = format!("/api/v1/suppliers/{OWN}/colleagues");
    let invite = json!({"email": "x@x.example", "display_name": "X", "role": "supplier_admin"});
    assert_eq!(
        reader
            .post(
                &colleagues,
                "/api/v1/suppliers/{supplier}/colleagues",
                &invite
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        stranger
            .post(
                &colleagues,
                "/api/v1/suppliers/{supplier}/colleagues",
                &invite
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(service_named(&app, "Overtaget").is_none());
    // Their own supplier works for the stranger's token.
    let theirs = stranger
        .get(&format!("/api/v1/suppliers/{OTHER}/services"), template)
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
}

#[tokio::test]
async fn the_approver_sees_the_services_description_and_privacy_policy_and_the_public_its_purpose()
{
    let app = spawn_app().await;
    let (id, _) = app.pending(PLADS_SERVICE, "G10201");
    let officer = app.login_as(OFFICER).await;
    let page = officer.get(&format!("/requests/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.contains("Om tjenesten"));
    assert!(page.contains("Pladsanvisning, venteliste og takster."));
    assert!(page.contains("href=\"https://example.org/privatliv\""));

    let public = app.anonymous().get("/aabenhed/G10401").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.contains("Formål"));
    assert!(public.contains("Pladsanvisning for klyngen."));
    assert!(public.contains("href=\"https://example.org/privatliv\""));
}
