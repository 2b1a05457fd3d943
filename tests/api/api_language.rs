//! The API's human texts in the caller's language: the same refused call asked in Danish
//! (or with no `Accept-Language`) and in English answers the same stable `code`, the
//! `message` (and each problem's) from that language's catalogue, and `Content-Language`
//! saying which.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tilslutning::i18n::Language;

use crate::api_client::{Answer, Machine, machine_of, make_token};
use crate::helpers::*;

/// How a caller asks, and the language the answer must be in.
const ASKED: [(Option<&str>, &str); 4] = [
    (None, "da"),
    (Some("da"), "da"),
    (Some("en-GB,en;q=0.9,da;q=0.5"), "en"),
    (Some("fr, en;q=0.5"), "en"),
];

/// Asserts the answer is in `language` (`da` or `en`): its header, and every human text
/// taken from that catalogue.
fn in_language(answer: &Answer, language: &str) {
    assert_eq!(
        answer.headers["content-language"], language,
        "{}",
        answer.body
    );
    let message = answer.message();
    assert!(
        !message.is_empty() && !message.contains('⟦'),
        "{}",
        answer.body
    );
    let texts = Language::from_code(language).expect("da or en").texts();
    let key = format!("api-error-{}", answer.code().replace('_', "-"));
    assert_eq!(message, texts.t(&key), "{}", answer.body);
}

/// The same call asked each way of [`ASKED`]: the code and field stay, the words follow.
async fn asked_each_way<F>(machine: &mut Machine, call: F) -> Vec<Answer>
where
    F: AsyncFn(&Machine) -> Answer,
{
    let mut answers = Vec::new();
    for (accept, language) in ASKED {
        machine.language = accept;
        let answer = call(machine).await;
        in_language(&answer, language);
        answers.push(answer);
    }
    let first = &answers[0];
    for answer in &answers[1..] {
        assert_eq!(
            (answer.status, answer.code(), answer.field()),
            (first.status, first.code(), first.field())
        );
    }
    assert_ne!(answers[0].message(), answers[2].message(), "two languages");
    answers
}

#[tokio::test]
async fn an_unknown_token_is_refused_with_the_same_code_in_either_language() {
    let app = spawn_app().await;
    let mut stranger = Machine::new(&app, Some(format!("tsk_{}", "0".repeat(40)))).await;
    let answers = asked_each_way(&mut stranger, async |m: &Machine| {
        m.get("/api/v1/agreements/changes", "/api/v1/agreements/changes")
            .await
    })
    .await;
    assert_eq!(
        (answers[0].status, answers[0].code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(answers[0].message().contains("API-nøgle"));
    assert!(answers[2].message().contains("API token"));

    // Under /api the caller's Accept-Language decides, not a page's language cookie.
    let answer = reqwest::Client::new()
        .get(format!("{}/api/v1/agreements/changes", app.address))
        .header("Cookie", "tilslutning_lang=en")
        .send()
        .await
        .expect("GET");
    assert_eq!(answer.headers()["content-language"], "da");
    let body: Value = answer.json().await.expect("JSON");
    assert!(body["message"].as_str().unwrap_or("").contains("API-nøgle"));
    let secret = make_token(&app.login_as(OPERATOR).await, "access_check", &["access"]).await;
    for (cookie, accept, language) in [("en", None, "da"), ("da", Some("en"), "en")] {
        let mut call = reqwest::Client::new()
            .get(format!("{}/api/v1/agreements/changes", app.address))
            .bearer_auth(&secret)
            .header("Cookie", format!("tilslutning_lang={cookie}"));
        if let Some(accept) = accept {
            call = call.header("Accept-Language", accept);
        }
        let answer = call.send().await.expect("GET");
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(
            answer.headers()["content-language"],
            language,
            "an answer that is no error says its language too"
        );
    }
}

#[tokio::test]
async fn a_refused_filing_names_each_institution_in_the_callers_language() {
    let app = spawn_app().await;
    let mut supplier = machine_of(&app, SUPPLIER, "supplier", &["file"]).await;
    let filing = json!({
        "service": PLADS_SERVICE,
        "scopes": ["STAMDATA"],
        "institutions": ["G1", "G99999"],
        "purpose": "Pladsanvisning",
    });
    let answers = asked_each_way(&mut supplier, async |m: &Machine| {
        m.post("/api/v1/requests", "/api/v1/requests", &filing)
            .await
    })
    .await;
    let problems = |answer: &Answer| -> Vec<(String, String, String)> {
        answer.body["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|p| {
                let text = |k: &str| p[k].as_str().unwrap_or("").to_string();
                (text("code"), text("field"), text("message"))
            })
            .collect()
    };
    assert_eq!(answers[0].code(), "lines_refused");
    let codes = |answer: &Answer| -> Vec<(String, String)> {
        problems(answer)
            .into_iter()
            .map(|(code, field, _)| (code, field))
            .collect()
    };
    for answer in &answers {
        assert_eq!(
            codes(answer),
            [
                ("malformed_number".into(), "/institutions/0".into()),
                ("not_in_register".into(), "/institutions/1".into()),
            ]
        );
        for (_, _, message) in problems(answer) {
            assert!(!message.contains('⟦'), "{message}");
        }
    }
    let messages = |answer: &Answer| -> Vec<String> {
        problems(answer)
            .into_iter()
            .map(|(_, _, message)| message)
            .collect()
    };
    assert_eq!(
        messages(&answers[0]),
        [
            "Et institutionsnummer har 6 tegn, ikke 2.",
            "G99999 findes ikke i institutionsregisteret.",
        ]
    );
    assert_eq!(messages(&answers[1]), messages(&answers[0]));
    assert_eq!(
        messages(&answers[2]),
        [
            "An institution number has 6 characters, not 2.",
            "G99999 is not in the institution register.",
        ]
    );
    assert!(answers[2].message().contains("Nothing was filed"));
}

#[tokio::test]
async fn a_rate_limited_call_is_told_to_wait_in_the_callers_language() {
    let app = spawn_app_with(Options {
        tune: Some(|s| s.api.calls_per_minute = 1),
        ..Options::default()
    })
    .await;
    let mut provider = machine_of(&app, OPERATOR, "access_check", &["access"]).await;
    let path = "/api/v1/agreements/changes";
    let first = provider.get(path, path).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.headers["content-language"], "da");
    let answers = asked_each_way(&mut provider, async |m: &Machine| m.get(path, path).await).await;
    assert_eq!(
        (answers[0].status, answers[0].code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    for answer in &answers {
        assert!(answer.headers.contains_key("retry-after"));
    }
}

#[tokio::test]
async fn the_document_says_message_follows_accept_language_and_code_is_stable() {
    let app = spawn_app().await;
    let document: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let about = document["info"]["description"].as_str().unwrap_or("");
    assert!(
        about.contains("`code` is stable") && about.contains("`Accept-Language` (`da` or `en`"),
        "{about}"
    );
    let message =
        document["components"]["schemas"]["ErrorBody"]["properties"]["message"]["description"]
            .as_str()
            .unwrap_or("");
    assert!(message.contains("Accept-Language"), "{message}");
}
