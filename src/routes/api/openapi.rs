//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers and types, served
//! at `/api/v1/openapi.json`.

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    access, administration, agreement_pauses, agreements, catalogue, error, mailboxes, requests,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tilslutning API",
        version = "1",
        description = "Data-access requests and agreements between suppliers and Danish schools and daycare institutions. Every call carries an API token as `Authorization: Bearer tsk_…`; every error answers `{\"code\", \"message\", \"field\"}`. `code` is stable across releases and is what a program should read; `message` is for a person and follows `Accept-Language` (`da` or `en`, Danish when neither is asked for), and the answer says which in `Content-Language`. The same holds for each `problems[].code` and `problems[].message`."
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
        agreement_pauses::suspend,
        agreement_pauses::resume,
        agreement_pauses::pause_service,
        agreement_pauses::resume_service,
        agreement_pauses::renew,
        administration::list_services,
        administration::create_service,
        administration::update_service,
        administration::retire_service,
        administration::list_colleagues,
        administration::invite_colleague,
        administration::remove_colleague,
        mailboxes::list,
        mailboxes::add,
        mailboxes::remove,
        mailboxes::approvers,
        catalogue::list_suppliers,
        catalogue::create_supplier,
        catalogue::read_supplier,
        catalogue::verify,
        catalogue::unverify,
        catalogue::list_scopes,
        catalogue::add_scope,
        catalogue::read_scope,
        catalogue::update_scope,
        catalogue::retire_scope,
        catalogue::reinstate_scope,
        administration::change_colleague_role,
    ),
    components(schemas(error::ErrorBody, error::Code)),
    modifiers(&BearerToken, &EveryCallMayWait),
    tags(
        (name = "access", description = "The access check, for data providers"),
        (name = "supplier", description = "For suppliers' systems"),
        (name = "approver", description = "For approvers' robots"),
        (name = "operator", description = "For the operators' administration: suppliers and the scope catalogue"),
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

/// Any call may be told to wait: 429 when its token has used its calls for the minute,
/// 503 when the database cannot be reached. Both carry `Retry-After`.
struct EveryCallMayWait;

impl Modify for EveryCallMayWait {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, HeaderBuilder, Ref, ResponseBuilder, Type};
        let wait = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(Some(
                            utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer),
                        ))
                        .description(Some("Seconds to wait before calling again"))
                        .build(),
                )
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                let answers = &mut operation.responses.responses;
                answers.insert(
                    "429".into(),
                    wait("The token has made too many calls this minute").into(),
                );
                answers.insert("503".into(), wait("The database cannot be reached").into());
            }
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/openapi.json").route(web::get().to(document)));
}

async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
