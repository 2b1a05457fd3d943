//! Readable, gap-free references such as `DA-2026-000123`, drawn from a counter row
//! that is locked for the rest of the drawing transaction.

use diesel::prelude::*;

use super::DbConnection;
use super::schema::counters;

/// Makes sure the counter exists. Inside a transaction the insert runs in a savepoint, so
/// losing the race to another first drawer of the year rolls back only the insert.
pub fn ensure(conn: &mut DbConnection, name: &str) -> QueryResult<()> {
    let exists: i64 = counters::table
        .filter(counters::name.eq(name))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        match conn.transaction(|conn| {
            diesel::insert_into(counters::table)
                .values((counters::name.eq(name), counters::value.eq(0_i64)))
                .execute(conn)
        }) {
            Err(e) if super::is_unique_violation(&e) => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// Reserves `count` consecutive values and returns the first. Must run inside a write
/// transaction, after [`ensure`].
pub fn reserve(conn: &mut DbConnection, name: &str, count: i64) -> QueryResult<i64> {
    diesel::update(counters::table.find(name))
        .set(counters::value.eq(counters::value + count))
        .execute(conn)?;
    let last: i64 = counters::table
        .find(name)
        .select(counters::value)
        .first(conn)?;
    Ok(last - count + 1)
}

/// `PREFIX-YEAR-NNNNNN`.
pub fn format_reference(prefix: &str, year: i32, value: i64) -> String {
    format!("{prefix}-{year}-{value:06}")
}
