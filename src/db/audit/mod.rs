//! The audit log: one append-only row per state change, login (and failed login), role
//! change, import and operator action, written in the same transaction as the action and
//! chained by hash ([`chain`]). Nothing in the portal updates or deletes a row; the
//! database refuses it too. The viewer's queries and the export live in [`query`].

pub mod chain;
pub mod query;

use crate::db::native::natively;
use diesel::prelude::*;
use serde_json::Value;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::schema::{audit_log, users};
pub use chain::{ChainBreak, Verified, verify};

/// Who acted, as recorded on every row: person, role, the delegation used (if any), the
/// client address and the id of the HTTP request that ties the row to the logs.
/// `Caller::default()` is the system itself.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub user_id: Option<String>,
    pub role: Option<String>,
    pub delegation: Option<String>,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
    /// The API token the call came with, if any: kept in the row's details (so under the
    /// hash) beside the person or supplier behind it.
    pub api_token: Option<String>,
}

impl Caller {
    /// The same person acting on `target`: in the role the policy finds for the action
    /// and under the delegation it rests on, if any.
    pub fn acting_on(
        &self,
        actor: &crate::domain::policy::Actor,
        action: crate::domain::policy::Action,
        target: &crate::domain::policy::Target<'_>,
    ) -> Caller {
        use crate::domain::policy;
        Caller {
            role: policy::acting_role(actor, action, target).map(|r| r.as_str().to_string()),
            delegation: policy::delegation_used(actor, action, target),
            ..self.clone()
        }
    }

    /// The same caller, recorded as this person (a sign-in records who signed in).
    pub fn as_user(&self, user_id: &str) -> Caller {
        Caller {
            user_id: Some(user_id.to_string()),
            ..self.clone()
        }
    }
}

/// What happened, to what.
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub institution_number: Option<&'a str>,
    pub supplier_id: Option<&'a str>,
    /// Before / after values and anything else worth keeping.
    pub details: Value,
}

/// Appends one row to the chain. Call inside the transaction that makes the change.
pub fn record(conn: &mut DbConnection, caller: &Caller, entry: Entry<'_>) -> QueryResult<()> {
    chain::append(conn, row_of(caller, entry))
}

/// Appends many rows, in order, by one caller (a filing for thousands of institutions):
/// the same rows as [`record`] one by one, in a few statements.
pub fn record_many(
    conn: &mut DbConnection,
    caller: &Caller,
    entries: Vec<Entry<'_>>,
) -> QueryResult<()> {
    let rows = entries.into_iter().map(|e| row_of(caller, e)).collect();
    chain::append_many(conn, rows)
}

/// Appends many rows, in order, each with its own caller (a bulk decision, where each
/// request may rest on another role or delegation).
pub fn record_many_by(
    conn: &mut DbConnection,
    entries: Vec<(&Caller, Entry<'_>)>,
) -> QueryResult<()> {
    let rows = entries.into_iter().map(|(c, e)| row_of(c, e)).collect();
    chain::append_many(conn, rows)
}

fn row_of(caller: &Caller, entry: Entry<'_>) -> chain::AuditRow {
    chain::AuditRow {
        seq: 0,
        id: super::new_id(),
        occurred_at: super::now(),
        actor_user_id: caller.user_id.clone(),
        actor_role: caller.role.clone(),
        delegation: caller.delegation.clone(),
        action: entry.action.to_string(),
        target_type: entry.target_type.to_string(),
        target_id: entry.target_id.to_string(),
        institution_number: entry.institution_number.map(str::to_string),
        supplier_id: entry.supplier_id.map(str::to_string),
        details: with_token(entry.details, caller.api_token.as_deref()).to_string(),
        client_addr: caller.client_addr.clone(),
        request_id: caller.request_id.clone(),
        prev_hash: String::new(),
        hash: String::new(),
        municipality_code: None,
    }
}

/// The details, with the API token the change came through.
fn with_token(mut details: Value, api_token: Option<&str>) -> Value {
    if let (Some(token), Value::Object(map)) = (api_token, &mut details) {
        map.insert("api_token".into(), Value::String(token.to_string()));
    }
    details
}

/// Appends a row about a person's account (sign-in, second factor, links, identity).
pub fn record_for_user(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    user_id: &str,
    details: Value,
) -> QueryResult<()> {
    record(
        conn,
        caller,
        Entry {
            action,
            target_type: "user",
            target_id: user_id,
            institution_number: None,
            supplier_id: None,
            details,
        },
    )
}

/// One line of a history shown on a request or agreement page.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub occurred_at: PrimitiveDateTime,
    pub action: String,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub details: Value,
}

/// seq, time, action, actor name, actor role, details
type HistoryRow = (
    i64,
    PrimitiveDateTime,
    String,
    Option<String>,
    Option<String>,
    String,
);

/// The rows about the given targets, oldest first.
pub fn history(conn: &mut DbConnection, targets: &[(&str, &str)]) -> QueryResult<Vec<HistoryLine>> {
    let mut lines = Vec::new();
    for (target_type, target_id) in targets {
        let rows: Vec<HistoryRow> = natively!(conn, |c| audit_log::table
            .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_user_id)))
            .filter(audit_log::target_type.eq(*target_type))
            .filter(audit_log::target_id.eq(*target_id))
            .select((
                audit_log::seq,
                audit_log::occurred_at,
                audit_log::action,
                users::display_name.nullable(),
                audit_log::actor_role,
                audit_log::details,
            ))
            .load(c))?;
        lines.extend(rows.into_iter().map(
            |(seq, occurred_at, action, actor_name, actor_role, details)| {
                (
                    seq,
                    HistoryLine {
                        occurred_at,
                        action,
                        actor_name,
                        actor_role,
                        details: serde_json::from_str(&details).unwrap_or(Value::Null),
                    },
                )
            },
        ));
    }
    lines.sort_by_key(|(seq, _)| *seq);
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}
