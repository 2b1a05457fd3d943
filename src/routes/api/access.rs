//! `GET /api/v1/access` and `POST /api/v1/access`: may a service read a scope at an
//! institution on a day? One pair by query, or many institutions and scopes in one call.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody};
use crate::app::access::{self, AccessProblem, Answer, MOST_PAIRS, Question};
use crate::domain::request_form::{format_date as iso, parse_date as parse_iso};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/access")
            .route(web::get().to(check_one))
            .route(web::post().to(check_many)),
    );
}

/// The pair to ask about.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessQuery {
    /// The service's id.
    #[param(required = true)]
    service: Option<String>,
    /// The data scope's code, e.g. `STAMDATA`.
    #[param(required = true)]
    scope: Option<String>,
    /// The institution number (six characters).
    #[param(required = true)]
    institution: Option<String>,
    /// The day asked about, `YYYY-MM-DD`; today when left out.
    on: Option<String>,
}

/// Many institutions and scopes for one service, in one call.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessBatch {
    /// The service's id.
    service: String,
    /// The data scopes' codes.
    scopes: Vec<String>,
    /// The institution numbers.
    institutions: Vec<String>,
    /// The day asked about, `YYYY-MM-DD`; today when left out.
    #[schema(format = Date)]
    on: Option<String>,
}

/// A reference to an agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementRef {
    pub id: String,
    /// The agreement's reference as people quote it (`AFT-…`).
    pub reference: String,
}

/// The answer for one institution and scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessAnswer {
    pub allowed: bool,
    pub institution: String,
    pub scope: String,
    /// The institution's agreement with the service: the open one, or else its latest.
    pub agreement: Option<AgreementRef>,
    /// The agreement's state (`active`, `suspended`, `revoked`, `terminated`, `ended`).
    pub status: Option<String>,
    /// The national portal's word for that state (`GODKENDT`, `VENTER`, `SLETTET`).
    pub national_status: Option<String>,
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    /// The last day of the agreement, when it has one.
    #[schema(format = Date)]
    pub valid_until: Option<String>,
}

/// The answers for a batch, institution by institution, scope by scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessAnswers {
    pub service: String,
    #[schema(format = Date)]
    pub on: String,
    pub results: Vec<AccessAnswer>,
}

fn answer(a: Answer) -> AccessAnswer {
    let status = a.status();
    AccessAnswer {
        allowed: a.allowed,
        institution: a.institution_number,
        scope: a.scope,
        status: status.map(|s| s.as_str().to_string()),
        national_status: status.map(|s| s.national_word().to_string()),
        valid_from: a.agreement.as_ref().map(|g| iso(g.starts_on)),
        valid_until: a.agreement.as_ref().and_then(|g| g.ends_on.map(iso)),
        agreement: a.agreement.map(|g| AgreementRef {
            id: g.id,
            reference: g.reference,
        }),
    }
}

/// Asks the question; a mistyped service or scope is a 422 at `service_field` or
/// `scope_field`.
async fn ask(
    call: &ApiCall,
    question: Question,
    service_field: &'static str,
    scope_field: impl Fn(&str) -> String,
) -> Result<Vec<AccessAnswer>, ApiError> {
    let caller = call.caller.clone();
    let scopes = question.scopes.clone();
    let answered = call
        .run(move |conn| access::check(conn, &caller, &question))
        .await?;
    match answered {
        Ok(answers) => Ok(answers.into_iter().map(answer).collect()),
        Err(AccessProblem::UnknownService) => {
            Err(call.error(Code::UnknownService).at(service_field))
        }
        Err(AccessProblem::UnknownScope(scope)) => {
            let at = scopes.iter().position(|s| *s == scope).unwrap_or(0);
            Err(call
                .error(Code::UnknownScope)
                .at(scope_field(&at.to_string())))
        }
    }
}

fn the_day(call: &ApiCall, on: Option<&str>, field: &str) -> Result<Date, ApiError> {
    match on {
        None => Ok(crate::db::now().date()),
        Some(text) => parse_iso(text).ok_or_else(|| call.error(Code::InvalidValue).at(field)),
    }
}

/// May the service read the scope at the institution on the day?
#[utoipa::path(
    get,
    path = "/api/v1/access",
    tag = "access",
    params(AccessQuery),
    responses(
        (status = 200, description = "The answer", body = AccessAnswer),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an access-check token", body = ErrorBody),
        (status = 422, description = "A parameter is missing or cannot be used", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn check_one(call: ApiCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let query: AccessQuery = call.query(&req, None)?;
    let required = |value: Option<String>, field: &'static str| {
        value
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| call.error(Code::InvalidField).at(field))
    };
    let service = required(query.service, "service")?;
    let scope = required(query.scope, "scope")?;
    let number = required(query.institution, "institution")?;
    let number = call.institution(&number, "institution")?;
    let on = the_day(&call, query.on.as_deref(), "on")?;
    let question = Question {
        service_id: service,
        scopes: vec![scope],
        institution_numbers: vec![number],
        on,
    };
    let mut answers = ask(&call, question, "service", |_| "scope".into()).await?;
    let one = answers.pop().ok_or_else(|| call.error(Code::Internal))?;
    Ok(no_store().json(one))
}

/// The same question for many institutions and scopes of one service, up to 10,000 pairs.
#[utoipa::path(
    post,
    path = "/api/v1/access",
    tag = "access",
    request_body = AccessBatch,
    responses(
        (status = 200, description = "One answer per institution and scope", body = AccessAnswers),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an access-check token", body = ErrorBody),
        (status = 422, description = "A field is missing or cannot be used", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn check_many(
    call: ApiCall,
    body: ApiJson<AccessBatch>,
) -> Result<HttpResponse, ApiError> {
    let batch = body.0;
    if batch.scopes.is_empty() {
        return Err(call.error(Code::InvalidValue).at("/scopes"));
    }
    if batch.institutions.is_empty() {
        return Err(call.error(Code::InvalidValue).at("/institutions"));
    }
    if batch.scopes.len().saturating_mul(batch.institutions.len()) > MOST_PAIRS {
        return Err(call.error(Code::TooMany).at("/institutions"));
    }
    let numbers = batch
        .institutions
        .iter()
        .enumerate()
        .map(|(i, n)| call.institution(n, format!("/institutions/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let on = the_day(&call, batch.on.as_deref(), "/on")?;
    let service = batch.service.clone();
    let question = Question {
        service_id: batch.service,
        scopes: batch.scopes,
        institution_numbers: numbers,
        on,
    };
    let results = ask(&call, question, "/service", |i| format!("/scopes/{i}")).await?;
    Ok(no_store().json(AccessAnswers {
        service,
        on: iso(on),
        results,
    }))
}

fn no_store() -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    response
}
