//! A supplier's activity: who did what on the supplier's account, read by its admins
//! (and operators) from the audit rows about the supplier (`audit_log.supplier_id`),
//! newest first, a keyset page at a time.

use super::{Acting, Error, Result};
use crate::db::DbConnection;
use crate::db::audit::query::{self, AuditEntry, AuditFilter, Keyset};
use crate::db::catalog::{self, Supplier};
use crate::domain::policy::{self, AuditScope, may_read_supplier_activity};

/// The supplier and up to `limit` of its audit rows older than `before` (the sequence
/// number of the previous page's last row).
pub fn page(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<(Supplier, Vec<AuditEntry>)> {
    let supplier = catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)?;
    if !may_read_supplier_activity(&acting.actor, supplier_id) {
        let works_there = policy::filing_suppliers(&acting.actor)
            .iter()
            .any(|s| s == supplier_id);
        return Err(if works_there {
            Error::Forbidden
        } else {
            Error::NotFound
        });
    }
    let filter = AuditFilter {
        supplier_id: Some(supplier_id.to_string()),
        ..AuditFilter::default()
    };
    let everything = AuditScope {
        everything: true,
        municipality_codes: Vec::new(),
    };
    let rows = query::page(
        conn,
        &everything,
        &filter,
        Keyset::NewestBefore(before),
        limit,
    )?;
    Ok((supplier, rows))
}
