//! Agreements through the API: list and read the ones the token may see, the supplier
//! terminates, the institution side revokes; and the change feed by which a data
//! provider keeps its own copy of every agreement.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody};
use super::list::{ListQuery, MOST_PER_PAGE, page_size};
use super::requests::InstitutionOut;
use super::timestamps::utc;
use crate::app;
use crate::app::agreements::{EndRefusal, Ending, ReportLine};
use crate::db::agreement_changes::{AgreementNow, ChangeRow};
use crate::db::agreements::{AgreementDetail, AgreementFilter};
use crate::domain::AgreementStatus;
use crate::domain::request_form::format_date;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agreements").route(web::get().to(list)))
        .service(web::resource("/agreements/changes").route(web::get().to(changes)))
        .service(web::resource("/agreements/{id}").route(web::get().to(read)))
        .service(web::resource("/agreements/{id}/terminate").route(web::post().to(terminate)))
        .service(web::resource("/agreements/{id}/revoke").route(web::post().to(revoke)));
}

fn national(status: &str) -> String {
    AgreementStatus::parse(status)
        .map(|s| s.national_word().to_string())
        .unwrap_or_default()
}

/// An agreement in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementSummary {
    pub id: String,
    pub reference: String,
    /// `active`, `suspended`, `revoked`, `terminated` or `ended`.
    pub status: String,
    /// `GODKENDT`, `VENTER` or `SLETTET`.
    pub national_status: String,
    #[schema(format = Date)]
    pub valid_from: String,
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    pub created_at: String,
    pub institution_number: String,
    pub institution_name: String,
    pub service_name: String,
    pub supplier_name: String,
    /// The scopes it grants, in catalogue order.
    pub scopes: Vec<String>,
    /// Who approved it, and in which role.
    pub approved_by: String,
    pub approved_role: String,
    pub closed_at: Option<String>,
    /// The holds ("sat i bero") standing on it; `since` is left out in lists.
    pub holds: Vec<HoldOut>,
}

/// One side's hold on an agreement: while any stands, the agreement is `suspended`
/// (`VENTER`) and the access check answers no.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoldOut {
    /// `institution` or `supplier`.
    pub side: String,
    pub reason: String,
    pub since: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementPage {
    pub items: Vec<AgreementSummary>,
    pub next_cursor: Option<String>,
}

/// One scope of an agreement and the request that granted it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementScopeOut {
    pub code: String,
    pub sensitive: bool,
    pub granted_at: String,
    pub request_reference: String,
}

/// One agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementOut {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub national_status: String,
    #[schema(format = Date)]
    pub valid_from: String,
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    pub service_id: String,
    pub service_name: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub institution: InstitutionOut,
    /// Who approved it, and in which role.
    pub approved_by: String,
    pub approved_role: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Why it ended: the person's words or the reason the system gave, in the caller's language.
    pub close_reason: Option<String>,
    /// The code of a reason the system gave (e.g. `end-date-passed`); none for a person's own.
    pub close_reason_code: Option<String>,
    pub scopes: Vec<AgreementScopeOut>,
    /// The holds ("sat i bero") standing on it: each side lifts only its own.
    pub holds: Vec<HoldOut>,
}

fn summary(line: ReportLine) -> AgreementSummary {
    let (row, facts) = (line.row, line.facts);
    let holds = row
        .hold_reasons()
        .into_iter()
        .filter_map(|(side, reason)| {
            reason.map(|reason| HoldOut {
                side: side.as_str().to_string(),
                reason: reason.to_string(),
                since: None,
            })
        })
        .collect();
    AgreementSummary {
        holds,
        scopes: facts.scopes,
        approved_by: facts.approved_by_name,
        approved_role: facts.approved_role,
        closed_at: facts.closed_at.map(utc),
        national_status: national(&row.status),
        id: row.id,
        reference: row.reference,
        status: row.status,
        valid_from: format_date(row.starts_on),
        valid_until: row.ends_on.map(format_date),
        created_at: utc(row.created_at),
        institution_number: row.institution_number,
        institution_name: row.institution_name,
        service_name: row.service_name,
        supplier_name: row.supplier_name,
    }
}

pub(super) fn agreement_out(d: AgreementDetail) -> AgreementOut {
    let a = d.agreement;
    let reason = a.reason();
    let holds = a
        .holds()
        .into_iter()
        .map(|h| HoldOut {
            side: h.side.as_str().to_string(),
            reason: h.reason,
            since: Some(utc(h.since)),
        })
        .collect();
    AgreementOut {
        holds,
        national_status: national(&a.status),
        id: a.id,
        reference: a.reference,
        status: a.status,
        valid_from: format_date(a.starts_on),
        valid_until: a.ends_on.map(format_date),
        service_id: d.service.id,
        service_name: d.service.name,
        supplier_id: d.supplier.id,
        supplier_name: d.supplier.name,
        institution: InstitutionOut {
            number: d.institution.number,
            name: d.institution.name,
            municipality_code: d.institution.municipality_code,
        },
        approved_by: d.approved_by_name,
        approved_role: a.approved_role,
        created_at: utc(a.created_at),
        closed_at: a.closed_at.map(utc),
        close_reason: reason.as_ref().map(|x| crate::i18n::texts().reason(x)),
        close_reason_code: reason.and_then(|x| x.code()).map(str::to_string),
        scopes: d
            .scopes
            .into_iter()
            .map(|s| AgreementScopeOut {
                code: s.code,
                sensitive: s.sensitive,
                granted_at: utc(s.granted_at),
                request_reference: s.request_reference,
            })
            .collect(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgreementQuery {
    /// Only agreements in this state.
    status: Option<String>,
    /// Only agreements at this institution.
    institution: Option<String>,
}

/// The agreements the token may see, newest first, with their scopes and who approved
/// them: the agreements report.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements",
    params(AgreementQuery, ListQuery),
    responses(
        (status = 200, description = "A page of agreements", body = AgreementPage),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An access-check token", body = ErrorBody),
        (status = 422, description = "A filter cannot be used", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(call: ApiCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let query: AgreementQuery = call.query(&req, None)?;
    let paging: ListQuery = call.query(&req, Some("limit"))?;
    let limit = page_size(&call, &paging)?;
    if query
        .status
        .as_deref()
        .is_some_and(|s| AgreementStatus::parse(s).is_none())
    {
        return Err(call.error(Code::InvalidValue).at("status"));
    }
    let institution_number = match query.institution {
        Some(n) => Some(call.institution(&n, "institution")?),
        None => None,
    };
    let filter = AgreementFilter {
        status: query.status,
        institution_number,
    };
    let cursor = paging.cursor;
    let mut rows = call
        .run(move |conn| {
            app::agreements::report(conn, &acting, &filter, cursor.as_deref(), limit + 1)
        })
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|line| line.row.cursor())
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(AgreementPage {
        items: rows.into_iter().map(summary).collect(),
        next_cursor,
    }))
}

/// One agreement the token may see.
#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "agreements",
    params(("id" = String, Path, description = "The agreement's id")),
    responses(
        (status = 200, description = "The agreement", body = AgreementOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An access-check token", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn read(call: ApiCall, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = id.into_inner();
    let detail = call
        .run(move |conn| app::agreements::read(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(agreement_out(detail)))
}

/// Why an agreement ends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndingIn {
    /// Required to revoke (the supplier is shown it); optional to terminate.
    pub reason: Option<String>,
}

async fn end(
    call: ApiCall,
    id: String,
    ending: Ending,
    reason: String,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (asked, agreement_id) = (acting.clone(), id.clone());
    call.run(move |conn| app::agreements::end(conn, &asked, &agreement_id, ending, &reason))
        .await?
        .map_err(|refusal| match refusal {
            EndRefusal::ReasonRequired => call.error(Code::InvalidValue).at("/reason"),
            EndRefusal::AlreadyEnded(_) => call.error(Code::Conflict),
        })?;
    let detail = call
        .run(move |conn| app::agreements::read(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(agreement_out(detail)))
}

/// The supplier stops using an agreement.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/terminate", tag = "supplier",
    params(("id" = String, Path, description = "The agreement's id")),
    request_body = EndingIn,
    responses(
        (status = 200, description = "The agreement, terminated", body = AgreementOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not terminate it", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
        (status = 409, description = "It had already ended", body = ErrorBody),
        (status = 422, description = "The body cannot be read", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn terminate(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<EndingIn>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.0.reason.unwrap_or_default();
    end(call, id.into_inner(), Ending::Terminate, reason).await
}

/// The institution side withdraws its consent, with a reason.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/revoke", tag = "approver",
    params(("id" = String, Path, description = "The agreement's id")),
    request_body = EndingIn,
    responses(
        (status = 200, description = "The agreement, revoked", body = AgreementOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not revoke it", body = ErrorBody),
        (status = 404, description = "No such agreement for this token", body = ErrorBody),
        (status = 409, description = "It had already ended", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn revoke(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<EndingIn>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.0.reason.unwrap_or_default();
    end(call, id.into_inner(), Ending::Revoke, reason).await
}

/// An agreement as it stands now, in the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedAgreement {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub national_status: String,
    pub service_id: String,
    pub supplier_id: String,
    pub institution_number: String,
    pub scopes: Vec<String>,
    #[schema(format = Date)]
    pub valid_from: String,
    #[schema(format = Date)]
    pub valid_until: Option<String>,
}

/// One change to one agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    /// The feed position of this change; pass the last one seen as `after`.
    pub cursor: String,
    /// `created`, `extended`, `suspended`, `resumed`, `revoked`, `terminated`, `ended`
    /// or `moved`.
    pub change: String,
    pub occurred_at: String,
    /// The agreement as it stands now (later changes are in the feed too).
    pub agreement: FeedAgreement,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    pub items: Vec<Change>,
    /// Where to continue: the last item's cursor, or `after` again when nothing is new.
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeQuery {
    /// The `next_cursor` of the previous call; the feed's start when left out.
    after: Option<String>,
    /// Changes per page, 1–500 (500 when left out).
    limit: Option<i64>,
}

fn change(row: ChangeRow, agreements: &HashMap<String, AgreementNow>) -> Option<Change> {
    let now = agreements.get(&row.agreement_id)?;
    Some(Change {
        cursor: row.seq.to_string(),
        change: row
            .action
            .strip_prefix("agreement.")
            .unwrap_or(&row.action)
            .to_string(),
        occurred_at: utc(row.occurred_at),
        agreement: FeedAgreement {
            id: now.facts.id.clone(),
            reference: now.facts.reference.clone(),
            national_status: national(&now.facts.status),
            status: now.facts.status.clone(),
            service_id: now.service_id.clone(),
            supplier_id: now.supplier_id.clone(),
            institution_number: now.facts.institution_number.clone(),
            scopes: now.scopes.clone(),
            valid_from: format_date(now.facts.starts_on),
            valid_until: now.facts.ends_on.map(format_date),
        },
    })
}

/// Every agreement change in commit order, for an access-check token: poll with the last
/// `next_cursor` and nothing is skipped or repeated, whichever app server answers.
#[utoipa::path(get, path = "/api/v1/agreements/changes", tag = "access",
    params(ChangeQuery),
    responses(
        (status = 200, description = "The next changes", body = ChangePage),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an access-check token", body = ErrorBody),
        (status = 422, description = "A parameter cannot be used", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn changes(call: ApiCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let query: ChangeQuery = call.query(&req, Some("limit"))?;
    let after: i64 = match query.after.as_deref() {
        None | Some("") => 0,
        Some(text) => text
            .parse()
            .ok()
            .filter(|n: &i64| *n >= 0)
            .ok_or_else(|| call.error(Code::InvalidValue).at("after"))?,
    };
    let limit = match query.limit {
        None => MOST_PER_PAGE,
        Some(n) if (1..=MOST_PER_PAGE).contains(&n) => n,
        Some(_) => return Err(call.error(Code::InvalidValue).at("limit")),
    };
    let caller = call.caller.clone();
    let (rows, agreements) = call
        .run(move |conn| app::agreements::changes(conn, &caller, after, limit))
        .await?;
    let next_cursor = rows
        .last()
        .map(|r| r.seq.to_string())
        .unwrap_or_else(|| after.to_string());
    Ok(HttpResponse::Ok().json(ChangePage {
        items: rows
            .into_iter()
            .filter_map(|r| change(r, &agreements))
            .collect(),
        next_cursor,
    }))
}
