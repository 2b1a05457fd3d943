//! A person's own account: asking for a reset link, setting a password from a link
//! (reset or invitation), changing the password, and choosing language and mail rhythm.
//! Hashing happens before these are called, off the request's thread.

use serde_json::json;

use super::{Acting, Error, Result};
use crate::db::account_tokens::{self, Purpose};
use crate::db::audit::{self, Caller};
use crate::db::{DbConnection, users, write_tx};

/// Mails a reset link to the person with this email if they are active, have a password
/// here and have not had `per_hour` links in the last hour; otherwise nothing happens
/// (the visitor is answered the same either way).
pub fn request_password_reset(
    conn: &mut DbConnection,
    caller: &Caller,
    base_url: &str,
    email: &str,
    per_hour: i64,
) -> Result<()> {
    write_tx(conn, |conn| {
        account_tokens::request_reset(conn, caller, base_url, email, per_hour)
    })
    .map_err(Error::Storage)
}

/// Sets the password from a live link, using it up and ending every session of the
/// person; `false` when the link was used, expired or unknown.
pub fn set_password_from_link(
    conn: &mut DbConnection,
    caller: &Caller,
    token: &str,
    purpose: Purpose,
    hash: &str,
) -> Result<bool> {
    Ok(write_tx(conn, |conn| {
        account_tokens::set_password(conn, caller, token, purpose, hash)
    })?)
}

/// Changes the signed-in person's password (the current one was checked); every session
/// of theirs ends and the token of the browser's new one is returned.
pub fn change_password(conn: &mut DbConnection, acting: &Acting, hash: &str) -> Result<String> {
    Ok(write_tx(conn, |conn| {
        users::change_password(conn, &acting.caller(None), acting.user_id(), hash)
    })?)
}

pub use crate::i18n::Language;

/// Saves the language the signed-in person reads pages and mails in (the switch on every
/// page), with an audit row naming it.
pub fn save_language(conn: &mut DbConnection, acting: &Acting, language: Language) -> Result<()> {
    let caller = acting.caller(None);
    write_tx(conn, |conn| {
        users::set_language(conn, acting.user_id(), language.code())?;
        audit::record_for_user(
            conn,
            &caller,
            "user.preferences_changed",
            acting.user_id(),
            json!({ "language": language.code() }),
        )?;
        Ok(())
    })
}

/// Saves the signed-in person's choices, with an audit row naming them.
pub fn save_preferences(
    conn: &mut DbConnection,
    acting: &Acting,
    language: Language,
    digest: bool,
) -> Result<()> {
    let caller = acting.caller(None);
    write_tx(conn, |conn| {
        users::set_mail_preferences(conn, acting.user_id(), language.code(), digest)?;
        audit::record_for_user(
            conn,
            &caller,
            "user.preferences_changed",
            acting.user_id(),
            json!({ "language": language.code(), "mail": if digest { "digest" } else { "immediate" } }),
        )?;
        Ok(())
    })
}
