//! The second factor as stored: a person's TOTP secret, the last time step accepted (so
//! a code is never accepted twice) and their recovery codes, hashed. Turning it on or off
//! is one transaction with its audit row.

use diesel::prelude::*;
use serde_json::json;

use super::DbConnection;
use super::audit::{self, Caller};
use super::schema::{recovery_codes, users};
use crate::auth::totp;

/// Turns the second factor on with a confirmed secret and stores the recovery codes
/// (replacing any earlier ones).
pub fn enable(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    secret: &str,
    step: i64,
    codes: &[String],
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::totp_secret.eq(secret),
            users::totp_last_step.eq(step),
        ))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for code in codes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(super::new_id()),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(totp::recovery_code_hash(code)),
            ))
            .execute(conn)?;
    }
    audit::record_for_user(conn, caller, "user.totp_enabled", user_id, json!({}))
}

/// Turns the second factor off and voids the recovery codes.
pub fn disable(conn: &mut DbConnection, caller: &Caller, user_id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::totp_secret.eq(None::<String>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    audit::record_for_user(conn, caller, "user.totp_disabled", user_id, json!({}))
}

/// Accepts a code's time step once: a later step than any accepted before.
pub fn accept_step(conn: &mut DbConnection, user_id: &str, step: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table.find(user_id).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Uses up a recovery code; `false` if it is not one of the person's unused codes.
pub fn use_recovery_code(conn: &mut DbConnection, user_id: &str, code: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(totp::recovery_code_hash(code)))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(super::now()))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Unused recovery codes left.
pub fn recovery_codes_left(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// What became of a code given after the password.
#[derive(Debug)]
pub enum CodeOutcome {
    /// Signed in: the session that waited is ended and this is the new one's token.
    SignedIn { token: String },
    /// Wrong, or already used; counted as a failed attempt.
    Refused,
    /// Too many failed attempts lately.
    Blocked { minutes: i64 },
}

/// Checks the code of a person whose password was accepted, in one transaction with its
/// throttle row and audit row: a TOTP code for a later time step than any before, or an
/// unused recovery code. On success the waiting session is swapped for a signed-in one.
pub fn complete_sign_in(
    conn: &mut DbConnection,
    caller: &Caller,
    pending_token: &str,
    person: &super::users::User,
    code: &str,
    unix_seconds: u64,
) -> QueryResult<CodeOutcome> {
    use super::{sessions, throttle};
    throttle::serialise_per_account(conn, &person.email)?;
    let client = caller.client_addr.as_deref();
    let at = super::now();
    if let Some(minutes) = throttle::blocked_for(conn, &person.email, client, at)? {
        return Ok(CodeOutcome::Blocked { minutes });
    }
    let secret = person.totp_secret.as_deref().unwrap_or_default();
    let how = match totp::matching_step(secret, code, unix_seconds) {
        Some(step) if accept_step(conn, &person.id, step)? => Some("totp"),
        Some(_) => None,
        None if use_recovery_code(conn, &person.id, code)? => Some("recovery_code"),
        None => None,
    };

    let Some(how) = how else {
        throttle::record_failure(conn, &person.email, client, at)?;
        let details = json!({ "email": person.email, "reason": "second_factor" });
        audit::record_for_user(conn, caller, "user.login_failed", &person.id, details)?;
        return Ok(CodeOutcome::Refused);
    };
    throttle::clear(conn, &person.email)?;
    sessions::end(conn, pending_token)?;
    let token = sessions::create(conn, &person.id, client)?;
    let details = json!({ "email": person.email, "second_factor": how });
    audit::record_for_user(conn, caller, "user.login", &person.id, details)?;
    Ok(CodeOutcome::SignedIn { token })
}
