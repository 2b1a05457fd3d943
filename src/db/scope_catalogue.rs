//! The operators' scope catalogue: adding a scope, editing one, retiring one and taking
//! that back. A code is the key requests and agreements refer to, so it never changes
//! and no scope is removed: a retired scope is only no longer offered for filing, and it
//! stays readable on every request and agreement that names it. Each change
//! is one audit row, in the caller's [`write_tx`](super::write_tx).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::catalog::Scope;
use super::schema::{agreement_scopes, request_scopes, scopes};
use crate::domain::administration::ScopeFields;

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    code: &str,
    details: Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "scope",
            target_id: code,
            institution_number: None,
            supplier_id: None,
            details,
        },
    )
}

fn scope_json(s: &Scope) -> Value {
    json!({
        "name_da": s.name_da, "name_en": s.name_en, "description_da": s.description_da,
        "description_en": s.description_en, "sensitive": s.sensitive, "sort_order": s.sort_order,
    })
}

fn as_scope(f: &ScopeFields) -> Scope {
    Scope {
        code: f.code.clone(),
        name_da: f.name_da.clone(),
        name_en: f.name_en.clone(),
        description_da: f.description_da.clone(),
        sensitive: f.sensitive,
        sort_order: f.sort_order,
        description_en: f.description_en.clone(),
        retired_at: None,
    }
}

pub fn find(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Scope>> {
    scopes::table
        .find(code)
        .select(Scope::as_select())
        .first(conn)
        .optional()
}

/// How many requests and agreements name each scope, by code (a scope nothing names is
/// absent): two grouped counts, whatever the catalogue's length.
pub fn uses_by_code(conn: &mut DbConnection) -> QueryResult<HashMap<String, i64>> {
    let on_requests: Vec<(String, i64)> = request_scopes::table
        .group_by(request_scopes::scope_code)
        .select((request_scopes::scope_code, diesel::dsl::count_star()))
        .load(conn)?;
    let on_agreements: Vec<(String, i64)> = agreement_scopes::table
        .group_by(agreement_scopes::scope_code)
        .select((agreement_scopes::scope_code, diesel::dsl::count_star()))
        .load(conn)?;
    let mut uses = HashMap::new();
    for (code, n) in on_requests.into_iter().chain(on_agreements) {
        *uses.entry(code).or_insert(0) += n;
    }
    Ok(uses)
}

/// Adds a scope; `false` when the code is taken.
pub fn add(conn: &mut DbConnection, caller: &Caller, fields: &ScopeFields) -> QueryResult<bool> {
    if find(conn, &fields.code)?.is_some() {
        return Ok(false);
    }
    let scope = as_scope(fields);
    diesel::insert_into(scopes::table)
        .values(&scope)
        .execute(conn)?;
    record(
        conn,
        caller,
        "scope.created",
        &scope.code,
        scope_json(&scope),
    )?;
    Ok(true)
}

/// Changes a scope's names, descriptions, sensitivity and order (its code stays);
/// `false` when nothing changed.
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    before: &Scope,
    fields: &ScopeFields,
) -> QueryResult<bool> {
    let after = Scope {
        code: before.code.clone(),
        ..as_scope(fields)
    };
    let (old, new) = (scope_json(before), scope_json(&after));
    if old == new {
        return Ok(false);
    }
    diesel::update(scopes::table.find(&before.code))
        .set((
            scopes::name_da.eq(&after.name_da),
            scopes::name_en.eq(&after.name_en),
            scopes::description_da.eq(&after.description_da),
            scopes::description_en.eq(&after.description_en),
            scopes::sensitive.eq(after.sensitive),
            scopes::sort_order.eq(after.sort_order),
        ))
        .execute(conn)?;
    record(
        conn,
        caller,
        "scope.changed",
        &before.code,
        json!({ "changes": super::changes(&old, &new) }),
    )?;
    Ok(true)
}

/// Retires the scope `code` (`retired`) or takes the retirement back; `false` when it
/// already was so (someone got there first). A guarded update: exactly one row changes.
pub fn set_retired(
    conn: &mut DbConnection,
    caller: &Caller,
    code: &str,
    retired: bool,
) -> QueryResult<bool> {
    let row = scopes::table.find(code);
    let changed = if retired {
        diesel::update(row.filter(scopes::retired_at.is_null()))
            .set(scopes::retired_at.eq(Some(super::now())))
            .execute(conn)?
    } else {
        diesel::update(row.filter(scopes::retired_at.is_not_null()))
            .set(scopes::retired_at.eq(None::<time::PrimitiveDateTime>))
            .execute(conn)?
    };
    if changed != 1 {
        return Ok(false);
    }
    let action = if retired {
        "scope.retired"
    } else {
        "scope.reinstated"
    };
    record(conn, caller, action, code, json!({ "retired": retired }))?;
    Ok(true)
}
