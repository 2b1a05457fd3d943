//! Routes anyone may reach: health and readiness, static assets, sign-in and sign-out.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, route, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, redirect, redirect_external, render, render_invalid, render_with};
use crate::app::sign_in::{self, PasswordAttempt, PasswordOutcome};
use crate::auth::csrf::{self, ANON_COOKIE};
use crate::auth::session::{
    SESSION_COOKIE, client_addr, removal_cookie, session_cookie, visitor_caller,
};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::throttle::Attempt;
use crate::db::users;
use crate::error::AppError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz)
        .service(readyz)
        .service(stylesheet)
        .service(api_reference)
        .service(api_reference_script)
        .service(login_page)
        .service(login)
        .service(logout);
}

#[route("/healthz", method = "GET", method = "HEAD")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

#[route("/readyz", method = "GET", method = "HEAD")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ping = state
        .db
        .run(|conn| -> anyhow::Result<()> {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1")?;
            Ok(())
        })
        .await;
    match ping {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            HttpResponse::ServiceUnavailable()
                .insert_header((
                    header::RETRY_AFTER,
                    crate::error::RETRY_AFTER_SECONDS.to_string(),
                ))
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}

#[get("/static/app.css")]
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/app.css"))
}

/// The API's reference page; it renders `/api/v1/openapi.json` with `api.js`.
#[get("/static/api.html")]
async fn api_reference() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/api.html"))
}

#[get("/static/api.js")]
async fn api_reference_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/api.js"))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    error: Option<String>,
    /// The provider's button text, when sign-in through a provider is configured.
    oidc_button: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    next: String,
    notice: Option<String>,
}

/// Only local paths are followed after login, never another site.
/// Browsers drop tabs and newlines from a `Location` and read `\` as `/`, so `/\t/x` or
/// `/\x` would lead elsewhere: such paths are refused outright, and so is one longer than
/// a redirect may be.
pub(super) fn safe_next(next: &str) -> String {
    let local = next.len() <= super::MAX_LOCATION
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local { next.to_string() } else { "/".into() }
}

/// How long a sign-in waits for the account's other attempts under way before it is told
/// to try again (a password check takes well under a second).
const ATTEMPT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Starts a throttled password attempt ([`sign_in::begin_attempt`]), waiting while the
/// account's other attempts under way fill its limit: when they end, either they failed
/// and this one is refused, or they succeeded and this one goes ahead. So parallel correct
/// sign-ins are never refused, and parallel guesses get no more checks than the limit.
/// The attempt's id, or the minutes to wait.
pub(super) async fn begin_attempt(
    state: &AppState,
    email: &str,
    client: Option<&str>,
) -> Result<Result<String, i64>, AppError> {
    let deadline = std::time::Instant::now() + ATTEMPT_WAIT;
    let mut pause = std::time::Duration::from_millis(20);
    loop {
        let (email, client) = (email.to_string(), client.map(str::to_string));
        let attempt = state
            .db
            .run(move |conn| sign_in::begin_attempt(conn, &email, client.as_deref()))
            .await?;
        match attempt {
            Attempt::Busy if std::time::Instant::now() < deadline => {
                actix_web::rt::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_millis(200));
            }
            Attempt::Busy => return Ok(Err(1)),
            Attempt::Blocked { minutes } => return Ok(Err(minutes)),
            Attempt::Started { id } => return Ok(Ok(id)),
        }
    }
}

/// What a throttled person is told, in the language of the request.
pub(super) fn try_again_in(minutes: i64) -> String {
    crate::i18n::texts().n("login-throttled", minutes)
}

fn login_form(
    req: &HttpRequest,
    state: &AppState,
    email: String,
    next: String,
    error: Option<String>,
) -> (LoginPage, Option<actix_web::cookie::Cookie<'static>>) {
    let (token, new_cookie) = csrf::for_visitor(
        req,
        &state.settings.session_key,
        state.settings.secure_cookies(),
    );
    let mut page = Page::anonymous();
    page.csrf = token;
    (
        LoginPage {
            page,
            email,
            next,
            error,
            oidc_button: state.oidc.as_ref().map(|o| {
                o.button_text().map_or_else(
                    || crate::i18n::texts().t("login-provider-button"),
                    str::to_string,
                )
            }),
        },
        new_cookie,
    )
}

#[route("/login", method = "GET", method = "HEAD")]
async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (mut form, cookie) = login_form(&req, &state, String::new(), safe_next(&query.next), None);
    form.page = form.page.with_notice(query.notice.as_deref());
    let mut response = render(&form)?;
    if let Some(cookie) = cookie {
        response.add_cookie(&cookie).map_err(anyhow::Error::from)?;
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginInput {
    email: String,
    password: String,
    next: String,
}

#[post("/login")]
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(input): CsrfForm<LoginInput>,
) -> Result<HttpResponse, AppError> {
    let email = users::normalise_email(&input.email);
    let next = safe_next(&input.next);
    if email.is_empty() || input.password.is_empty() {
        let (form, _) = login_form(
            &req,
            &state,
            input.email,
            next,
            Some(crate::i18n::texts().t("login-missing-fields")),
        );
        return render_invalid(&form);
    }
    let client = client_addr(&req);
    let attempt_id = match begin_attempt(&state, &email, client.as_deref()).await? {
        Ok(id) => id,
        Err(minutes) => {
            let message = try_again_in(minutes);
            let (form, _) = login_form(&req, &state, input.email, next, Some(message));
            return render_with(actix_web::http::StatusCode::TOO_MANY_REQUESTS, &form);
        }
    };
    let lookup = email.clone();
    let user = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(users::find_by_email(conn, &lookup)?) })
        .await?;
    let stored = user
        .as_ref()
        .filter(|u| u.is_active())
        .and_then(|u| u.password_hash.clone());
    let verified = state.hasher.verify(input.password, stored).await;
    let old_token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let user_id = user.as_ref().map(|u| u.id.clone());
    let caller = visitor_caller(&req, user_id.clone());
    // With a second factor, the password only opens the code form.
    let second_factor = user.as_ref().is_some_and(|u| u.totp_secret.is_some());
    let attempt = PasswordAttempt {
        email,
        user_id,
        verified,
        second_factor,
        attempt_id,
        old_token,
    };
    let outcome = state
        .db
        .run(move |conn| sign_in::password(conn, &caller, &attempt, client.as_deref()))
        .await?;
    let token = match outcome {
        PasswordOutcome::Refused => None,
        PasswordOutcome::CodeNeeded(token) | PasswordOutcome::SignedIn(token) => Some(token),
    };
    let Some(token) = token else {
        let (form, _) = login_form(
            &req,
            &state,
            input.email,
            next,
            Some(crate::i18n::texts().t("login-refused")),
        );
        return render_invalid(&form);
    };
    let mut response = if second_factor {
        redirect(&format!(
            "/login/code?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ))
    } else {
        redirect(&next)
    };
    response
        .add_cookie(&session_cookie(&token, state.settings.secure_cookies()))
        .map_err(anyhow::Error::from)?;
    response
        .add_removal_cookie(&removal_cookie(ANON_COOKIE))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

#[post("/logout")]
async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let mut id_token = None;
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) {
        let caller = user.caller(None);
        id_token = state
            .db
            .run(move |conn| sign_in::sign_out(conn, &caller, &token))
            .await?;
    }
    // A session from the provider is ended there too (RP-initiated logout), which sends
    // the browser back to the login page.
    let provider_logout = match (&state.oidc, id_token) {
        (Some(oidc), Some(id_token)) => oidc.logout_url(Some(&id_token)).await,
        _ => None,
    };
    let mut response = match provider_logout {
        Some(url) => redirect_external(&url),
        None => redirect("/login?notice=signed-out"),
    };
    response
        .add_removal_cookie(&removal_cookie(SESSION_COOKIE))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/inbox?status=pending"), "/inbox?status=pending");
        assert_eq!(safe_next("/requests/abc"), "/requests/abc");
        for elsewhere in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/x\\y",
            "",
            "inbox",
        ] {
            assert_eq!(safe_next(elsewhere), "/", "{elsewhere:?}");
        }
        let long = format!("/{}", "a".repeat(super::super::MAX_LOCATION));
        assert_eq!(safe_next(&long), "/", "longer than a redirect may be");
    }
}
