//! Requests through the API: suppliers' systems list their services, file (one request
//! per institution, national size in one call), follow and withdraw requests; approvers'
//! robots list what they may decide, read one and decide it. Everything goes through the
//! same use cases, with the same rules, as the pages.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::access::AgreementRef;
use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody, Problem};
use super::list::{ListQuery, page_size};
use crate::app;
use crate::app::requests::{DecisionForm, DecisionProblem, FormRefusal, Refusal};
use crate::db::requests::{ListFilter, RequestDetail, RequestRow, RequestScope};
use crate::domain::RequestStatus;
use crate::domain::request_form::{FieldProblem, FormErrors, RequestFormInput, format_date};
use crate::routes::api::timestamps::utc;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/services").route(web::get().to(services)))
        .service(
            web::resource("/requests")
                .route(web::get().to(list))
                .route(web::post().to(file)),
        )
        .service(web::resource("/requests/decisions").route(web::post().to(decide_many)))
        .service(web::resource("/requests/{id}").route(web::get().to(read)))
        .service(web::resource("/requests/{id}/withdraw").route(web::post().to(withdraw)))
        .service(web::resource("/requests/{id}/decision").route(web::post().to(decide)));
}

/// A service a supplier files requests for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceOut {
    pub id: String,
    pub name: String,
    pub description: String,
    pub supplier_id: String,
}

/// The services the token's supplier files for, and the data scopes a filing may ask for.
#[derive(Debug, Serialize, ToSchema)]
pub struct Services {
    pub items: Vec<ServiceOut>,
    pub scopes: Vec<CatalogScope>,
}

/// A data scope a filing may ask for.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogScope {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    /// A filing asking for it must give `sensitive_reason`.
    pub sensitive: bool,
}

/// One scope of a request, and whether it was granted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeOut {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub sensitive: bool,
    /// `true` granted, `false` refused, `null` not yet decided.
    pub granted: Option<bool>,
    /// Why the approver did not grant it, as they wrote it (a scope left out of an
    /// approval); `null` otherwise.
    pub refusal_reason: Option<String>,
}

/// A request in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestSummary {
    pub id: String,
    pub reference: String,
    /// `pending`, `approved`, `rejected`, `withdrawn` or `lapsed`.
    pub status: String,
    /// The national portal's word: `VENTER`, `GODKENDT` or `SLETTET`.
    pub national_status: String,
    /// `new` or `extension`.
    pub kind: String,
    pub filed_at: String,
    pub institution: InstitutionOut,
    pub service_name: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub scopes: Vec<ScopeOut>,
}

/// An institution as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionOut {
    pub number: String,
    pub name: String,
    pub municipality_code: String,
}

/// A page of requests and the cursor of the next one (`null` on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    pub next_cursor: Option<String>,
}

/// One request with its decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub national_status: String,
    pub kind: String,
    pub batch_id: String,
    pub service: ServiceOut,
    pub supplier_name: String,
    pub institution: InstitutionOut,
    pub purpose: String,
    pub sensitive_reason: Option<String>,
    #[schema(format = Date)]
    pub wished_start: String,
    #[schema(format = Date)]
    pub wished_end: Option<String>,
    pub message: Option<String>,
    pub filed_at: String,
    pub decided_at: Option<String>,
    /// The reason given with a rejection, the comment with an approval, or the reason the
    /// system gave (a lapse), in the caller's language.
    pub decision_reason: Option<String>,
    /// The code of a reason the system gave (e.g. `institution-closed`); none for a person's own.
    pub decision_reason_code: Option<String>,
    pub scopes: Vec<ScopeOut>,
    /// The agreement the request created or extended.
    pub agreement: Option<AgreementRef>,
    /// The agreement a renewal renews (approving it moves that agreement's end date).
    pub renews: Option<AgreementRef>,
}

fn scope_out(s: RequestScope) -> ScopeOut {
    ScopeOut {
        code: s.code,
        name_da: s.name_da,
        name_en: s.name_en,
        sensitive: s.sensitive,
        granted: s.granted,
        refusal_reason: s.refusal_reason,
    }
}

fn national(status: &str) -> String {
    RequestStatus::parse(status)
        .map(|s| s.national_word().to_string())
        .unwrap_or_default()
}

fn summary(row: RequestRow, scopes: &mut HashMap<String, Vec<RequestScope>>) -> RequestSummary {
    RequestSummary {
        national_status: national(&row.status),
        scopes: scopes
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .map(scope_out)
            .collect(),
        id: row.id,
        reference: row.reference,
        status: row.status,
        kind: row.kind,
        filed_at: utc(row.filed_at),
        institution: InstitutionOut {
            number: row.institution_number,
            name: row.institution_name,
            municipality_code: row.municipality_code,
        },
        service_name: row.service_name,
        supplier_id: row.supplier_id,
        supplier_name: row.supplier_name,
    }
}

fn request_out(d: RequestDetail) -> RequestOut {
    let r = d.request;
    let reason = r.reason();
    RequestOut {
        national_status: national(&r.status),
        id: r.id,
        reference: r.reference,
        status: r.status,
        kind: r.kind,
        batch_id: r.batch_id,
        service: ServiceOut {
            id: d.service.id,
            name: d.service.name,
            description: d.service.description,
            supplier_id: d.supplier.id,
        },
        supplier_name: d.supplier.name,
        institution: InstitutionOut {
            number: d.institution.number,
            name: d.institution.name,
            municipality_code: d.institution.municipality_code,
        },
        purpose: r.purpose,
        sensitive_reason: r.sensitive_reason,
        wished_start: format_date(r.wished_start),
        wished_end: r.wished_end.map(format_date),
        message: r.message,
        filed_at: utc(r.filed_at),
        decided_at: r.decided_at.map(utc),
        decision_reason: reason.as_ref().map(|x| crate::i18n::texts().reason(x)),
        decision_reason_code: reason.and_then(|x| x.code()).map(str::to_string),
        scopes: d.scopes.into_iter().map(scope_out).collect(),
        agreement: d
            .agreement
            .map(|(id, reference)| AgreementRef { id, reference }),
        renews: d
            .renews
            .map(|(id, reference)| AgreementRef { id, reference }),
    }
}

/// The services the token's supplier files for.
#[utoipa::path(get, path = "/api/v1/services", tag = "supplier",
    responses(
        (status = 200, description = "The supplier's active services", body = Services),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a supplier token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn services(call: ApiCall) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let suppliers = crate::domain::policy::filing_suppliers(&acting.actor);
    if suppliers.is_empty() {
        return Err(call.error(Code::Forbidden));
    }
    let (found, scopes) = call
        .run(move |conn| {
            Ok((
                crate::db::catalog::active_services_of(conn, &suppliers)?,
                crate::db::catalog::offered_scopes(conn)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Services {
        scopes: scopes
            .into_iter()
            .map(|s| CatalogScope {
                code: s.code,
                name_da: s.name_da,
                name_en: s.name_en,
                sensitive: s.sensitive,
            })
            .collect(),
        items: found
            .into_iter()
            .map(|s| ServiceOut {
                id: s.id,
                name: s.name,
                description: s.description,
                supplier_id: s.supplier_id,
            })
            .collect(),
    }))
}

/// The request filters of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Only requests in this state.
    status: Option<String>,
    /// Only requests at this institution.
    institution: Option<String>,
    /// `true`: only requests the token may decide (for approvers' robots).
    decidable: Option<bool>,
}

/// The requests the token may see, newest first (with `decidable=true`: the pending ones
/// it may decide, a klynge's units together).
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests",
    params(RequestQuery, ListQuery),
    responses(
        (status = 200, description = "A page of requests", body = RequestPage),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An access-check token", body = ErrorBody),
        (status = 422, description = "A filter cannot be used", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(call: ApiCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let query: RequestQuery = call.query(&req, Some("decidable"))?;
    let paging: ListQuery = call.query(&req, Some("limit"))?;
    let limit = page_size(&call, &paging)?;
    let decidable = query.decidable.unwrap_or(false);
    let status = match (query.status, decidable) {
        (Some(s), _) if RequestStatus::parse(&s).is_none() => {
            return Err(call.error(Code::InvalidValue).at("status"));
        }
        (Some(s), _) => Some(s),
        (None, true) => Some(RequestStatus::Pending.as_str().to_string()),
        (None, false) => None,
    };
    let institution_number = match query.institution {
        Some(n) => Some(call.institution(&n, "institution")?),
        None => None,
    };
    let filter = ListFilter {
        status,
        institution_number,
        by_klynge: decidable,
        ..ListFilter::default()
    };
    let cursor = paging.cursor.clone();
    let (filter_for_page, asked) = (filter.clone(), filter);
    let (rows, mut scopes) = call
        .run(move |conn| {
            app::requests::list(
                conn,
                &acting,
                &asked,
                decidable,
                cursor.as_deref(),
                limit + 1,
            )
        })
        .await?;
    let mut rows = rows;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.cursor(&filter_for_page))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(RequestPage {
        items: rows.into_iter().map(|r| summary(r, &mut scopes)).collect(),
        next_cursor,
    }))
}

/// One request the token may see.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests",
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request", body = RequestOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An access-check token", body = ErrorBody),
        (status = 404, description = "No such request for this token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn read(call: ApiCall, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = id.into_inner();
    let detail = call
        .run(move |conn| app::requests::read(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(request_out(detail)))
}

/// A filing: one request per institution (a daycare institution stands for its units).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    pub service: String,
    pub scopes: Vec<String>,
    /// Institution numbers, up to 10,000.
    pub institutions: Vec<String>,
    pub purpose: String,
    /// Required when a sensitive scope is asked for.
    pub sensitive_reason: Option<String>,
    /// The first day the access is wished for; today when left out.
    #[schema(format = Date)]
    pub wished_start: Option<String>,
    #[schema(format = Date)]
    pub wished_end: Option<String>,
    /// A message to the approver.
    pub message: Option<String>,
}

/// One request a filing made.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledRequest {
    pub id: String,
    pub reference: String,
    pub institution: String,
    pub kind: String,
}

/// What a filing made.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledBatch {
    pub batch_id: String,
    pub requests: Vec<FiledRequest>,
}

/// Where a form field's problem points in a filing's JSON body.
fn pointer_of_field(field: &str) -> &'static str {
    match field {
        "service_id" => "/service",
        "scopes" => "/scopes",
        "purpose" => "/purpose",
        "sensitive_reason" => "/sensitive_reason",
        "wished_start" => "/wished_start",
        "wished_end" => "/wished_end",
        "message" => "/message",
        _ => "/institutions",
    }
}

fn refused_form(call: &ApiCall, errors: FormErrors) -> ApiError {
    let mut problems: Vec<Problem> = errors
        .fields
        .iter()
        .map(|(field, problem)| match problem {
            // A retired scope is named as such, in the caller's language: the code alone
            // would read as a typing mistake.
            FieldProblem::RetiredScope => Problem {
                code: problem.code().into(),
                message: call.language.texts().t("field-retired-scope"),
                field: pointer_of_field(field).into(),
                institution: None,
            },
            _ => Problem {
                code: Code::InvalidValue.as_str().into(),
                message: Code::InvalidValue.message(call.language),
                field: pointer_of_field(field).into(),
                institution: None,
            },
        })
        .collect();
    problems.extend(errors.lines.iter().map(|l| Problem {
        code: l.problem.code().into(),
        message: crate::routes::line_problems::sentence(l, call.language),
        field: format!("/institutions/{}", l.line.saturating_sub(1)),
        institution: Some(l.text.clone()),
    }));
    let mut e = if errors.fields.is_empty() {
        call.error(Code::LinesRefused).at("/institutions")
    } else {
        call.error(Code::InvalidValue)
            .at(pointer_of_field(errors.fields[0].0))
    };
    e.problems = problems;
    e
}

/// Files one request per institution for one of the supplier's services, with the same
/// checks as the page; refused institutions are each named, and then nothing is filed.
#[utoipa::path(post, path = "/api/v1/requests", tag = "supplier",
    request_body = Filing,
    responses(
        (status = 201, description = "The requests made", body = FiledBatch),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not file for this service, or the supplier is not verified yet (`supplier_not_verified`)", body = ErrorBody),
        (status = 422, description = "A field or some institutions were refused", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn file(call: ApiCall, body: ApiJson<Filing>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let filing = body.0;
    if filing.institutions.len() > crate::domain::request_form::MAX_INSTITUTIONS {
        return Err(call.error(Code::TooMany).at("/institutions"));
    }
    if let Some(i) = filing
        .institutions
        .iter()
        .position(|n| n.contains(['\n', '\r']))
    {
        return Err(call
            .error(Code::InvalidValue)
            .at(format!("/institutions/{i}")));
    }
    let today = crate::db::now().date();
    let input = RequestFormInput {
        service_id: filing.service,
        scopes: filing.scopes,
        purpose: filing.purpose,
        sensitive_reason: filing.sensitive_reason.unwrap_or_default(),
        wished_start: filing.wished_start.unwrap_or_else(|| format_date(today)),
        wished_end: filing.wished_end.unwrap_or_default(),
        message: filing.message.unwrap_or_default(),
        // One number per line, so a line number is the position in the list plus one.
        institutions: filing
            .institutions
            .iter()
            .map(|n| if n.trim().is_empty() { "-" } else { n.as_str() })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let cutoff = call.a_number_cutoff();
    let filed = call
        .run(move |conn| app::requests::file_form(conn, &acting, &input, today, cutoff))
        .await?;
    match filed {
        Ok(filed) => Ok(HttpResponse::build(StatusCode::CREATED).json(FiledBatch {
            batch_id: filed.batch_id,
            requests: filed
                .requests
                .into_iter()
                .map(|(id, reference, institution, kind)| FiledRequest {
                    id,
                    reference,
                    institution,
                    kind,
                })
                .collect(),
        })),
        Err(FormRefusal::UnknownService) => Err(call.error(Code::UnknownService).at("/service")),
        Err(FormRefusal::Form(errors)) => Err(refused_form(&call, errors)),
        Err(FormRefusal::SupplierNotVerified) => Err(call.error(Code::SupplierNotVerified)),
    }
}

fn conflict(call: &ApiCall, refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::AlreadyDecided(_) => call.error(Code::Conflict),
        Refusal::Invalid(DecisionProblem::NoRefusalReason) => call
            .error(Code::RefusalReasonRequired)
            .at("/refusal_reasons"),
        Refusal::Invalid(problem) => call.error(Code::InvalidValue).at(match problem {
            DecisionProblem::NoDecision => "/decision",
            DecisionProblem::NoScopeChosen | DecisionProblem::ScopeNotRequested => "/scopes",
            DecisionProblem::NoReason => "/reason",
            DecisionProblem::NoRefusalReason => "/refusal_reasons",
        }),
    }
}

async fn answer_with_request(
    call: &ApiCall,
    acting: app::Acting,
    id: String,
) -> Result<HttpResponse, ApiError> {
    let detail = call
        .run(move |conn| app::requests::read(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(request_out(detail)))
}

/// The supplier withdraws a pending request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/withdraw", tag = "supplier",
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request, withdrawn", body = RequestOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not withdraw it", body = ErrorBody),
        (status = 404, description = "No such request for this token", body = ErrorBody),
        (status = 409, description = "It is no longer pending", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn withdraw(call: ApiCall, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (id, asked, again) = (id.into_inner(), acting.clone(), acting);
    let request_id = id.clone();
    call.run(move |conn| app::requests::withdraw(conn, &asked, &request_id))
        .await?
        .map_err(|r| conflict(&call, r))?;
    answer_with_request(&call, again, id).await
}

/// A decision: approve all or some of the scopes (with an optional comment), or reject
/// with a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// `approve` or `reject`.
    pub decision: String,
    /// The scopes granted; all the request asks for when left out of an approval.
    pub scopes: Option<Vec<String>>,
    /// Required to reject (the supplier is shown it); a comment with an approval.
    pub reason: Option<String>,
    /// Approving only some scopes: for each requested scope left out of `scopes`, its code
    /// and the reason it is not granted (the supplier is shown it). Required for every
    /// scope left out (`refusal_reason_required` otherwise, its `field` the JSON pointer to
    /// the first such scope's entry, e.g. `/refusal_reasons/CPR`); a whole rejection has
    /// only `reason`.
    pub refusal_reasons: Option<HashMap<String, String>>,
}

/// The approver decides a pending request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/decision", tag = "approver",
    params(("id" = String, Path, description = "The request's id")),
    request_body = DecisionIn,
    responses(
        (status = 200, description = "The request, decided", body = RequestOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token may not decide it", body = ErrorBody),
        (status = 404, description = "No such request for this token", body = ErrorBody),
        (status = 409, description = "Someone decided it first", body = ErrorBody),
        (status = 422, description = "The decision cannot be carried out (`refusal_reason_required`: a scope left out has no reason; `field` is `/refusal_reasons/{scope code}`)", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn decide(
    call: ApiCall,
    id: web::Path<String>,
    body: ApiJson<DecisionIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let decision = body.0;
    let (id, asked, again) = (id.into_inner(), acting.clone(), acting);
    let request_id = id.clone();
    let form = DecisionForm {
        decision: decision.decision,
        all_scopes: decision.scopes.is_none(),
        scopes: decision.scopes.unwrap_or_default(),
        reason: decision.reason.unwrap_or_default(),
        refusal_reasons: decision
            .refusal_reasons
            .unwrap_or_default()
            .into_iter()
            .collect(),
    };
    let (decided, unreasoned) = call
        .run(move |conn| {
            let decided = app::requests::decide(conn, &asked, &request_id, &form)?;
            // A scope left out without a reason: the error points at that scope's entry.
            let mut unreasoned = None;
            if let Err(Refusal::Invalid(DecisionProblem::NoRefusalReason)) = &decided {
                let detail = app::requests::read(conn, &asked, &request_id)?;
                let requested: Vec<String> = detail.scopes.iter().map(|s| s.code.clone()).collect();
                unreasoned = form.missing_refusal_reasons(&requested).into_iter().next();
            }
            Ok((decided, unreasoned))
        })
        .await?;
    decided.map_err(|r| match (r, unreasoned) {
        (Refusal::Invalid(DecisionProblem::NoRefusalReason), Some(scope)) => call
            .error(Code::RefusalReasonRequired)
            .at(refusal_reason_pointer(&scope)),
        (r, _) => conflict(&call, r),
    })?;
    answer_with_request(&call, again, id).await
}

/// The JSON pointer (RFC 6901) to the reason for `scope` in a decision's body.
fn refusal_reason_pointer(scope: &str) -> String {
    format!(
        "/refusal_reasons/{}",
        scope.replace('~', "~0").replace('/', "~1")
    )
}

/// Many decisions at once: the requests named, or every pending one the token may decide
/// (at one institution, if named). Scopes marked sensitive are granted only for requests
/// listed under `confirm_sensitive`; the others stay pending, as on the page.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkDecisionIn {
    /// `approve` (every scope asked for) or `reject`.
    pub decision: String,
    /// Required to reject; a comment with an approval.
    pub reason: Option<String>,
    /// The requests to decide; leave out and set `all_matching` for every pending one.
    pub ids: Option<Vec<String>>,
    /// Every pending request the token may decide (at `institution`, if given).
    pub all_matching: Option<bool>,
    pub institution: Option<String>,
    /// Requests whose sensitive scopes the approver has read and confirms.
    pub confirm_sensitive: Option<Vec<String>>,
}

/// What a bulk decision came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionOut {
    pub decided: i64,
    /// No longer pending, or not this token's to decide.
    pub skipped: i64,
    /// Left pending: they carry sensitive scopes that were not confirmed.
    pub sensitive_left: i64,
}

/// Decides many pending requests in one step, each as far as the token may.
#[utoipa::path(post, path = "/api/v1/requests/decisions", tag = "approver",
    request_body = BulkDecisionIn,
    responses(
        (status = 200, description = "How many were decided, skipped and left", body = BulkDecisionOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token decides nothing", body = ErrorBody),
        (status = 422, description = "The decision cannot be carried out", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn decide_many(
    call: ApiCall,
    body: ApiJson<BulkDecisionIn>,
) -> Result<HttpResponse, ApiError> {
    use crate::app::bulk_decisions::{BulkChoice, BulkCommand};
    use crate::db::requests::Decision;
    let acting = call.acting()?;
    let input = body.0;
    let reason = input.reason.unwrap_or_default().trim().to_string();
    let decision = match input.decision.as_str() {
        "approve" => Decision::ApproveAll {
            comment: Some(reason),
        },
        "reject" if reason.is_empty() => {
            return Err(call.error(Code::InvalidValue).at("/reason"));
        }
        "reject" => Decision::Reject { reason },
        _ => return Err(call.error(Code::InvalidValue).at("/decision")),
    };
    let choice = match (input.ids, input.all_matching.unwrap_or(false)) {
        (Some(ids), false) if !ids.is_empty() => BulkChoice::Selected(ids),
        (None, true) => BulkChoice::AllMatching,
        _ => return Err(call.error(Code::InvalidValue).at("/ids")),
    };
    let institution_number = match input.institution {
        Some(n) => Some(call.institution(&n, "/institution")?),
        None => None,
    };
    let command = BulkCommand {
        choice,
        filter: ListFilter {
            status: Some(RequestStatus::Pending.as_str().to_string()),
            institution_number,
            by_klynge: true,
            ..ListFilter::default()
        },
        decision,
        confirmed_sensitive: input.confirm_sensitive.unwrap_or_default(),
    };
    let outcome = call
        .run(move |conn| app::requests::bulk_decide(conn, &acting, &command))
        .await?;
    Ok(HttpResponse::Ok().json(BulkDecisionOut {
        decided: outcome.decided,
        skipped: outcome.skipped,
        sensitive_left: outcome.sensitive_left,
    }))
}

#[cfg(test)]
mod pointer_tests {
    #[test]
    fn a_scope_code_is_escaped_as_a_json_pointer_token() {
        assert_eq!(super::refusal_reason_pointer("CPR"), "/refusal_reasons/CPR");
        assert_eq!(
            super::refusal_reason_pointer("a/b~c"),
            "/refusal_reasons/a~1b~0c"
        );
    }
}
