//! The transactional outbox: an event row per thing someone must be told, written in the
//! same transaction as the change that causes it. The mail worker claims each event once
//! and, in one transaction, turns it into messages and marks it processed.

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::Value;

use crate::db::DbConnection;
use crate::db::schema::outbox;

pub fn enqueue(conn: &mut DbConnection, topic: &str, payload: Value) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(crate::db::new_id()),
            outbox::created_at.eq(crate::db::now()),
            outbox::topic.eq(topic),
            outbox::payload.eq(payload.to_string()),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, QueryableByName, Queryable)]
pub struct Event {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub topic: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
}

/// The oldest unprocessed event. On PostgreSQL it is locked for the transaction (run it
/// inside one) and other workers skip it instead of waiting; on SQLite it is a plain read.
pub fn claim_next(conn: &mut DbConnection) -> QueryResult<Option<Event>> {
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT id, topic, payload FROM outbox WHERE processed_at IS NULL \
             ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
        )
        .get_result::<Event>(pg)
        .optional(),
        DbConnection::Sqlite(_) => outbox::table
            .filter(outbox::processed_at.is_null())
            .order((outbox::created_at, outbox::id))
            .select((outbox::id, outbox::topic, outbox::payload))
            .first::<Event>(conn)
            .optional(),
    }
}

/// Marks an event processed unless it already is; `true` if this call did.
pub fn mark_processed_if_open(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::processed_at.is_null()),
    )
    .set(outbox::processed_at.eq(crate::db::now()))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn mark_processed(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set(outbox::processed_at.eq(crate::db::now()))
        .execute(conn)
        .map(|_| ())
}
