//! Calling `/api/v1` as a machine does: a token made on the API-nøgler page by the person
//! it belongs to, no cookies, and every answer checked against the OpenAPI document the
//! portal serves.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Session, TestApp};

/// A machine holding a token made on the page by `who`.
pub async fn machine_of(app: &TestApp, who: &str, kind: &str, permissions: &[&str]) -> Machine {
    let session = app.login_as(who).await;
    let token = make_token(&session, kind, permissions).await;
    Machine::new(app, Some(token)).await
}

/// A data provider's copy of every agreement (id → status), kept from the change feed.
#[derive(Default)]
pub struct FeedCopy {
    pub cursor: String,
    pub agreements: HashMap<String, String>,
}

impl FeedCopy {
    /// Reads the feed `limit` at a time until nothing is new; the changes read, in order.
    pub async fn catch_up(&mut self, provider: &Machine, limit: usize) -> Vec<String> {
        let mut changes = Vec::new();
        loop {
            let page = provider
                .get(
                    &format!(
                        "/api/v1/agreements/changes?after={}&limit={limit}",
                        self.cursor
                    ),
                    "/api/v1/agreements/changes",
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let items = page.body["items"].as_array().expect("items").clone();
            for item in &items {
                let agreement = &item["agreement"];
                self.agreements.insert(
                    agreement["id"].as_str().expect("id").to_string(),
                    agreement["status"].as_str().expect("status").to_string(),
                );
                changes.push(item["change"].as_str().expect("change").to_string());
            }
            self.cursor = page.body["next_cursor"]
                .as_str()
                .expect("cursor")
                .to_string();
            if items.is_empty() {
                return changes;
            }
        }
    }
}

/// Every agreement in the database, id → status.
pub fn agreements_in(app: &TestApp) -> HashMap<String, String> {
    use diesel::prelude::*;
    use tilslutning::db::schema::agreements;
    app.with_db(|c| {
        agreements::table
            .select((agreements::id, agreements::status))
            .load::<(String, String)>(c)
            .expect("agreements")
            .into_iter()
            .collect()
    })
}

/// Makes a token on the page as `session` and returns its secret.
pub async fn make_token(session: &Session, kind: &str, permissions: &[&str]) -> String {
    let expires = tilslutning::domain::request_form::format_date(
        tilslutning::db::now().date() + time::Duration::days(30),
    );
    let mut fields = vec![
        ("kind", kind),
        ("name", "Testsystem"),
        ("expires_on", expires.as_str()),
    ];
    fields.extend(permissions.iter().map(|p| ("permission", *p)));
    let page = session.post("/api-tokens", &fields).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    secret_in(&page.body).expect("the page shows the new token once")
}

/// The token shown on the page, if any.
pub fn secret_in(html: &str) -> Option<String> {
    let at = html.find("value=\"tsk_")? + "value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// An answer from the API.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    pub fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or("")
    }
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

/// A machine calling the API with one token (or none).
pub struct Machine {
    base: String,
    client: reqwest::Client,
    token: Option<String>,
    pub language: Option<&'static str>,
    document: Value,
}

impl Machine {
    pub async fn new(app: &TestApp, token: Option<String>) -> Self {
        let client = reqwest::Client::new();
        let document: Value = client
            .get(format!("{}/api/v1/openapi.json", app.address))
            .send()
            .await
            .expect("openapi.json")
            .json()
            .await
            .expect("the document is JSON");
        Self {
            base: app.address.clone(),
            client,
            token,
            language: None,
            document,
        }
    }

    fn prepare(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        match self.language {
            Some(language) => request.header("Accept-Language", language),
            None => request,
        }
    }

    async fn answer(&self, response: reqwest::Response, method: &str, template: &str) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
            panic!("{method} {template} answered {status} with non-JSON: {text}")
        });
        conforms(&self.document, method, template, status, &body);
        Answer {
            status,
            headers,
            body,
        }
    }

    /// GET `path`, documented at `template` (e.g. `/api/v1/requests/{id}`).
    pub async fn get(&self, path: &str, template: &str) -> Answer {
        let response = self
            .prepare(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .expect("GET");
        self.answer(response, "get", template).await
    }

    pub async fn post(&self, path: &str, template: &str, body: &Value) -> Answer {
        let response = self
            .prepare(self.client.post(format!("{}{path}", self.base)))
            .json(body)
            .send()
            .await
            .expect("POST");
        self.answer(response, "post", template).await
    }

    /// POST a body that is not (or not quite) JSON.
    pub async fn post_raw(&self, path: &str, template: &str, body: &'static str) -> Answer {
        let response = self
            .prepare(self.client.post(format!("{}{path}", self.base)))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("POST");
        self.answer(response, "post", template).await
    }
}

/// Panics unless `body` is what the document says `method template` answers with `status`.
pub fn conforms(document: &Value, method: &str, template: &str, status: StatusCode, body: &Value) {
    let operation = &document["paths"][template][method];
    assert!(
        operation.is_object(),
        "{method} {template} is not in the OpenAPI document"
    );
    let schema = &operation["responses"][status.as_str()]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} answered {status}, which the document does not list: {body}"
    );
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::draft202012::new(&root).expect("the document's schemas compile");
    let problems: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{method} {template} {status} does not match the document: {problems:?}\n{body}"
    );
}
