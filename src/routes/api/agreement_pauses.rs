//! Holds ("sat i bero", the national portal's VENTER) through the API: an approver's token
//! with `revoke` suspends one agreement with a reason and resumes it; a supplier's token
//! with `terminate` pauses every open agreement of one of its services and resumes them.
//! Each side lifts only its own hold. A supplier's token with `file` renews an agreement.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::agreements::{AgreementOut, agreement_out};
use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody};
use crate::app;
use crate::app::agreement_pauses::PauseRefusal;
use crate::db::agreement_pauses::ServiceChange;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agreements/{id}/suspend").route(web::post().to(suspend)))
        .service(web::resource("/agreements/{id}/resume").route(web::post().to(resume)))
        .service(web::resource("/services/{id}/pause").route(web::post().to(pause_service)))
        .service(web::resource("/services/{id}/resume").route(web::post().to(resume_service)))
        .service(web::resource("/agreements/{id}/renew").route(web::post().to(renew)));
}

/// Why an agreement or a service is put on hold.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldIn {
    /// Required to put on a hold (the other side is shown it); ignored to resume.
    pub reason: Option<String>,
}

fn refused(call: &ApiCall, refusal: PauseRefusal) -> ApiError {
    match refusal {
        PauseRefusal::ReasonRequired => call.error(Code::InvalidValue).at("/reason"),
        PauseRefusal::NotOpen(_)
        | PauseRefusal::AlreadyHeld
        | PauseRefusal::NotHeld
        | PauseRefusal::NothingToChange => call.error(Code::Conflict),
    }
}

async fn answer(call: &ApiCall, id: String) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let detail = call
        .run(move |conn| app::agreements::read(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(agreement_out(detail)))
}

/// The institution side puts an agreement on hold, with a reason: the access check
/// answers no until it is resumed.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/suspend", tag = "approver",
    params(("id" = String, Path, description = "The agreement's id")),
    request_body = HoldIn,
    responses(
        (status = 200, description = "The agreement, on hold", body = AgreementOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not put it on hold", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
        (status = 409, description = "It is on hold by this side already, or has ended", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn suspend(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<HoldIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (id, reason) = (id.into_inner(), body.0.reason.unwrap_or_default());
    let agreement = id.clone();
    call.run(move |conn| app::agreement_pauses::suspend(conn, &acting, &agreement, &reason))
        .await?
        .map_err(|r| refused(&call, r))?;
    answer(&call, id).await
}

/// The institution side lifts its hold; the agreement is `active` again unless the
/// supplier holds it too.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/resume", tag = "approver",
    params(("id" = String, Path, description = "The agreement's id")),
    request_body = HoldIn,
    responses(
        (status = 200, description = "The agreement, with its remaining holds", body = AgreementOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not resume it", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
        (status = 409, description = "This side holds no hold on it, or it has ended", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn resume(
    call: ApiCall,
    id: web::Path<String>,
    _body: ApiJson<HoldIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = id.into_inner();
    let agreement = id.clone();
    call.run(move |conn| app::agreement_pauses::resume(conn, &acting, &agreement))
        .await?
        .map_err(|r| refused(&call, r))?;
    answer(&call, id).await
}

/// One agreement a service-wide hold changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldAgreement {
    pub id: String,
    pub reference: String,
    pub institution_number: String,
}

/// What pausing or resuming a service changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceHoldOut {
    pub service_id: String,
    /// The agreements whose supplier hold was put on or lifted.
    pub agreements: Vec<HeldAgreement>,
}

fn service_out(service_id: String, change: ServiceChange) -> ServiceHoldOut {
    ServiceHoldOut {
        service_id,
        agreements: change
            .agreements
            .into_iter()
            .map(|(id, reference, institution_number, _)| HeldAgreement {
                id,
                reference,
                institution_number,
            })
            .collect(),
    }
}

/// The supplier puts every open agreement of one of its services on hold, with a reason.
#[utoipa::path(post, path = "/api/v1/services/{id}/pause", tag = "supplier",
    params(("id" = String, Path, description = "The service's id")),
    request_body = HoldIn,
    responses(
        (status = 200, description = "The agreements put on hold", body = ServiceHoldOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token sees the service but may not put it on hold", body = ErrorBody),
        (status = 404, description = "No such service for this token", body = ErrorBody),
        (status = 409, description = "No open agreement left to put on hold", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn pause_service(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<HoldIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (id, reason) = (id.into_inner(), body.0.reason.unwrap_or_default());
    let service = id.clone();
    let change = call
        .run(move |conn| app::agreement_pauses::pause_service(conn, &acting, &service, &reason))
        .await?
        .map_err(|r| refused(&call, r))?;
    Ok(HttpResponse::Ok().json(service_out(id, change)))
}

/// The supplier lifts its hold on a service's agreements; those the institution side does
/// not hold are `active` again.
#[utoipa::path(post, path = "/api/v1/services/{id}/resume", tag = "supplier",
    params(("id" = String, Path, description = "The service's id")),
    request_body = HoldIn,
    responses(
        (status = 200, description = "The agreements whose hold was lifted", body = ServiceHoldOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token sees the service but may not resume it", body = ErrorBody),
        (status = 404, description = "No such service for this token", body = ErrorBody),
        (status = 409, description = "The supplier holds none of its agreements", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn resume_service(
    call: ApiCall,
    id: web::Path<String>,
    _body: ApiJson<HoldIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = id.into_inner();
    let service = id.clone();
    let change = call
        .run(move |conn| app::agreement_pauses::resume_service(conn, &acting, &service))
        .await?
        .map_err(|r| refused(&call, r))?;
    Ok(HttpResponse::Ok().json(service_out(id, change)))
}

/// The renewal's new period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalIn {
    /// The new end date (`YYYY-MM-DD`), after the current one; none for open-ended.
    #[schema(format = Date)]
    pub valid_until: Option<String>,
}

/// The renewal request filed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalOut {
    pub request_id: String,
    pub reference: String,
    /// The agreement it renews.
    pub renews_agreement_id: String,
}

/// The supplier files the renewal of an open agreement: a request with its service,
/// scopes and purpose and the new end date. Approving it moves the same agreement's end.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/renew", tag = "supplier",
    params(("id" = String, Path, description = "The agreement's id")),
    request_body = RenewalIn,
    responses(
        (status = 201, description = "The renewal request, pending", body = RenewalOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not renew it", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
        (status = 409, description = "It has ended, or a request for it is pending", body = ErrorBody),
        (status = 422, description = "The end date cannot be used", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn renew(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<RenewalIn>,
) -> Result<HttpResponse, ApiError> {
    use crate::app::renewals::RenewRefusal;
    let acting = call.acting()?;
    let id = id.into_inner();
    let until = match body.0.valid_until.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            crate::domain::request_form::parse_date(text)
                .ok_or_else(|| call.error(Code::InvalidValue).at("/valid_until"))?,
        ),
    };
    let agreement = id.clone();
    let (request_id, reference) = call
        .run(move |conn| app::renewals::renew(conn, &acting, &agreement, until))
        .await?
        .map_err(|r| match r {
            RenewRefusal::EndTooEarly => call.error(Code::InvalidValue).at("/valid_until"),
            RenewRefusal::AlreadyPending(_) | RenewRefusal::NotOpen(_) => {
                call.error(Code::Conflict)
            }
        })?;
    Ok(HttpResponse::Created().json(RenewalOut {
        request_id,
        reference,
        renews_agreement_id: id,
    }))
}
