//! `POST /agreements/{id}/renew`: the supplier renews an agreement in one click from its
//! page (the new end date prefilled a year on); the renewal request goes to the approvers
//! and the supplier lands on it. `POST /agreements/{id}/rerequest`: an agreement that
//! ended because its institution closed is asked for again at the successor number, as a
//! lapsed request is.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use crate::app;
use crate::app::renewals::RenewRefusal;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::AppError;
use crate::routes::agreement_pauses::refused_page;
use crate::routes::redirect;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(renew).service(rerequest);
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RenewInput {
    /// The new end date (dd-mm-åååå or åååå-mm-dd); empty for open-ended.
    until: String,
}

#[post("/agreements/{id}/renew")]
async fn renew(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<RenewInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let tx = crate::i18n::texts();
    let typed = input.until.trim().to_string();
    let until = if typed.is_empty() {
        None
    } else {
        match crate::domain::request_form::parse_typed_date(&typed) {
            Some(date) => Some(date),
            None => {
                let message = tx.t("renew-date-invalid");
                return refused_page(&state, &user, id, StatusCode::UNPROCESSABLE_ENTITY, |p| {
                    p.renew_until = typed;
                    p.renew_error = Some(message);
                })
                .await;
            }
        }
    };
    let (acting, agreement) = (user.acting(), id.clone());
    let outcome = state
        .db
        .run(move |conn| app::renewals::renew(conn, &acting, &agreement, until))
        .await?;
    let (status, message) = match outcome {
        Ok((request_id, _)) => {
            return Ok(redirect(&format!(
                "/requests/{request_id}?notice=renewal-filed"
            )));
        }
        Err(RenewRefusal::EndTooEarly) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tx.t("renew-end-too-early"),
        ),
        Err(RenewRefusal::AlreadyPending(reference)) => (
            StatusCode::CONFLICT,
            tx.a("renew-already-pending", "reference", &reference),
        ),
        Err(RenewRefusal::NotOpen(s)) => (
            StatusCode::CONFLICT,
            tx.a(
                "agreement-already-ended",
                "status",
                &tx.agreement_status(s.as_str()),
            ),
        ),
    };
    refused_page(&state, &user, id, status, |p| {
        p.renew_until = typed;
        p.renew_error = Some(message);
    })
    .await
}

/// Files the ended agreement's service, scopes and purpose again at the successor of its
/// closed institution.
#[post("/agreements/{id}/rerequest")]
async fn rerequest(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (acting, agreement) = (user.acting(), id.clone());
    let (detail, origin) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let detail = app::agreements::read(conn, &acting, &agreement)?;
            let origin = crate::db::requests::summary(conn, &detail.agreement.request_id)?
                .ok_or(AppError::NotFound)?;
            Ok((detail, origin))
        })
        .await?;
    let Some(successor) = crate::routes::agreement_pauses::rerequest_at(&user.actor(), &detail)
    else {
        return Err(AppError::Forbidden);
    };
    let today = crate::db::now().date();
    let draft = crate::domain::request_form::RequestDraft {
        service_id: detail.service.id.clone(),
        scopes: detail.scopes.iter().map(|s| s.code.clone()).collect(),
        purpose: origin.request.purpose.clone(),
        sensitive_reason: origin.request.sensitive_reason.clone(),
        wished_start: today,
        wished_end: detail.agreement.ends_on.filter(|end| *end > today),
        message: origin.request.message.clone(),
        numbers: Vec::new(),
    };
    match crate::routes::requests::file_again_at(&state, &user, draft, &successor).await? {
        Ok(filed) => Ok(filed),
        Err(message) => {
            refused_page(&state, &user, id, StatusCode::UNPROCESSABLE_ENTITY, |p| {
                p.renew_error = Some(message);
            })
            .await
        }
    }
}
