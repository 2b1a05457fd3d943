//! Sign-in through the identity provider: `/auth/oidc/login` sends the browser there with a
//! fresh state, nonce and PKCE challenge; `/auth/oidc/callback` checks what comes back,
//! finds the person and starts a session. Every failure is a page that says what happened,
//! and an audit row.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::public::safe_next;
use super::{Page, redirect, redirect_external, render_with};
use crate::app::sign_in::{self, ProviderOutcome};
use crate::auth::oidc::{OidcError, VerifiedIdentity};
use crate::auth::session::{SESSION_COOKIE, removal_cookie, session_cookie, visitor_caller};
use crate::db::audit::Caller;
use crate::db::identities::{Resolution, SignIn};
use crate::db::oidc_logins::{self, PendingLogin};
use crate::db::sessions;
use crate::error::AppError;
use crate::startup::AppState;

/// Ties a sign-in begun here to the browser that comes back with its `state`.
const BROWSER_COOKIE: &str = "tilslutning_oidc";
/// Where that cookie lives: set and removed with the same path, or the browser keeps it.
const BROWSER_COOKIE_PATH: &str = "/auth/oidc";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(begin).service(callback);
}

#[derive(Template)]
#[template(path = "oidc_problem.html")]
struct ProblemPage {
    page: Page,
    heading: String,
    message: String,
    retry: bool,
}

#[derive(Template)]
#[template(path = "no_access.html")]
struct NoAccessPage {
    page: Page,
    name: String,
    email: String,
    subject: String,
    disabled: bool,
    provider_logout: Option<String>,
}

fn problem_page(error: &OidcError) -> Result<HttpResponse, AppError> {
    // The catalogue's `oidc-<kind>-title` and `oidc-<kind>`.
    let (status, kind) = match error {
        OidcError::ProviderUnavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        OidcError::Refused(_) => (StatusCode::BAD_REQUEST, "refused"),
        OidcError::BadState => (StatusCode::BAD_REQUEST, "bad-state"),
        OidcError::CodeRejected(_) | OidcError::TokenInvalid(_) => {
            (StatusCode::BAD_REQUEST, "unconfirmed")
        }
    };
    let page = Page::anonymous();
    render_with(
        status,
        &ProblemPage {
            heading: page.tx.t(&format!("oidc-{kind}-title")),
            message: page.tx.t(&format!("oidc-{kind}")),
            retry: true,
            page,
        },
    )
}

fn browser_cookie(value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(BROWSER_COOKIE, value.to_string())
        .path(BROWSER_COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(
            oidc_logins::LIFETIME.whole_minutes(),
        ))
        .finish()
}

/// Removes the browser cookie (at its own path).
fn browser_cookie_removal() -> Cookie<'static> {
    let mut cookie = removal_cookie(BROWSER_COOKIE);
    cookie.set_path(BROWSER_COOKIE_PATH);
    cookie
}

/// Writes the audit row for a sign-in that failed before anyone was known.
async fn audit_failure(
    state: &AppState,
    caller: Caller,
    error: &OidcError,
) -> Result<(), AppError> {
    tracing::warn!(error = %error, "sign-in through the provider failed");
    let (reason, detail) = (error.code(), error.to_string());
    state
        .db
        .run(move |conn| sign_in::provider_failed(conn, &caller, reason, &detail))
        .await?;
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BeginQuery {
    next: String,
}

#[get("/auth/oidc/login")]
async fn begin(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<BeginQuery>,
) -> Result<HttpResponse, AppError> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let begun = match oidc.begin().await {
        Ok(begun) => begun,
        Err(error) => {
            audit_failure(&state, visitor_caller(&req, None), &error).await?;
            return problem_page(&error);
        }
    };
    let browser = sessions::new_token();
    let pending = PendingLogin {
        nonce: begun.nonce,
        pkce_verifier: begun.pkce_verifier,
        next_path: safe_next(&query.next),
    };
    let (saved_state, saved_browser) = (begun.state, browser.clone());
    state
        .db
        .run(move |conn| sign_in::provider_begun(conn, &saved_state, &saved_browser, &pending))
        .await?;
    let mut response = redirect_external(&begun.authorize_url);
    response
        .add_cookie(&browser_cookie(&browser, state.settings.secure_cookies()))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CallbackQuery {
    state: String,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

#[get("/auth/oidc/callback")]
async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, AppError> {
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let query = query.into_inner();
    let browser = req.cookie(BROWSER_COOKIE).map(|c| c.value().to_string());
    let returned_state = query.state.clone();
    let pending = state
        .db
        .run(move |conn| sign_in::provider_returned(conn, &returned_state, browser.as_deref()))
        .await?;
    let verified = match (pending, query.code, query.error) {
        (None, _, _) => Err(OidcError::BadState),
        (Some(_), _, Some(error)) => Err(OidcError::Refused(
            format!("{error} {}", query.error_description.unwrap_or_default())
                .trim()
                .to_string(),
        )),
        (Some(_), None, None) => Err(OidcError::Refused("no code returned".into())),
        (Some(pending), Some(code), None) => oidc
            .complete(&code, &pending.nonce, &pending.pkce_verifier)
            .await
            .map(|identity| (identity, pending.next_path)),
    };
    let (identity, next) = match verified {
        Ok(found) => found,
        Err(error) => {
            audit_failure(&state, visitor_caller(&req, None), &error).await?;
            let mut response = problem_page(&error)?;
            // A callback that matches no sign-in of this browser (forged, replayed) leaves
            // the cookie alone: the sign-in the browser has under way may still finish.
            if !matches!(error, OidcError::BadState) {
                response
                    .add_removal_cookie(&browser_cookie_removal())
                    .map_err(anyhow::Error::from)?;
            }
            return Ok(response);
        }
    };
    let old_token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let caller = visitor_caller(&req, None);
    let signed_in = identity.clone();
    let outcome = state
        .db
        .run(move |conn| sign_in::provider_identity(conn, caller, &signed_in, old_token))
        .await?;
    // The same person's first sign-in twice at once: one linked them, this one starts over.
    let ProviderOutcome::Resolved(outcome) = outcome else {
        return problem_page(&OidcError::BadState);
    };
    let mut response = match outcome {
        SignIn::SignedIn { token } => {
            let mut response = redirect(&next);
            response
                .add_cookie(&session_cookie(&token, state.settings.secure_cookies()))
                .map_err(anyhow::Error::from)?;
            response
        }
        SignIn::Refused { resolution } => no_access_page(&state, &identity, &resolution).await?,
    };
    response
        .add_removal_cookie(&browser_cookie_removal())
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

async fn no_access_page(
    state: &AppState,
    identity: &VerifiedIdentity,
    resolution: &Resolution,
) -> Result<HttpResponse, AppError> {
    let provider_logout = match &state.oidc {
        Some(oidc) => oidc.logout_url(Some(&identity.id_token)).await,
        None => None,
    };
    render_with(
        StatusCode::FORBIDDEN,
        &NoAccessPage {
            page: Page::anonymous(),
            name: identity.name.clone().unwrap_or_default(),
            email: identity.email.clone().unwrap_or_default(),
            subject: identity.subject.clone(),
            disabled: matches!(resolution, Resolution::Disabled { .. }),
            provider_logout,
        },
    )
}
