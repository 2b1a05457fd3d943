//! Putting agreements on hold ("sat i bero", the national portal's "til venter") and
//! lifting the hold: one agreement by the institution side, or every open agreement of a
//! service by its supplier, set-based in the caller's transaction with one audit row per
//! agreement and one outbox row.
//!
//! Each side's hold is its own pair of columns (when, why). The agreement is `suspended`
//! while either hold stands and `active` again only when neither does, so a supplier
//! resuming its service never lifts a hold the institution put on, nor the other way round.

use diesel::prelude::*;
use serde_json::json;
use time::PrimitiveDateTime;

use super::audit::{self, Caller, Entry};
use super::schema::{agreements, services};
use super::{DbConnection, outbox};
use crate::domain::AgreementStatus;

/// Which side holds an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The institution's approvers (staff, the municipality's officers, their delegates).
    Institution,
    /// The supplier, for a whole service.
    Supplier,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Institution => "institution",
            Self::Supplier => "supplier",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Institution, Self::Supplier]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One side's hold on an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub side: Side,
    pub since: PrimitiveDateTime,
    pub reason: String,
}

/// The holds standing on an agreement, institution side first.
pub fn holds(
    institution: (Option<PrimitiveDateTime>, Option<&str>),
    supplier: (Option<PrimitiveDateTime>, Option<&str>),
) -> Vec<Hold> {
    [(Side::Institution, institution), (Side::Supplier, supplier)]
        .into_iter()
        .filter_map(|(side, (since, reason))| {
            since.map(|since| Hold {
                side,
                since,
                reason: reason.unwrap_or_default().to_string(),
            })
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum PauseError {
    #[error("the agreement does not exist")]
    NotFound,
    #[error("the agreement has ended ({0:?})")]
    NotOpen(AgreementStatus),
    #[error("this side already holds the agreement")]
    AlreadyHeld,
    #[error("this side holds no hold on the agreement")]
    NotHeld,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

type Facts = (String, String, String, String, String);

fn facts(conn: &mut DbConnection, id: &str) -> Result<Facts, PauseError> {
    agreements::table
        .inner_join(services::table)
        .filter(agreements::id.eq(id))
        .select((
            agreements::reference,
            agreements::status,
            agreements::institution_number,
            agreements::service_id,
            services::supplier_id,
        ))
        .first(conn)
        .optional()?
        .ok_or(PauseError::NotFound)
}

/// The statuses a held agreement may be in.
const OPEN: [&str; 2] = ["active", "suspended"];

/// Puts the institution side's hold on one open agreement, with `reason`.
pub fn suspend(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    reason: &str,
) -> Result<(), PauseError> {
    let (reference, status, institution, _, supplier) = facts(conn, id)?;
    let now = super::now();
    let changed = diesel::update(
        agreements::table
            .filter(agreements::id.eq(id))
            .filter(agreements::status.eq_any(OPEN))
            .filter(agreements::institution_paused_at.is_null()),
    )
    .set((
        agreements::status.eq(AgreementStatus::Suspended.as_str()),
        agreements::institution_paused_at.eq(Some(now)),
        agreements::institution_pause_reason.eq(Some(reason)),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(refusal(conn, id, &status));
    }
    audit_row(
        conn,
        caller,
        "agreement.suspended",
        (id, &reference, &institution, &supplier),
        json!({ "reference": reference, "side": Side::Institution.as_str(),
            "before": status, "after": AgreementStatus::Suspended.as_str(), "reason": reason }),
    )?;
    outbox::enqueue(
        conn,
        "agreement.suspended",
        json!({ "agreement_id": id, "side": Side::Institution.as_str(), "reason": reason }),
    )?;
    Ok(())
}

/// Why a guarded update changed nothing: the agreement ended, or the hold was (not) there.
fn refusal(conn: &mut DbConnection, id: &str, status_before: &str) -> PauseError {
    let now: Option<String> = agreements::table
        .find(id)
        .select(agreements::status)
        .first(conn)
        .optional()
        .ok()
        .flatten();
    let status = now.as_deref().unwrap_or(status_before);
    match AgreementStatus::parse(status) {
        Some(s) if !s.is_open() => PauseError::NotOpen(s),
        _ => PauseError::AlreadyHeld,
    }
}

/// Lifts the institution side's hold on one agreement; it is active again unless the
/// supplier holds it too. Returns whether it is active now.
pub fn resume(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<bool, PauseError> {
    let (reference, status, institution, _, supplier) = facts(conn, id)?;
    let changed = diesel::update(
        agreements::table
            .filter(agreements::id.eq(id))
            .filter(agreements::status.eq_any(OPEN))
            .filter(agreements::institution_paused_at.is_not_null()),
    )
    .set((
        agreements::institution_paused_at.eq(None::<PrimitiveDateTime>),
        agreements::institution_pause_reason.eq(None::<String>),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(match refusal(conn, id, &status) {
            PauseError::AlreadyHeld => PauseError::NotHeld,
            other => other,
        });
    }
    let active = activate_unheld(conn, &[id.to_string()])? == 1;
    let after = if active { "active" } else { "suspended" };
    audit_row(
        conn,
        caller,
        "agreement.resumed",
        (id, &reference, &institution, &supplier),
        json!({ "reference": reference, "side": Side::Institution.as_str(),
            "before": status, "after": after }),
    )?;
    outbox::enqueue(
        conn,
        "agreement.resumed",
        json!({ "agreement_id": id, "side": Side::Institution.as_str() }),
    )?;
    Ok(active)
}

/// Held agreements among `ids` that neither side holds any more become active.
fn activate_unheld(conn: &mut DbConnection, ids: &[String]) -> QueryResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        changed += diesel::update(
            agreements::table
                .filter(agreements::id.eq_any(chunk))
                .filter(agreements::status.eq(AgreementStatus::Suspended.as_str()))
                .filter(agreements::institution_paused_at.is_null())
                .filter(agreements::supplier_paused_at.is_null()),
        )
        .set(agreements::status.eq(AgreementStatus::Active.as_str()))
        .execute(conn)?;
    }
    Ok(changed)
}

fn audit_row(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    (id, _reference, institution, supplier): (&str, &str, &str, &str),
    details: serde_json::Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "agreement",
            target_id: id,
            institution_number: Some(institution),
            supplier_id: Some(supplier),
            details,
        },
    )
}

/// What a service-wide hold changed: the agreements it touched (id, reference, institution,
/// status before).
#[derive(Debug, Clone, Default)]
pub struct ServiceChange {
    pub agreements: Vec<(String, String, String, String)>,
}

/// The supplier puts its hold on every open agreement of `service_id` it does not hold
/// yet, with `reason`: set-based guarded updates, one audit row for the service and one per
/// agreement changed, one outbox row.
pub fn pause_service(
    conn: &mut DbConnection,
    caller: &Caller,
    service_id: &str,
    reason: &str,
) -> QueryResult<ServiceChange> {
    service_step(conn, caller, service_id, Some(reason))
}

/// The supplier lifts its hold on every agreement of `service_id` it holds; each one the
/// institution side does not hold too is active again.
pub fn resume_service(
    conn: &mut DbConnection,
    caller: &Caller,
    service_id: &str,
) -> QueryResult<ServiceChange> {
    service_step(conn, caller, service_id, None)
}

fn service_step(
    conn: &mut DbConnection,
    caller: &Caller,
    service_id: &str,
    pause_reason: Option<&str>,
) -> QueryResult<ServiceChange> {
    let supplier: String = services::table
        .find(service_id)
        .select(services::supplier_id)
        .first(conn)?;
    let (service_action, action, topic) = match pause_reason {
        Some(_) => ("service.paused", "agreement.suspended", "service.paused"),
        None => ("service.resumed", "agreement.resumed", "service.resumed"),
    };
    // The candidates, then a guarded update of each chunk: an agreement another writer
    // ended or changed in between is left alone, and only the rows changed are reported.
    let candidates =
        |conn: &mut DbConnection| -> QueryResult<Vec<(String, String, String, String)>> {
            let base = agreements::table
                .filter(agreements::service_id.eq(service_id))
                .filter(agreements::status.eq_any(OPEN))
                .into_boxed();
            let base = match pause_reason {
                Some(_) => base.filter(agreements::supplier_paused_at.is_null()),
                None => base.filter(agreements::supplier_paused_at.is_not_null()),
            };
            base.order(agreements::reference)
                .select((
                    agreements::id,
                    agreements::reference,
                    agreements::institution_number,
                    agreements::status,
                ))
                .load(conn)
        };
    let candidates = candidates(conn)?;
    let ids: Vec<String> = candidates.iter().map(|t| t.0.clone()).collect();
    let now = super::now();
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        let rows = agreements::table
            .filter(agreements::id.eq_any(chunk))
            .filter(agreements::status.eq_any(OPEN));
        match pause_reason {
            Some(reason) => {
                diesel::update(rows.filter(agreements::supplier_paused_at.is_null()))
                    .set((
                        agreements::status.eq(AgreementStatus::Suspended.as_str()),
                        agreements::supplier_paused_at.eq(Some(now)),
                        agreements::supplier_pause_reason.eq(Some(reason)),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::update(rows.filter(agreements::supplier_paused_at.is_not_null()))
                    .set((
                        agreements::supplier_paused_at.eq(None::<PrimitiveDateTime>),
                        agreements::supplier_pause_reason.eq(None::<String>),
                    ))
                    .execute(conn)?;
            }
        }
    }
    if pause_reason.is_none() {
        activate_unheld(conn, &ids)?;
    }
    // What each candidate is now: changed by this step, or left alone.
    let mut after: std::collections::HashMap<String, (String, Option<PrimitiveDateTime>)> =
        Default::default();
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        let rows: Vec<(String, String, Option<PrimitiveDateTime>)> = agreements::table
            .filter(agreements::id.eq_any(chunk))
            .select((
                agreements::id,
                agreements::status,
                agreements::supplier_paused_at,
            ))
            .load(conn)?;
        after.extend(rows.into_iter().map(|(id, s, p)| (id, (s, p))));
    }
    let touched: Vec<(String, String, String, String)> = candidates
        .into_iter()
        .filter(|(id, ..)| match (after.get(id), pause_reason) {
            (Some((status, paused)), Some(_)) => {
                status == AgreementStatus::Suspended.as_str() && *paused == Some(now)
            }
            (Some((status, paused)), None) => paused.is_none() && OPEN.contains(&status.as_str()),
            (None, _) => false,
        })
        .collect();
    audit::record(
        conn,
        caller,
        Entry {
            action: service_action,
            target_type: "service",
            target_id: service_id,
            institution_number: None,
            supplier_id: Some(&supplier),
            details: json!({ "reason": pause_reason, "agreements": touched.len() }),
        },
    )?;
    for (id, reference, institution, before) in &touched {
        let now_status = after.get(id).map(|(s, _)| s.as_str()).unwrap_or_default();
        audit_row(
            conn,
            caller,
            action,
            (id, reference, institution, &supplier),
            json!({ "reference": reference, "side": Side::Supplier.as_str(), "service_id": service_id,
                "before": before, "after": now_status, "reason": pause_reason }),
        )?;
    }
    let touched_ids: Vec<&String> = touched.iter().map(|t| &t.0).collect();
    if !touched_ids.is_empty() {
        outbox::enqueue(
            conn,
            topic,
            json!({ "service_id": service_id, "agreement_ids": touched_ids, "reason": pause_reason }),
        )?;
    }
    Ok(ServiceChange {
        agreements: touched,
    })
}

/// A supplier's service with how many of its agreements are open and how many of those
/// the supplier holds, for the page where it pauses and resumes services.
#[derive(Debug, Clone)]
pub struct ServiceHolds {
    pub service_id: String,
    pub supplier_id: String,
    pub name: String,
    pub open: i64,
    pub held_by_supplier: i64,
    pub reason: Option<String>,
}

/// Every active service of these suppliers, by name, with its open and held agreements.
pub fn services_of(
    conn: &mut DbConnection,
    supplier_ids: &[String],
) -> QueryResult<Vec<ServiceHolds>> {
    let services = super::catalog::active_services_of(conn, supplier_ids)?;
    let mut out = Vec::with_capacity(services.len());
    for s in services {
        let open: i64 = agreements::table
            .filter(agreements::service_id.eq(&s.id))
            .filter(agreements::status.eq_any(OPEN))
            .count()
            .get_result(conn)?;
        let held = || {
            agreements::table
                .filter(agreements::service_id.eq(&s.id))
                .filter(agreements::status.eq_any(OPEN))
                .filter(agreements::supplier_paused_at.is_not_null())
        };
        let held_by_supplier: i64 = held().count().get_result(conn)?;
        let reason: Option<String> = held()
            .select(agreements::supplier_pause_reason)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten();
        out.push(ServiceHolds {
            service_id: s.id,
            supplier_id: s.supplier_id,
            name: s.name,
            open,
            held_by_supplier,
            reason,
        });
    }
    Ok(out)
}
