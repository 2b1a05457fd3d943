//! The operators' administration through the API, for an operator token: suppliers
//! (list, create with a CVR number that passes the modulus-11 check, verify and take the
//! verification back) with the permission `suppliers`, and the scope catalogue (list, add,
//! edit, retire and reinstate; a code never changes) with `scopes`. A supplier's services are run through
//! `administration`'s endpoints, which an operator token with `suppliers` also opens.
//! The same use cases as the operators' pages (`app::catalogue`), so the same rules and
//! the same audit rows.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::administration::refused;
use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody};
use crate::app::catalogue;
use crate::db::catalog::{Scope, Supplier};
use crate::domain::administration::{Problem, Problems, ScopeInput, SupplierInput};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/suppliers")
            .route(web::get().to(list_suppliers))
            .route(web::post().to(create_supplier)),
    )
    .service(web::resource("/suppliers/{supplier}").route(web::get().to(read_supplier)))
    .service(web::resource("/suppliers/{supplier}/verify").route(web::post().to(verify)))
    .service(web::resource("/suppliers/{supplier}/unverify").route(web::post().to(unverify)))
    .service(
        web::resource("/scopes")
            .route(web::get().to(list_scopes))
            .route(web::post().to(add_scope)),
    )
    .service(
        web::resource("/scopes/{code}")
            .route(web::get().to(read_scope))
            .route(web::post().to(update_scope)),
    )
    .service(web::resource("/scopes/{code}/retire").route(web::post().to(retire_scope)))
    .service(web::resource("/scopes/{code}/reinstate").route(web::post().to(reinstate_scope)));
}

/// A supplier of the portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueSupplier {
    pub id: String,
    pub name: String,
    /// The eight-digit CVR number.
    pub cvr: String,
    /// Only verified suppliers file requests.
    pub verified: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<Supplier> for CatalogueSupplier {
    fn from(s: Supplier) -> Self {
        Self {
            created_at: s
                .created_at
                .assume_utc()
                .format(&Rfc3339)
                .unwrap_or_default(),
            id: s.id,
            name: s.name,
            cvr: s.cvr,
            verified: s.verified,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueSuppliers {
    pub suppliers: Vec<CatalogueSupplier>,
}

/// A new supplier: a name and a CVR number (eight digits, spaces allowed, passing the
/// modulus-11 check). It starts unverified.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSupplier {
    pub name: String,
    pub cvr: String,
}

/// A scope of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueScope {
    /// Capitals, digits and `_`; it never changes.
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub description_da: String,
    pub description_en: String,
    /// A sensitive scope is marked to the approver.
    pub sensitive: bool,
    /// Lower comes first.
    pub sort_order: i32,
    /// A retired scope is no longer offered or accepted when filing; requests and
    /// agreements that name it keep it.
    pub retired: bool,
    /// How many requests and agreements name it (present in the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses: Option<i64>,
}

impl CatalogueScope {
    fn of(s: Scope, uses: Option<i64>) -> Self {
        Self {
            code: s.code,
            name_da: s.name_da,
            name_en: s.name_en,
            description_da: s.description_da,
            description_en: s.description_en,
            sensitive: s.sensitive,
            sort_order: s.sort_order,
            retired: s.retired_at.is_some(),
            uses,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueScopes {
    pub scopes: Vec<CatalogueScope>,
}

/// A scope as sent. Names and descriptions in both languages are required; `code` is
/// written in capitals, and taken from the path when editing; `sort_order` defaults to 0
/// and `sensitive` to false.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CatalogueScopeIn {
    #[serde(default)]
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub description_da: String,
    pub description_en: String,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub sort_order: i32,
}

impl CatalogueScopeIn {
    fn input(self) -> ScopeInput {
        ScopeInput {
            code: self.code,
            name_da: self.name_da,
            name_en: self.name_en,
            description_da: self.description_da,
            description_en: self.description_en,
            sensitive: if self.sensitive { "yes" } else { "" }.to_string(),
            sort_order: self.sort_order.to_string(),
        }
    }
}

/// A refused form: a code or CVR number already taken is a conflict at that field, any
/// other problem `invalid_value` with each in `problems`.
fn refused_form(call: &ApiCall, problems: &Problems) -> ApiError {
    match problems.iter().find(|(_, p)| *p == Problem::Taken) {
        Some((field, _)) => call.error(Code::Conflict).at(format!("/{field}")),
        None => refused(call, problems),
    }
}

/// Every supplier, in name order.
#[utoipa::path(get, path = "/api/v1/suppliers", tag = "operator",
    responses(
        (status = 200, description = "The suppliers", body = CatalogueSuppliers),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `suppliers`", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_suppliers(call: ApiCall) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let all = call
        .run(move |conn| catalogue::suppliers(conn, &acting))
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueSuppliers {
        suppliers: all.into_iter().map(CatalogueSupplier::from).collect(),
    }))
}

/// Creates a supplier, unverified.
#[utoipa::path(post, path = "/api/v1/suppliers", tag = "operator",
    request_body = NewSupplier,
    responses(
        (status = 201, description = "The new supplier", body = CatalogueSupplier),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `suppliers`", body = ErrorBody),
        (status = 409, description = "A supplier with this CVR number exists (`field` is `/cvr`)", body = ErrorBody),
        (status = 422, description = "A field was refused; `problems` names each", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create_supplier(
    call: ApiCall,
    body: ApiJson<NewSupplier>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let input = SupplierInput {
        name: body.0.name,
        cvr: body.0.cvr,
    };
    let created = call
        .run(
            move |conn| match catalogue::create_supplier(conn, &acting, &input)? {
                Ok(id) => Ok(Ok(catalogue::supplier(conn, &acting, &id)?)),
                Err(problems) => Ok(Err(problems)),
            },
        )
        .await?;
    match created {
        Ok(supplier) => Ok(HttpResponse::Created().json(CatalogueSupplier::from(supplier))),
        Err(problems) => Err(refused_form(&call, &problems)),
    }
}

/// One supplier.
#[utoipa::path(get, path = "/api/v1/suppliers/{supplier}", tag = "operator",
    params(("supplier" = String, Path, description = "The supplier's id")),
    responses(
        (status = 200, description = "The supplier", body = CatalogueSupplier),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `suppliers`", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn read_supplier(
    call: ApiCall,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = path.into_inner();
    let supplier = call
        .run(move |conn| catalogue::supplier(conn, &acting, &id))
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueSupplier::from(supplier)))
}

/// Sets whether a supplier is verified and answers it as it is now. Asking for what
/// already holds changes nothing and writes no audit row.
async fn set_verified(
    call: ApiCall,
    path: web::Path<String>,
    verified: bool,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let id = path.into_inner();
    let supplier = call
        .run(move |conn| {
            catalogue::set_verified(conn, &acting, &id, verified)?;
            catalogue::supplier(conn, &acting, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueSupplier::from(supplier)))
}

/// Verifies a supplier (its CVR number checked against the business register by the
/// operator): from now on it may file requests.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/verify", tag = "operator",
    params(("supplier" = String, Path, description = "The supplier's id")),
    responses(
        (status = 200, description = "The supplier, verified", body = CatalogueSupplier),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `suppliers`", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn verify(call: ApiCall, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    set_verified(call, path, true).await
}

/// Takes a supplier's verification back: it files no more requests until verified again.
/// What it filed and its agreements stay as they are.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/unverify", tag = "operator",
    params(("supplier" = String, Path, description = "The supplier's id")),
    responses(
        (status = 200, description = "The supplier, no longer verified", body = CatalogueSupplier),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `suppliers`", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn unverify(call: ApiCall, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    set_verified(call, path, false).await
}

/// The scope catalogue, in its order, with how many requests and agreements name each.
#[utoipa::path(get, path = "/api/v1/scopes", tag = "operator",
    responses(
        (status = 200, description = "The catalogue", body = CatalogueScopes),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_scopes(call: ApiCall) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let all = call
        .run(move |conn| catalogue::scopes(conn, &acting))
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueScopes {
        scopes: all
            .into_iter()
            .map(|(scope, uses)| CatalogueScope::of(scope, Some(uses)))
            .collect(),
    }))
}

/// Adds a scope to the catalogue.
#[utoipa::path(post, path = "/api/v1/scopes", tag = "operator",
    request_body = CatalogueScopeIn,
    responses(
        (status = 201, description = "The new scope", body = CatalogueScope),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
        (status = 409, description = "The code is taken (`field` is `/code`)", body = ErrorBody),
        (status = 422, description = "A field was refused; `problems` names each", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn add_scope(
    call: ApiCall,
    body: ApiJson<CatalogueScopeIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let input = body.0.input();
    let added = call
        .run(
            move |conn| match catalogue::add_scope(conn, &acting, &input)? {
                Ok(code) => Ok(Ok(catalogue::scope(conn, &acting, &code)?)),
                Err(problems) => Ok(Err(problems)),
            },
        )
        .await?;
    match added {
        Ok(scope) => Ok(HttpResponse::Created().json(CatalogueScope::of(scope, None))),
        Err(problems) => Err(refused_form(&call, &problems)),
    }
}

/// One scope.
#[utoipa::path(get, path = "/api/v1/scopes/{code}", tag = "operator",
    params(("code" = String, Path, description = "The scope's code")),
    responses(
        (status = 200, description = "The scope", body = CatalogueScope),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
        (status = 404, description = "No such scope", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn read_scope(call: ApiCall, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let code = path.into_inner();
    let scope = call
        .run(move |conn| catalogue::scope(conn, &acting, &code))
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueScope::of(scope, None)))
}

/// Edits a scope: its names, descriptions, sensitivity and order, as sent. The code
/// stays the path's, whatever the body says.
#[utoipa::path(post, path = "/api/v1/scopes/{code}", tag = "operator",
    params(("code" = String, Path, description = "The scope's code")),
    request_body = CatalogueScopeIn,
    responses(
        (status = 200, description = "The scope as it is now", body = CatalogueScope),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
        (status = 404, description = "No such scope", body = ErrorBody),
        (status = 422, description = "A field was refused; `problems` names each", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn update_scope(
    call: ApiCall,
    path: web::Path<String>,
    body: ApiJson<CatalogueScopeIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let code = path.into_inner();
    let input = body.0.input();
    let updated = call
        .run(
            move |conn| match catalogue::update_scope(conn, &acting, &code, &input)? {
                Ok(_) => Ok(Ok(catalogue::scope(conn, &acting, &code)?)),
                Err(problems) => Ok(Err(problems)),
            },
        )
        .await?;
    match updated {
        Ok(scope) => Ok(HttpResponse::Ok().json(CatalogueScope::of(scope, None))),
        Err(problems) => Err(refused_form(&call, &problems)),
    }
}

async fn set_retired(
    call: ApiCall,
    path: web::Path<String>,
    retired: bool,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let code = path.into_inner();
    let scope = call
        .run(move |conn| {
            catalogue::set_scope_retired(conn, &acting, &code, retired)?;
            catalogue::scope(conn, &acting, &code)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CatalogueScope::of(scope, None)))
}

/// Retires a scope: from now on it is not offered when filing and a filing that names
/// it is refused (`retired_scope`). Requests and agreements that name it keep it. A
/// scope already retired stays so.
#[utoipa::path(post, path = "/api/v1/scopes/{code}/retire", tag = "operator",
    params(("code" = String, Path, description = "The scope's code")),
    responses(
        (status = 200, description = "The scope, retired", body = CatalogueScope),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
        (status = 404, description = "No such scope", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn retire_scope(
    call: ApiCall,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    set_retired(call, path, true).await
}

/// Takes a scope's retirement back: it is offered and accepted when filing again.
#[utoipa::path(post, path = "/api/v1/scopes/{code}/reinstate", tag = "operator",
    params(("code" = String, Path, description = "The scope's code")),
    responses(
        (status = 200, description = "The scope, offered again", body = CatalogueScope),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not an operator token with `scopes`", body = ErrorBody),
        (status = 404, description = "No such scope", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn reinstate_scope(
    call: ApiCall,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    set_retired(call, path, false).await
}
