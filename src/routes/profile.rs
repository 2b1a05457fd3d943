//! `/profile`: a person's own choices — the language of their mail (Danish or English)
//! and whether they get a mail per event or one daily digest.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::accounts::{self, Language};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::users;
use crate::domain::password_rules::{self, MAX_LENGTH, MIN_LENGTH};
use crate::error::AppError;
use crate::routes::Notice;
use crate::routes::{Page, redirect, render, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(save).service(change_password);
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    page: Page,
    email: String,
    english: bool,
    digest: bool,
    password_error: Option<String>,
    /// Signs in with a password here (not only through the provider).
    local_account: bool,
    totp_on: bool,
    recovery_codes_left: i64,
}

#[get("/profile")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    let id = user.id.clone();
    let found = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let left = crate::db::second_factor::recovery_codes_left(conn, &id)?;
            Ok(users::find(conn, &id)?.map(|p| (p, left)))
        })
        .await?;
    let (person, recovery_codes_left) = found.ok_or(AppError::LoginRequired)?;
    render(&ProfilePage {
        page: Page::for_user(&user, "/profile").with_notice(query.notice.as_deref()),
        email: person.email,
        english: person.language == "en",
        digest: person.mail_digest,
        password_error: None,
        local_account: person.password_hash.is_some(),
        totp_on: person.totp_secret.is_some(),
        recovery_codes_left,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Choices {
    language: String,
    mail: String,
}

#[post("/profile")]
async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<Choices>,
) -> Result<HttpResponse, AppError> {
    let tx = crate::i18n::texts();
    let Some(language) = Language::from_code(&input.language) else {
        return Err(AppError::BadRequest(tx.t("profile-choose-language")));
    };
    let digest = match input.mail.as_str() {
        "immediate" => false,
        "digest" => true,
        _ => {
            return Err(AppError::BadRequest(tx.t("profile-choose-mail")));
        }
    };
    let acting = user.acting();
    state
        .db
        .run(move |conn| accounts::save_preferences(conn, &acting, language, digest))
        .await?;
    Ok(redirect("/profile?notice=saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordChange {
    current: String,
    new: String,
    repeat: String,
}

/// Changes the password: the current one must be right, the new one must pass the rules;
/// every session of the person ends and this browser gets a fresh one.
#[post("/profile/password")]
async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<PasswordChange>,
) -> Result<HttpResponse, AppError> {
    let tx = crate::i18n::texts();
    let id = user.id.clone();
    let person = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(users::find(conn, &id)?) })
        .await?
        .ok_or(AppError::LoginRequired)?;
    let refuse = |message: String| {
        render_with(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &ProfilePage {
                page: Page::for_user(&user, "/profile"),
                email: person.email.clone(),
                english: person.language == "en",
                digest: person.mail_digest,
                password_error: Some(message),
                local_account: person.password_hash.is_some(),
                totp_on: person.totp_secret.is_some(),
                recovery_codes_left: 0,
            },
        )
    };
    if !state
        .hasher
        .verify(input.current.clone(), person.password_hash.clone())
        .await
    {
        return refuse(tx.t("password-current-wrong"));
    }
    if let Some(problem) = password_rules::problem(&input.new, &person.email) {
        return refuse(tx.with(
            problem.key(),
            &[("min", MIN_LENGTH.into()), ("max", MAX_LENGTH.into())],
        ));
    }
    if input.new != input.repeat {
        return refuse(tx.t("password-mismatch"));
    }
    let new = input.new;
    let hash = state.hasher.hash(new).await?;
    let acting = user.acting();
    let token = state
        .db
        .run(move |conn| accounts::change_password(conn, &acting, &hash))
        .await?;
    let mut response = redirect("/profile?notice=password");
    response
        .add_cookie(&crate::auth::session::session_cookie(
            &token,
            state.settings.secure_cookies(),
        ))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}
