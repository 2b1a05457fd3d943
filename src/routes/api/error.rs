//! The API's errors: `{"code", "message", "field"}` with a code that stays the same across
//! releases, the message in the caller's language, the field (a JSON pointer or parameter
//! name) where one is to blame, and the status HTTP means for it.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, RETRY_AFTER_SECONDS};
use crate::routes::language::Language;

/// Every error code the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// No token, or one that is unknown, expired or revoked.
    Unauthorized,
    /// The token may not do this.
    Forbidden,
    NotFound,
    /// The request body is not JSON.
    InvalidJson,
    /// A field is missing or has the wrong type.
    InvalidField,
    /// A value has the right type but cannot be used.
    InvalidValue,
    UnknownService,
    UnknownScope,
    /// Some institutions of a filing were refused; `problems` names each.
    LinesRefused,
    /// More items than one call may carry.
    TooMany,
    /// Someone got there first: the object is no longer in a state that allows this.
    Conflict,
    /// The token has made more calls this minute than it may; `Retry-After` says when to
    /// call again.
    RateLimited,
    DatabaseUnavailable,
    Internal,
    /// A scope left out of an approval has no reason for leaving it out.
    RefusalReasonRequired,
    /// The supplier is not verified by the portal's operators yet, so it may not file.
    SupplierNotVerified,
    /// The change would leave the supplier without an admin.
    LastAdmin,
}

impl Code {
    pub fn status(self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::InvalidJson
            | Self::InvalidField
            | Self::InvalidValue
            | Self::UnknownService
            | Self::UnknownScope
            | Self::LinesRefused
            | Self::TooMany
            | Self::RefusalReasonRequired => StatusCode::UNPROCESSABLE_ENTITY,
            Self::SupplierNotVerified => StatusCode::FORBIDDEN,
            Self::LastAdmin => StatusCode::CONFLICT,
            Self::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Every code, for the tests and the catalogue checks.
    pub const ALL: [Code; 17] = [
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::InvalidJson,
        Self::InvalidField,
        Self::InvalidValue,
        Self::UnknownService,
        Self::UnknownScope,
        Self::LinesRefused,
        Self::TooMany,
        Self::Conflict,
        Self::RateLimited,
        Self::DatabaseUnavailable,
        Self::Internal,
        Self::RefusalReasonRequired,
        Self::SupplierNotVerified,
        Self::LastAdmin,
    ];

    /// The code as the JSON body carries it (`invalid_value`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::InvalidJson => "invalid_json",
            Self::InvalidField => "invalid_field",
            Self::InvalidValue => "invalid_value",
            Self::UnknownService => "unknown_service",
            Self::UnknownScope => "unknown_scope",
            Self::LinesRefused => "lines_refused",
            Self::TooMany => "too_many",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate_limited",
            Self::DatabaseUnavailable => "database_unavailable",
            Self::Internal => "internal",
            Self::RefusalReasonRequired => "refusal_reason_required",
            Self::SupplierNotVerified => "supplier_not_verified",
            Self::LastAdmin => "last_admin",
        }
    }

    /// The catalogue key of the code's message: `api-error-invalid-value`.
    pub fn message_key(self) -> String {
        format!("api-error-{}", self.as_str().replace('_', "-"))
    }

    /// The message a person reads, in their language.
    pub fn message(self, language: Language) -> String {
        language.texts().t(&self.message_key())
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for programs: stable across releases.
    pub code: Code,
    /// What went wrong, for a person: in the language `Accept-Language` asks for (`da` or
    /// `en`; Danish otherwise), as `Content-Language` says. Its wording may change; read
    /// `code`.
    pub message: String,
    /// The field to blame, when one is: a JSON pointer into the body (`/institutions/3`)
    /// or a query parameter's name.
    pub field: Option<String>,
    /// Each refused item, when there are several (a filing's institutions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// One refused item of a call.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A stable code: `malformed_number`, `not_in_register`, `legacy_number`,
    /// `institution_closed`, `no_active_units`, `already_pending`, `already_covered`, or
    /// `invalid_value` for a field.
    pub code: String,
    /// The problem for a person, in the same language as the error's `message`.
    pub message: String,
    /// A JSON pointer into the body.
    pub field: String,
    /// The institution number as sent, for an institution's problem.
    pub institution: Option<String>,
}

/// An error on its way to the caller.
#[derive(Debug, thiserror::Error)]
#[error("{code:?}")]
pub struct ApiError {
    pub code: Code,
    pub field: Option<String>,
    pub language: Language,
    pub problems: Vec<Problem>,
    /// Seconds the caller should wait before calling again.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(language: Language, code: Code) -> Self {
        Self {
            code,
            field: None,
            language,
            problems: Vec::new(),
            retry_after: None,
        }
    }

    /// Tells the caller to wait `wait` (rounded up to whole seconds) before calling again.
    pub fn retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        self
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A use case's refusal or failure.
    pub fn from_app(language: Language, e: crate::app::Error) -> Self {
        match e {
            crate::app::Error::Forbidden => Self::new(language, Code::Forbidden),
            crate::app::Error::NotFound => Self::new(language, Code::NotFound),
            crate::app::Error::Storage(e) => Self::from_storage(language, e),
        }
    }

    pub fn from_storage(language: Language, e: anyhow::Error) -> Self {
        if AppError::from(e).is_unavailable() {
            tracing::warn!("database unavailable: API answered 503");
            Self::new(language, Code::DatabaseUnavailable)
        } else {
            Self::new(language, Code::Internal)
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_LANGUAGE, self.language.code()));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        match self.code {
            Code::Unauthorized => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Code::DatabaseUnavailable => {
                response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string()));
            }
            _ => {}
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(ErrorBody {
            code: self.code,
            message: self.code.message(self.language),
            field: self.field.clone(),
            problems: self.problems.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_written_as_the_body_carries_it_and_reads_in_both_languages() {
        for code in Code::ALL {
            assert_eq!(
                serde_json::to_value(code).expect("a code is JSON"),
                serde_json::Value::from(code.as_str()),
            );
            let danish = code.message(Language::Danish);
            let english = code.message(Language::English);
            assert!(!danish.contains('⟦') && !english.contains('⟦'), "{code:?}");
            assert_ne!(danish, english, "{code:?}");
        }
        assert_eq!(
            Code::Unauthorized.message(Language::English),
            "The call lacks a valid API token (Authorization: Bearer …), or the token has expired or been revoked."
        );
    }
}
