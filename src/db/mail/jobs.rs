//! Queries for the worker's periodic jobs: reminders for requests left pending, daily
//! digests, agreements whose end date has passed, and the municipality copies on rows
//! written around the database's triggers (a bulk load with triggers off).

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use super::MailMessage;
use crate::db::DbConnection;
use crate::db::schema::{agreements, institutions, mail_messages, requests};

/// At most `limit` pending requests filed before `filed_before` and not reminded since
/// `reminded_before`, oldest first.
pub fn due_reminders(
    conn: &mut DbConnection,
    filed_before: PrimitiveDateTime,
    reminded_before: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    // Written out: bound, PostgreSQL walked every request by filing date (0.6-0.8 s a
    // batch at national size) instead of the pending ones in `requests_status_filed_reference`.
    requests::table
        .filter(crate::db::requests::is_pending())
        .filter(requests::filed_at.lt(filed_before))
        .filter(
            requests::reminded_at
                .is_null()
                .or(requests::reminded_at.lt(reminded_before)),
        )
        .order(requests::filed_at)
        .select(requests::id)
        .limit(limit)
        .load(conn)
}

pub fn mark_reminded(
    conn: &mut DbConnection,
    ids: &[String],
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    for chunk in ids.chunks(crate::db::register::CHUNK) {
        diesel::update(requests::table.filter(requests::id.eq_any(chunk)))
            .set(requests::reminded_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Messages held for digests and created before `cutoff`, for at most `recipients`
/// recipients, each recipient's oldest first; a recipient is never split between batches.
pub fn held_before(
    conn: &mut DbConnection,
    cutoff: PrimitiveDateTime,
    recipients: i64,
) -> QueryResult<Vec<MailMessage>> {
    let held = mail_messages::table
        .filter(mail_messages::status.eq("held"))
        .filter(mail_messages::created_at.lt(cutoff));
    let batch: Vec<String> = held
        .select(mail_messages::recipient)
        .distinct()
        .order(mail_messages::recipient)
        .limit(recipients)
        .load(conn)?;
    held.filter(mail_messages::recipient.eq_any(&batch))
        .order((mail_messages::recipient, mail_messages::created_at))
        .select(MailMessage::as_select())
        .load(conn)
}

pub fn mark_digested(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    for chunk in ids.chunks(crate::db::register::CHUNK) {
        diesel::update(
            mail_messages::table
                .filter(mail_messages::id.eq_any(chunk))
                .filter(mail_messages::status.eq("held")),
        )
        .set(mail_messages::status.eq("digested"))
        .execute(conn)?;
    }
    Ok(())
}

/// At most `limit` open agreements whose end date lies before `today`.
pub fn expired_agreements(
    conn: &mut DbConnection,
    today: Date,
    limit: i64,
) -> QueryResult<Vec<String>> {
    // The date is written out too (it is ours, formatted as the database stores it): a
    // bound `ends_on < $1` is planned as a third of all agreements, and PostgreSQL read
    // every agreement (0.13 s) instead of the few open ones due in `agreements_open_ends_on`.
    let ends_before = format!("agreements.ends_on < '{today}'");
    agreements::table
        .filter(crate::db::agreements::is_open())
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&ends_before))
        .select(agreements::id)
        .limit(limit)
        .load(conn)
}

/// Gives up to `limit` requests and up to `limit` agreements that lack it their
/// institution's municipality, and up to `limit` requests their klynge; returns how many
/// rows were mended.
pub fn fill_municipality_copies(conn: &mut DbConnection, limit: i64) -> QueryResult<usize> {
    let requests_missing: Vec<String> = requests::table
        .filter(requests::municipality_code.is_null())
        .select(requests::id)
        .limit(limit)
        .load(conn)?;
    let agreements_missing: Vec<String> = agreements::table
        .filter(agreements::municipality_code.is_null())
        .select(agreements::id)
        .limit(limit)
        .load(conn)?;
    let klynge_missing: Vec<String> = requests::table
        .filter(requests::klynge_number.is_null())
        .select(requests::id)
        .limit(limit)
        .load(conn)?;
    let mut mended = 0;
    for chunk in klynge_missing.chunks(crate::db::register::CHUNK) {
        mended += diesel::update(requests::table.filter(requests::id.eq_any(chunk)))
            .set(
                requests::klynge_number.eq(institutions::table
                    .filter(institutions::number.eq(requests::institution_number))
                    .select(diesel::dsl::sql::<diesel::sql_types::Text>(
                        "COALESCE(institutions.parent_number, '')",
                    ))
                    .single_value()),
            )
            .execute(conn)?;
    }
    for chunk in requests_missing.chunks(crate::db::register::CHUNK) {
        mended += diesel::update(requests::table.filter(requests::id.eq_any(chunk)))
            .set(
                requests::municipality_code.eq(institutions::table
                    .filter(institutions::number.eq(requests::institution_number))
                    .select(institutions::municipality_code)
                    .single_value()),
            )
            .execute(conn)?;
    }
    for chunk in agreements_missing.chunks(crate::db::register::CHUNK) {
        mended += diesel::update(agreements::table.filter(agreements::id.eq_any(chunk)))
            .set(
                agreements::municipality_code.eq(institutions::table
                    .filter(institutions::number.eq(agreements::institution_number))
                    .select(institutions::municipality_code)
                    .single_value()),
            )
            .execute(conn)?;
    }
    Ok(mended)
}
