//! The language a caller reads, from the request: for the API, English when
//! `Accept-Language` prefers it to Danish, Danish otherwise; for pages, the switch's cookie
//! first.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptLanguage, Header, Preference};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, dev::Payload};

pub use crate::i18n::Language;

/// The cookie the "Dansk / English" switch sets for a visitor.
pub const LANGUAGE_COOKIE: &str = "tilslutning_lang";

impl Language {
    /// A visitor's language: the switch's cookie, else `Accept-Language`, else Danish.
    pub fn of_visitor(req: &HttpRequest) -> Self {
        req.cookie(LANGUAGE_COOKIE)
            .and_then(|c| Self::from_code(c.value()))
            .unwrap_or_else(|| Self::of(req))
    }

    /// The first of Danish and English in the caller's ranked preferences.
    pub fn of(req: &HttpRequest) -> Self {
        let Ok(accepted) = AcceptLanguage::parse(req) else {
            return Self::default();
        };
        accepted
            .ranked()
            .into_iter()
            .find_map(|preference| match preference {
                Preference::Specific(tag) => match tag.primary_language() {
                    "da" => Some(Self::Danish),
                    "en" => Some(Self::English),
                    _ => None,
                },
                Preference::Any => None,
            })
            .unwrap_or_default()
    }
}

tokio::task_local! {
    static RETURN_TO: String;
}

/// Where the language switch on the page being served leads back to: the page itself
/// when it was asked for with GET; for the answer to a form, the page the form was on
/// (the answer's own address cannot be asked for again).
pub fn return_to() -> String {
    RETURN_TO
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "/".into())
}

/// `path` when it is an address on this portal (`/…`, not `//host/…`), for a redirect.
pub fn local_path(path: &str) -> Option<&str> {
    (path.starts_with('/') && !path.starts_with("//") && !path.contains(['\\', '\r', '\n']))
        .then_some(path)
}

fn page_to_return_to(req: &ServiceRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        return req
            .uri()
            .path_and_query()
            .map_or_else(|| "/".into(), |p| p.as_str().to_string());
    }
    req.headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        // Only the path is kept: whatever the referring host, it leads back into the portal.
        .map_or_else(
            || "/".into(),
            |url| match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_string(),
            },
        )
}

/// Middleware around every request: serves it in the visitor's language (a signed-in
/// person's saved choice replaces it when their session is read) — under `/api/`, the
/// caller's `Accept-Language` alone, as the API's own errors read it — and says which in
/// `Content-Language`, unless the handler said so itself. It also notes the page the
/// language switch leads back to ([`return_to`]).
pub async fn serve_in_language(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let language = if req.path().starts_with("/api/") {
        Language::of(req.request())
    } else {
        Language::of_visitor(req.request())
    };
    let here = page_to_return_to(&req);
    RETURN_TO
        .scope(
            here,
            crate::i18n::in_language(language, async move {
                let mut response = next.call(req).await?;
                let headers = response.headers_mut();
                if !headers.contains_key(header::CONTENT_LANGUAGE) {
                    headers.insert(
                        header::CONTENT_LANGUAGE,
                        header::HeaderValue::from_static(crate::i18n::current().code()),
                    );
                }
                Ok(response)
            }),
        )
        .await
}

impl FromRequest for Language {
    type Error = std::convert::Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}
