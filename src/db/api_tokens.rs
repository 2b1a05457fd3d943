//! API tokens: storing one (only its SHA-256), finding a live one by the secret a call
//! carries, noting its last use (at most once a minute, so calls stay read-only), listing
//! the tokens a person manages and revoking one.

use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

use super::DbConnection;
use super::schema::{api_tokens, users};
use crate::domain::api_token::TokenKind;

/// `last_used_at` is written at most this often.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// The prefix every token starts with, so a leaked one is easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "tsk_";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub supplier_id: Option<String>,
    pub permissions: String,
    pub created_by: String,
    pub created_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub revoked_at: Option<PrimitiveDateTime>,
    pub last_used_at: Option<PrimitiveDateTime>,
}

impl ApiToken {
    pub fn kind(&self) -> Option<TokenKind> {
        TokenKind::parse(&self.kind)
    }

    pub fn is_live(&self, now: PrimitiveDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// A token as its managers see it in the list: with its maker's name.
#[derive(Debug, Clone)]
pub struct Listed {
    pub token: ApiToken,
    pub made_by_name: String,
}

/// A new token's secret: shown once, never stored.
pub fn new_secret() -> String {
    format!("{TOKEN_PREFIX}{}", super::sessions::new_token())
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    super::sessions::hash_token(secret)
}

pub struct NewToken<'a> {
    pub id: &'a str,
    pub kind: TokenKind,
    pub name: &'a str,
    pub secret: &'a str,
    pub supplier_id: Option<&'a str>,
    pub permissions: &'a str,
    pub created_by: &'a str,
    pub expires_at: PrimitiveDateTime,
}

pub fn insert(conn: &mut DbConnection, token: &NewToken<'_>) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(token.id),
            api_tokens::kind.eq(token.kind.as_str()),
            api_tokens::name.eq(token.name),
            api_tokens::token_hash.eq(hash_secret(token.secret)),
            api_tokens::supplier_id.eq(token.supplier_id),
            api_tokens::permissions.eq(token.permissions),
            api_tokens::created_by.eq(token.created_by),
            api_tokens::created_at.eq(super::now()),
            api_tokens::expires_at.eq(token.expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The live token whose secret hashes to `hash`, its last use noted.
pub fn live_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<ApiToken>> {
    let now = super::now();
    let found: Option<ApiToken> = api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?;
    let Some(token) = found.filter(|t| t.is_live(now)) else {
        return Ok(None);
    };
    if token
        .last_used_at
        .is_none_or(|at| at + TOUCH_INTERVAL < now)
    {
        diesel::update(api_tokens::table.find(&token.id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(token))
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ApiToken>> {
    api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
        .optional()
}

/// Which tokens a list shows.
pub enum Which<'a> {
    /// Every token of a kind (the operators' access-check tokens).
    Kind(TokenKind),
    /// A supplier's tokens.
    Supplier(&'a str),
    /// The approver tokens one person made.
    ApproverMadeBy(&'a str),
}

/// The tokens of each `which`, newest first: live ones and those ended in the last 90
/// days (older ones are kept, not shown).
pub fn list(conn: &mut DbConnection, which: &[Which<'_>]) -> QueryResult<Vec<Listed>> {
    let shown_since = super::now() - Duration::days(90);
    let mut found = Vec::new();
    for w in which {
        let mut query = api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::created_by)))
            .filter(
                api_tokens::revoked_at
                    .is_null()
                    .or(api_tokens::revoked_at.gt(shown_since)),
            )
            .filter(api_tokens::expires_at.gt(shown_since))
            .select((ApiToken::as_select(), users::display_name))
            .order(api_tokens::created_at.desc())
            .limit(500)
            .into_boxed();
        query = match w {
            Which::Kind(kind) => query.filter(api_tokens::kind.eq(kind.as_str())),
            Which::Supplier(id) => query.filter(api_tokens::supplier_id.eq(*id)),
            Which::ApproverMadeBy(user) => query
                .filter(api_tokens::kind.eq(TokenKind::Approver.as_str()))
                .filter(api_tokens::created_by.eq(*user)),
        };
        let rows: Vec<(ApiToken, String)> = query.load(conn)?;
        found.extend(rows.into_iter().map(|(token, made_by_name)| Listed {
            token,
            made_by_name,
        }));
    }
    Ok(found)
}

/// Revokes a live token; `false` when it was already revoked.
pub fn revoke(conn: &mut DbConnection, id: &str, by: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set((
        api_tokens::revoked_at.eq(super::now()),
        api_tokens::revoked_by.eq(by),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
