//! Reminders before an agreement's end date: which open agreements are due a reminder
//! `days` before their end, and the record that it went out (one row per agreement, end
//! date and number of days, written with the outbox row), so none goes out twice.

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use super::DbConnection;
use super::schema::{agreement_end_reminders, agreements};

/// At most `limit` open agreements ending between `today` and `today + days` that have
/// not had the `days` reminder for that end date, soonest end first: (id, end date).
pub fn due(
    conn: &mut DbConnection,
    today: Date,
    days: i64,
    limit: i64,
) -> QueryResult<Vec<(String, Date)>> {
    let sent = agreement_end_reminders::table
        .filter(agreement_end_reminders::agreement_id.eq(agreements::id))
        .filter(
            agreement_end_reminders::ends_on
                .nullable()
                .eq(agreements::ends_on),
        )
        .filter(agreement_end_reminders::days_before.eq(days as i32));
    let rows: Vec<(String, Option<Date>)> = agreements::table
        .filter(super::agreements::is_open())
        .filter(agreements::ends_on.ge(today))
        .filter(agreements::ends_on.le(today + time::Duration::days(days)))
        .filter(diesel::dsl::not(diesel::dsl::exists(sent)))
        .order((agreements::ends_on, agreements::id))
        .limit(limit)
        .select((agreements::id, agreements::ends_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, ends)| ends.map(|e| (id, e)))
        .collect())
}

/// Records that `agreements` had the reminder `days_before` their end date; each one
/// also counts as having had every reminder of more days not yet sent (an agreement first
/// seen 5 days before its end is told once, not for 30 and 7 days at once).
pub fn mark_sent(
    conn: &mut DbConnection,
    agreements: &[(String, Date)],
    days_before: &[i64],
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    for (id, ends_on) in agreements {
        for days in days_before {
            let exists: i64 = agreement_end_reminders::table
                .filter(agreement_end_reminders::agreement_id.eq(id))
                .filter(agreement_end_reminders::ends_on.eq(ends_on))
                .filter(agreement_end_reminders::days_before.eq(*days as i32))
                .count()
                .get_result(conn)?;
            if exists == 0 {
                diesel::insert_into(agreement_end_reminders::table)
                    .values((
                        agreement_end_reminders::agreement_id.eq(id),
                        agreement_end_reminders::ends_on.eq(ends_on),
                        agreement_end_reminders::days_before.eq(*days as i32),
                        agreement_end_reminders::sent_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// The end-date reminders an agreement has had (days before its current end date).
pub fn sent_for(conn: &mut DbConnection, agreement_id: &str) -> QueryResult<Vec<(Date, i32)>> {
    agreement_end_reminders::table
        .filter(agreement_end_reminders::agreement_id.eq(agreement_id))
        .order((
            agreement_end_reminders::ends_on,
            agreement_end_reminders::days_before,
        ))
        .select((
            agreement_end_reminders::ends_on,
            agreement_end_reminders::days_before,
        ))
        .load(conn)
}
