//! Operators' user administration over HTTP: only operators get in; creating and inviting
//! a person who then chooses a password; assigning and removing roles and disabling an
//! account end the person's sessions; bad input comes back with what was typed; every
//! change is audited.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;

fn user_id(app: &TestApp, wanted: &str) -> String {
    use tilslutning::db::schema::users::dsl::*;
    app.with_db(|c| {
        users
            .filter(email.eq(wanted))
            .select(id)
            .first(c)
            .expect("person")
    })
}

fn invitation_link(app: &TestApp, to: &str) -> String {
    use tilslutning::db::schema::mail_messages::dsl::*;
    let body: String = app.with_db(|c| {
        mail_messages
            .filter(recipient.eq(to))
            .order(created_at.desc())
            .select(text_body)
            .first(c)
            .expect("invitation mail")
    });
    let at = body.find("/invitation/").expect("link in the mail");
    body[at..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string()
}

#[tokio::test]
async fn only_operators_reach_user_administration() {
    let app = spawn_app().await;
    let target = user_id(&app, SUPPLIER);
    for who in [SUPPLIER, OFFICER, STAFF, AUDITOR] {
        let session = app.login_as(who).await;
        assert_eq!(
            session.get("/operator/users").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            session
                .get(&format!("/operator/users/{target}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let page = session
            .post(
                &format!("/operator/users/{target}/status"),
                &[("action", "disable")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
        let page = session
            .post(
                "/operator/users",
                &[
                    ("email", "x@example.org"),
                    ("display_name", "X"),
                    ("role", "operator"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert!(
        app.with_db(|c| tilslutning::db::users::find_by_email(c, "x@example.org"))
            .expect("query")
            .is_none()
    );
    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/users?q=demo.tilslutning").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.contains(SUPPLIER) && list.contains(OFFICER));
}

#[tokio::test]
async fn an_invited_person_chooses_a_password_and_signs_in_with_their_role() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let created = operator
        .post(
            "/operator/users",
            &[
                ("email", "Nina@Frederiksberg.example.dk"),
                ("display_name", "Nina Nielsen"),
                ("role", "municipal_officer"),
                ("scope", "147"),
                ("invite", "yes"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let email = "nina@frederiksberg.example.dk";
    let id = user_id(&app, email);
    let person = operator.get(&format!("/operator/users/{id}")).await;
    assert!(person.contains("Kommunal dagtilbudsansvarlig, Frederiksberg (147)"));

    let link = invitation_link(&app, email);
    let mut visitor = app.anonymous();
    let form = visitor.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.contains("Velkommen til Tilslutning"));
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let password = "nina vælger en lang adgangskode";
    let set = visitor
        .post(&link, &[("password", password), ("repeat", password)])
        .await;
    assert_eq!(set.location.as_deref(), Some("/login?notice=password-set"));
    let (session, page) = app.try_login(email, password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(session.get("/inbox").await.contains("Nina Nielsen"));
    assert_eq!(
        visitor.get(&link).await.status,
        StatusCode::GONE,
        "single use"
    );
    assert_eq!(
        app.audit_actions_for(&id)[..4],
        [
            "user.created",
            "user.role_granted",
            "user.invited",
            "user.invitation_accepted"
        ]
    );
}

#[tokio::test]
async fn bad_input_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let page = operator
        .post(
            "/operator/users",
            &[
                ("email", "not-an-email"),
                ("display_name", "Ole Olsen"),
                ("role", "municipal_officer"),
                ("scope", "999"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Skriv en gyldig e-mailadresse."));
    assert!(page.contains("Der findes ingen kommune med den kode."));
    assert!(page.contains("value=\"not-an-email\""));
    assert!(page.contains("value=\"Ole Olsen\""));
    assert!(page.contains("value=\"999\""));
    let page = operator
        .post(
            "/operator/users",
            &[
                ("email", SUPPLIER),
                ("display_name", "Igen"),
                ("role", "operator"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("er allerede oprettet"));
    let page = operator
        .post(
            "/operator/users",
            &[
                ("email", "inst@example.org"),
                ("display_name", "I"),
                ("role", "institution_staff"),
                ("scope", "12345"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = operator.get("/operator/users/no-such-person").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn changing_rights_or_disabling_ends_the_persons_sessions() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let officer_id = user_id(&app, OFFICER);
    let officer = app.login_as(OFFICER).await;

    // A new role: the officer signs in again and has it.
    let added = operator
        .post(
            &format!("/operator/users/{officer_id}/roles"),
            &[("role", "auditor"), ("scope", "")],
        )
        .await;
    assert_eq!(
        added.location.as_deref(),
        Some(format!("/operator/users/{officer_id}?notice=role-added").as_str())
    );
    assert_eq!(
        officer.get("/").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    let officer = app.login_as(OFFICER).await;
    assert!(officer.get("/").await.contains("Revisor"));

    // Removing it ends the session again.
    let page = operator.get(&format!("/operator/users/{officer_id}")).await;
    let remove = page
        .body
        .split("action=\"")
        .filter_map(|part| part.split('"').next())
        .filter(|action| action.contains("/remove"))
        .last()
        .expect("a remove button")
        .to_string();
    let removed = operator.post(&remove, &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(officer.get("/").await.status, StatusCode::SEE_OTHER);
    let officer = app.login_as(OFFICER).await;
    assert!(!officer.get("/").await.contains("Revisor"));

    // Disabling: out now, and no way back in until enabled.
    let disabled = operator
        .post(
            &format!("/operator/users/{officer_id}/status"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert_eq!(officer.get("/").await.status, StatusCode::SEE_OTHER);
    let (_, refused) = app.try_login(OFFICER, PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    operator
        .post(
            &format!("/operator/users/{officer_id}/status"),
            &[("action", "enable")],
        )
        .await;
    app.login_as(OFFICER).await;

    // Nobody locks themselves out.
    let operator_id = user_id(&app, OPERATOR);
    let own = operator
        .post(
            &format!("/operator/users/{operator_id}/status"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);

    let actions = app.audit_actions_for(&officer_id);
    for wanted in [
        "user.role_granted",
        "user.role_removed",
        "user.disabled",
        "user.enabled",
    ] {
        assert!(
            actions.iter().any(|a| a == wanted),
            "{wanted} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn every_new_post_checks_csrf() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let target = user_id(&app, OFFICER);
    let audit_before = app.count("audit_log");
    let signed_in: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/operator/users".into(),
            vec![
                ("email", "c@example.org"),
                ("display_name", "C"),
                ("role", "operator"),
            ],
        ),
        (
            format!("/operator/users/{target}/roles"),
            vec![("role", "operator")],
        ),
        (format!("/operator/users/{target}/roles/x/remove"), vec![]),
        (
            format!("/operator/users/{target}/status"),
            vec![("action", "disable")],
        ),
        (format!("/operator/users/{target}/invite"), vec![]),
        (
            "/profile/totp".into(),
            vec![("secret", "JBSWY3DPEHPK3PXP"), ("code", "123456")],
        ),
        ("/profile/totp/disable".into(), vec![("password", PASSWORD)]),
    ];
    for (path, fields) in &signed_in {
        let page = operator.post_raw(path, fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    let visitor = app.anonymous();
    for path in [
        "/password/forgot",
        "/password/reset/abc",
        "/invitation/abc",
        "/login/code",
    ] {
        let page = visitor.post_raw(path, &[("email", SUPPLIER)]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.count("audit_log"), audit_before, "nothing changed");
    assert_eq!(app.count("account_tokens"), 0);
}

#[tokio::test]
async fn operators_do_not_change_their_own_rights_and_the_last_operator_stays() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let own = user_id(&app, OPERATOR);
    let raise = operator
        .post(
            &format!("/operator/users/{own}/roles"),
            &[("role", "municipal_officer"), ("scope", "101")],
        )
        .await;
    assert_eq!(raise.status, StatusCode::BAD_REQUEST);
    assert!(raise.contains("Du kan ikke ændre dine egne roller"));
    let page = operator.get(&format!("/operator/users/{own}")).await;
    let remove = page
        .body
        .split("action=\"")
        .filter_map(|part| part.split('"').next())
        .find(|action| action.contains("/remove"))
        .expect("a remove button")
        .to_string();
    assert_eq!(
        operator.post(&remove, &[]).await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        !app.audit_actions_for(&own)
            .iter()
            .any(|a| a.starts_with("user.role"))
    );

    use tilslutning::db::user_admin::is_last_active_operator;
    assert!(
        app.with_db(|c| is_last_active_operator(c, &own))
            .expect("query")
    );
    let officer = user_id(&app, OFFICER);
    app.with_db(|c| {
        tilslutning::db::users::grant(
            c,
            &officer,
            &tilslutning::domain::RoleAssignment::portal(tilslutning::domain::Role::Operator),
        )
    })
    .expect("second operator");
    assert!(
        !app.with_db(|c| is_last_active_operator(c, &own))
            .expect("query")
    );
}

#[tokio::test]
async fn two_operators_creating_the_same_person_at_once_get_one_person_and_a_clear_answer() {
    let app = spawn_app().await;
    let first = app.login_as(OPERATOR).await;
    let second = app.login_as(OPERATOR).await;
    let fields = [
        ("email", "twice@example.org"),
        ("display_name", "To Gange"),
        ("role", "operator"),
    ];
    let (a, b) = futures::join!(
        first.post("/operator/users", &fields),
        second.post("/operator/users", &fields)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY]
    );
    assert!(a.contains("er allerede oprettet") || b.contains("er allerede oprettet"));
    assert!(
        app.with_db(|c| tilslutning::db::users::find_by_email(c, "twice@example.org"))
            .expect("query")
            .is_some()
    );
}

#[tokio::test]
async fn a_visitor_with_a_cookie_but_someone_elses_token_is_refused() {
    let app = spawn_app().await;
    let mut visitor = app.anonymous();
    let form = visitor.get("/password/forgot").await;
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let mut other = app.anonymous();
    other.csrf = csrf_in(&other.get("/password/forgot").await.body).expect("csrf");
    let forged = visitor
        .post_raw(
            "/password/forgot",
            &[("csrf", other.csrf.as_str()), ("email", SUPPLIER)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let own = visitor
        .post("/password/forgot", &[("email", SUPPLIER)])
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("account_tokens"),
        1,
        "only the genuine post made a link"
    );
}

#[tokio::test]
async fn the_create_operator_command_is_one_audited_change() {
    use tilslutning::db::schema::audit_log;
    let app = spawn_app().await;
    let create = |password: &str| {
        tilslutning_binary()
            .args(["create-operator", "--email", "Ny.Drift@Example.DK"])
            .env("TILSLUTNING_DATABASE_URL", &app.settings.database_url)
            .env("TILSLUTNING_DATA_DIR", &app.settings.data_dir)
            .env("TILSLUTNING_OPERATOR_PASSWORD", password)
            .output()
            .expect("runs")
    };
    let actions_about = |id: &str| -> Vec<(String, Option<String>)> {
        app.with_db(|c| {
            audit_log::table
                .filter(audit_log::target_id.eq(id))
                .order(audit_log::seq)
                .select((audit_log::action, audit_log::actor_user_id))
                .load(c)
                .expect("rows")
        })
    };
    let made = create("first password 2026");
    assert!(made.status.success(), "{made:?}");
    let id = user_id(&app, "ny.drift@example.dk");
    assert_eq!(
        actions_about(&id),
        [
            ("user.created".to_string(), None),
            ("user.role_granted".to_string(), None)
        ],
        "created and given the role by the system"
    );
    let (session, page) = app
        .try_login("ny.drift@example.dk", "first password 2026")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(session.get("/operator/users").await.status, StatusCode::OK);

    // Again for the same person: a new password, their sessions end, no second role.
    let again = create("second password 2026");
    assert!(again.status.success(), "{again:?}");
    assert_eq!(
        actions_about(&id).last().map(|(a, _)| a.as_str()),
        Some("user.password_reset")
    );
    assert_eq!(
        session.get("/operator/users").await.status,
        StatusCode::SEE_OTHER
    );
    let (_, old) = app
        .try_login("ny.drift@example.dk", "first password 2026")
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let verified = app.with_db(|c| tilslutning::db::audit::verify(c).expect("verify"));
    assert!(verified.is_ok(), "the chain holds");
}

/// Saves English as the session's language (the switch a signed-in person uses).
async fn in_english(session: &Session) {
    let saved = session.post("/language", &[("language", "en")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn the_people_pages_read_in_english_and_name_what_a_role_covers() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    in_english(&operator).await;

    let list = operator.get("/operator/users?q=demo.tilslutning").await;
    assert_eq!(list.status, StatusCode::OK);
    for english in [
        "<title>People",
        "Create a person",
        "Search by e-mail or name",
        "Roles",
        "Municipal daycare officer",
        ">Active<",
    ] {
        assert!(list.contains(english), "{english}: {}", list.body);
    }
    for danish in ["Opret person", "Søg efter", ">Aktiv<", "Roller", "personer"] {
        assert!(!list.contains(danish), "Danish left: {danish}");
    }
    assert!(!list.contains("⟦"), "{}", list.body);

    let officer = operator
        .get(&format!("/operator/users/{}", user_id(&app, OFFICER)))
        .await;
    assert!(
        officer.contains("Municipal daycare officer, København (101)")
            && officer.contains("Give the role")
            && officer.contains("Close the account")
            && officer.contains("Two-step verification")
            && officer.contains("← All people"),
        "{}",
        officer.body
    );
    assert!(!officer.contains("kommune 101") && !officer.contains("Luk kontoen"));
    assert!(!officer.contains("⟦"), "{}", officer.body);
    let supplier = operator
        .get(&format!("/operator/users/{}", user_id(&app, SUPPLIER)))
        .await;
    assert!(
        supplier.contains("Børneportalen A/S (CVR 12345678)")
            && !supplier.contains("demo-supplier-1"),
        "the supplier by its name, not its id: {}",
        supplier.body
    );

    let form = operator.get("/operator/users/new").await;
    assert!(form.contains("Applies to") && form.contains("Choose a role") && !form.contains("⟦"));
    let refused = operator
        .post(
            "/operator/users",
            &[
                ("email", "not-an-email"),
                ("display_name", "Ole Olsen"),
                ("role", "municipal_officer"),
                ("scope", "999"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for english in [
        "<title>Error: Create a person",
        "There is a problem",
        r##"<a href="#email">Enter a valid e-mail address.</a>"##,
        r##"<a href="#scope">No municipality has that code. Enter one of the 98 three-digit municipality codes, such as 101 for København.</a>"##,
        r#"aria-invalid="true" aria-describedby="email-error""#,
        r#"aria-describedby="scope-hint scope-error" aria-invalid="true""#,
        r#"value="Ole Olsen""#,
    ] {
        assert!(refused.contains(english), "{english}: {}", refused.body);
    }
    assert!(!refused.contains("Skriv") && !refused.contains("⟦"));

    // A role refused on the person's page: tied to its field, the title says so.
    let refused = operator
        .post(
            &format!("/operator/users/{}/roles", user_id(&app, OFFICER)),
            &[("role", "institution_staff"), ("scope", "G99999")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("<title>Error: Karin Kommune")
            && refused
                .contains(r##"<a href="#scope">G99999 is not in the institution register.</a>"##)
            && refused.contains(r#"value="G99999""#),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn the_people_pages_read_in_danish_by_default() {
    let app = spawn_app().await;
    let operator = app.login_as(OPERATOR).await;
    let list = operator.get("/operator/users?q=demo.tilslutning").await;
    assert!(list.contains("Opret person") && list.contains(">Aktiv<") && list.contains("personer"));
    let officer = operator
        .get(&format!("/operator/users/{}", user_id(&app, OFFICER)))
        .await;
    assert!(
        officer.contains("Kommunal dagtilbudsansvarlig, København (101)")
            && officer.contains("Luk kontoen"),
        "{}",
        officer.body
    );
    let refused = operator
        .post(
            "/operator/users",
            &[("email", "x"), ("display_name", ""), ("role", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("<title>Fejl: Opret person")
            && refused.contains("Der er et problem")
            && refused.contains(r##"<a href="#display_name">Skriv personens navn.</a>"##)
            && refused.contains(r##"<a href="#role">Vælg en rolle.</a>"##)
            && refused.contains(r#"id="role" name="role" aria-invalid="true""#),
        "{}",
        refused.body
    );
    assert!(!refused.contains("⟦"));
}
