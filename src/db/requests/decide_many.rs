//! Deciding many pending requests at once, set-based: one transaction reads them, moves
//! every one still pending with one guarded update per acting role, grants the scopes,
//! creates or extends the agreements and writes the same audit rows and outbox events as
//! deciding them one by one ([`super::decide`]) — in a handful of statements instead of
//! some thirty per request. A request someone else decided first is left out and counted.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde_json::json;

use super::{DecideError, Decision, Request, counter_name};
use crate::db::audit::{self, Caller, Entry};
use crate::db::schema::{agreement_scopes, agreements, outbox, request_scopes, requests, services};
use crate::db::{DbConnection, counters};
use crate::domain::RequestStatus;

/// Rows per statement (under SQLite's bound-parameter limit).
const CHUNK: usize = 1000;

/// Who decides, as the guarded update records it: person, role, delegation.
type ActingAs = (Option<String>, Option<String>, Option<String>);

/// One request to decide, and who decides it (role and delegation may differ per row).
pub struct ToDecide {
    pub id: String,
    pub caller: Caller,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecidedMany {
    pub decided: i64,
    /// No longer pending when the transaction came to it.
    pub already_decided: i64,
}

/// Locks and reads the requests among `ids` that are still pending, with their
/// suppliers. On PostgreSQL the rows are locked (`FOR UPDATE`), so a concurrent decider
/// waits and then finds them decided; SQLite's write transaction already excludes one.
fn pending_locked(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(Request, String)>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        if let DbConnection::Postgresql(pg) = conn {
            requests::table
                .filter(requests::id.eq_any(chunk))
                .filter(requests::status.eq("pending"))
                .select(requests::id)
                .for_update()
                .load::<String>(pg)?;
        }
        found.extend(
            requests::table
                .inner_join(services::table)
                .filter(requests::id.eq_any(chunk))
                .filter(requests::status.eq("pending"))
                .select((Request::as_select(), services::supplier_id))
                .load(conn)?,
        );
    }
    Ok(found)
}

/// Approves every scope of, or rejects, each request in `items` still pending.
/// `decision` must be [`Decision::ApproveAll`] or [`Decision::Reject`].
pub fn decide_many(
    conn: &mut DbConnection,
    items: &[ToDecide],
    decision: &Decision,
) -> Result<DecidedMany, DecideError> {
    let (next, reason) = match decision {
        Decision::ApproveAll { comment } => (
            RequestStatus::Approved,
            super::decide::comment_text(comment).map(str::to_string),
        ),
        Decision::Reject { reason } if reason.trim().is_empty() => {
            return Err(DecideError::ReasonRequired);
        }
        Decision::Reject { reason } => (RequestStatus::Rejected, Some(reason.trim().to_string())),
        Decision::Approve { .. } => return Err(DecideError::NoScopes),
    };
    let approving = next == RequestStatus::Approved;
    let now = crate::db::now();
    let af_counter = counter_name("AF", now.year());
    counters::ensure(conn, &af_counter)?;
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let pending = pending_locked(conn, &ids)?;
    let by_id: HashMap<&str, &(Request, String)> =
        pending.iter().map(|p| (p.0.id.as_str(), p)).collect();
    let chosen: Vec<(&ToDecide, &Request, &str)> = items
        .iter()
        .filter_map(|i| by_id.get(i.id.as_str()).map(|(r, s)| (i, r, s.as_str())))
        .collect();
    let outcome = DecidedMany {
        decided: chosen.len() as i64,
        already_decided: (items.len() - chosen.len()) as i64,
    };
    if chosen.is_empty() {
        return Ok(outcome);
    }

    // One guarded update per acting role and delegation (usually one).
    let mut groups: BTreeMap<ActingAs, Vec<String>> = BTreeMap::new();
    for (item, request, _) in &chosen {
        let c = &item.caller;
        groups
            .entry((c.user_id.clone(), c.role.clone(), c.delegation.clone()))
            .or_default()
            .push(request.id.clone());
    }
    for ((user, role, delegation), group) in &groups {
        for chunk in group.chunks(CHUNK) {
            diesel::update(
                requests::table
                    .filter(requests::id.eq_any(chunk))
                    .filter(requests::status.eq("pending")),
            )
            .set((
                requests::status.eq(next.as_str()),
                requests::decided_by.eq(user.as_deref()),
                requests::decided_role.eq(role.as_deref()),
                requests::decided_at.eq(now),
                requests::decision_reason.eq(reason.as_deref()),
                requests::decided_delegation.eq(delegation.as_deref()),
            ))
            .execute(conn)?;
        }
    }
    let decided_ids: Vec<String> = chosen.iter().map(|(_, r, _)| r.id.clone()).collect();
    let mut requested: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in decided_ids.chunks(CHUNK) {
        diesel::update(request_scopes::table.filter(request_scopes::request_id.eq_any(chunk)))
            .set(request_scopes::granted.eq(approving))
            .execute(conn)?;
        let rows: Vec<(String, String)> = request_scopes::table
            .filter(request_scopes::request_id.eq_any(chunk))
            .order((request_scopes::request_id, request_scopes::scope_code))
            .select((request_scopes::request_id, request_scopes::scope_code))
            .load(conn)?;
        for (id, scope) in rows {
            requested.entry(id).or_default().push(scope);
        }
    }

    // Agreements: the open one for each service and institution is extended, the
    // others are created.
    let mut agreement_of: HashMap<String, (String, String, &'static str)> = HashMap::new();
    if approving {
        let institutions: Vec<String> = chosen
            .iter()
            .map(|(_, r, _)| r.institution_number.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut open: HashMap<(String, String), (String, String)> = HashMap::new();
        for chunk in institutions.chunks(CHUNK) {
            let rows: Vec<(String, String, String, String)> = agreements::table
                .filter(agreements::institution_number.eq_any(chunk))
                .filter(agreements::status.eq_any(["active", "suspended"]))
                .select((
                    agreements::service_id,
                    agreements::institution_number,
                    agreements::id,
                    agreements::reference,
                ))
                .load(conn)?;
            for (service, number, id, reference) in rows {
                open.insert((service, number), (id, reference));
            }
        }
        let new_count = chosen
            .iter()
            .filter(|(_, r, _)| {
                !open.contains_key(&(r.service_id.clone(), r.institution_number.clone()))
            })
            .count() as i64;
        let mut next_number = if new_count > 0 {
            counters::reserve(conn, &af_counter, new_count)?
        } else {
            0
        };
        let mut new_rows = Vec::new();
        for (item, r, _) in &chosen {
            let key = (r.service_id.clone(), r.institution_number.clone());
            let entry = match open.get(&key) {
                Some((id, reference)) => (id.clone(), reference.clone(), "agreement.extended"),
                None => {
                    let id = crate::db::new_id();
                    let reference = counters::format_reference("AF", now.year(), next_number);
                    next_number += 1;
                    new_rows.push((
                        agreements::id.eq(id.clone()),
                        agreements::reference.eq(reference.clone()),
                        agreements::request_id.eq(r.id.clone()),
                        agreements::service_id.eq(r.service_id.clone()),
                        agreements::institution_number.eq(r.institution_number.clone()),
                        agreements::status.eq("active"),
                        agreements::starts_on.eq(r.wished_start),
                        agreements::ends_on.eq(r.wished_end),
                        agreements::approved_by.eq(item.caller.user_id.clone().unwrap_or_default()),
                        agreements::approved_role.eq(item.caller.role.clone().unwrap_or_default()),
                        agreements::created_at.eq(now),
                    ));
                    (id, reference, "agreement.created")
                }
            };
            agreement_of.insert(r.id.clone(), entry);
        }
        for chunk in new_rows.chunks(CHUNK / 2) {
            crate::insert_batch!(conn, agreements::table, chunk)?;
        }
        let extended: Vec<String> = agreement_of
            .values()
            .filter(|(_, _, action)| *action == "agreement.extended")
            .map(|(id, _, _)| id.clone())
            .collect();
        let mut held: HashSet<(String, String)> = HashSet::new();
        for chunk in extended.chunks(CHUNK) {
            let rows: Vec<(String, String)> = agreement_scopes::table
                .filter(agreement_scopes::agreement_id.eq_any(chunk))
                .select((agreement_scopes::agreement_id, agreement_scopes::scope_code))
                .load(conn)?;
            held.extend(rows);
        }
        let mut scope_rows = Vec::new();
        for (_, r, _) in &chosen {
            let (agreement_id, _, _) = &agreement_of[&r.id];
            for scope in requested.get(&r.id).into_iter().flatten() {
                if held.insert((agreement_id.clone(), scope.clone())) {
                    scope_rows.push((
                        agreement_scopes::agreement_id.eq(agreement_id.clone()),
                        agreement_scopes::scope_code.eq(scope.clone()),
                        agreement_scopes::request_id.eq(r.id.clone()),
                        agreement_scopes::granted_at.eq(now),
                    ));
                }
            }
        }
        for chunk in scope_rows.chunks(CHUNK) {
            crate::insert_batch!(conn, agreement_scopes::table, chunk)?;
        }
    }

    // The same audit rows and outbox events as one by one, in order.
    let mut entries: Vec<(&Caller, Entry<'_>)> = Vec::new();
    let mut events = Vec::with_capacity(chosen.len());
    let empty: Vec<String> = Vec::new();
    for (item, r, supplier_id) in &chosen {
        let scopes = requested.get(&r.id).unwrap_or(&empty);
        let (granted, refused): (&[String], &[String]) = if approving {
            (scopes, &[])
        } else {
            (&[], scopes)
        };
        entries.push((
            &item.caller,
            Entry {
                action: if approving {
                    "request.approved"
                } else {
                    "request.rejected"
                },
                target_type: "request",
                target_id: &r.id,
                institution_number: Some(&r.institution_number),
                supplier_id: Some(supplier_id),
                details: json!({
                    "reference": r.reference,
                    "before": "pending", "after": next.as_str(),
                    "granted": granted, "refused": refused, "reason": reason,
                }),
            },
        ));
        let agreement = agreement_of.get(&r.id);
        if let Some((agreement_id, reference, action)) = agreement {
            entries.push((
                &item.caller,
                Entry {
                    action,
                    target_type: "agreement",
                    target_id: agreement_id,
                    institution_number: Some(&r.institution_number),
                    supplier_id: Some(supplier_id),
                    details: json!({ "reference": reference, "request": r.reference, "scopes": scopes }),
                },
            ));
        }
        events.push((
            outbox::id.eq(crate::db::new_id()),
            outbox::created_at.eq(now),
            outbox::topic.eq("request.decided"),
            outbox::payload.eq(json!({
                "request_id": r.id, "status": next.as_str(),
                "agreement_id": agreement.map(|a| &a.0),
            })
            .to_string()),
        ));
    }
    audit::record_many_by(conn, entries)?;
    if approving {
        for (item, r, _) in chosen
            .iter()
            .filter(|(_, r, _)| r.renews_agreement_id.is_some())
        {
            crate::db::renewals::apply(conn, &item.caller, &r.id)?;
        }
    }
    for chunk in events.chunks(CHUNK) {
        crate::insert_batch!(conn, outbox::table, chunk)?;
    }
    Ok(outcome)
}
