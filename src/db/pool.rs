//! Choosing the backend from the URL, the connection pool, SQLite's pragmas,
//! embedded migrations, and [`write_tx`], the transaction every use case runs in.
//!
//! The URL decides the backend: `postgres://` / `postgresql://` for PostgreSQL,
//! `sqlite://PATH` for an SQLite file. Anything else is refused, so a typo never
//! silently creates a new SQLite file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::connection::DbConnection;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// SQLite waits this long for a lock before giving up with "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Postgres(String),
    Sqlite(PathBuf),
}

impl Target {
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_string()))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            anyhow::ensure!(
                !path.is_empty(),
                "the SQLite URL names no file: use sqlite://PATH"
            );
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else {
            anyhow::bail!(
                "unsupported database URL (expected postgres://… or sqlite://PATH); nothing was created"
            )
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }
}

/// Opens connections for the pool, per backend, with SQLite's per-connection pragmas.
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
}

/// Sets what SQLite needs before its first connection, once per process: no global
/// memory statistics (a process-wide mutex on every allocation), and, on every connection
/// SQLite opens from then on, the query planner's stability guarantee.
///
/// Without that guarantee SQLite marks every statement with a bound `LIMIT` (every list
/// page and every `.first()`) to be compiled again whenever a value is bound, so the
/// prepared-statement cache saved nothing: at national scale half the CPU of a request
/// went into re-parsing SQL. Plans still come from the collected statistics.
fn configure_sqlite() {
    use libsqlite3_sys as ffi;
    use std::os::raw::{c_char, c_int};
    use std::sync::Once;

    unsafe extern "C" fn on_open(
        db: *mut ffi::sqlite3,
        _error: *mut *mut c_char,
        _api: *const ffi::sqlite3_api_routines,
    ) -> c_int {
        // SAFETY: SQLite calls this with the connection it is opening; the option takes an
        // int and an optional int pointer for the previous value, which is not wanted.
        unsafe {
            ffi::sqlite3_db_config(
                db,
                ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as c_int,
                std::ptr::null_mut::<c_int>(),
            );
        }
        ffi::SQLITE_OK
    }

    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: called before this process opens any connection; if SQLite was already
        // initialised the first call is refused with SQLITE_MISUSE and changes nothing.
        // The entry point has the signature `sqlite3_auto_extension` calls.
        unsafe {
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
            ffi::sqlite3_auto_extension(Some(on_open));
        }
    });
}

/// Each SQLite connection's page cache, in KiB (see [`open_sqlite`]).
const SQLITE_CACHE_KIB: u32 = 8 * 1024;

/// How many pages the write-ahead log gathers before they are copied into the database
/// (SQLite's default is 1,000). A decision changes about sixty pages, most of them the same
/// index and chain pages as the one before, so at the default every few decisions copied
/// and synced those pages again: 139 syncs in three seconds of approvals at national size,
/// 18 with this. The log grows to about 40 MB between copies.
const SQLITE_CHECKPOINT_PAGES: u32 = 10_000;

/// Opens an SQLite connection with the pragmas every connection needs; `optimize` keeps
/// the planner's statistics fresh, so list pages stay on their indexes as data grows,
/// sampling at most `analysis_limit` rows per index (a full ANALYZE of a national table
/// would hold the write lock for seconds while the portal starts). Each connection keeps
/// [`SQLITE_CACHE_KIB`] of pages: with SQLite's default 2 MB an inbox page at national size
/// no longer fit, and every miss was a read system call (a dozen per page, a third of its
/// time). A memory map was faster still but counts every page it ever touched in the
/// server's RSS (370 MiB on the national data set).
fn open_sqlite(path: &Path) -> diesel::ConnectionResult<SqliteConnection> {
    configure_sqlite();
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002; PRAGMA cache_size = -{SQLITE_CACHE_KIB}; PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES};"
    ))
    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

/// Opens a PostgreSQL connection that plans each prepared statement once. PostgreSQL
/// otherwise plans a statement again on every execution for as long as its estimate for
/// the bound values beats the generic plan's, which for the list pages is always: at
/// national scale the planning took longer than the query (0.6 ms against 0.2 ms for the
/// inbox) and the request list served 1,700 pages a second instead of 4,400. Where a
/// predicate must be seen as written to use a partial index, the query writes it out
/// (see `agreements::is_open`).
fn open_postgres(url: &str) -> diesel::ConnectionResult<PgConnection> {
    let mut conn = PgConnection::establish(url)?;
    conn.batch_execute("SET plan_cache_mode = force_generic_plan")
        .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.target {
            Target::Postgres(url) => open_postgres(url).map(DbConnection::Postgresql),
            Target::Sqlite(path) => open_sqlite(path).map(DbConnection::Sqlite),
        }
        .map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// How long a caller waits for a connection unless told otherwise: a database outage is
/// answered in this time, not after a long hang.
pub const DEFAULT_CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// Builds the pool; for SQLite, creates the file's folder and switches it to WAL first.
/// A checkout waits at most `checkout_timeout` for a connection.
pub fn connect(
    url: &str,
    max_size: u32,
    checkout_timeout: Duration,
) -> anyhow::Result<(Pool, Target)> {
    let target = Target::parse(url)?;
    if let Target::Sqlite(path) = &target {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut conn = open_sqlite(path).with_context(|| format!("opening {}", path.display()))?;
        conn.batch_execute("PRAGMA journal_mode = WAL;")
            .context("switching SQLite to WAL")?;
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        // No ping per checkout (a round trip on every request): a connection that broke
        // fails its query, is marked broken by diesel and dropped on return
        // (`has_broken`); idle ones are closed before a server or firewall would.
        .test_on_check_out(false)
        .idle_timeout(Some(Duration::from_secs(300)))
        .connection_timeout(checkout_timeout)
        .build(Manager {
            target: target.clone(),
        })
        .context("connecting to the database")?;
    Ok((pool, target))
}

/// Runs every pending migration for the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| anyhow::anyhow!("running migrations: {e}"))
}

/// Reverts every migration (used by the migration round-trip test).
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgresql(c) => c
            .revert_all_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    reverted.map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))
}

/// Reverts the newest migration (used by the migration tests).
pub fn revert_last_migration(conn: &mut DbConnection) -> anyhow::Result<String> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c
            .revert_last_migration(SQLITE_MIGRATIONS)
            .map(|v| v.to_string()),
        DbConnection::Postgresql(c) => c
            .revert_last_migration(POSTGRES_MIGRATIONS)
            .map(|v| v.to_string()),
    };
    reverted.map_err(|e| anyhow::anyhow!("reverting the last migration: {e}"))
}

/// Runs `work` in one transaction that will write. On SQLite it starts with
/// `BEGIN IMMEDIATE`, so a read-then-write transaction waits for the lock instead of
/// failing at once with SQLITE_BUSY; on PostgreSQL it is an ordinary transaction.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    type Manager = <DbConnection as Connection>::TransactionManager;
    match work(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            if let Err(rollback) = Manager::rollback_transaction(conn) {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_a_backend_or_are_refused() {
        assert!(matches!(
            Target::parse("postgres://u@h/db"),
            Ok(Target::Postgres(_))
        ));
        assert_eq!(
            Target::parse("sqlite://data/x.db").ok(),
            Some(Target::Sqlite("data/x.db".into()))
        );
        assert!(Target::parse("postgress://typo").is_err());
        assert!(Target::parse("data/x.db").is_err());
        assert!(Target::parse("sqlite://").is_err());
    }
}
