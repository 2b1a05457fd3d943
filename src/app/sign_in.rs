//! Signing in and out: the password step (after the hash was checked off the request's
//! thread), the provider's steps (a sign-in begun, its callback taken, the identity it
//! vouched for), turning the second factor on and off, and signing out. Each step is one
//! transaction with its audit row; the visitor is a [`Caller`] until someone is known.

use serde_json::json;

use super::Result;
use crate::auth::oidc::VerifiedIdentity;
use crate::db::audit::{self, Caller, Entry};
use crate::db::identities::{self, SignIn};
use crate::db::oidc_logins::{self, PendingLogin};
use crate::db::sessions::{self, Stage};
use crate::db::{DbConnection, second_factor, throttle, write_tx};

/// A password sign-in whose hash has been checked.
#[derive(Debug, Clone)]
pub struct PasswordAttempt {
    /// The email as typed (normalised), for the audit row and the throttle.
    pub email: String,
    /// The person with that email, if any.
    pub user_id: Option<String>,
    /// The password matched that person's hash.
    pub verified: bool,
    /// The person has a second factor: the password opens only the code form.
    pub second_factor: bool,
    /// The throttle's attempt, begun before the hash was checked.
    pub attempt_id: String,
    /// The browser's current session, ended by a sign-in.
    pub old_token: Option<String>,
}

/// What a password attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordOutcome {
    /// Wrong email or password (the same answer either way).
    Refused,
    /// The password was right; this session only reaches the code form.
    CodeNeeded(String),
    /// Signed in with this session token.
    SignedIn(String),
}

/// Finishes a password sign-in: counts a failure, or starts the session.
pub fn password(
    conn: &mut DbConnection,
    caller: &Caller,
    attempt: &PasswordAttempt,
    client_addr: Option<&str>,
) -> Result<PasswordOutcome> {
    write_tx(conn, |conn| {
        let target = attempt.user_id.as_deref().unwrap_or("unknown");
        let details = json!({ "email": attempt.email });
        let user_id = match (&attempt.user_id, attempt.verified) {
            (Some(id), true) => id.as_str(),
            _ => {
                throttle::attempt_failed(conn, &attempt.attempt_id)?;
                audit::record_for_user(conn, caller, "user.login_failed", target, details)?;
                return Ok(PasswordOutcome::Refused);
            }
        };
        if let Some(old) = &attempt.old_token {
            sessions::end(conn, old)?;
        }
        if attempt.second_factor {
            // Until its code is right, the sign-in counts as a failed attempt: password
            // and codes share the account's limit.
            throttle::attempt_failed(conn, &attempt.attempt_id)?;
            let token = sessions::start(conn, user_id, client_addr, Stage::SecondFactor, None)?;
            return Ok(PasswordOutcome::CodeNeeded(token));
        }
        throttle::clear(conn, &attempt.email)?;
        let token = sessions::create(conn, user_id, client_addr)?;
        audit::record_for_user(conn, caller, "user.login", target, details)?;
        Ok(PasswordOutcome::SignedIn(token))
    })
}

/// Ends the session `token` of the person `caller` names; returns the provider's ID
/// token when the session came from the provider (to sign out there too).
pub fn sign_out(conn: &mut DbConnection, caller: &Caller, token: &str) -> Result<Option<String>> {
    write_tx(conn, |conn| {
        let id_token = sessions::id_token_of(conn, token)?;
        sessions::end(conn, token)?;
        audit::record(
            conn,
            caller,
            Entry {
                action: "user.logout",
                target_type: "user",
                target_id: caller.user_id.as_deref().unwrap_or_default(),
                institution_number: None,
                supplier_id: None,
                details: json!({ "provider_logout": id_token.is_some() }),
            },
        )?;
        Ok(id_token)
    })
}

/// Audits a provider sign-in that failed before anyone was known (`reason` a stable code).
pub fn provider_failed(
    conn: &mut DbConnection,
    caller: &Caller,
    reason: &str,
    detail: &str,
) -> Result<()> {
    let details = json!({ "method": "oidc", "reason": reason, "detail": detail });
    write_tx(conn, |conn| {
        Ok(audit::record_for_user(
            conn,
            caller,
            "user.login_failed",
            "unknown",
            details,
        )?)
    })
}

/// Keeps a provider sign-in under way, for the callback of this browser.
pub fn provider_begun(
    conn: &mut DbConnection,
    state: &str,
    browser: &str,
    pending: &PendingLogin,
) -> Result<()> {
    write_tx(conn, |conn| {
        Ok(oidc_logins::save(conn, state, browser, pending)?)
    })
}

/// Takes the sign-in the callback's `state` names, once, if it is this browser's.
pub fn provider_returned(
    conn: &mut DbConnection,
    state: &str,
    browser: Option<&str>,
) -> Result<Option<PendingLogin>> {
    write_tx(conn, |conn| Ok(oidc_logins::take(conn, state, browser)?))
}

/// What the identity the provider vouched for came to.
#[derive(Debug)]
pub enum ProviderOutcome {
    Resolved(SignIn),
    /// The same person's first sign-in ran twice at once: the other one linked them.
    Raced,
}

/// Signs in the person the provider's identity belongs to (linking it on first use).
pub fn provider_identity(
    conn: &mut DbConnection,
    caller: Caller,
    identity: &VerifiedIdentity,
    old_token: Option<String>,
) -> Result<ProviderOutcome> {
    let outcome = write_tx(conn, |conn| -> Result<SignIn> {
        Ok(identities::sign_in(conn, caller, identity, old_token)?)
    });
    match outcome {
        Ok(sign_in) => Ok(ProviderOutcome::Resolved(sign_in)),
        Err(e) if e.is_unique_violation() => Ok(ProviderOutcome::Raced),
        Err(e) => Err(e),
    }
}

/// The second factor a person turns on: the secret, the time step of the code that
/// proved it, and the recovery codes.
pub struct NewSecondFactor<'a> {
    pub secret: &'a str,
    pub step: i64,
    pub recovery_codes: &'a [String],
}

/// Turns the second factor on. Every session begun without it ends, the caller's
/// included; returns the token of the new session that browser continues in.
pub fn turn_on_second_factor(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    factor: &NewSecondFactor<'_>,
) -> Result<String> {
    write_tx(conn, |conn| {
        second_factor::enable(
            conn,
            caller,
            user_id,
            factor.secret,
            factor.step,
            factor.recovery_codes,
        )?;
        sessions::end_all_for(conn, user_id)?;
        Ok(sessions::create(
            conn,
            user_id,
            caller.client_addr.as_deref(),
        )?)
    })
}

/// Turns the second factor off (the password was asked again and was right).
pub fn turn_off_second_factor(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    email: &str,
) -> Result<()> {
    write_tx(conn, |conn| {
        throttle::clear(conn, email)?;
        Ok(second_factor::disable(conn, caller, user_id)?)
    })
}

/// Starts a throttled password attempt for the account (counted before the hash is
/// checked, so parallel guesses get no more checks than the limit).
pub fn begin_attempt(
    conn: &mut DbConnection,
    email: &str,
    client_addr: Option<&str>,
) -> Result<throttle::Attempt> {
    Ok(write_tx(conn, |conn| {
        throttle::begin_attempt(conn, email, client_addr)
    })?)
}

/// Counts an attempt begun with [`begin_attempt`] as failed (a wrong password where the
/// password is asked again, as when the second factor is turned off).
pub fn attempt_failed(conn: &mut DbConnection, attempt_id: &str) -> Result<()> {
    Ok(throttle::attempt_failed(conn, attempt_id)?)
}

/// Checks the code (or a recovery code) of a person whose password was accepted, and
/// signs them in when it is right.
pub fn second_factor_code(
    conn: &mut DbConnection,
    caller: &Caller,
    pending_token: &str,
    person: &crate::db::users::User,
    code: &str,
    unix_seconds: u64,
) -> Result<second_factor::CodeOutcome> {
    Ok(write_tx(conn, |conn| {
        second_factor::complete_sign_in(conn, caller, pending_token, person, code, unix_seconds)
    })?)
}
