//! Throttling sign-in: failed attempts are counted per account and per client address in a
//! sliding window, in the database so every app server sees them. Over the limit, sign-in
//! is refused before any password work, with the minutes left until it opens again. Only
//! failures count: an attempt under way holds a place within its account's limit
//! ([`begin_attempt`]), so parallel guesses cannot slip past it, but it is not a failure
//! until it fails — parallel correct sign-ins wait for each other, never for a block.

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

/// The account's recent failures (newest first) — failed attempts, and attempts left
/// unfinished — and how many of its attempts are under way.
fn account_attempts(
    conn: &mut DbConnection,
    email: &str,
    now: PrimitiveDateTime,
) -> QueryResult<(Vec<PrimitiveDateTime>, usize)> {
    let rows: Vec<(PrimitiveDateTime, bool)> = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(now - WINDOW))
        .order(login_failures::failed_at.desc())
        .select((login_failures::failed_at, login_failures::settled))
        .load(conn)?;
    let (failed, under_way): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(at, settled)| *settled || *at < now - UNFINISHED);
    Ok((
        failed.into_iter().map(|(at, _)| at).collect(),
        under_way.len(),
    ))
}

/// `Some(minutes)` while the account or the client address has too many recent failures
/// (each such refusal is counted for `/metrics`).
pub fn blocked_for(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<Option<i64>> {
    let since = now - WINDOW;
    let (account, _) = account_attempts(conn, email, now)?;
    let mut until: Option<PrimitiveDateTime> = None;
    if account.len() as i64 >= PER_ACCOUNT {
        until = account
            .get(PER_ACCOUNT as usize - 1)
            .map(|oldest| *oldest + WINDOW);
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
    /// The account's other attempts under way fill what is left of its limit: ask again
    /// once they have ended (they either fail, and the limit is reached, or succeed and
    /// clear it).
    Busy,
    /// Under way, and already counted against the account (see [`begin_attempt`]).
    Started { id: String },
}

/// Starts an attempt: refused with the minutes to wait while over the limit; [`Attempt::Busy`]
/// while the account's failures and its attempts under way together fill its limit;
/// otherwise recorded at once as under way, in its own short transaction before any
/// password work, so parallel guesses at one account never get more checks than its limit.
/// The row becomes a failure — against the account and the client address — once the
/// attempt has failed ([`attempt_failed`]) or been left unfinished for a minute, so
/// parallel correct sign-ins and colleagues behind one address do not block each other,
/// and hanging up does not dodge the limit. A success clears the account's failures, this
/// row with them.
pub fn begin_attempt(
    conn: &mut DbConnection,
    email: &str,
    client: Option<&str>,
) -> QueryResult<Attempt> {
    serialise_per_account(conn, email)?;
    let now = super::now();
    if let Some(minutes) = blocked_for(conn, email, client, now)? {
        return Ok(Attempt::Blocked { minutes });
    }
    let (failed, under_way) = account_attempts(conn, email, now)?;
    if (failed.len() + under_way) as i64 >= PER_ACCOUNT {
        return Ok(Attempt::Busy);
    }
    let id = insert(conn, email, client, now, false)?;
    Ok(Attempt::Started { id })
}

/// The attempt failed: it now counts against the account and the client address.
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
