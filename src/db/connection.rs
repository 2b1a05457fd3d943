//! The one connection type over SQLite and PostgreSQL (diesel `MultiConnection`),
//! kept alone in its module because the derive's generated items clash with other names.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}
