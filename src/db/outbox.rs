//! The transactional outbox: a row per notification, written in the same transaction as
//! the change that causes it. Delivery (recipients, templates, SMTP) reads these rows later.

use diesel::prelude::*;
use serde_json::Value;

use super::DbConnection;
use super::schema::outbox;

pub fn enqueue(conn: &mut DbConnection, topic: &str, payload: Value) -> QueryResult<()> {
    let now = super::now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(super::new_id()),
            outbox::created_at.eq(now),
            outbox::topic.eq(topic),
            outbox::payload.eq(payload.to_string()),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
