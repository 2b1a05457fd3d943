//! Bad input never gives a 500: forms without CSRF are refused, odd URLs get clear
//! pages, oversized and garbled bodies are turned away with a message, and no value makes
//! an overlong redirect.

use reqwest::StatusCode;

use crate::helpers::*;

/// Who posts, to where, with which fields.
type Post<'a> = (&'a Session, String, Vec<(&'a str, &'a str)>);

#[tokio::test]
async fn every_post_without_a_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (request, _) = app.pending(PLADS_SERVICE, "G10201");
    let agreement = app.agreement_at("G10401");
    let supplier = app.login_as(SUPPLIER).await;
    let officer = app.login_as(OFFICER).await;
    let audit_before = app.count("audit_log");
    let sessions_before = app.count("sessions");
    let posts: Vec<Post<'_>> = vec![
        (
            &supplier,
            "/requests".into(),
            vec![("service_id", PLADS_SERVICE), ("institutions", "G10302")],
        ),
        (&supplier, format!("/requests/{request}/withdraw"), vec![]),
        (
            &supplier,
            format!("/agreements/{agreement}/terminate"),
            vec![],
        ),
        (
            &officer,
            format!("/requests/{request}/decision"),
            vec![("decision", "approve"), ("scopes", "STAMDATA")],
        ),
        (
            &officer,
            "/inbox/decide".into(),
            vec![("ids", &request), ("decision", "approve")],
        ),
        (
            &officer,
            format!("/agreements/{agreement}/revoke"),
            vec![("reason", "x")],
        ),
        (&officer, "/language".into(), vec![("language", "en")]),
        (&officer, "/logout".into(), vec![]),
    ];
    for (session, path, fields) in &posts {
        let missing = session.post_raw(path, fields).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "{path} without a token"
        );
        assert!(missing.contains("Formularen er udløbet"), "{path}");
        // Another person's valid token does not fit this session either.
        let other = if std::ptr::eq(*session, &supplier) {
            &officer.csrf
        } else {
            &supplier.csrf
        };
        let mut forged = vec![("csrf", other.as_str())];
        forged.extend(fields.iter().copied());
        let forged = session.post_raw(path, &forged).await;
        assert_eq!(
            forged.status,
            StatusCode::FORBIDDEN,
            "{path} with someone else's token"
        );
    }
    assert_eq!(app.count("audit_log"), audit_before);
    assert_eq!(app.count("sessions"), sessions_before);
    assert_eq!(
        app.request_status(&app.pending(PLADS_SERVICE, "G10201").1),
        "pending"
    );
}

#[tokio::test]
async fn odd_urls_get_clear_pages_not_errors() {
    let app = spawn_app().await;
    let officer = app.login_as(OFFICER).await;
    let cases: [(&str, StatusCode, &str); 12] = [
        (
            "/requests/not-a-request",
            StatusCode::NOT_FOUND,
            "Siden findes ikke",
        ),
        (
            "/agreements/%27%3B%20DROP%20TABLE%20agreements",
            StatusCode::NOT_FOUND,
            "Siden findes ikke",
        ),
        (
            "/institutions/%C3%86%C3%98%C3%85",
            StatusCode::NOT_FOUND,
            "Siden findes ikke",
        ),
        // A cursor that is not ours reads from the start, never an error page.
        ("/requests?after=abc", StatusCode::OK, "Anmodninger"),
        ("/requests?after=%FF%FE", StatusCode::OK, "Anmodninger"),
        ("/inbox?after=WyJ4Il0", StatusCode::OK, "Indbakke"),
        ("/agreements?after=-3", StatusCode::OK, "Aftaler"),
        (
            "/institutions?after=99999999",
            StatusCode::OK,
            "Institutioner",
        ),
        ("/requests?status=ukendt", StatusCode::OK, "Ukendt status"),
        ("/requests?institution=G12", StatusCode::OK, "6 tegn"),
        (
            "/institutions?municipality=abc",
            StatusCode::OK,
            "tre cifre",
        ),
        (
            "/inbox?institution=%00%01",
            StatusCode::OK,
            "Et institutionsnummer",
        ),
    ];
    for (path, status, text) in cases {
        let page = officer.get(path).await;
        assert_eq!(page.status, status, "{path}");
        assert!(page.contains(text), "{path}: expected «{text}»");
    }
    let long = format!("/institutions?q={}", "x".repeat(5000));
    assert_eq!(officer.get(&long).await.status, StatusCode::OK);
    let reference = officer
        .get("/requests?reference=%27%20OR%201%3D1%20--")
        .await;
    assert!(
        reference.contains("Ingen anmodninger matcher."),
        "a reference filter is a plain value"
    );
}

#[tokio::test]
async fn oversized_and_garbled_bodies_are_turned_away_politely() {
    let app = spawn_app().await;
    let supplier = app.login_as(SUPPLIER).await;
    let huge = "G10302\n".repeat(100_000);
    let page = supplier
        .post(
            "/requests",
            &[("service_id", PLADS_SERVICE), ("institutions", &huge)],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Formularen er for stor"));

    let garbled = supplier
        .client
        .post(format!("{}/requests", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, b'=', 0x80])
        .send()
        .await
        .expect("POST");
    assert!(garbled.status().is_client_error(), "{}", garbled.status());

    let many_lines: String = (0..10_001)
        .map(|i| format!("G{:05}\n", i % 100_000))
        .collect();
    let too_many = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], &many_lines)
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_many.contains("Højst 10000 institutionsnumre"));

    let bad_dates = supplier
        .post(
            "/requests",
            &[
                ("service_id", PLADS_SERVICE),
                ("scopes", "STAMDATA"),
                ("purpose", "x"),
                ("wished_start", "31-02-2026"),
                ("wished_end", "i morgen"),
                ("institutions", "G10302"),
            ],
        )
        .await;
    assert_eq!(bad_dates.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_dates.contains("Skriv datoen som dag, måned og år"));
    assert!(
        bad_dates.contains("value=\"31-02-2026\""),
        "the typed date is kept"
    );
}

#[tokio::test]
async fn an_overlong_next_or_filter_never_makes_an_overlong_redirect() {
    let app = spawn_app().await;
    let long = "a".repeat(100_000);
    let next = format!("/inbox?x={long}");
    let mut visitor = app.anonymous();
    let form = visitor.get("/login").await;
    visitor.csrf = csrf_in(&form.body).expect("csrf");
    let login = visitor
        .post(
            "/login",
            &[("email", OFFICER), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location.as_deref(), Some("/"));

    let officer = app.login_as(OFFICER).await;
    let bulk = officer
        .post(
            "/inbox/decide",
            &[
                ("confirmed", "yes"),
                ("decision", "approve"),
                ("ids", "no-such-request"),
                ("institution", &long),
            ],
        )
        .await;
    assert_eq!(bulk.status, StatusCode::SEE_OTHER);
    let location = bulk.location.unwrap_or_default();
    assert!(location.len() <= 2048, "{} bytes", location.len());
    assert!(location.starts_with("/inbox?notice=bulk"), "{location}");
}
