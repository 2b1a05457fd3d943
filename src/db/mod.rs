//! Persistence: one diesel code path over SQLite and PostgreSQL. Each file owns one
//! aggregate. A change writes its audit row and, where someone must be told, its outbox
//! row with it; the use case in [`crate::app`] that asks for the change opens the
//! [`write_tx`] it runs in, so one use case is one transaction however many aggregates
//! it touches.

/// Inserts many rows in one statement. Batch inserts do not go through the
/// `MultiConnection`, so this runs the same statement on the backend's own connection
/// ([`native::natively`]);
/// the rows' `Option` fields must be written as NULL (`treat_none_as_default_value =
/// false`, or tuples), since SQLite has no DEFAULT in a multi-row VALUES.
#[macro_export]
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $values:expr) => {{
        use diesel::RunQueryDsl as _;
        $crate::db::native::natively!($conn, |c| diesel::insert_into($table)
            .values($values)
            .execute(c))
    }};
}
pub use insert_batch;

/// The most values one `IN (…)` list binds: well under SQLite's limit of 32,766
/// parameters and PostgreSQL's 65,535.
pub const IN_LIST_CHUNK: usize = 5_000;

pub mod access;
pub mod account_tokens;
pub mod agreement_changes;
pub mod agreement_pauses;
pub mod agreements;
pub mod api_tokens;
pub mod approvers;
pub mod audit;
pub mod catalog;
pub mod connection;
pub mod counters;
pub mod delegations;
pub mod end_reminders;
pub mod gauges;
pub mod identities;
pub mod oidc_logins;
pub use mail::outbox;
pub mod approver_rights;
pub mod colleagues;
pub mod escalations;
pub mod mail;
pub mod mailboxes;
pub mod native;
pub mod pool;
pub mod register;
pub mod register_import;
pub mod renewals;
pub mod requests;
pub mod schema;
pub mod scope_catalogue;
pub mod second_factor;
pub mod services;
pub mod sessions;
pub mod suppliers;
pub mod throttle;
pub mod user_admin;
pub mod users;
#[macro_use]
mod visibility;

pub use connection::DbConnection;
pub use pool::{Target, write_tx};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use time::{OffsetDateTime, PrimitiveDateTime};

/// The pool plus the backend it talks to; cheap to clone into handlers.
#[derive(Clone)]
pub struct Db {
    pool: pool::Pool,
    target: Target,
    /// Tasks in [`Db::run`] that do not hold a connection yet (for `/metrics`).
    waiting: Arc<AtomicUsize>,
}

/// How the pool is doing right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
    /// Database tasks waiting for a connection (or for a blocking thread to run on).
    pub waiting: usize,
}

pub type PooledConnection = diesel::r2d2::PooledConnection<pool::Manager>;

/// No connection could be had in time: the database is down, unreachable, or every
/// connection is busy. Pages answer it with 503 and `Retry-After` (see [`crate::error`]).
#[derive(Debug, thiserror::Error)]
#[error("the database is unavailable: {0}")]
pub struct Unavailable(#[from] diesel::r2d2::PoolError);

impl Db {
    /// A pool whose checkouts wait at most [`pool::DEFAULT_CHECKOUT_TIMEOUT`].
    pub fn connect(url: &str, max_size: u32) -> anyhow::Result<Self> {
        Self::open(url, max_size, pool::DEFAULT_CHECKOUT_TIMEOUT)
    }

    /// A pool of `max_size` connections whose checkouts wait at most `checkout_timeout`.
    pub fn open(url: &str, max_size: u32, checkout_timeout: Duration) -> anyhow::Result<Self> {
        let (pool, target) = pool::connect(url, max_size, checkout_timeout)?;
        Ok(Self {
            pool,
            target,
            waiting: Arc::default(),
        })
    }

    pub fn status(&self) -> PoolStatus {
        let state = self.pool.state();
        PoolStatus {
            in_use: state.connections.saturating_sub(state.idle_connections),
            idle: state.idle_connections,
            max: self.pool.max_size(),
            waiting: self.waiting.load(Ordering::Relaxed),
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A connection for blocking code (CLI commands, the blocking closure of [`Db::run`]).
    pub fn get(&self) -> anyhow::Result<PooledConnection> {
        Ok(self.pool.get().map_err(Unavailable)?)
    }

    /// Runs blocking database work on actix's blocking thread pool, off the async workers.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<anyhow::Error> + Send + 'static,
    {
        let pool = self.pool.clone();
        let waiting = Waiting::enter(&self.waiting);
        let language = crate::i18n::current();
        actix_web::web::block(move || {
            let checkout = pool.get();
            drop(waiting);
            let mut conn = checkout.map_err(|e| E::from(anyhow::Error::from(Unavailable(e))))?;
            crate::i18n::on_this_thread(language, || work(&mut conn))
        })
        .await
        .map_err(|e| E::from(anyhow::anyhow!("database task did not finish: {e}")))?
    }
}

/// Counts a task as waiting for a connection until dropped (also when the task is dropped
/// before it ran).
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn enter(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The current time in UTC at microsecond precision (what both backends store).
pub fn now() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc();
    let micros = now.nanosecond() / 1_000 * 1_000;
    let now = now.replace_nanosecond(micros).unwrap_or(now);
    PrimitiveDateTime::new(now.date(), now.time())
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Whether an error is a unique-constraint violation (a lost race on an insert).
/// Makes transactions that take the same `key` run one after another: SQLite's write
/// transaction already does; PostgreSQL takes a transaction-scoped advisory lock.
pub fn serialise_on(conn: &mut DbConnection, key: &str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// The fields that differ between two JSON objects, as audit details read them:
/// `[{"field", "before", "after"}]` in the order of `after`.
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let null = serde_json::Value::Null;
    let fields = after.as_object().into_iter().flatten();
    serde_json::Value::Array(
        fields
            .filter(|(k, v)| before.get(k.as_str()).unwrap_or(&null) != *v)
            .map(|(k, v)| {
                serde_json::json!({
                    "field": k,
                    "before": before.get(k.as_str()).unwrap_or(&null),
                    "after": v,
                })
            })
            .collect(),
    )
}
