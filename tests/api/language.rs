//! Which language a page is read in: a signed-in person's saved choice, else the visitor's
//! switch (a cookie), else `Accept-Language`, else Danish — and `<html lang>` follows.

use reqwest::StatusCode;

use crate::helpers::*;

async fn page_in(client: &reqwest::Client, url: &str, accept: Option<&str>) -> (String, String) {
    let mut request = client.get(url);
    if let Some(accept) = accept {
        request = request.header("Accept-Language", accept);
    }
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let language = response
        .headers()
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (language, response.text().await.expect("body"))
}

#[tokio::test]
async fn a_visitor_reads_danish_unless_the_browser_or_the_switch_asks_for_english() {
    let app = spawn_app().await;
    let login = format!("{}/login", app.address);
    let visitor = client();

    let (language, body) = page_in(&visitor, &login, None).await;
    assert_eq!(language, "da");
    assert!(body.contains(r#"<html lang="da">"#), "Danish by default");
    assert!(body.contains("Spring til indhold") && body.contains(r#"hreflang="en""#));

    let (language, body) = page_in(&visitor, &login, Some("en-GB,en;q=0.9,da;q=0.5")).await;
    assert_eq!(language, "en");
    assert!(
        body.contains(r#"<html lang="en">"#),
        "the browser's English"
    );
    assert!(body.contains("Skip to content") && !body.contains("Spring til indhold"));
    assert!(
        !body.contains('⟦'),
        "no key is missing from the English catalogue"
    );

    let missing = visitor
        .get(format!("{}/no-such-page", app.address))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let body = missing.text().await.expect("body");
    assert!(
        body.contains(r#"<html lang="en">"#) && body.contains("Page not found"),
        "error pages follow the language too"
    );

    // The switch, used on the transparency page, goes back there and sets the cookie.
    let switched = visitor
        .get(format!("{}/language/en", app.address))
        .header("Referer", format!("{}/aabenhed", app.address))
        .send()
        .await
        .expect("switch");
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/aabenhed");
    let (language, body) = page_in(&visitor, &login, Some("da")).await;
    assert_eq!(language, "en", "the switch wins over the browser");
    assert!(body.contains(r#"hreflang="da""#) && body.contains(">Dansk</a>"));

    // A referring page elsewhere is not followed; an unknown language is not a page.
    let elsewhere = visitor
        .get(format!("{}/language/da", app.address))
        .header("Referer", "https://evil.example/aabenhed")
        .send()
        .await
        .expect("switch");
    assert_eq!(elsewhere.headers()["location"], "/");
    let (language, _) = page_in(&visitor, &login, Some("en")).await;
    assert_eq!(language, "da", "switched back");
    let unknown = visitor
        .get(format!("{}/language/fr", app.address))
        .send()
        .await
        .expect("switch");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_signed_in_person_reads_their_saved_choice_and_the_switch_saves_it() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let home = format!("{}/", app.address);

    let (language, body) = page_in(&officer.client, &home, Some("en")).await;
    assert_eq!(language, "da", "the saved choice wins over the browser");
    assert!(body.contains("Indbakke") && body.contains(r#"<html lang="da">"#));
    assert!(body.contains("du kan godkende eller afvise"));

    let refused = officer
        .post_raw("/language", &[("csrf", "forged"), ("language", "en")])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "the switch checks CSRF"
    );

    let saved = officer.post("/language", &[("language", "en")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (language, body) = page_in(&officer.client, &home, Some("da")).await;
    assert_eq!(language, "en");
    assert!(body.contains("Inbox") && body.contains("Municipal daycare officer"));
    assert!(
        body.contains("you can approve or reject") && body.contains("København (101)"),
        "the start page's counts and roles read in English"
    );
    assert!(!body.contains('⟦'));
    let requests = officer.get("/requests?status=pending").await;
    assert!(
        requests.contains(">Pending<") && !requests.contains(">Afventer<"),
        "statuses read in English"
    );
    let inbox = officer.get("/inbox").await;
    assert!(
        inbox.contains("Pending requests for all the institutions")
            && inbox.contains("Approve chosen (all data scopes)")
            && !inbox.contains("⟦"),
        "the inbox reads in English"
    );
    let agreements = officer.get("/agreements").await;
    assert!(
        agreements.contains("Active")
            && agreements.contains("Data-access agreements")
            && !agreements.contains("⟦"),
        "the agreements list and its states read in English"
    );
    let agreement = app.agreement_at("G10401");
    let detail = officer.get(&format!("/agreements/{agreement}")).await;
    assert!(
        detail.contains("national term: GODKENDT")
            && detail.contains("Revoke the agreement")
            && detail.contains("Enrolments and waiting lists")
            && !detail.contains("⟦"),
        "the agreement reads in English, its scopes by their English names: {}",
        detail.body
    );
    let refused = officer
        .post(
            "/profile/password",
            &[("current", "not-it"), ("new", "kort"), ("repeat", "kort")],
        )
        .await;
    assert!(
        refused.contains("The current password is wrong.")
            && refused.contains("<title>Error: Profile"),
        "{}",
        refused.body
    );
    let (id, stored): (String, String) = app.with_db(|c| {
        use diesel::prelude::*;
        use tilslutning::db::schema::users;
        users::table
            .filter(users::email.eq(OFFICER))
            .select((users::id, users::language))
            .first(c)
            .expect("officer")
    });
    assert_eq!(stored, "en", "mails follow the same choice");
    let details = app.audit_details_for(&id);
    assert!(
        details.iter().any(|d| d.contains(r#""language":"en""#)),
        "the change is audited: {details:?}"
    );
}

#[tokio::test]
async fn a_refused_sign_in_is_told_in_the_visitors_language() {
    let app = spawn_app().await;
    let (visitor, _) = app.try_login(OFFICER, "not-the-password").await;
    let login = format!("{}/login", app.address);
    let form = visitor
        .client
        .get(&login)
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let csrf = csrf_in(&form).expect("csrf");
    let refused = visitor
        .client
        .post(&login)
        .header("Accept-Language", "en")
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", OFFICER),
            ("password", "wrong-again"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("Wrong e-mail or password."), "{body}");
    assert!(
        body.contains("<title>Error: Sign in"),
        "the title says it went wrong"
    );
    assert!(body.contains(OFFICER), "what was typed is kept");
}

#[tokio::test]
async fn the_public_transparency_pages_read_in_english_with_their_code_lists() {
    let app = spawn_app().await;
    let visitor = client();
    let (_, search) = page_in(
        &visitor,
        &format!("{}/aabenhed?q=G10401", app.address),
        Some("en"),
    )
    .await;
    assert!(search.contains("Who has access to data?") && search.contains("Placement unit"));
    let (_, institution) = page_in(
        &visitor,
        &format!("{}/aabenhed/G10401", app.address),
        Some("en"),
    )
    .await;
    assert!(
        institution.contains("Data access at G10401") && institution.contains("active agreement"),
        "{institution}"
    );
    assert!(!institution.contains('⟦') && !search.contains('⟦'));
}

#[tokio::test]
async fn the_forgotten_password_form_refuses_in_english_tied_to_its_field() {
    let app = spawn_app().await;
    let visitor = client();
    let url = format!("{}/password/forgot", app.address);
    let (_, form) = page_in(&visitor, &url, Some("en")).await;
    assert!(form.contains("Forgotten password") && form.contains("Send link"));
    let csrf = csrf_in(&form).expect("csrf");
    let refused = visitor
        .post(&url)
        .header("Accept-Language", "en")
        .form(&[("csrf", csrf.as_str()), ("email", "not an address")])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("Enter the e-mail address you sign in with."));
    assert!(body.contains("<title>Error: Forgotten password"));
    assert!(body.contains(r#"aria-invalid="true" aria-describedby="forgot-error""#));
    assert!(body.contains("not an address"), "what was typed is kept");
}

#[tokio::test]
async fn the_filing_form_reads_and_refuses_in_english_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let saved = supplier.post("/language", &[("language", "en")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let form = supplier.get("/requests/new").await;
    assert!(
        form.contains("New request for data access")
            && form.contains("Enrolments and waiting lists")
            && form.contains("Enrolments, withdrawals and waiting lists.")
            && form.contains("Pick the date in the calendar"),
        "labels, scope names and their descriptions in English: {}",
        form.body
    );
    assert!(!form.contains("⟦") && !form.contains("Ønsket startdato"));

    let refused = supplier
        .post(
            "/requests",
            &[
                ("service_id", PLADS_SERVICE),
                ("scopes", "CPR"),
                ("purpose", ""),
                ("wished_start", "someday"),
                ("institutions", "G10302\nX1"),
                ("message", "Kept as typed"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<title>Error: New request",
        "The request has not been sent",
        "Describe what the data access is for.",
        "Sensitive data access needs a written reason.",
        "Write the date as day, month and year, e.g. 15.01.2027.",
        "Line 2 («X1»):",
        r#"tabindex="-1" autofocus"#,
        "Kept as typed",
        "value=\"someday\"",
    ] {
        assert!(refused.contains(expected), "{expected}: {}", refused.body);
    }
    assert!(!refused.contains("⟦") && !refused.contains("Linje"));

    // A date typed day first, as Danes write it, is understood.
    let filed = supplier
        .post(
            "/requests",
            &[
                ("service_id", PLADS_SERVICE),
                ("scopes", "STAMDATA"),
                ("purpose", "Placement"),
                ("wished_start", "15.01.2099"),
                ("institutions", "G10302"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
}

#[tokio::test]
async fn api_keys_and_delegations_read_and_refuse_in_english() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    supplier.post("/language", &[("language", "en")]).await;
    let page = supplier.get("/api-tokens").await;
    assert!(
        page.contains("New key for the supplier&#39;s systems")
            && page.contains("File requests")
            && !page.contains("⟦"),
        "{}",
        page.body
    );
    let refused = supplier
        .post(
            "/api-tokens",
            &[
                ("kind", "supplier"),
                ("name", ""),
                ("expires_on", "2099-01-01"),
                ("permission", "read"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("<title>Error: API keys")
            && refused.contains(r##"<a href="#name-supplier">Give the key a name"##)
            && refused.contains(r#"aria-invalid="true""#),
        "{}",
        refused.body
    );

    let officer = app.login_as(OFFICER).await;
    officer.post("/language", &[("language", "en")]).await;
    let page = officer.get("/delegations").await;
    assert!(
        page.contains("Let a colleague decide while you are away") && page.contains("København"),
        "the municipality by its name: {}",
        page.body
    );
    let refused = officer
        .post(
            "/delegations",
            &[
                ("kind", "colleague"),
                ("municipality", "101"),
                ("colleague", "nobody@example.dk"),
                ("valid_from", "01.01.2099"),
                ("valid_until", "31.01.2099"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("There is no active user with the e-mail «nobody@example.dk».")
            && refused.contains(r##"href="#coll-colleague""##)
            && refused.contains(r#"aria-describedby="coll-colleague-error""#)
            && refused.contains("value=\"nobody@example.dk\"")
            && !refused.contains("⟦"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn the_switch_on_a_form_answer_leads_back_to_the_form_not_to_the_post_only_address() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let agreement = app.agreement_at("G10401");
    let form_page = format!("{}/agreements/{agreement}", app.address);
    let step = officer
        .client
        .post(format!("{form_page}/revoke"))
        .header("Referer", &form_page)
        .form(&[("csrf", officer.csrf.as_str()), ("reason", "Bruges ikke.")])
        .send()
        .await
        .expect("POST");
    assert_eq!(step.status(), StatusCode::OK);
    let body = step.text().await.expect("body");
    let back = format!(r#"name="back" value="/agreements/{agreement}""#);
    assert!(
        body.contains(&back),
        "the switch carries the form's page: {body}"
    );

    let switched = officer
        .post(
            "/language",
            &[
                ("language", "en"),
                ("back", &format!("/agreements/{agreement}")),
            ],
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(
        switched.location.as_deref(),
        Some(format!("/agreements/{agreement}").as_str())
    );
    let page = officer.get(&format!("/agreements/{agreement}")).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "a page that can be asked for again"
    );

    // A visitor's switch goes back to the page it was on; another host is never a target.
    let visitor = client();
    let (_, login) = page_in(
        &visitor,
        &format!("{}/login?next=%2Finbox", app.address),
        None,
    )
    .await;
    assert!(
        login.contains("/language/en?back=%2Flogin%3Fnext%3D%252Finbox"),
        "{login}"
    );
    for (given, expected) in [
        ("/login?next=%2Finbox", "/login?next=%2Finbox"),
        ("//evil.example/x", "/"),
    ] {
        let answer = visitor
            .get(format!("{}/language/en", app.address))
            .query(&[("back", given)])
            .send()
            .await
            .expect("switch");
        assert_eq!(answer.headers()["location"], expected, "{given}");
    }
}
