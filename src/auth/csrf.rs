//! CSRF protection: every form carries a token that is an HMAC of the visitor's session
//! token (or, before login, of a random pre-session cookie) under the portal's key.
//! [`CsrfForm`] is the only way handlers read a POST body, so no POST goes unchecked.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::session::SESSION_COOKIE;
use crate::error::AppError;
use crate::startup::AppState;

/// Cookie binding forms for visitors who are not signed in.
pub const ANON_COOKIE: &str = "tilslutning_anon";

fn mac(key: &[u8], binding: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"csrf\0");
    mac.update(binding.as_bytes());
    mac
}

pub fn token(key: &[u8], binding: &str) -> String {
    hex::encode(mac(key, binding).finalize().into_bytes())
}

pub fn verify(key: &[u8], binding: &str, submitted: &str) -> bool {
    match hex::decode(submitted.trim()) {
        Ok(bytes) => mac(key, binding).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

/// What forms on this request are bound to: the session token, else the anonymous cookie.
pub fn binding(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE)
        .or_else(|| req.cookie(ANON_COOKIE))
        .map(|c| c.value().to_string())
}

/// A fresh anonymous cookie for a visitor who has none yet.
pub fn anon_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build(ANON_COOKIE, crate::db::sessions::new_token())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

/// The CSRF token for a form shown to someone who may not be signed in, and the
/// anonymous cookie to set when they have none yet.
pub fn for_visitor(
    req: &HttpRequest,
    key: &[u8],
    secure: bool,
) -> (String, Option<Cookie<'static>>) {
    match binding(req) {
        Some(b) => (token(key, &b), None),
        None => {
            let cookie = anon_cookie(secure);
            (token(key, cookie.value()), Some(cookie))
        }
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A form body whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|_| AppError::BadRequest(crate::i18n::texts().t("form-unreadable")))?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| anyhow::anyhow!("app state missing"))?;
            let field: CsrfField =
                serde_html_form::from_bytes(&body).map_err(|_| AppError::Csrf)?;
            let bound = binding(&req).ok_or(AppError::Csrf)?;
            if !verify(&state.settings.session_key, &bound, &field.csrf) {
                return Err(AppError::Csrf);
            }
            let form = serde_html_form::from_bytes(&body)
                .map_err(|_| AppError::BadRequest(crate::i18n::texts().t("form-bad-values")))?;
            Ok(CsrfForm(form))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_key_and_binding() {
        let t = token(b"key-one-key-one-key-one-key-one!", "session-a");
        assert!(verify(b"key-one-key-one-key-one-key-one!", "session-a", &t));
        assert!(!verify(
            b"key-one-key-one-key-one-key-one!",
            "session-b",
            &t
        ));
        assert!(!verify(
            b"key-two-key-two-key-two-key-two!",
            "session-a",
            &t
        ));
        assert!(!verify(
            b"key-one-key-one-key-one-key-one!",
            "session-a",
            "not hex"
        ));
    }
}
