//! Deciding and withdrawing a pending request. A guarded update
//! (`… WHERE id = ? AND status = 'pending'`) makes exactly one of two simultaneous
//! deciders win; the other is told the request was already decided.
//!
//! Approving creates the agreement, or for an extension adds the granted scopes to the
//! open agreement. An approver may grant a subset of the requested scopes.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde_json::json;

use super::{Request, counter_name};
use crate::db::audit::{self, Caller, Entry};
use crate::db::schema::{agreement_scopes, agreements, request_scopes, requests, services};
use crate::db::{DbConnection, counters, outbox};
use crate::domain::{Reason, RequestStatus, SystemReason};

#[derive(Debug, Clone)]
pub enum Decision {
    /// Grant every requested scope (bulk decisions).
    ApproveAll {
        comment: Option<String>,
    },
    /// Grant these scopes; a comment from the approver travels with the approval (kept
    /// in the request, its history, the audit row and the supplier's receipt). Every
    /// requested scope left out needs its reason in `refusal_reasons` (scope code, the
    /// approver's words), kept with the scope and shown to the supplier.
    Approve {
        scopes: Vec<String>,
        comment: Option<String>,
        refusal_reasons: Vec<(String, String)>,
    },
    Reject {
        reason: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("the request was already {0}")]
    AlreadyDecided(RequestStatus),
    #[error("the request does not exist")]
    NotFound,
    #[error("no valid scope chosen")]
    NoScopes,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("a scope left out of an approval needs its reason")]
    RefusalReasonRequired,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone)]
pub struct Decided {
    pub status: RequestStatus,
    pub agreement_id: Option<String>,
}

fn load(conn: &mut DbConnection, id: &str) -> Result<(Request, String), DecideError> {
    requests::table
        .inner_join(services::table)
        .filter(requests::id.eq(id))
        .select((Request::as_select(), services::supplier_id))
        .first(conn)
        .optional()?
        .ok_or(DecideError::NotFound)
}

fn current_status(request: &Request) -> RequestStatus {
    RequestStatus::parse(&request.status).unwrap_or(RequestStatus::Pending)
}

/// An approver's comment, trimmed; none when blank.
pub(super) fn comment_text(comment: &Option<String>) -> Option<&str> {
    comment.as_deref().map(str::trim).filter(|c| !c.is_empty())
}

/// Moves a pending request to `next`; `Ok(false)` if someone else moved it first.
fn guarded_transition(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    next: RequestStatus,
    reason: Option<&Reason>,
) -> QueryResult<bool> {
    let (reason_text, reason_code, reason_args) = reason.map(Reason::columns).unwrap_or_default();
    let changed = diesel::update(
        requests::table
            .filter(requests::id.eq(id))
            .filter(requests::status.eq("pending")),
    )
    .set((
        requests::status.eq(next.as_str()),
        requests::decided_by.eq(caller.user_id.as_deref()),
        requests::decided_role.eq(caller.role.as_deref()),
        requests::decided_at.eq(crate::db::now()),
        requests::decision_reason.eq(reason_text),
        requests::decision_reason_code.eq(reason_code),
        requests::decision_reason_args.eq(reason_args),
        requests::decided_delegation.eq(caller.delegation.as_deref()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Grants the scopes on the open agreement for the request's service and institution,
/// creating the agreement if there is none. Returns the agreement id.
fn grant(
    conn: &mut DbConnection,
    caller: &Caller,
    request: &Request,
    supplier_id: &str,
    scopes: &[String],
) -> Result<String, DecideError> {
    let now = crate::db::now();
    let open: Option<(String, String)> = agreements::table
        .filter(agreements::service_id.eq(&request.service_id))
        .filter(agreements::institution_number.eq(&request.institution_number))
        .filter(agreements::status.eq_any(["active", "suspended"]))
        .select((agreements::id, agreements::reference))
        .first(conn)
        .optional()?;
    let (agreement_id, action, reference) = match open {
        Some((id, reference)) => (id, "agreement.extended", reference),
        None => {
            let year = now.year();
            let first = counters::reserve(conn, &counter_name("AF", year), 1)?;
            let id = crate::db::new_id();
            let reference = counters::format_reference("AF", year, first);
            diesel::insert_into(agreements::table)
                .values((
                    agreements::id.eq(&id),
                    agreements::reference.eq(&reference),
                    agreements::request_id.eq(&request.id),
                    agreements::service_id.eq(&request.service_id),
                    agreements::institution_number.eq(&request.institution_number),
                    agreements::status.eq("active"),
                    agreements::starts_on.eq(request.wished_start),
                    agreements::ends_on.eq(request.wished_end),
                    agreements::approved_by.eq(caller.user_id.clone().unwrap_or_default()),
                    agreements::approved_role.eq(caller.role.clone().unwrap_or_default()),
                    agreements::created_at.eq(now),
                ))
                .execute(conn)?;
            (id, "agreement.created", reference)
        }
    };
    let have: Vec<String> = agreement_scopes::table
        .filter(agreement_scopes::agreement_id.eq(&agreement_id))
        .select(agreement_scopes::scope_code)
        .load(conn)?;
    for scope in scopes.iter().filter(|s| !have.contains(s)) {
        diesel::insert_into(agreement_scopes::table)
            .values((
                agreement_scopes::agreement_id.eq(&agreement_id),
                agreement_scopes::scope_code.eq(scope),
                agreement_scopes::request_id.eq(&request.id),
                agreement_scopes::granted_at.eq(now),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "agreement",
            target_id: &agreement_id,
            institution_number: Some(&request.institution_number),
            supplier_id: Some(supplier_id),
            details: json!({ "reference": reference, "request": request.reference, "scopes": scopes }),
        },
    )?;
    Ok(agreement_id)
}

/// Decides one pending request: its status, granted scopes, audit row, the agreement an
/// approval makes and the decision notice. Runs inside the caller's
/// [`write_tx`](crate::db::write_tx).
pub fn decide(
    conn: &mut DbConnection,
    caller: &Caller,
    request_id: &str,
    decision: &Decision,
) -> Result<Decided, DecideError> {
    counters::ensure(conn, &counter_name("AF", crate::db::now().year()))?;
    let (request, supplier_id) = load(conn, request_id)?;
    let requested: Vec<String> = request_scopes::table
        .filter(request_scopes::request_id.eq(request_id))
        .select(request_scopes::scope_code)
        .load(conn)?;
    let mut refusal_reasons: BTreeMap<&str, &str> = BTreeMap::new();
    let (next, reason, granted) = match decision {
        Decision::ApproveAll { comment } => (
            RequestStatus::Approved,
            comment_text(comment),
            requested.clone(),
        ),
        Decision::Approve {
            scopes,
            comment,
            refusal_reasons: given,
        } => {
            let granted: Vec<String> = requested
                .iter()
                .filter(|s| scopes.contains(s))
                .cloned()
                .collect();
            if granted.is_empty() || granted.len() != scopes.len() {
                return Err(DecideError::NoScopes);
            }
            for scope in requested.iter().filter(|s| !granted.contains(s)) {
                let why = given
                    .iter()
                    .find(|(code, _)| code == scope)
                    .map(|(_, why)| why.trim())
                    .filter(|why| !why.is_empty())
                    .ok_or(DecideError::RefusalReasonRequired)?;
                refusal_reasons.insert(scope, why);
            }
            (RequestStatus::Approved, comment_text(comment), granted)
        }
        Decision::Reject { reason } if reason.trim().is_empty() => {
            return Err(DecideError::ReasonRequired);
        }
        Decision::Reject { reason } => (RequestStatus::Rejected, Some(reason.trim()), Vec::new()),
    };
    let typed = reason.and_then(|r| Reason::typed(Some(r)));
    if !guarded_transition(conn, caller, request_id, next, typed.as_ref())? {
        let (now, _) = load(conn, request_id)?;
        return Err(DecideError::AlreadyDecided(current_status(&now)));
    }
    for scope in &requested {
        diesel::update(request_scopes::table.find((request_id, scope)))
            .set((
                request_scopes::granted.eq(granted.contains(scope)),
                request_scopes::refusal_reason.eq(refusal_reasons.get(scope.as_str()).copied()),
            ))
            .execute(conn)?;
    }
    let refused: Vec<&String> = requested.iter().filter(|s| !granted.contains(s)).collect();
    let mut details = json!({
        "reference": request.reference,
        "before": "pending", "after": next.as_str(),
        "granted": granted, "refused": refused, "reason": reason,
    });
    if !refusal_reasons.is_empty() {
        details["refusal_reasons"] = json!(refusal_reasons);
    }
    audit::record(
        conn,
        caller,
        Entry {
            action: if next == RequestStatus::Approved {
                "request.approved"
            } else {
                "request.rejected"
            },
            target_type: "request",
            target_id: request_id,
            institution_number: Some(&request.institution_number),
            supplier_id: Some(&supplier_id),
            details,
        },
    )?;
    let agreement_id = if next == RequestStatus::Approved {
        let agreement = grant(conn, caller, &request, &supplier_id, &granted)?;
        crate::db::renewals::apply(conn, caller, request_id)?;
        Some(agreement)
    } else {
        None
    };
    outbox::enqueue(
        conn,
        "request.decided",
        json!({ "request_id": request_id, "status": next.as_str(), "agreement_id": agreement_id }),
    )?;
    Ok(Decided {
        status: next,
        agreement_id,
    })
}

/// The supplier withdraws a pending request. Runs inside the caller's
/// [`write_tx`](crate::db::write_tx).
pub fn withdraw(
    conn: &mut DbConnection,
    caller: &Caller,
    request_id: &str,
) -> Result<(), DecideError> {
    close_pending(conn, caller, request_id, RequestStatus::Withdrawn, None)
}

/// A pending request lapses (bortfalder) because its institution closed or its service
/// was retired; recorded as done by the system. Runs inside the caller's
/// [`write_tx`](crate::db::write_tx).
pub fn lapse(
    conn: &mut DbConnection,
    caller: &Caller,
    request_id: &str,
    reason: &SystemReason,
) -> Result<(), DecideError> {
    close_pending(
        conn,
        caller,
        request_id,
        RequestStatus::Lapsed,
        Some(&Reason::System(reason.clone())),
    )
}

/// Ends a pending request without a decision (withdrawn by the supplier, lapsed by the
/// system), with its audit row and an outbox event named after the new state.
fn close_pending(
    conn: &mut DbConnection,
    caller: &Caller,
    request_id: &str,
    next: RequestStatus,
    reason: Option<&Reason>,
) -> Result<(), DecideError> {
    let (request, supplier_id) = load(conn, request_id)?;
    if !guarded_transition(conn, caller, request_id, next, reason)? {
        return Err(DecideError::AlreadyDecided(current_status(
            &load(conn, request_id)?.0,
        )));
    }
    let action = format!("request.{}", next.as_str());
    audit::record(
        conn,
        caller,
        Entry {
            action: &action,
            target_type: "request",
            target_id: request_id,
            institution_number: Some(&request.institution_number),
            supplier_id: Some(&supplier_id),
            details: {
                let (reason, reason_code, reason_args) = Reason::audit_fields(reason);
                json!({ "reference": request.reference, "before": "pending", "after": next.as_str(),
                    "reason": reason, "reason_code": reason_code, "reason_args": reason_args })
            },
        },
    )?;
    outbox::enqueue(conn, &action, json!({ "request_id": request_id }))?;
    Ok(())
}
