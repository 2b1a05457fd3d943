//! Audit rows: one per state change, written in the same transaction as the change.
//! Rows are only ever inserted; the request and agreement pages read their own history here.

use diesel::prelude::*;
use serde_json::Value;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::schema::{audit_events, users};

/// Who acted, as recorded on every row.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub user_id: Option<String>,
    pub role: Option<String>,
    pub client_addr: Option<String>,
}

pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub institution_number: Option<&'a str>,
    pub supplier_id: Option<&'a str>,
    pub details: Value,
}

pub fn record(conn: &mut DbConnection, caller: &Caller, entry: Entry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(super::new_id()),
            audit_events::occurred_at.eq(super::now()),
            audit_events::actor_user_id.eq(caller.user_id.as_deref()),
            audit_events::actor_role.eq(caller.role.as_deref()),
            audit_events::action.eq(entry.action),
            audit_events::target_type.eq(entry.target_type),
            audit_events::target_id.eq(entry.target_id),
            audit_events::institution_number.eq(entry.institution_number),
            audit_events::supplier_id.eq(entry.supplier_id),
            audit_events::details.eq(entry.details.to_string()),
            audit_events::client_addr.eq(caller.client_addr.as_deref()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One line of a history shown on a page.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub occurred_at: PrimitiveDateTime,
    pub action: String,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub details: Value,
}

pub fn history(conn: &mut DbConnection, targets: &[(&str, &str)]) -> QueryResult<Vec<HistoryLine>> {
    let mut lines = Vec::new();
    for (target_type, target_id) in targets {
        let rows: Vec<(
            PrimitiveDateTime,
            String,
            Option<String>,
            Option<String>,
            String,
        )> = audit_events::table
            .left_join(users::table.on(users::id.nullable().eq(audit_events::actor_user_id)))
            .filter(audit_events::target_type.eq(*target_type))
            .filter(audit_events::target_id.eq(*target_id))
            .select((
                audit_events::occurred_at,
                audit_events::action,
                users::display_name.nullable(),
                audit_events::actor_role,
                audit_events::details,
            ))
            .load(conn)?;
        lines.extend(rows.into_iter().map(
            |(occurred_at, action, actor_name, actor_role, details)| HistoryLine {
                occurred_at,
                action,
                actor_name,
                actor_role,
                details: serde_json::from_str(&details).unwrap_or(Value::Null),
            },
        ));
    }
    lines.sort_by_key(|l| l.occurred_at);
    Ok(lines)
}
