//! Renewing an agreement: the supplier files, in one click, a request carrying the open
//! agreement's service, scopes and purpose and a new wished period, marked as renewing it
//! (`requests.renews_agreement_id`, kind `extension` since an agreement is open). It goes
//! to the approvers like any filing. Approving it moves the same agreement's end date to
//! the renewal's wished end (none: open-ended): the reference, scopes and history stay,
//! and the end-date reminders start over for the new date.

use diesel::prelude::*;
use serde_json::json;
use time::Date;

use super::audit::{self, Caller, Entry};
use super::schema::{agreement_scopes, agreements, requests, services};
use super::{DbConnection, counters, outbox};
use crate::domain::AgreementStatus;

#[derive(Debug, thiserror::Error)]
pub enum RenewError {
    #[error("the agreement does not exist")]
    NotFound,
    #[error("the agreement has ended ({0:?})")]
    NotOpen(AgreementStatus),
    #[error("a request for the service at the institution is pending ({0})")]
    AlreadyPending(String),
    #[error("the new end date lies before the agreement's current one")]
    EndTooEarly,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The (id, reference) of an agreement.
pub fn reference_of(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(String, String)>> {
    agreements::table
        .find(id)
        .select((agreements::id, agreements::reference))
        .first(conn)
        .optional()
}

/// The reference of the agreement each of these requests renews, by request id (only the
/// renewals among them).
pub fn renewing(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    let mut found = std::collections::HashMap::new();
    for chunk in request_ids.chunks(super::IN_LIST_CHUNK) {
        let rows: Vec<(String, String)> = requests::table
            .inner_join(
                agreements::table.on(agreements::id.nullable().eq(requests::renews_agreement_id)),
            )
            .filter(requests::id.eq_any(chunk))
            .select((requests::id, agreements::reference))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Files the renewal of the open agreement `id` to end on `wished_end` (none: open-ended);
/// returns the request's (id, reference). Runs inside the caller's write transaction.
pub fn file(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    wished_end: Option<Date>,
) -> Result<(String, String), RenewError> {
    let now = super::now();
    let counter = super::requests::counter_name("DA", now.year());
    counters::ensure(conn, &counter)?;
    type Row = (String, String, String, String, Option<Date>, String, String);
    let (status, service_id, institution, municipality, ends_on, purpose, supplier): Row =
        agreements::table
            .inner_join(services::table)
            .inner_join(requests::table.on(requests::id.eq(agreements::request_id)))
            .filter(agreements::id.eq(id))
            .select((
                agreements::status,
                agreements::service_id,
                agreements::institution_number,
                requests::municipality_code.assume_not_null(),
                agreements::ends_on,
                requests::purpose,
                services::supplier_id,
            ))
            .first(conn)
            .optional()?
            .ok_or(RenewError::NotFound)?;
    let status = AgreementStatus::parse(&status).unwrap_or(AgreementStatus::Ended);
    if !status.is_open() {
        return Err(RenewError::NotOpen(status));
    }
    if let (Some(current), Some(wished)) = (ends_on, wished_end)
        && wished <= current
    {
        return Err(RenewError::EndTooEarly);
    }
    let pending: Option<String> = requests::table
        .filter(requests::service_id.eq(&service_id))
        .filter(requests::institution_number.eq(&institution))
        .filter(requests::status.eq("pending"))
        .select(requests::reference)
        .first(conn)
        .optional()?;
    if let Some(reference) = pending {
        return Err(RenewError::AlreadyPending(reference));
    }
    let scopes: Vec<String> = agreement_scopes::table
        .filter(agreement_scopes::agreement_id.eq(id))
        .order(agreement_scopes::scope_code)
        .select(agreement_scopes::scope_code)
        .load(conn)?;
    let klynge: Option<String> = super::register::find(conn, &institution)?
        .and_then(|i| i.parent_number)
        .or(Some(String::new()));
    let request_id = super::new_id();
    let first = counters::reserve(conn, &counter, 1)?;
    let reference = counters::format_reference("DA", now.year(), first);
    let batch_id = super::new_id();
    let today = now.date();
    let wished_start = ends_on.map_or(today, |e| e.max(today));
    diesel::insert_into(requests::table)
        .values((
            requests::id.eq(&request_id),
            requests::reference.eq(&reference),
            requests::batch_id.eq(&batch_id),
            requests::service_id.eq(&service_id),
            requests::institution_number.eq(&institution),
            requests::kind.eq("extension"),
            requests::purpose.eq(&purpose),
            requests::wished_start.eq(wished_start),
            requests::wished_end.eq(wished_end),
            requests::status.eq("pending"),
            requests::filed_by.eq(caller.user_id.clone().unwrap_or_default()),
            requests::filed_at.eq(now),
            requests::municipality_code.eq(Some(&municipality)),
            requests::klynge_number.eq(klynge),
            requests::renews_agreement_id.eq(Some(id)),
        ))
        .execute(conn)
        .map_err(|e| {
            if super::is_unique_violation(&e) {
                RenewError::AlreadyPending(String::new())
            } else {
                e.into()
            }
        })?;
    for scope in &scopes {
        diesel::insert_into(super::schema::request_scopes::table)
            .values((
                super::schema::request_scopes::request_id.eq(&request_id),
                super::schema::request_scopes::scope_code.eq(scope),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        caller,
        Entry {
            action: "request.filed",
            target_type: "request",
            target_id: &request_id,
            institution_number: Some(&institution),
            supplier_id: Some(&supplier),
            details: json!({ "reference": reference, "kind": "renewal", "scopes": scopes,
                "service_id": service_id, "batch_id": batch_id, "renews": id }),
        },
    )?;
    outbox::enqueue(
        conn,
        "requests.filed",
        json!({ "batch_id": batch_id, "request_ids": [request_id] }),
    )?;
    Ok((request_id, reference))
}

/// After a renewal is approved: the agreement it renews ends on the renewal's wished end.
/// Runs in the deciding transaction; returns whether an agreement was renewed.
pub fn apply(conn: &mut DbConnection, caller: &Caller, request_id: &str) -> QueryResult<bool> {
    let row: Option<(Option<String>, Option<Date>, String)> = requests::table
        .find(request_id)
        .select((
            requests::renews_agreement_id,
            requests::wished_end,
            requests::reference,
        ))
        .first(conn)
        .optional()?;
    let Some((Some(agreement_id), wished_end, request_reference)) = row else {
        return Ok(false);
    };
    let found: Option<(String, String, Option<Date>, String)> = agreements::table
        .inner_join(services::table)
        .filter(agreements::id.eq(&agreement_id))
        .filter(agreements::status.eq_any(["active", "suspended"]))
        .select((
            agreements::reference,
            agreements::institution_number,
            agreements::ends_on,
            services::supplier_id,
        ))
        .first(conn)
        .optional()?;
    let Some((reference, institution, before, supplier)) = found else {
        return Ok(false);
    };
    diesel::update(agreements::table.find(&agreement_id))
        .set(agreements::ends_on.eq(wished_end))
        .execute(conn)?;
    let date = |d: Option<Date>| d.map(crate::domain::request_form::format_date);
    audit::record(
        conn,
        caller,
        Entry {
            action: "agreement.renewed",
            target_type: "agreement",
            target_id: &agreement_id,
            institution_number: Some(&institution),
            supplier_id: Some(&supplier),
            details: json!({ "reference": reference, "request": request_reference,
                "ends_before": date(before), "ends_after": date(wished_end) }),
        },
    )?;
    Ok(true)
}
