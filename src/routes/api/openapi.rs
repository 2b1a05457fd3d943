//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers and types, served
//! at `/api/v1/openapi.json`.

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{access, agreements, error, requests};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tilslutning API",
        version = "1",
        description = "Data-access requests and agreements between suppliers and Danish schools and daycare institutions. Every call carries an API token as `Authorization: Bearer tsk_…`; messages follow `Accept-Language` (da, en)."
    ),
    paths(
        access::check_one,
        access::check_many,
        requests::services,
        requests::list,
        requests::read,
        requests::file,
        requests::withdraw,
        requests::decide,
        requests::decide_many,
        agreements::list,
        agreements::read,
        agreements::terminate,
        agreements::revoke,
        agreements::changes,
    ),
    components(schemas(error::ErrorBody, error::Code)),
    modifiers(&BearerToken),
    tags(
        (name = "access", description = "The access check, for data providers"),
        (name = "supplier", description = "For suppliers' systems"),
        (name = "approver", description = "For approvers' robots"),
        (name = "requests", description = "Requests, for suppliers and approvers alike"),
        (name = "agreements", description = "Agreements, for suppliers and approvers alike"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token made on the portal's API-nøgler page"))
                    .build(),
            ),
        );
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/openapi.json").route(web::get().to(document)));
}

async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
