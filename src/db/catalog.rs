//! The scope catalogue, suppliers and their services.

use crate::db::native::natively;
use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::schema::{scopes, services, suppliers};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scopes)]
pub struct Scope {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub description_da: String,
    pub sensitive: bool,
    pub sort_order: i32,
    pub description_en: String,
    /// When the operators retired it: no longer offered or accepted when filing, still
    /// shown wherever a request or agreement names it.
    pub retired_at: Option<PrimitiveDateTime>,
}

impl Scope {
    pub fn is_retired(&self) -> bool {
        self.retired_at.is_some()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = suppliers)]
pub struct Supplier {
    pub id: String,
    pub name: String,
    pub cvr: String,
    pub verified: bool,
    pub created_at: PrimitiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = services)]
pub struct Service {
    pub id: String,
    pub supplier_id: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub privacy_url: Option<String>,
    pub contact_email: Option<String>,
    pub status: String,
    pub created_at: PrimitiveDateTime,
}

/// The whole catalogue, retired scopes too (for showing what requests and agreements name).
pub fn scopes(conn: &mut DbConnection) -> QueryResult<Vec<Scope>> {
    natively!(conn, |c| scopes::table
        .order((scopes::sort_order, scopes::code))
        .select(Scope::as_select())
        .load(c))
}

/// The scopes a filing may ask for: the catalogue without its retired scopes.
pub fn offered_scopes(conn: &mut DbConnection) -> QueryResult<Vec<Scope>> {
    scopes::table
        .filter(scopes::retired_at.is_null())
        .order((scopes::sort_order, scopes::code))
        .select(Scope::as_select())
        .load(conn)
}

/// Active services of the given suppliers, by name.
pub fn active_services_of(
    conn: &mut DbConnection,
    supplier_ids: &[String],
) -> QueryResult<Vec<Service>> {
    services::table
        .filter(services::supplier_id.eq_any(supplier_ids))
        .filter(services::status.eq("active"))
        .order(services::name)
        .select(Service::as_select())
        .load(conn)
}

pub fn service_with_supplier(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(Service, Supplier)>> {
    services::table
        .inner_join(suppliers::table)
        .filter(services::id.eq(id))
        .select((Service::as_select(), Supplier::as_select()))
        .first(conn)
        .optional()
}

pub fn supplier(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Supplier>> {
    suppliers::table
        .find(id)
        .select(Supplier::as_select())
        .first(conn)
        .optional()
}

/// Every supplier, by name (for filters).
pub fn suppliers(conn: &mut DbConnection) -> QueryResult<Vec<Supplier>> {
    natively!(conn, |c| suppliers::table
        .order(suppliers::name)
        .select(Supplier::as_select())
        .load(c))
}
