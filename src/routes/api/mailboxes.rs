//! Shared mailboxes and approver rights through the API, for approvers' robots: list the
//! mailboxes the token's person keeps, register one, remove one (an approver token made
//! with the `mailboxes` permission), and read who holds approver rights at the
//! institutions the person covers (paged by institution number: `limit`, `cursor`,
//! `next_cursor`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody};
use super::list::{ListQuery, page_size};
use super::timestamps::utc;
use crate::app;
use crate::app::mailboxes::MailboxForm;
use crate::db::approver_rights::{Holder, InForce};
use crate::db::mailboxes::Mailbox;
use crate::domain::keyset;
use crate::domain::mailbox::{MailboxOwner, MailboxProblem};
use crate::domain::request_form::format_date;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/mailboxes")
            .route(web::get().to(list))
            .route(web::post().to(add)),
    )
    .service(web::resource("/mailboxes/{id}/remove").route(web::post().to(remove)))
    .service(web::resource("/approvers").route(web::get().to(approvers)));
}

/// A shared mailbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxOut {
    pub id: String,
    pub email: String,
    pub label: Option<String>,
    /// Set for an institution's mailbox.
    pub institution_number: Option<String>,
    /// Set for a municipality's own mailbox.
    pub municipality_code: Option<String>,
    /// `da` or `en`: the language of its mail.
    pub language: String,
    /// What it receives: `new_requests`, `reminders` (reminders and escalations),
    /// `outcomes` (withdrawn and lapsed requests, ended agreements).
    pub kinds: Vec<String>,
    pub created_at: String,
}

fn mailbox_out(m: Mailbox) -> MailboxOut {
    MailboxOut {
        kinds: m
            .kinds()
            .kinds()
            .iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        created_at: utc(m.created_at),
        id: m.id,
        email: m.email,
        label: m.label,
        institution_number: m.institution_number,
        municipality_code: m.municipality_code,
        language: m.language,
    }
}

/// Whose mailboxes the person keeps, and those mailboxes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxList {
    /// Institutions whose mailboxes the person keeps (their staff).
    pub institutions: Vec<String>,
    /// Municipalities whose own mailboxes the person keeps (their officers).
    pub municipalities: Vec<String>,
    pub items: Vec<MailboxOut>,
}

/// A mailbox to register: for one institution or one municipality (exactly one of the
/// two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxIn {
    pub institution_number: Option<String>,
    pub municipality_code: Option<String>,
    pub email: String,
    pub label: Option<String>,
    /// `da` (the default) or `en`.
    pub language: Option<String>,
    /// `new_requests`, `reminders`, `outcomes`; at least one.
    pub kinds: Vec<String>,
}

/// The shared mailboxes the token's person keeps.
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "approver",
    responses(
        (status = 200, description = "The mailboxes", body = MailboxList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The person keeps no mailboxes", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(call: ApiCall) -> Result<HttpResponse, ApiError> {
    let actor = call.acting()?.actor;
    let overview = call
        .run(move |conn| app::mailboxes::overview(conn, &actor))
        .await?;
    if overview.owners.is_empty() {
        return Err(call.error(Code::Forbidden));
    }
    let (mut institutions, mut municipalities) = (Vec::new(), Vec::new());
    for o in overview.owners {
        match o.owner {
            MailboxOwner::Institution(n) => institutions.push(n),
            MailboxOwner::Municipality(m) => municipalities.push(m),
        }
    }
    Ok(HttpResponse::Ok().json(MailboxList {
        institutions,
        municipalities,
        items: overview.mailboxes.into_iter().map(mailbox_out).collect(),
    }))
}

/// Registers a shared mailbox for an institution (its staff) or a municipality (its
/// officers); it receives the chosen notifications at once, never as a digest.
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "approver",
    request_body = MailboxIn,
    responses(
        (status = 201, description = "The mailbox, registered", body = MailboxOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not keep this owner's mailboxes", body = ErrorBody),
        (status = 404, description = "No such institution or municipality", body = ErrorBody),
        (status = 409, description = "The owner already has this address", body = ErrorBody),
        (status = 422, description = "A field is missing or cannot be used", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn add(call: ApiCall, body: ApiJson<MailboxIn>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let body = body.0;
    let owner = match (&body.institution_number, &body.municipality_code) {
        (Some(n), None) => MailboxOwner::Institution(call.institution(n, "/institution_number")?),
        (None, Some(m)) => MailboxOwner::Municipality(m.trim().to_string()),
        _ => return Err(call.error(Code::InvalidField).at("/institution_number")),
    };
    let form = MailboxForm {
        email: body.email,
        label: body.label.unwrap_or_default(),
        language: body.language.unwrap_or_default(),
        kinds: body.kinds,
    };
    let id = call
        .run(move |conn| app::mailboxes::add(conn, &acting, &owner, &form))
        .await?
        .map_err(|problem| match problem {
            MailboxProblem::BadAddress => call.error(Code::InvalidValue).at("/email"),
            MailboxProblem::LabelTooLong => call.error(Code::InvalidValue).at("/label"),
            MailboxProblem::NoKinds => call.error(Code::InvalidValue).at("/kinds"),
            MailboxProblem::BadLanguage => call.error(Code::InvalidValue).at("/language"),
            MailboxProblem::AlreadyRegistered(_) => call.error(Code::Conflict).at("/email"),
        })?;
    let found = call
        .run(move |conn| Ok(crate::db::mailboxes::find(conn, &id)?))
        .await?
        .ok_or_else(|| call.error(Code::NotFound))?;
    Ok(HttpResponse::Created().json(mailbox_out(found)))
}

/// Removes a shared mailbox.
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/remove", tag = "approver",
    params(("id" = String, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox that was removed", body = MailboxOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not keep this mailbox's owner's mailboxes", body = ErrorBody),
        (status = 404, description = "No such mailbox", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn remove(call: ApiCall, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = id.into_inner();
    let removed = call
        .run(move |conn| app::mailboxes::remove(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(mailbox_out(removed)))
}

/// A person holding approver rights.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolderOut {
    pub name: String,
    pub email: String,
}

/// A delegation in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationOut {
    pub granted_by: String,
    /// The colleague deciding under it; none for a delegation to the municipality.
    pub granted_to: Option<String>,
    #[schema(format = Date)]
    pub valid_from: String,
    #[schema(format = Date)]
    pub valid_until: String,
}

/// A municipality's officers and their colleagues deciding under delegation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityApprovers {
    pub code: String,
    pub name: String,
    pub officers: Vec<HolderOut>,
    pub delegations: Vec<DelegationOut>,
}

/// Who decides at one institution.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionApprovers {
    pub number: String,
    pub name: String,
    pub ownership_code: String,
    pub municipality_code: String,
    pub staff: Vec<HolderOut>,
    /// Whether the municipality's officers decide here (kommunal, or delegated).
    pub officers_decide: bool,
    /// The institution's delegations to the municipality in force today.
    pub delegations: Vec<DelegationOut>,
}

/// A page of approver rights, by institution number: `municipalities` are those of this
/// page's institutions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApproverRights {
    pub municipalities: Vec<MunicipalityApprovers>,
    pub institutions: Vec<InstitutionApprovers>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

fn holders(h: Vec<Holder>) -> Vec<HolderOut> {
    h.into_iter()
        .map(|h| HolderOut {
            name: h.name,
            email: h.email,
        })
        .collect()
}

fn delegations(d: Vec<InForce>) -> Vec<DelegationOut> {
    d.into_iter()
        .map(|d| DelegationOut {
            granted_by: d.granted_by,
            granted_to: d.granted_to,
            valid_from: format_date(d.valid_from),
            valid_until: format_date(d.valid_until),
        })
        .collect()
}

/// Who holds approver rights at each institution the token's person covers, a page at a
/// time by institution number.
#[utoipa::path(get, path = "/api/v1/approvers", tag = "approver",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of approver rights", body = ApproverRights),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The person covers no institution", body = ErrorBody),
        (status = 422, description = "A limit out of range", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn approvers(call: ApiCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let actor = call.acting()?.actor;
    let paging: ListQuery = call.query(&req, Some("limit"))?;
    let limit = page_size(&call, &paging)?;
    // As every list: a cursor that is not ours reads from the start.
    let after = paging
        .cursor
        .as_deref()
        .and_then(|token| keyset::decode(token, 1))
        .and_then(|mut v| v.pop());
    let today = crate::db::now().date();
    let overview = call
        .run(move |conn| {
            app::approver_rights::overview(conn, &actor, today, after.as_deref(), limit)
        })
        .await?;
    let next_cursor = overview.next_after.map(|n| keyset::encode(&[n]));
    Ok(HttpResponse::Ok().json(ApproverRights {
        next_cursor,
        municipalities: overview
            .municipalities
            .into_iter()
            .map(|m| MunicipalityApprovers {
                code: m.code,
                name: m.name,
                officers: holders(m.officers),
                delegations: delegations(m.delegations),
            })
            .collect(),
        institutions: overview
            .institutions
            .into_iter()
            .map(|i| InstitutionApprovers {
                number: i.number,
                name: i.name,
                ownership_code: i.ownership_code,
                municipality_code: i.municipality_code,
                staff: holders(i.staff),
                officers_decide: i.officers_decide,
                delegations: delegations(i.delegations),
            })
            .collect(),
    }))
}
