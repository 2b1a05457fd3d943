//! The portal's HTTP errors: every failure becomes a styled page with a clear message in
//! the reader's language and the right status, never a stack trace — or, for the API, a JSON error with
//! a stable code ([`AppError::json_response`]). Use-case errors are mapped to these at the
//! route; unexpected ones are logged with detail and shown without it. A database that
//! cannot be reached in time is a 503 with `Retry-After`, not a 500.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    LoginRequired,
    #[error("csrf check failed")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The database could not be reached in time ([`crate::db::Unavailable`]).
    #[error("database unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Unexpected(anyhow::Error),
}

/// Seconds a client is asked to wait before trying again after a 503.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// Whether an error means the database is out of reach: no connection could be had in
/// time, or the one in use was closed under the query.
fn database_unreachable(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.is::<crate::db::Unavailable>()
            || cause
                .downcast_ref::<diesel::result::Error>()
                .is_some_and(|d| {
                    matches!(
                        d,
                        diesel::result::Error::DatabaseError(
                            diesel::result::DatabaseErrorKind::ClosedConnection,
                            _
                        )
                    )
                })
    })
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        if database_unreachable(&e) {
            Self::Unavailable(e)
        } else {
            Self::Unexpected(e)
        }
    }
}

impl AppError {
    /// A unique index refused a write that raced another (the same person or subject
    /// added twice at once): the caller answers "already taken" instead of failing.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Unexpected(e) if e
            .downcast_ref::<diesel::result::Error>()
            .is_some_and(crate::db::is_unique_violation))
    }

    /// The database is out of reach, also when a use-case error carried that inside.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            Self::Unexpected(e) => database_unreachable(e),
            _ => false,
        }
    }

    /// The error for an API client: `{"error": {"code": …, "message": …}}` with a code that
    /// stays the same across releases, the message in the language of the request being
    /// served (`Content-Language` says which), the same status as the page, and
    /// `Retry-After` on 503.
    pub fn json_response(&self) -> HttpResponse {
        let tx = crate::i18n::texts();
        let (code, message) = if self.is_unavailable() {
            (
                "database_unavailable",
                tx.t("api-error-database-unavailable"),
            )
        } else {
            match self {
                Self::NotFound => ("not_found", tx.t("api-error-not-found")),
                Self::Forbidden => ("forbidden", tx.t("json-error-forbidden")),
                Self::LoginRequired => ("unauthorized", tx.t("json-error-login-required")),
                Self::Csrf => ("csrf", tx.t("json-error-csrf")),
                Self::BadRequest(message) => ("invalid_request", message.clone()),
                Self::Unavailable(_) | Self::Unexpected(_) => {
                    ("internal", tx.t("api-error-internal"))
                }
            }
        };
        self.log();
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_LANGUAGE, tx.language().code()));
        if self.is_unavailable() {
            response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string()));
        }
        response.json(serde_json::json!({ "error": { "code": code, "message": message } }))
    }

    fn log(&self) {
        if self.is_unavailable() {
            tracing::warn!(error = %self, "database unavailable: answered 503");
        } else if let Self::Unexpected(e) = self {
            tracing::error!(error = ?e, "unexpected error");
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<crate::app::Error> for AppError {
    fn from(e: crate::app::Error) -> Self {
        match e {
            crate::app::Error::Forbidden => Self::Forbidden,
            crate::app::Error::NotFound => Self::NotFound,
            crate::app::Error::Storage(e) => e.into(),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::Unexpected(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    page: crate::routes::Page,
}

impl AppError {
    /// The page's heading and message, in the reader's language: the catalogue's
    /// `error-<kind>-title` and `error-<kind>`, or the message a route gave.
    fn texts(&self, tx: crate::i18n::Texts) -> (String, String) {
        let kind = if self.is_unavailable() {
            "unavailable"
        } else {
            match self {
                Self::NotFound => "not-found",
                Self::Forbidden => "forbidden",
                Self::LoginRequired => "login-required",
                Self::Csrf => "csrf",
                Self::BadRequest(message) => {
                    return (tx.t("error-bad-request-title"), message.clone());
                }
                Self::Unavailable(_) | Self::Unexpected(_) => "unexpected",
            }
        };
        (
            tx.t(&format!("error-{kind}-title")),
            tx.t(&format!("error-{kind}")),
        )
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        if self.is_unavailable() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::LoginRequired => StatusCode::SEE_OTHER,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unavailable(_) | Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::LoginRequired = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        self.log();
        let page = crate::routes::Page::anonymous();
        let (title, message) = self.texts(page.tx);
        let body = ErrorPage {
            title: &title,
            message: &message,
            page,
        }
        .render()
        .unwrap_or_else(|_| message.clone());
        let mut response = HttpResponse::build(self.status_code());
        if self.is_unavailable() {
            response
                .insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string()))
                .insert_header((header::CACHE_CONTROL, "no-store"));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}
