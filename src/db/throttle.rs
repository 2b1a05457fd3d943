//! Throttling sign-in: failed attempts are counted per account and per client address in a
//! sliding window, in the database so every app server sees them. Over the limit, sign-in
//! is refused before any password work, with the minutes left until it opens again. An
//! attempt counts from the moment it starts ([`begin_attempt`]) until it succeeds.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use super::DbConnection;
use super::schema::login_failures;

pub const WINDOW: Duration = Duration::minutes(15);
pub const PER_ACCOUNT: i64 = 5;
pub const PER_CLIENT: i64 = 20;

/// `Some(minutes)` while the account or the client address has too many recent failures.
pub fn blocked_for(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<Option<i64>> {
    let since = now - WINDOW;
    let account: Vec<PrimitiveDateTime> = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .select(login_failures::failed_at)
        .limit(PER_ACCOUNT)
        .load(conn)?;
    let mut until: Option<PrimitiveDateTime> = None;
    if account.len() as i64 >= PER_ACCOUNT {
        until = account.last().map(|oldest| *oldest + WINDOW);
    }
    if let Some(addr) = client {
        let by_client: Vec<PrimitiveDateTime> = login_failures::table
            .filter(login_failures::client_addr.eq(addr))
            .filter(login_failures::failed_at.gt(since))
            .order(login_failures::failed_at.desc())
            .select(login_failures::failed_at)
            .limit(PER_CLIENT)
            .load(conn)?;
        if by_client.len() as i64 >= PER_CLIENT {
            let client_until = by_client.last().map(|oldest| *oldest + WINDOW);
            until = until.max(client_until);
        }
    }
    Ok(until.map(|u| ((u - now).whole_seconds() + 59).max(60) / 60))
}

pub fn record_failure(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(super::new_id()),
            login_failures::email.eq(email),
            login_failures::client_addr.eq(client),
            login_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    // Old rows are dead weight; drop them while we are here.
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(now - WINDOW)))
        .execute(conn)
        .map(|_| ())
}

/// Starts an attempt: refused with the minutes to wait while over the limit; otherwise
/// counted at once as a failure, in its own short transaction before any password work,
/// so a burst of parallel guesses cannot all slip under the limit. A success then clears
/// the account's failures, this attempt's row with them.
pub fn begin_attempt(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
) -> QueryResult<Option<i64>> {
    super::write_tx(conn, |conn| {
        serialise_per_account(conn, email)?;
        let now = super::now();
        if let Some(minutes) = blocked_for(conn, email, client, now)? {
            return Ok(Some(minutes));
        }
        record_failure(conn, email, client, now)?;
        Ok(None)
    })
}

/// Makes attempts on one account count one after another. SQLite's write transaction
/// already does; PostgreSQL takes a transaction-scoped advisory lock on the account.
pub fn serialise_per_account(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked")
            .bind::<diesel::sql_types::Text, _>(email)
            .execute(pg)?;
    }
    Ok(())
}

/// A successful sign-in clears the account's failures.
pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email)))
        .execute(conn)
        .map(|_| ())
}
