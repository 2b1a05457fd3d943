//! No request that nobody can decide: a filing at a private unit without staff warns the
//! supplier, the mail tells its recipients that an approver must be registered and how,
//! and operators list such requests and give a person the staff role from there.

use reqwest::StatusCode;

use crate::helpers::*;

const UNSTAFFED: &str = "G10702"; // a private unit with no staff in the demo data

#[tokio::test]
async fn a_filing_where_nobody_decides_warns_and_operators_can_give_it_an_approver() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        ..Options::default()
    })
    .await;
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(
            &supplier,
            APP_SERVICE,
            &["STAMDATA"],
            &format!("{UNSTAFFED}\nG10301"),
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let result = supplier
        .get(filed.location.as_deref().expect("location"))
        .await;
    assert!(
        result.contains("1 institution har endnu ingen, der kan afgøre anmodningen"),
        "{}",
        result.body
    );
    let warning = &result.body[result.body.find("id=\"no-approver\"").expect("warning")..];
    let warning = &warning[..warning.find("</div>").expect("end")];
    assert!(warning.contains(UNSTAFFED), "{warning}");
    assert!(
        !warning.contains("G10301"),
        "the kommunal unit has its officer"
    );
    let (id, reference) = app.pending(APP_SERVICE, UNSTAFFED);

    // The institution's contact is told the truth, not asked to "approve or reject".
    let contact = format!("{}@demo-institution.dk", UNSTAFFED.to_lowercase());
    wait_until(20, "the mail to the unit's contact", || {
        !smtp.to(&contact).is_empty()
    })
    .await;
    let mail = &smtp.to(&contact)[0];
    assert!(
        mail.text.contains("Ingen kan afgøre denne anmodning endnu")
            && mail.text.contains("Institutionsmedarbejder for G10702")
            && mail.text.contains("Tilslutnings drift"),
        "{}",
        mail.text
    );
    assert!(
        !mail.text.contains("Godkend eller afvis i Tilslutning."),
        "{}",
        mail.text
    );

    // Only operators see the list.
    for who in [SUPPLIER, OFFICER, STAFF, AUDITOR] {
        let page = app.login_as(who).await.get("/operator/unattended").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
    }
    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/unattended").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.contains(&reference) && list.contains(UNSTAFFED),
        "{}",
        list.body
    );
    assert!(
        operator
            .get("/")
            .await
            .contains("href=\"/operator/unattended\"")
    );

    // An unknown email: a clear message, the typed value kept, a link to create them.
    let unknown = operator
        .post(
            "/operator/unattended/assign",
            &[
                ("institution", UNSTAFFED),
                ("email", "leder@privat.example"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.contains("Der findes ingen aktiv person med e-mailen «leder@privat.example»"));
    assert!(unknown.contains("value=\"leder@privat.example\""));
    assert!(
        unknown.contains("/operator/users/new?role=institution_staff&#38;scope=G10702&#38;email=leder%40privat.example"),
        "{}",
        unknown.body
    );
    let prefilled = operator
        .get("/operator/users/new?role=institution_staff&scope=G10702&email=leder%40privat.example")
        .await;
    assert!(
        prefilled.contains("value=\"leder@privat.example\"")
            && prefilled.contains("value=\"G10702\"")
    );

    // A number that is not an institution of the register: said so, nothing changes.
    let bogus = operator
        .post(
            "/operator/unattended/assign",
            &[("institution", "G9999"), ("email", "leder@privat.example")],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bogus.contains("id=\"assign-error\""), "{}", bogus.body);

    // An existing person gets the role; the request leaves the list and they decide it.
    app.person("leder@privat.example", "Lea Leder", &[]);
    let given = operator
        .post(
            "/operator/unattended/assign",
            &[
                ("institution", UNSTAFFED),
                ("email", "leder@privat.example"),
            ],
        )
        .await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
    let leader_id: String = app.with_db(|c| {
        tilslutning::db::users::find_by_email(c, "leder@privat.example")
            .expect("query")
            .expect("person")
            .id
    });
    assert_eq!(
        app.audit_actions_for(&leader_id),
        vec!["user.role_granted".to_string()],
        "the role change is audited"
    );
    assert!(
        !operator
            .get("/operator/unattended")
            .await
            .contains(&reference)
    );
    let leader = app.login_as("leder@privat.example").await;
    assert!(leader.get("/inbox").await.contains(&reference));
    let decided = leader
        .post(
            &format!("/requests/{id}/decision"),
            &[("decision", "approve"), ("scopes", "STAMDATA")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    assert_eq!(app.request_status(&reference), "approved");
}

#[tokio::test]
async fn the_list_without_an_approver_reads_in_english_and_ties_a_refusal_to_its_form() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let filed = app
        .file(&supplier, APP_SERVICE, &["STAMDATA"], UNSTAFFED)
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let operator = app.login_as(OPERATOR).await;

    let danish = operator.get("/operator/unattended").await;
    assert!(
        danish.contains("1 anmodning venter uden godkender")
            && danish.contains("Giv rollen Institutionsmedarbejder")
            && !danish.contains("(kommune "),
        "{}",
        danish.body
    );

    let saved = operator.post("/language", &[("language", "en")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = operator.get("/operator/unattended").await;
    for english in [
        "Requests without an approver",
        "1 request is waiting without an approver",
        "Give the role Institution staff",
        &format!("E-mail of the person who is to approve for {UNSTAFFED}"),
        "filed ",
    ] {
        assert!(page.contains(english), "{english}: {}", page.body);
    }
    for danish in ["anmodning", "godkender", "indsendt", "Giv rollen"] {
        assert!(!page.contains(danish), "Danish left: {danish}");
    }
    assert!(!page.contains("⟦"));

    let refused = operator
        .post(
            "/operator/unattended/assign",
            &[("institution", UNSTAFFED), ("email", "nobody")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for english in [
        "<title>Error: Without approver",
        "There is a problem",
        &format!(
            r##"<a href="#email-{UNSTAFFED}">Enter the e-mail address of the person who is to approve for {UNSTAFFED}.</a>"##
        ),
        &format!(r#"aria-invalid="true" aria-describedby="email-{UNSTAFFED}-error""#),
        r#"value="nobody""#,
    ] {
        assert!(refused.contains(english), "{english}: {}", refused.body);
    }
    let unknown = operator
        .post(
            "/operator/unattended/assign",
            &[
                ("institution", UNSTAFFED),
                ("email", "leder@privat.example"),
            ],
        )
        .await;
    assert!(
        unknown.contains("No active person has the e-mail address «leder@privat.example». Create the person with the role Institution staff for G10702.")
            && unknown.contains(">Create the person</a>"),
        "{}",
        unknown.body
    );
}
