//! Reading the audit log: the viewer's filtered pages (keyset on the sequence number, so
//! a page costs the same at row ten and at row ten million) and the export's batches.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::chain::AuditRow;
use crate::db::DbConnection;
use crate::db::native::natively;
use crate::db::schema::{audit_log, users};
use crate::domain::policy::AuditScope;

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub institution_number: Option<String>,
    pub supplier_id: Option<String>,
    pub actor_user_id: Option<String>,
    pub action: Option<String>,
    /// From this moment (inclusive), UTC.
    pub from: Option<PrimitiveDateTime>,
    /// Before this moment (exclusive), UTC.
    pub until: Option<PrimitiveDateTime>,
}

/// A row with the acting person's name and email, for display and export.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub row: AuditRow,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
}

/// Direction of a keyset page.
#[derive(Debug, Clone, Copy)]
pub enum Keyset {
    /// Newest first, rows with `seq` below the bound (or from the newest).
    NewestBefore(Option<i64>),
    /// Oldest first, rows with `seq` above the bound (exports).
    OldestAfter(i64),
}

/// A page of the log as `scope` may see it, filtered, in the keyset's direction. A
/// municipal scope reads `(municipality_code, seq)`: one index range in page order, so a
/// page costs the same whether the municipality's rows are 5 % or 0.01 % of the log.
pub fn page(
    conn: &mut DbConnection,
    scope: &AuditScope,
    filter: &AuditFilter,
    keyset: Keyset,
    limit: i64,
) -> QueryResult<Vec<AuditEntry>> {
    let rows: Vec<(AuditRow, Option<String>, Option<String>)> = natively!(conn, |c| {
        let mut q = audit_log::table
            .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_user_id)))
            .into_boxed();
        if !scope.everything {
            q = crate::db::visibility::filter_one_of!(
                q,
                audit_log::municipality_code.assume_not_null(),
                scope.municipality_codes.clone()
            );
        }
        if let Some(number) = &filter.institution_number {
            q = q.filter(audit_log::institution_number.eq(number.clone()));
        }
        if let Some(supplier) = &filter.supplier_id {
            q = q.filter(audit_log::supplier_id.eq(supplier.clone()));
        }
        if let Some(actor) = &filter.actor_user_id {
            q = q.filter(audit_log::actor_user_id.eq(actor.clone()));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(from) = filter.from {
            q = q.filter(audit_log::occurred_at.ge(from));
        }
        if let Some(until) = filter.until {
            q = q.filter(audit_log::occurred_at.lt(until));
        }
        q = match keyset {
            Keyset::NewestBefore(Some(bound)) => q
                .filter(audit_log::seq.lt(bound))
                .order(audit_log::seq.desc()),
            Keyset::NewestBefore(None) => q.order(audit_log::seq.desc()),
            Keyset::OldestAfter(bound) => q
                .filter(audit_log::seq.gt(bound))
                .order(audit_log::seq.asc()),
        };
        q.limit(limit)
            .select((
                AuditRow::as_select(),
                users::display_name.nullable(),
                users::email.nullable(),
            ))
            .load(c)
    })?;
    Ok(rows
        .into_iter()
        .map(|(row, actor_name, actor_email)| AuditEntry {
            row,
            actor_name,
            actor_email,
        })
        .collect())
}
