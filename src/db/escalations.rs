//! Escalation of requests left pending (DESIGN §5, §9): the sweep's queries. A request
//! pending past the first threshold escalates to its municipality; past the second, and
//! after the first, to the operators. Each step is marked on the request
//! (`escalated_at`, `escalated_to_operators_at`) by a guarded update in the transaction
//! that writes its audit row (the system acting) and its outbox event, so it happens once
//! even across restarts and with several workers.

use diesel::prelude::*;
use serde_json::json;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::mail::{outbox, recipients};
use super::schema::{institutions, requests};

/// The two steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Municipality,
    Operators,
}

impl Stage {
    pub fn action(self) -> &'static str {
        match self {
            Self::Municipality => "request.escalated",
            Self::Operators => "request.escalated_to_operators",
        }
    }

    fn topic(self) -> &'static str {
        match self {
            Self::Municipality => "requests.escalated",
            Self::Operators => "requests.escalated_to_operators",
        }
    }
}

/// At most `limit` pending requests filed before `filed_before` that are due for `stage`,
/// oldest first: (id, institution, its municipality).
fn due(
    conn: &mut DbConnection,
    stage: Stage,
    filed_before: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String, String)>> {
    // Written out, so the planner sees the partial index's own predicate
    // (`requests_due_for_municipality` / `requests_due_for_operators`).
    let q = requests::table
        .inner_join(institutions::table)
        .filter(super::requests::is_pending())
        .filter(requests::filed_at.lt(filed_before))
        .filter(requests::escalated_to_operators_at.is_null())
        .into_boxed();
    let q = match stage {
        Stage::Municipality => q.filter(requests::escalated_at.is_null()),
        Stage::Operators => q.filter(requests::escalated_at.is_not_null()),
    };
    q.order(requests::filed_at)
        .select((
            requests::id,
            requests::institution_number,
            institutions::municipality_code,
        ))
        .limit(limit)
        .load(conn)
}

/// Marks one request escalated for `stage`, unless it was already or is no longer pending.
fn mark(
    conn: &mut DbConnection,
    stage: Stage,
    id: &str,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let pending = requests::table
        .filter(requests::id.eq(id))
        .filter(requests::status.eq("pending"));
    let changed = match stage {
        Stage::Municipality => diesel::update(pending.filter(requests::escalated_at.is_null()))
            .set(requests::escalated_at.eq(now))
            .execute(conn)?,
        Stage::Operators => diesel::update(
            pending
                .filter(requests::escalated_at.is_not_null())
                .filter(requests::escalated_to_operators_at.is_null()),
        )
        .set(requests::escalated_to_operators_at.eq(now))
        .execute(conn)?,
    };
    Ok(changed == 1)
}

/// One batch of `stage` in the caller's transaction: marks up to `limit` due requests,
/// audits each (details: where it went and after how many days), queues one outbox event
/// for them; returns how many requests it looked at (a full batch means: run again).
pub fn sweep(
    conn: &mut DbConnection,
    stage: Stage,
    days: i64,
    now: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<usize> {
    let batch = due(conn, stage, now - time::Duration::days(days), limit)?;
    let mut escalated = Vec::new();
    let mut went: std::collections::HashMap<String, &'static str> = Default::default();
    let mut entries = Vec::new();
    for (id, institution, municipality) in &batch {
        if !mark(conn, stage, id, now)? {
            continue;
        }
        let to = match stage {
            Stage::Operators => "operators",
            Stage::Municipality => match went.get(municipality) {
                Some(to) => to,
                None => {
                    let (_, to) = recipients::municipality_escalation(conn, municipality)?;
                    went.insert(municipality.clone(), to.as_str());
                    to.as_str()
                }
            },
        };
        escalated.push(id.clone());
        entries.push((id, institution, to));
    }
    if escalated.is_empty() {
        return Ok(batch.len());
    }
    let caller = Caller::default();
    audit::record_many(
        conn,
        &caller,
        entries
            .iter()
            .map(|(id, institution, to)| Entry {
                action: stage.action(),
                target_type: "request",
                target_id: id,
                institution_number: Some(institution),
                supplier_id: None,
                details: json!({ "to": to, "after_days": days }),
            })
            .collect(),
    )?;
    outbox::enqueue(
        conn,
        stage.topic(),
        json!({ "request_ids": escalated, "days": days }),
    )?;
    Ok(batch.len())
}
