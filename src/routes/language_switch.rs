//! The "Dansk / English" switch on every page. A visitor's choice is a cookie
//! (`GET /language/{da|en}`, which changes nothing stored); a signed-in person's choice is
//! saved on their profile, for pages and mails alike (`POST /language`, CSRF-checked and
//! audited), and set as the cookie too, so the page after signing out reads the same.
//! Both go back to the page the switch was used on.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;

use super::language::{LANGUAGE_COOKIE, Language};
use super::redirect;
use crate::app::accounts;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::AppError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(for_visitor).service(for_person);
}

fn cookie(language: Language, secure: bool) -> Cookie<'static> {
    Cookie::build(LANGUAGE_COOKIE, language.code())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .finish()
}

/// The page the switch was used on: the `back` the page gave it (an address on the
/// portal), else the referring page when it is one of the portal's own (the host the
/// request came to, or the configured address's), else the front page.
fn back(req: &HttpRequest, base_url: &str, given: &str) -> String {
    if let Some(path) = super::language::local_path(given) {
        return path.to_string();
    }
    let authority = |url: &url::Url| {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    };
    let ours = |url: &url::Url| {
        authority(url) == req.connection_info().host().to_ascii_lowercase()
            || url::Url::parse(base_url).is_ok_and(|base| authority(&base) == authority(url))
    };
    req.headers()
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(ours)
        .map(|url| match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        })
        .unwrap_or_else(|| "/".into())
}

fn switched(req: &HttpRequest, state: &AppState, language: Language, given: &str) -> HttpResponse {
    let mut response = redirect(&back(req, &state.settings.base_url, given));
    let _ = response.add_cookie(&cookie(language, state.settings.secure_cookies()));
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Back {
    back: String,
}

#[get("/language/{code}")]
async fn for_visitor(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<Back>,
) -> Result<HttpResponse, AppError> {
    let language = Language::from_code(&code).ok_or(AppError::NotFound)?;
    Ok(switched(&req, &state, language, &query.back))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Choice {
    language: String,
    back: String,
}

#[post("/language")]
async fn for_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(choice): CsrfForm<Choice>,
) -> Result<HttpResponse, AppError> {
    let language = Language::from_code(&choice.language).ok_or(AppError::NotFound)?;
    let acting = user.acting();
    state
        .db
        .run(move |conn| accounts::save_language(conn, &acting, language))
        .await?;
    Ok(switched(&req, &state, language, &choice.back))
}
