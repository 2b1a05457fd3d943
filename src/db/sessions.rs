//! Server-side sessions: the cookie holds a random token, the database only its SHA-256,
//! so logout really ends a session, a database leak does not hand out sessions, and any
//! number of app servers share them.

use crate::db::native::natively;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, PrimitiveDateTime};

use super::DbConnection;
use super::schema::{role_assignments, sessions, users};
use super::users::{User, person_with_roles};
use crate::domain::RoleAssignment;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::hours(2);
/// A session ends this long after login, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, so reading pages stays read-only.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session waiting for the second factor lives this long.
pub const SECOND_FACTOR_TIMEOUT: Duration = Duration::minutes(5);

/// How a session was begun, and how far it has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Full,
    /// Password accepted; the authenticator code is still to come. Opens no page but the
    /// code form.
    SecondFactor,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::SecondFactor => "second_factor",
        }
    }
}

/// Starts a signed-in session from a password and returns the token for the cookie.
pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    client_addr: Option<&str>,
) -> QueryResult<String> {
    start(conn, user_id, client_addr, Stage::Full, None)
}

/// Starts a session: from a password (`id_token` none) or from the provider (its ID
/// token kept as the hint for signing out there).
pub fn start(
    conn: &mut DbConnection,
    user_id: &str,
    client_addr: Option<&str>,
    stage: Stage,
    id_token: Option<&str>,
) -> QueryResult<String> {
    let token = new_token();
    let now = super::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::client_addr.eq(client_addr),
            sessions::stage.eq(stage.as_str()),
            sessions::login_method.eq(if id_token.is_some() {
                "oidc"
            } else {
                "password"
            }),
            sessions::id_token.eq(id_token),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user id of a live session at `stage`; a session at another stage is not resumed.
pub fn resume_at(
    conn: &mut DbConnection,
    token: &str,
    stage: Stage,
) -> QueryResult<Option<String>> {
    let hash = hash_token(token);
    let row: Option<(String, SessionTimes)> = sessions::table
        .find(&hash)
        .select((sessions::user_id, SESSION_TIMES))
        .first(conn)
        .optional()?;
    let Some((user_id, times)) = row else {
        return Ok(None);
    };
    Ok(still_live(conn, &hash, &times, stage)?.then_some(user_id))
}

/// The person behind a live full session and their roles, in one round trip: what every
/// signed-in page asks first. `None` for an unknown, ended or half-finished session.
pub fn resume_person(
    conn: &mut DbConnection,
    token: &str,
) -> QueryResult<Option<(User, Vec<RoleAssignment>)>> {
    let hash = hash_token(token);
    type Row = (
        User,
        PrimitiveDateTime,
        PrimitiveDateTime,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = natively!(conn, |c| sessions::table
        .inner_join(users::table.left_join(role_assignments::table))
        .filter(sessions::token_hash.eq(&hash))
        .order(role_assignments::created_at.nullable())
        .select((
            User::as_select(),
            sessions::created_at,
            sessions::last_seen_at,
            sessions::stage,
            role_assignments::role.nullable(),
            role_assignments::supplier_id.nullable(),
            role_assignments::municipality_code.nullable(),
            role_assignments::institution_number.nullable(),
        ))
        .load(c))?;
    let rows = rows.into_iter().map(
        |(user, created, seen, stage, role, supplier, municipality, institution)| {
            (
                (user, (created, seen, stage)),
                (role, supplier, municipality, institution),
            )
        },
    );
    let Some(((user, times), roles)) = person_with_roles::<(User, SessionTimes)>(rows) else {
        return Ok(None);
    };
    Ok(still_live(conn, &hash, &times, Stage::Full)?.then_some((user, roles)))
}

/// When a session began, was last seen, and its stage.
type SessionTimes = (PrimitiveDateTime, PrimitiveDateTime, String);

const SESSION_TIMES: (
    sessions::created_at,
    sessions::last_seen_at,
    sessions::stage,
) = (
    sessions::created_at,
    sessions::last_seen_at,
    sessions::stage,
);

/// Whether the session `hash` is live at `stage`: an expired one is ended, a live one
/// touched at most every [`TOUCH_INTERVAL`].
fn still_live(
    conn: &mut DbConnection,
    hash: &str,
    (created_at, last_seen_at, found_stage): &SessionTimes,
    stage: Stage,
) -> QueryResult<bool> {
    if found_stage != stage.as_str() {
        return Ok(false);
    }
    let lifetime = match stage {
        Stage::Full => ABSOLUTE_TIMEOUT,
        Stage::SecondFactor => SECOND_FACTOR_TIMEOUT,
    };
    let now = super::now();
    if now - *last_seen_at > IDLE_TIMEOUT || now - *created_at > lifetime {
        diesel::delete(sessions::table.find(hash)).execute(conn)?;
        return Ok(false);
    }
    if now - *last_seen_at > TOUCH_INTERVAL {
        diesel::update(sessions::table.find(hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(true)
}

/// The provider's ID token the session was begun with, if it came from the provider.
pub fn id_token_of(conn: &mut DbConnection, token: &str) -> QueryResult<Option<String>> {
    Ok(sessions::table
        .find(hash_token(token))
        .select(sessions::id_token)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

pub fn end(conn: &mut DbConnection, token: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(hash_token(token)))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of a person (after a password change: "log out everywhere").
pub fn end_all_for(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}
