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
/// An attempt left unfinished this long (the client hung up during the password check)
/// counts as failed.
const UNFINISHED: Duration = Duration::minutes(1);

/// `Some(minutes)` while the account or the client address has too many recent failures
/// (each such refusal is counted for `/metrics`).
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
        // An attempt still under way does not count against the address (colleagues
        // behind one address sign in at once), unless it was left unfinished.
        let by_client: Vec<PrimitiveDateTime> = login_failures::table
            .filter(login_failures::client_addr.eq(addr))
            .filter(login_failures::failed_at.gt(since))
            .filter(
                login_failures::settled
                    .eq(true)
                    .or(login_failures::failed_at.lt(now - UNFINISHED)),
            )
            .order(login_failures::failed_at.desc())
            .select(login_failures::failed_at)
            .limit(PER_CLIENT)
            .load(conn)?;
        if by_client.len() as i64 >= PER_CLIENT {
            let client_until = by_client.last().map(|oldest| *oldest + WINDOW);
            until = until.max(client_until);
        }
    }
    if until.is_some() {
        crate::telemetry::metrics::login_throttled();
    }
    Ok(until.map(|u| ((u - now).whole_seconds() + 59).max(60) / 60))
}

pub fn record_failure(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    insert(conn, email, client, now, true).map(|_| ())
}

fn insert(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
    now: PrimitiveDateTime,
    settled: bool,
) -> QueryResult<String> {
    let id = super::new_id();
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(&id),
            login_failures::email.eq(email),
            login_failures::client_addr.eq(client),
            login_failures::failed_at.eq(now),
            login_failures::settled.eq(settled),
        ))
        .execute(conn)?;
    // Old rows are dead weight; drop them while we are here.
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(now - WINDOW)))
        .execute(conn)?;
    Ok(id)
}

/// A sign-in attempt, as the throttle sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Too many recent failures: refused before any password work.
    Blocked { minutes: i64 },
    /// Under way, and already counted against the account (see [`begin_attempt`]).
    Started { id: String },
}

/// Starts an attempt: refused with the minutes to wait while over the limit; otherwise
/// counted against the account at once, in its own short transaction before any password
/// work, so parallel guesses at one account cannot all slip under its limit. The row
/// counts against the client address once the attempt has failed ([`attempt_failed`]) or
/// been left unfinished for a minute, so colleagues signing in at once behind one address
/// do not block each other, and hanging up does not dodge the limit. A success clears
/// the account's failures, this row with them.
pub fn begin_attempt(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
) -> QueryResult<Attempt> {
    super::write_tx(conn, |conn| {
        serialise_per_account(conn, email)?;
        let now = super::now();
        if let Some(minutes) = blocked_for(conn, email, client, now)? {
            return Ok(Attempt::Blocked { minutes });
        }
        let id = insert(conn, email, client, now, false)?;
        Ok(Attempt::Started { id })
    })
}

/// The attempt failed: it now counts against the client address too.
pub fn attempt_failed(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(login_failures::table.find(id))
        .set(login_failures::settled.eq(true))
        .execute(conn)
        .map(|_| ())
}

/// Makes attempts on one account count one after another.
pub fn serialise_per_account(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    super::serialise_on(conn, &format!("login:{email}"))
}

/// A successful sign-in clears the account's failures.
pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email)))
        .execute(conn)
        .map(|_| ())
}
