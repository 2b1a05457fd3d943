//! The JSON API under `/api/v1`, for machines: data providers asking the access check,
//! suppliers' systems, approvers' robots and the operators' administration. Every call
//! carries an API token; handlers parse, call the use-case layer (`crate::app`) and answer
//! JSON or an [`error::ApiError`].
//! The document describing it all is [`openapi::ApiDoc`].

mod access;
mod agreement_pauses;
mod agreements;
mod call;
mod catalogue;
pub mod error;

mod administration;
mod list;
mod mailboxes;
pub mod openapi;
pub mod rate_limit;
mod requests;
mod timestamps;

use actix_web::{HttpRequest, web};

use error::{ApiError, Code};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .configure(openapi::configure)
            .configure(access::configure)
            .configure(requests::configure)
            .configure(agreements::configure)
            .configure(agreement_pauses::configure)
            .configure(administration::configure)
            .configure(catalogue::configure)
            .configure(mailboxes::configure)
            .default_service(web::to(not_found)),
    );
}

async fn not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::new(
        crate::routes::language::Language::of(&req),
        Code::NotFound,
    ))
}
