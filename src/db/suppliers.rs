//! The operators' register of suppliers: creating one (by name and CVR number) and
//! verifying it or taking the verification back. Only a verified supplier may file
//! requests. Each change is one audit row about the supplier, in the caller's
//! [`write_tx`](super::write_tx).

use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::catalog::Supplier;
use super::schema::suppliers;
use crate::domain::administration::SupplierFields;

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    supplier_id: &str,
    details: Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "supplier",
            target_id: supplier_id,
            institution_number: None,
            supplier_id: Some(supplier_id),
            details,
        },
    )
}

/// Whether a supplier already has this CVR number.
pub fn cvr_taken(conn: &mut DbConnection, cvr: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        suppliers::table.filter(suppliers::cvr.eq(cvr)),
    ))
    .get_result(conn)
}

/// Creates a supplier, not yet verified; returns its id.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    fields: &SupplierFields,
) -> QueryResult<String> {
    let id = super::new_id();
    diesel::insert_into(suppliers::table)
        .values(&Supplier {
            id: id.clone(),
            name: fields.name.clone(),
            cvr: fields.cvr.clone(),
            verified: false,
            created_at: super::now(),
        })
        .execute(conn)?;
    record(
        conn,
        caller,
        "supplier.created",
        &id,
        json!({ "name": fields.name, "cvr": fields.cvr, "verified": false }),
    )?;
    Ok(id)
}

/// Verifies a supplier (or takes the verification back); `false` when it already was so.
pub fn set_verified(
    conn: &mut DbConnection,
    caller: &Caller,
    supplier_id: &str,
    verified: bool,
) -> QueryResult<bool> {
    let changed = diesel::update(
        suppliers::table
            .find(supplier_id)
            .filter(suppliers::verified.eq(!verified)),
    )
    .set(suppliers::verified.eq(verified))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    record(
        conn,
        caller,
        if verified {
            "supplier.verified"
        } else {
            "supplier.unverified"
        },
        supplier_id,
        json!({ "before": !verified, "after": verified }),
    )?;
    Ok(true)
}
