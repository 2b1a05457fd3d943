//! What every API handler starts from: who the call acts as (from its bearer token, never
//! a session cookie, so no page's CSRF protection is needed or bypassed), the language of
//! its messages, and a JSON body read so that a wrong field is named.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use super::error::{ApiError, Code};
use crate::app::Acting;
use crate::app::api_tokens::{self, CallOrigin, Caller};
use crate::app::token_cache::Secret;
use crate::auth::session::client_addr;
use crate::routes::language::Language;
use crate::startup::AppState;

/// An authenticated call.
pub struct ApiCall {
    pub caller: Caller,
    pub language: Language,
    state: web::Data<AppState>,
}

impl ApiCall {
    pub fn db(&self) -> &crate::db::Db {
        &self.state.db
    }

    /// From this day on, no request may name an A-number.
    pub fn a_number_cutoff(&self) -> time::Date {
        self.state.settings.a_number_cutoff
    }

    /// An institution number from the call, normalised; a malformed one is a 422 at `field`.
    pub fn institution(&self, text: &str, field: impl Into<String>) -> Result<String, ApiError> {
        crate::domain::InstitutionNumber::parse(text)
            .map(|n| n.as_str().to_string())
            .map_err(|_| self.error(Code::InvalidValue).at(field))
    }

    /// The query string as `T`; a value of the wrong type is a 422 (at `field` when given,
    /// the parameter most likely to blame).
    pub fn query<T: DeserializeOwned>(
        &self,
        req: &HttpRequest,
        field: Option<&str>,
    ) -> Result<T, ApiError> {
        serde_html_form::from_str(req.query_string()).map_err(|_| {
            let e = self.error(Code::InvalidField);
            match field {
                Some(field) => e.at(field),
                None => e,
            }
        })
    }

    /// The portal's own address, for links in mail.
    pub fn base_url(&self) -> String {
        self.state.settings.base_url.clone()
    }

    pub fn error(&self, code: Code) -> ApiError {
        ApiError::new(self.language, code)
    }

    /// The person a supplier or approver token acts as; access-check tokens act as no one.
    pub fn acting(&self) -> Result<Acting, ApiError> {
        match &self.caller {
            Caller::Acting(acting) => Ok(acting.clone()),
            Caller::AccessCheck { .. } => Err(self.error(Code::Forbidden)),
        }
    }

    /// Runs a use case on the blocking pool; its refusal or failure becomes an API error.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut crate::db::DbConnection) -> crate::app::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let language = self.language;
        self.db()
            .run(move |conn| Ok::<_, anyhow::Error>(work(conn)))
            .await
            .map_err(|e| ApiError::from_storage(language, e))?
            .map_err(|e| ApiError::from_app(language, e))
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl FromRequest for ApiCall {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let language = Language::of(&req);
            let refused = || ApiError::new(language, Code::Unauthorized);
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::new(language, Code::Internal))?;
            let secret = bearer(&req)
                .as_deref()
                .and_then(Secret::of)
                .ok_or_else(refused)?;
            let client = client_addr(&req);
            let origin = CallOrigin {
                client_addr: client.clone(),
                request_id: crate::telemetry::request_id(&req),
            };
            let caller = match api_tokens::cached_access_check(&state.tokens, &secret) {
                Some(caller) => caller,
                None => {
                    // An address guessing at tokens is not looked up for the rest of its minute.
                    let client = client.unwrap_or_default();
                    if state.tokens.get(&secret).is_none()
                        && let Err(wait) = state.refused_tokens.check(&client)
                    {
                        return Err(ApiError::new(language, Code::RateLimited).retry_after(wait));
                    }
                    let tokens = state.tokens.clone();
                    let found = state
                        .db
                        .run(move |conn| {
                            api_tokens::authenticate(conn, &tokens, &secret, origin)
                                .map_err(anyhow::Error::from)
                        })
                        .await
                        .map_err(|e| ApiError::from_storage(language, e))?;
                    match found {
                        Some(caller) => caller,
                        None => {
                            state.refused_tokens.refused(&client);
                            return Err(refused());
                        }
                    }
                }
            };
            if let Err(wait) = state.api_calls.take(caller.token_id()) {
                return Err(ApiError::new(language, Code::RateLimited).retry_after(wait));
            }
            Ok(ApiCall {
                caller,
                language,
                state,
            })
        })
    }
}

/// A JSON body of type `T`; a body that is not JSON, or a field missing or of the wrong
/// type, is a 422 naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let language = Language::of(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = body
                .await
                .map_err(|_| ApiError::new(language, Code::TooMany).at(""))?;
            parse_json(&bytes).map(ApiJson).map_err(|(code, field)| {
                let e = ApiError::new(language, code);
                match field {
                    Some(field) => e.at(field),
                    None => e,
                }
            })
        })
    }
}

/// Reads `bytes` as `T`: a syntax error is `InvalidJson`, a wrong or missing field
/// `InvalidField` with its JSON pointer.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, (Code, Option<String>)> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| (Code::InvalidJson, None))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = pointer_of(e.path());
        let message = e.inner().to_string();
        if let Some(name) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            pointer.push('/');
            pointer.push_str(name);
        }
        (Code::InvalidField, Some(pointer))
    })
}

/// `institutions[3].number` → `/institutions/3/number`. (A missing field is reported at
/// its parent; [`parse_json`] appends its name.)
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => pointer.push_str(key),
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        service: String,
        institutions: Vec<String>,
    }

    #[test]
    fn a_bad_body_names_what_is_wrong_and_where() {
        assert_eq!(
            parse_json::<Body>(b"{not json").err(),
            Some((Code::InvalidJson, None))
        );
        assert_eq!(
            parse_json::<Body>(br#"{"service": "s", "institutions": ["a", 7]}"#).err(),
            Some((Code::InvalidField, Some("/institutions/1".into())))
        );
        assert_eq!(
            parse_json::<Body>(br#"{"service": 1, "institutions": []}"#).err(),
            Some((Code::InvalidField, Some("/service".into())))
        );
        assert_eq!(
            parse_json::<Body>(br#"{"institutions": []}"#).err(),
            Some((Code::InvalidField, Some("/service".into())))
        );
        assert!(parse_json::<Body>(br#"{"service": "s", "institutions": ["a"]}"#).is_ok());
    }
}
