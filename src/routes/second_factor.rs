//! The optional second factor for local accounts: the code form after the password
//! (`/login/code`), and turning it on and off from the profile (`/profile/totp`). A code
//! is accepted once; a recovery code once; wrong codes count towards the sign-in
//! throttle; success gives the browser a new session id.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::public::{begin_attempt, safe_next, try_again_in};
use super::{Page, redirect, render, render_with};
use crate::app::sign_in::{self, NewSecondFactor};
use crate::auth::session::{SESSION_COOKIE, session_cookie, visitor_caller};
use crate::auth::{CsrfForm, CurrentUser, totp};
use crate::db::second_factor::CodeOutcome;
use crate::db::sessions::{self, Stage};
use crate::db::users;
use crate::error::AppError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(code_form)
        .service(check_code)
        .service(setup)
        .service(enable)
        .service(disable);
}

fn unix_now() -> u64 {
    crate::db::now().assume_utc().unix_timestamp().max(0) as u64
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    page: Page,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

/// The person whose password was accepted in this browser and who owes a code.
async fn pending_person(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<(String, users::User)>, AppError> {
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let Some(user_id) = sessions::resume_at(conn, &token, Stage::SecondFactor)? else {
                return Ok(None);
            };
            Ok(users::find(conn, &user_id)?
                .filter(|u| u.is_active())
                .map(|u| (token, u)))
        })
        .await
}

fn code_page(req: &HttpRequest, state: &AppState, next: String, error: Option<String>) -> CodePage {
    let mut page = Page::anonymous();
    page.csrf = crate::auth::csrf::binding(req)
        .map(|b| crate::auth::csrf::token(&state.settings.session_key, &b))
        .unwrap_or_default();
    CodePage { page, next, error }
}

#[get("/login/code")]
async fn code_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if pending_person(&req, &state).await?.is_none() {
        return Ok(redirect("/login"));
    }
    render(&code_page(&req, &state, safe_next(&query.next), None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeInput {
    code: String,
    next: String,
}

#[post("/login/code")]
async fn check_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(input): CsrfForm<CodeInput>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(&input.next);
    let Some((pending_token, person)) = pending_person(&req, &state).await? else {
        return Ok(redirect("/login"));
    };
    let caller = visitor_caller(&req, Some(person.id.clone()));
    let code = input.code.trim().to_string();
    let now = unix_now();
    let outcome = state
        .db
        .run(move |conn| {
            sign_in::second_factor_code(conn, &caller, &pending_token, &person, &code, now)
        })
        .await?;
    match outcome {
        CodeOutcome::SignedIn { token } => {
            let mut response = redirect(&next);
            response
                .add_cookie(&session_cookie(&token, state.settings.secure_cookies()))
                .map_err(anyhow::Error::from)?;
            Ok(response)
        }
        refused => {
            let (status, message) = match refused {
                CodeOutcome::Blocked { minutes } => {
                    (StatusCode::TOO_MANY_REQUESTS, try_again_in(minutes))
                }
                _ => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    crate::i18n::texts().t("code-refused"),
                ),
            };
            render_with(status, &code_page(&req, &state, next, Some(message)))
        }
    }
}

#[derive(Template)]
#[template(path = "profile_totp.html")]
struct SetupPage {
    page: Page,
    secret: String,
    setup_url: String,
    qr_svg: String,
    error: Option<String>,
    /// Shown once, right after the second factor was turned on.
    recovery_codes: Vec<String>,
}

fn setup_page(user: &CurrentUser, secret: String, error: Option<String>) -> SetupPage {
    let setup_url = totp::setup_url(&secret, &user.email).unwrap_or_default();
    SetupPage {
        page: Page::for_user(user, "/profile"),
        qr_svg: totp::setup_qr_svg(&setup_url).unwrap_or_default(),
        setup_url,
        secret,
        error,
        recovery_codes: Vec::new(),
    }
}

/// Whether the person signs in with a password here (the second factor is for them).
async fn has_password(state: &AppState, user: &CurrentUser) -> Result<users::User, AppError> {
    let id = user.id.clone();
    let person = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(users::find(conn, &id)?) })
        .await?
        .ok_or(AppError::LoginRequired)?;
    if person.password_hash.is_none() {
        return Err(AppError::BadRequest(
            crate::i18n::texts().t("totp-through-provider"),
        ));
    }
    Ok(person)
}

#[get("/profile/totp")]
async fn setup(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    let person = has_password(&state, &user).await?;
    if person.totp_secret.is_some() {
        return Ok(redirect("/profile"));
    }
    render(&setup_page(&user, totp::new_secret(), None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EnableInput {
    secret: String,
    code: String,
}

/// Turns the second factor on once the app shows a right code for the new secret; the
/// browser gets a new session id and the recovery codes are shown once.
#[post("/profile/totp")]
async fn enable(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<EnableInput>,
) -> Result<HttpResponse, AppError> {
    let person = has_password(&state, &user).await?;
    if person.totp_secret.is_some() {
        return Ok(redirect("/profile"));
    }
    let secret = input.secret.trim().to_string();
    let valid_secret = totp::setup_url(&secret, &user.email).is_some();
    let Some(step) = totp::matching_step(&secret, &input.code, unix_now()).filter(|_| valid_secret)
    else {
        let secret = if valid_secret {
            secret
        } else {
            totp::new_secret()
        };
        let page = setup_page(
            &user,
            secret,
            Some(crate::i18n::texts().t("totp-wrong-code")),
        );
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let codes = totp::new_recovery_codes();
    let (caller, id, stored) = (user.caller(None), user.id.clone(), codes.clone());
    let token = state
        .db
        .run(move |conn| {
            let factor = NewSecondFactor {
                secret: &secret,
                step,
                recovery_codes: &stored,
            };
            sign_in::turn_on_second_factor(conn, &caller, &id, &factor)
        })
        .await?;
    let mut page = setup_page(&user, String::new(), None);
    page.recovery_codes = codes;
    // The page's forms belong to the new session.
    page.page.csrf = crate::auth::csrf::token(&state.settings.session_key, &token);
    let mut response = render(&page)?;
    response
        .add_cookie(&session_cookie(&token, state.settings.secure_cookies()))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DisableInput {
    password: String,
}

/// Turns the second factor off; the password is asked again.
#[post("/profile/totp/disable")]
async fn disable(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<DisableInput>,
) -> Result<HttpResponse, AppError> {
    let person = has_password(&state, &user).await?;
    // Guessing the password here counts like guessing it at sign-in.
    let attempt = begin_attempt(&state, &person.email, user.client_addr.as_deref()).await?;
    let Ok(attempt_id) = attempt else {
        return Ok(redirect("/profile?notice=totp-password"));
    };
    if !state
        .hasher
        .verify(input.password, person.password_hash.clone())
        .await
    {
        state
            .db
            .run(move |conn| sign_in::attempt_failed(conn, &attempt_id))
            .await?;
        return Ok(redirect("/profile?notice=totp-password"));
    }
    let (caller, id, email) = (user.caller(None), user.id.clone(), person.email);
    state
        .db
        .run(move |conn| sign_in::turn_off_second_factor(conn, &caller, &id, &email))
        .await?;
    Ok(redirect("/profile?notice=totp-off"))
}
