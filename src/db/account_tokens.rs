//! Invitation and password-reset links: a random token in the mailed link, only its hash
//! here. A link is used at most once (a guarded update) and expires; a new invitation
//! replaces an older one. The mail with the link is queued in the same
//! transaction that makes the token, so the link is never made without being sent.

use diesel::prelude::*;
use serde_json::json;
use time::Duration;

use super::DbConnection;
use super::audit::{self, Caller};
use super::schema::{account_tokens, users};
use super::sessions::{hash_token, new_token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Sets the first password of a person an operator created.
    Invitation,
    /// Sets a new password for a person who forgot theirs.
    PasswordReset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// How long a link works.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::Invitation => Duration::days(7),
            Self::PasswordReset => Duration::hours(1),
        }
    }
}

/// Makes a new link for the person. A new invitation voids the earlier ones; reset links
/// live side by side, so a stranger asking for resets cannot void the one the person uses.
pub fn issue(conn: &mut DbConnection, user_id: &str, purpose: Purpose) -> QueryResult<String> {
    let now = super::now();
    if purpose == Purpose::Invitation {
        diesel::update(
            account_tokens::table
                .filter(account_tokens::user_id.eq(user_id))
                .filter(account_tokens::purpose.eq(purpose.as_str()))
                .filter(account_tokens::used_at.is_null()),
        )
        .set(account_tokens::used_at.eq(now))
        .execute(conn)?;
    }
    let token = new_token();
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(hash_token(&token)),
            account_tokens::user_id.eq(user_id),
            account_tokens::purpose.eq(purpose.as_str()),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The person a link is for, while it is unused and unexpired (the form is shown).
pub fn peek(conn: &mut DbConnection, token: &str, purpose: Purpose) -> QueryResult<Option<String>> {
    account_tokens::table
        .filter(account_tokens::token_hash.eq(hash_token(token)))
        .filter(account_tokens::purpose.eq(purpose.as_str()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(super::now()))
        .select(account_tokens::user_id)
        .first(conn)
        .optional()
}

/// Uses the link up: the person it is for, or `None` if it was used, expired or unknown.
/// Of two uses at the same moment exactly one wins.
pub fn redeem(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> QueryResult<Option<String>> {
    let Some(user_id) = peek(conn, token, purpose)? else {
        return Ok(None);
    };
    let now = super::now();
    let used = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(hash_token(token)))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((used == 1).then_some(user_id))
}

/// Sets the password from a live link, in one transaction: uses the link up, stores the
/// hash, ends every session of the person and writes the audit row. `false` when the
/// link was used, expired or unknown (of two uses at once, one wins).
pub fn set_password(
    conn: &mut DbConnection,
    caller: &Caller,
    token: &str,
    purpose: Purpose,
    hash: &str,
) -> QueryResult<bool> {
    let Some(user_id) = redeem(conn, token, purpose)? else {
        return Ok(false);
    };
    // Any other link still out there is void now.
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(&user_id))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(super::now()))
    .execute(conn)?;
    diesel::update(users::table.find(&user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    let ended = super::sessions::end_all_for(conn, &user_id)?;
    let action = match purpose {
        Purpose::Invitation => "user.invitation_accepted",
        Purpose::PasswordReset => "user.password_reset",
    };
    let details = json!({ "sessions_ended": ended });
    audit::record_for_user(conn, &caller.as_user(&user_id), action, &user_id, details)?;
    Ok(true)
}

/// Mails a reset link to the person with this email, if they are active, have a
/// password here and have not had `per_hour` links in the last hour; otherwise nothing
/// happens, and the caller answers the same either way.
pub fn request_reset(
    conn: &mut DbConnection,
    caller: &Caller,
    base_url: &str,
    email: &str,
    per_hour: i64,
) -> anyhow::Result<()> {
    let Some(user) = super::users::find_by_email(conn, email)? else {
        return Ok(());
    };
    // Only local accounts have a password to reset; people who sign in through the
    // provider reset nothing here.
    if !user.is_active() || user.password_hash.is_none() {
        return Ok(());
    }
    if recent_resets(conn, &user.id)? >= per_hour {
        return Ok(());
    }
    mail_link(conn, base_url, &user, Purpose::PasswordReset, None)?;
    audit::record_for_user(
        conn,
        &caller.as_user(&user.id),
        "user.password_reset_requested",
        &user.id,
        json!({}),
    )?;
    Ok(())
}

/// Reset links asked for a person in the last hour (to refuse a flood of reset mail).
pub fn recent_resets(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    account_tokens::table
        .filter(account_tokens::user_id.eq(user_id))
        .filter(account_tokens::purpose.eq(Purpose::PasswordReset.as_str()))
        .filter(account_tokens::created_at.gt(super::now() - Duration::hours(1)))
        .count()
        .get_result(conn)
}

/// Makes a link and queues the mail that carries it, in the caller's transaction. The
/// link is never logged: it is as good as the password it sets.
pub fn mail_link(
    conn: &mut DbConnection,
    base_url: &str,
    user: &super::users::User,
    purpose: Purpose,
    inviter: Option<&str>,
) -> anyhow::Result<()> {
    let token = issue(conn, &user.id, purpose)?;
    let path = match purpose {
        Purpose::Invitation => format!("/invitation/{token}"),
        Purpose::PasswordReset => format!("/password/reset/{token}"),
    };
    let recipient = super::mail::Recipient {
        email: user.email.clone(),
        language: user.language.clone(),
        digest: false,
    };
    let tx = crate::i18n::Language::from_code(&recipient.language)
        .unwrap_or_default()
        .texts();
    let notification = crate::mail::compose::account_link(
        tx,
        purpose == Purpose::Invitation,
        &format!("{base_url}{path}"),
        inviter,
    );
    let rendered = crate::mail::compose::render(&notification, tx, base_url)?;
    super::mail::enqueue(
        conn,
        None,
        &recipient,
        &rendered.subject,
        &rendered.text,
        &rendered.html,
    )?;
    Ok(())
}
