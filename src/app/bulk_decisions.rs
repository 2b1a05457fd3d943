//! Bulk decisions: one decision applied to many pending requests at once — the selected
//! rows of the inbox, or everything matching its filter. The requests are decided in
//! transactions of at most a thousand, decided set-based ([`decide_many`]): one that
//! someone else decided first is skipped without undoing the others, and each is asked
//! of the policy on its own.
//!
//! Sensitive scopes (CPR numbers, household income) are never approved unseen: a bulk
//! approval grants a request carrying one only when the approver confirmed that very
//! request in the confirmation that lists them; the others stay pending and are counted,
//! for one-by-one review. Rejections need no confirmation (they grant nothing).

use std::collections::HashSet;

use crate::db::audit::Caller;
use crate::db::requests::{
    DecideError, Decision, ListFilter, RequestRow, ToDecide, decide, decide_many, list,
    scopes_by_request,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::policy::{self, Action, Actor, decide_scope, view_scope};

/// The most requests one bulk decision touches.
pub const BULK_LIMIT: i64 = 10_000;

/// Rows read at a time (under SQLite's bound-parameter limit for the id list).
const CHUNK: usize = 1000;

/// Which requests a bulk decision is about.
pub enum BulkChoice {
    /// These request ids (the ticked rows).
    Selected(Vec<String>),
    /// Every pending request the person may decide that matches the filter.
    AllMatching,
}

pub struct BulkCommand {
    pub choice: BulkChoice,
    /// The inbox filter the choice was made under (status is forced to pending).
    pub filter: ListFilter,
    pub decision: Decision,
    /// Requests whose sensitive scopes the approver confirmed, one by one.
    pub confirmed_sensitive: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub decided: i64,
    /// Not pending any more, or not this person's to decide.
    pub skipped: i64,
    /// Carrying sensitive scopes that were not confirmed: left pending.
    pub sensitive_left: i64,
}

/// Decides `cmd` for `actor`, who may decide at least one scope (the caller checked).
pub(super) fn bulk_decide(
    conn: &mut DbConnection,
    actor: &Actor,
    caller: &Caller,
    cmd: &BulkCommand,
) -> Result<BulkOutcome, DecideError> {
    let view = view_scope(actor);
    let decidable = decide_scope(actor);
    let mut filter = cmd.filter.clone();
    filter.status = Some("pending".into());
    let mut outcome = BulkOutcome::default();
    let rows: Vec<RequestRow> = match &cmd.choice {
        BulkChoice::Selected(ids) => {
            let mut unique: Vec<String> = ids.clone();
            unique.sort();
            unique.dedup();
            unique.truncate(BULK_LIMIT as usize);
            let mut found = Vec::new();
            for chunk in unique.chunks(CHUNK) {
                filter.ids = chunk.to_vec();
                found.extend(list(
                    conn,
                    &view,
                    Some(&decidable),
                    &filter,
                    None,
                    CHUNK as i64,
                )?);
            }
            // Not pending any more, or not this person's to decide.
            outcome.skipped += (unique.len() - found.len()) as i64;
            found
        }
        BulkChoice::AllMatching => {
            // Page through everything matching, by keyset, up to the limit.
            let mut found: Vec<RequestRow> = Vec::new();
            let mut after: Option<String> = None;
            while (found.len() as i64) < BULK_LIMIT {
                let page = list(
                    conn,
                    &view,
                    Some(&decidable),
                    &filter,
                    after.as_deref(),
                    CHUNK as i64,
                )?;
                let last = page.last().map(|r| r.cursor(&filter));
                let full = page.len() == CHUNK;
                found.extend(page);
                match (full, last) {
                    (true, Some(cursor)) => after = Some(cursor),
                    _ => break,
                }
            }
            found.truncate(BULK_LIMIT as usize);
            found
        }
    };
    let chosen: Vec<&RequestRow> = rows.iter().collect();
    let approving = !matches!(cmd.decision, Decision::Reject { .. });
    let sensitive: HashSet<String> = if approving {
        let ids: Vec<String> = chosen.iter().map(|r| r.id.clone()).collect();
        scopes_by_request(conn, &ids)?
            .into_iter()
            .filter(|(_, scopes)| scopes.iter().any(|s| s.sensitive))
            .map(|(id, _)| id)
            .collect()
    } else {
        HashSet::new()
    };
    let confirmed: HashSet<&str> = cmd.confirmed_sensitive.iter().map(String::as_str).collect();
    let mut to_decide: Vec<ToDecide> = Vec::with_capacity(chosen.len());
    for row in chosen {
        let target = row.target();
        if !policy::allows(actor, Action::DecideRequest, &target) {
            outcome.skipped += 1;
            continue;
        }
        if sensitive.contains(&row.id) && !confirmed.contains(row.id.as_str()) {
            outcome.sensitive_left += 1;
            continue;
        }
        let acting = caller.acting_on(actor, Action::DecideRequest, &target);
        to_decide.push(ToDecide {
            id: row.id.clone(),
            caller: acting,
        });
    }
    // Set-based, a bounded number of requests per transaction.
    for chunk in to_decide.chunks(CHUNK) {
        match &cmd.decision {
            Decision::ApproveAll { .. } | Decision::Reject { .. } => {
                let done = write_tx(conn, |conn| decide_many(conn, chunk, &cmd.decision))?;
                outcome.decided += done.decided;
                outcome.skipped += done.already_decided;
            }
            Decision::Approve { .. } => {
                for item in chunk {
                    match write_tx(conn, |conn| {
                        decide(conn, &item.caller, &item.id, &cmd.decision)
                    }) {
                        Ok(_) => outcome.decided += 1,
                        Err(DecideError::AlreadyDecided(_)) => outcome.skipped += 1,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(outcome)
}
