//! The portal's HTTP errors: every failure becomes a styled page with a clear Danish
//! message and the right status, never a stack trace. Use-case errors are mapped to
//! these at the route; unexpected ones are logged with detail and shown without it.

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
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AppError {
    /// A unique index refused a write that raced another (the same person or subject
    /// added twice at once): the caller answers "already taken" instead of failing.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Unexpected(e) if e
            .downcast_ref::<diesel::result::Error>()
            .is_some_and(crate::db::is_unique_violation))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Unexpected(e.into())
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
    fn texts(&self) -> (&'static str, String) {
        match self {
            Self::NotFound => ("Siden findes ikke", "Vi kunne ikke finde det, du leder efter. Tjek adressen, eller gå til forsiden.".into()),
            Self::Forbidden => ("Ingen adgang", "Du har ikke adgang til denne side eller handling.".into()),
            Self::LoginRequired => ("Log ind", "Du skal logge ind.".into()),
            Self::Csrf => (
                "Formularen er udløbet",
                "Formularen kunne ikke bekræftes. Gå tilbage, genindlæs siden og prøv igen.".into(),
            ),
            Self::BadRequest(message) => ("Ugyldig forespørgsel", message.clone()),
            Self::Unexpected(_) => (
                "Der opstod en fejl",
                "Der opstod en uventet fejl hos os. Prøv igen om lidt; fortsætter fejlen, kontakt supporten.".into(),
            ),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::LoginRequired => StatusCode::SEE_OTHER,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::LoginRequired = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        if let Self::Unexpected(e) = self {
            tracing::error!(error = ?e, "unexpected error");
        }
        let (title, message) = self.texts();
        let body = ErrorPage {
            title,
            message: &message,
            page: crate::routes::Page::anonymous(),
        }
        .render()
        .unwrap_or_else(|_| message.clone());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}
