//! `/operator/mail`: the mail queue for operators — how many messages are in each state,
//! the undeliverable ones with their last error, and a button that puts one back in the
//! queue (audited). The page speaks the reader's language (the catalogue's
//! `operator.ftl`, each state as `mail-status-<code>`); a mail's subject and its last
//! error are shown as they were stored.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CsrfForm, CurrentUser};
use crate::db::mail::{self, MailMessage};
use crate::domain::policy::handles_mail;
use crate::error::AppError;
use crate::routes::{PAGE_SIZE, Page, Pager, datetime, redirect, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue).service(retry);
}

struct Undeliverable {
    id: String,
    created: String,
    recipient: String,
    subject: String,
    attempts: i32,
    error: String,
}

#[derive(Template)]
#[template(path = "operator/mail.html")]
struct MailPage {
    page: Page,
    counts: Vec<(String, String)>,
    items: Vec<Undeliverable>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    notice: Option<String>,
    after: String,
}

/// Counts on the mail page stop here.
const COUNT_CAP: i64 = 10_000;

/// A mail state in the reader's language (`mail-status-<code>`, one for each of
/// `db::mail::STATUSES`); a state the list does not know is shown as it is.
fn status_label(status: &str) -> String {
    if mail::STATUSES.contains(&status) {
        crate::i18n::texts().t(&format!("mail-status-{status}"))
    } else {
        status.to_string()
    }
}

#[get("/operator/mail")]
async fn queue(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    if !handles_mail(&user.actor()) {
        return Err(AppError::Forbidden);
    }
    let after = (!query.after.is_empty()).then(|| query.after.clone());
    let on_first_page = after.is_none();
    let (counts, mut rows) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                mail::counts(conn, COUNT_CAP)?,
                mail::undeliverable(conn, after.as_deref(), PAGE_SIZE + 1)?,
            ))
        })
        .await?;
    let pager = Pager::keyset(
        "/operator/mail",
        &[],
        &mut rows,
        on_first_page,
        MailMessage::cursor,
    );
    render(&MailPage {
        page: Page::for_user(&user, "/operator/mail").with_notice(query.notice.as_deref()),
        counts: counts
            .into_iter()
            .map(|(s, n)| (status_label(s), crate::i18n::texts().capped(n)))
            .collect(),
        pager,
        items: rows
            .into_iter()
            .map(|m| Undeliverable {
                created: datetime(m.created_at),
                error: m.last_error.unwrap_or_default(),
                id: m.id,
                recipient: m.recipient,
                subject: m.subject,
                attempts: m.attempts,
            })
            .collect(),
    })
}

#[post("/operator/mail/{id}/retry")]
async fn retry(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    state
        .db
        .run(move |conn| crate::app::mail::retry(conn, &acting, &id))
        .await?;
    Ok(redirect("/operator/mail?notice=retried"))
}
