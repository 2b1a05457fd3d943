//! Choosing a password from a mailed link: "forgot password" asks for a reset link
//! (`/password/forgot`), a reset link sets a new password (`/password/reset/{token}`),
//! an invitation sets the first one (`/invitation/{token}`). Links are single-use and
//! expire; the answer to "forgot password" never tells whether an account exists.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, redirect, render_with};
use crate::app::accounts;
use crate::auth::CsrfForm;
use crate::auth::session::visitor_caller;
use crate::db::account_tokens::{self, Purpose};
use crate::db::users;
use crate::domain::password_rules::{self, MAX_LENGTH, MIN_LENGTH};
use crate::error::AppError;
use crate::startup::AppState;

/// Reset links a person can be sent per hour; more asks are answered but not mailed.
const RESETS_PER_HOUR: i64 = 3;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(forgot_form)
        .service(forgot)
        .service(reset_form)
        .service(reset)
        .service(invitation_form)
        .service(accept_invitation);
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    page: Page,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "password_choose.html")]
struct ChoosePage {
    page: Page,
    invitation: bool,
    action: String,
    email: String,
    error: Option<String>,
    /// The link was used, has expired or never existed.
    dead_link: bool,
}

/// Renders a page for a visitor, with a CSRF token and, if new, the anonymous cookie.
fn visitor_page<T: Template>(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    build: impl FnOnce(Page) -> T,
) -> Result<HttpResponse, AppError> {
    let (csrf, cookie) = crate::auth::csrf::for_visitor(
        req,
        &state.settings.session_key,
        state.settings.secure_cookies(),
    );
    let mut page = Page::anonymous();
    page.csrf = csrf;
    let mut response = render_with(status, &build(page))?;
    if let Some(cookie) = cookie {
        response.add_cookie(&cookie).map_err(anyhow::Error::from)?;
    }
    Ok(response)
}

#[get("/password/forgot")]
async fn forgot_form(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    visitor_page(&req, &state, StatusCode::OK, |page| ForgotPage {
        page,
        email: String::new(),
        error: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotInput {
    email: String,
}

#[post("/password/forgot")]
async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(input): CsrfForm<ForgotInput>,
) -> Result<HttpResponse, AppError> {
    let email = users::normalise_email(&input.email);
    if !email.contains('@') {
        return visitor_page(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, |page| {
            ForgotPage {
                error: Some(page.tx.t("forgot-no-email")),
                page,
                email: input.email,
            }
        });
    }
    let base_url = state.settings.base_url.clone();
    let caller = visitor_caller(&req, None);
    state
        .db
        .run(move |conn| {
            accounts::request_password_reset(conn, &caller, &base_url, &email, RESETS_PER_HOUR)
        })
        .await?;
    Ok(redirect("/login?notice=reset-sent"))
}

/// The email of the person a live link is for.
async fn link_owner(
    state: &AppState,
    token: String,
    purpose: Purpose,
) -> Result<Option<String>, AppError> {
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let Some(user_id) = account_tokens::peek(conn, &token, purpose)? else {
                return Ok(None);
            };
            Ok(users::find(conn, &user_id)?
                .filter(|u| u.is_active())
                .map(|u| u.email))
        })
        .await
}

async fn choose_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: String,
    purpose: Purpose,
) -> Result<HttpResponse, AppError> {
    let invitation = purpose == Purpose::Invitation;
    let action = action_of(purpose, &token);
    let owner = link_owner(&state, token, purpose).await?;
    let status = if owner.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    visitor_page(&req, &state, status, |page| ChoosePage {
        page,
        invitation,
        action,
        dead_link: owner.is_none(),
        email: owner.unwrap_or_default(),
        error: None,
    })
}

fn action_of(purpose: Purpose, token: &str) -> String {
    match purpose {
        Purpose::Invitation => format!("/invitation/{token}"),
        Purpose::PasswordReset => format!("/password/reset/{token}"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChooseInput {
    password: String,
    repeat: String,
}

/// Sets the password from a live link: checks the rules, uses the link up, ends every
/// session of the person, and sends them to sign in.
async fn choose(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: String,
    purpose: Purpose,
    input: ChooseInput,
) -> Result<HttpResponse, AppError> {
    let invitation = purpose == Purpose::Invitation;
    let action = action_of(purpose, &token);
    let Some(email) = link_owner(&state, token.clone(), purpose).await? else {
        return choose_form(req, state, token, purpose).await;
    };
    let tx = crate::i18n::texts();
    let problem = password_rules::problem(&input.password, &email)
        .map(|p| {
            tx.with(
                p.key(),
                &[("min", MIN_LENGTH.into()), ("max", MAX_LENGTH.into())],
            )
        })
        .or_else(|| (input.password != input.repeat).then(|| tx.t("password-mismatch")));
    if let Some(problem) = problem {
        return visitor_page(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, |page| {
            ChoosePage {
                page,
                invitation,
                action,
                email,
                error: Some(problem),
                dead_link: false,
            }
        });
    }
    let password = input.password;
    let hash = state.hasher.hash(password).await?;
    let caller = visitor_caller(&req, None);
    let done = state
        .db
        .run(move |conn| accounts::set_password_from_link(conn, &caller, &token, purpose, &hash))
        .await?;
    if !done {
        return Ok(redirect(&action));
    }
    Ok(redirect("/login?notice=password-set"))
}

#[get("/password/reset/{token}")]
async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    choose_form(req, state, token.into_inner(), Purpose::PasswordReset).await
}

#[post("/password/reset/{token}")]
async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    CsrfForm(input): CsrfForm<ChooseInput>,
) -> Result<HttpResponse, AppError> {
    choose(
        req,
        state,
        token.into_inner(),
        Purpose::PasswordReset,
        input,
    )
    .await
}

#[get("/invitation/{token}")]
async fn invitation_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    choose_form(req, state, token.into_inner(), Purpose::Invitation).await
}

#[post("/invitation/{token}")]
async fn accept_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    CsrfForm(input): CsrfForm<ChooseInput>,
) -> Result<HttpResponse, AppError> {
    choose(req, state, token.into_inner(), Purpose::Invitation, input).await
}
