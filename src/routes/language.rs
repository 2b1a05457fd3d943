//! The language a caller reads: English when `Accept-Language` prefers it
//! to Danish, Danish otherwise.

use std::future::{Ready, ready};

use actix_web::http::header::{AcceptLanguage, Header, Preference};
use actix_web::{FromRequest, HttpRequest, dev::Payload};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Danish,
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Self::Danish => "da",
            Self::English => "en",
        }
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

impl FromRequest for Language {
    type Error = std::convert::Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}
