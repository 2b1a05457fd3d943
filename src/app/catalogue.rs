//! The operators' administration of suppliers and the scope catalogue: creating a
//! supplier (name and a CVR number that passes the modulus-11 check), verifying it or
//! taking that back (only verified suppliers file requests), adding and editing scopes,
//! and retiring a scope or taking that back. Scopes are never removed: requests and
//! agreements refer to their codes; a retired one is only not offered for filing. The pages and
//! the API (an operator token with `suppliers` or `scopes`) both come here.

use super::{Acting, Error, Result};
use crate::db::catalog::{self, Scope, Supplier};
use crate::db::{DbConnection, scope_catalogue, suppliers, write_tx};
use crate::domain::Role;
use crate::domain::administration::{Problem, Problems, ScopeInput, SupplierInput};
use crate::domain::policy::{administers_scopes, administers_suppliers};

fn allowed(yes: bool) -> Result<()> {
    if yes { Ok(()) } else { Err(Error::Forbidden) }
}

fn keeps_suppliers(acting: &Acting) -> Result<()> {
    allowed(administers_suppliers(&acting.actor))
}

fn keeps_scopes(acting: &Acting) -> Result<()> {
    allowed(administers_scopes(&acting.actor))
}

pub fn suppliers(conn: &mut DbConnection, acting: &Acting) -> Result<Vec<Supplier>> {
    keeps_suppliers(acting)?;
    Ok(catalog::suppliers(conn)?)
}

/// Creates a supplier, unverified; its id, or the problems with the form.
pub fn create_supplier(
    conn: &mut DbConnection,
    acting: &Acting,
    input: &SupplierInput,
) -> Result<std::result::Result<String, Problems>> {
    keeps_suppliers(acting)?;
    let fields = match input.parse() {
        Ok(f) => f,
        Err(problems) => return Ok(Err(problems)),
    };
    let caller = acting.caller(Some(Role::Operator));
    let created = write_tx(conn, |conn| -> Result<Option<String>> {
        if suppliers::cvr_taken(conn, &fields.cvr)? {
            return Ok(None);
        }
        Ok(Some(suppliers::create(conn, &caller, &fields)?))
    });
    match created {
        Ok(Some(id)) => Ok(Ok(id)),
        Ok(None) => Ok(Err(vec![("cvr", Problem::Taken)])),
        Err(e) if e.is_unique_violation() => Ok(Err(vec![("cvr", Problem::Taken)])),
        Err(e) => Err(e),
    }
}

pub fn supplier(conn: &mut DbConnection, acting: &Acting, supplier_id: &str) -> Result<Supplier> {
    keeps_suppliers(acting)?;
    catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)
}

/// Verifies a supplier, or takes the verification back; `false` when it already was so.
pub fn set_verified(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    verified: bool,
) -> Result<bool> {
    keeps_suppliers(acting)?;
    catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)?;
    let caller = acting.caller(Some(Role::Operator));
    Ok(write_tx(conn, |conn| {
        suppliers::set_verified(conn, &caller, supplier_id, verified)
    })?)
}

/// The catalogue, with how many requests and agreements name each scope.
pub fn scopes(conn: &mut DbConnection, acting: &Acting) -> Result<Vec<(Scope, i64)>> {
    keeps_scopes(acting)?;
    let uses = scope_catalogue::uses_by_code(conn)?;
    Ok(catalog::scopes(conn)?
        .into_iter()
        .map(|scope| {
            let n = uses.get(&scope.code).copied().unwrap_or(0);
            (scope, n)
        })
        .collect())
}

pub fn scope(conn: &mut DbConnection, acting: &Acting, code: &str) -> Result<Scope> {
    keeps_scopes(acting)?;
    scope_catalogue::find(conn, code)?.ok_or(Error::NotFound)
}

/// Adds a scope; its code, or the problems (a taken code among them).
pub fn add_scope(
    conn: &mut DbConnection,
    acting: &Acting,
    input: &ScopeInput,
) -> Result<std::result::Result<String, Problems>> {
    keeps_scopes(acting)?;
    let fields = match input.parse() {
        Ok(f) => f,
        Err(problems) => return Ok(Err(problems)),
    };
    let caller = acting.caller(Some(Role::Operator));
    let added = write_tx(conn, |conn| scope_catalogue::add(conn, &caller, &fields));
    match added {
        Ok(true) => Ok(Ok(fields.code)),
        Ok(false) => Ok(Err(vec![("code", Problem::Taken)])),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(Err(vec![("code", Problem::Taken)])),
        Err(e) => Err(e.into()),
    }
}

/// Edits a scope (its code stays what it is, whatever the form says).
pub fn update_scope(
    conn: &mut DbConnection,
    acting: &Acting,
    code: &str,
    input: &ScopeInput,
) -> Result<std::result::Result<bool, Problems>> {
    let before = scope(conn, acting, code)?;
    let input = ScopeInput {
        code: code.to_string(),
        ..input.clone()
    };
    let fields = match input.parse() {
        Ok(f) => f,
        Err(problems) => return Ok(Err(problems)),
    };
    let caller = acting.caller(Some(Role::Operator));
    Ok(Ok(write_tx(conn, |conn| {
        scope_catalogue::update(conn, &caller, &before, &fields)
    })?))
}

/// Retires the scope `code` (`retired`: no longer offered or accepted when filing) or
/// takes that back; `false` when it already was so.
pub fn set_scope_retired(
    conn: &mut DbConnection,
    acting: &Acting,
    code: &str,
    retired: bool,
) -> Result<bool> {
    scope(conn, acting, code)?;
    let caller = acting.caller(Some(Role::Operator));
    Ok(write_tx(conn, |conn| {
        scope_catalogue::set_retired(conn, &caller, code, retired)
    })?)
}
