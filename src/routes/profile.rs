//! `/profile`: a person's own choices — the language of their mail (Danish or English)
//! and whether they get a mail per event or one daily digest.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CsrfForm, CurrentUser};
use crate::db::users;
use crate::error::AppError;
use crate::routes::{Page, redirect, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(save);
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    page: Page,
    email: String,
    english: bool,
    digest: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    notice: Option<String>,
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
        .run(move |conn| -> Result<_, AppError> { Ok(users::find(conn, &id)?) })
        .await?;
    let person = found.ok_or(AppError::LoginRequired)?;
    render(&ProfilePage {
        page: Page::for_user(&user, "/profile").with_notice(query.notice.as_deref()),
        email: person.email,
        english: person.language == "en",
        digest: person.mail_digest,
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
    let language = match input.language.as_str() {
        "da" | "en" => input.language.clone(),
        _ => return Err(AppError::BadRequest("Vælg dansk eller engelsk.".into())),
    };
    let digest = match input.mail.as_str() {
        "immediate" => false,
        "digest" => true,
        _ => {
            return Err(AppError::BadRequest(
                "Vælg straks eller daglig oversigt.".into(),
            ));
        }
    };
    let id = user.id.clone();
    state
        .db
        .run(move |conn| -> Result<(), AppError> {
            Ok(users::set_mail_preferences(conn, &id, &language, digest)?)
        })
        .await?;
    Ok(redirect("/profile?notice=saved"))
}
