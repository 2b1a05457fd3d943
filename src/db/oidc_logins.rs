//! Sign-ins begun at the provider and not yet returned. Each is kept under the hash of its
//! `state`, bound to the browser that began it, taken exactly once, and good for ten minutes.

use diesel::prelude::*;
use time::Duration;

use super::DbConnection;
use super::schema::oidc_logins;
use super::sessions::hash_token;

/// How long a person may spend at the provider before the sign-in must start over.
pub const LIFETIME: Duration = Duration::minutes(10);

/// What the callback needs from the start of the sign-in.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
}

pub fn save(
    conn: &mut DbConnection,
    state: &str,
    browser: &str,
    pending: &PendingLogin,
) -> QueryResult<()> {
    let now = super::now();
    diesel::delete(oidc_logins::table.filter(oidc_logins::created_at.lt(now - LIFETIME)))
        .execute(conn)?;
    diesel::insert_into(oidc_logins::table)
        .values((
            oidc_logins::state_hash.eq(hash_token(state)),
            oidc_logins::browser_hash.eq(hash_token(browser)),
            oidc_logins::nonce.eq(&pending.nonce),
            oidc_logins::pkce_verifier.eq(&pending.pkce_verifier),
            oidc_logins::next_path.eq(&pending.next_path),
            oidc_logins::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Takes the sign-in begun with `state` in this browser; `None` for an unknown, used,
/// expired or foreign state. Whatever the outcome, the state cannot be used again.
pub fn take(
    conn: &mut DbConnection,
    state: &str,
    browser: Option<&str>,
) -> QueryResult<Option<PendingLogin>> {
    let hash = hash_token(state);
    let row: Option<(String, String, String, String, time::PrimitiveDateTime)> = oidc_logins::table
        .find(&hash)
        .select((
            oidc_logins::browser_hash,
            oidc_logins::nonce,
            oidc_logins::pkce_verifier,
            oidc_logins::next_path,
            oidc_logins::created_at,
        ))
        .first(conn)
        .optional()?;
    let deleted = diesel::delete(oidc_logins::table.find(&hash)).execute(conn)?;
    let Some((browser_hash, nonce, pkce_verifier, next_path, created_at)) = row else {
        return Ok(None);
    };
    let same_browser = browser.is_some_and(|b| hash_token(b) == browser_hash);
    if deleted != 1 || !same_browser || super::now() - created_at > LIFETIME {
        return Ok(None);
    }
    Ok(Some(PendingLogin {
        nonce,
        pkce_verifier,
        next_path,
    }))
}
