//! Mail persistence: the outbox of events ([`outbox`]), the queue of messages the worker
//! delivers (this module), who receives what ([`recipients`]), and the periodic jobs'
//! queries ([`jobs`]).
//!
//! A message is claimed with a lease before it is sent, so two workers never send the same
//! row at once; on PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so workers on several
//! machines share the queue without waiting on each other. Each outcome is recorded for
//! its own row ([`mark_sent`], [`mark_failed`], [`mark_undeliverable`]); a claim not tried
//! is given back with [`release`].

pub mod jobs;
pub mod outbox;
pub mod recipients;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use time::PrimitiveDateTime;

use super::schema::mail_messages;
use super::{DbConnection, write_tx};
use crate::domain::keyset::{self, CappedCount};

/// Someone to write to, in their language, and whether they want a daily digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub language: String,
    pub digest: bool,
}

impl Recipient {
    /// The language they read mail in (Danish unless they chose English).
    pub fn language(&self) -> crate::i18n::Language {
        crate::i18n::Language::from_code(&self.language).unwrap_or_default()
    }

    /// An address that is not a person in the portal (a contact or shared mailbox).
    pub fn mailbox(email: &str) -> Self {
        Self {
            email: email.trim().to_lowercase(),
            language: "da".into(),
            digest: false,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_messages)]
pub struct MailMessage {
    pub id: String,
    pub event_id: Option<String>,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub claimed_until: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
    pub sent_at: Option<PrimitiveDateTime>,
    pub last_error: Option<String>,
    /// When the first of the failed sends since it was queued (or last retried by an
    /// operator) happened; retrying stops a configured period after it.
    pub failing_since: Option<PrimitiveDateTime>,
}

/// Queues a message: `pending` to go now, or `held` for the recipient's daily digest.
pub fn enqueue(
    conn: &mut DbConnection,
    event_id: Option<&str>,
    to: &Recipient,
    subject: &str,
    text_body: &str,
    html_body: &str,
) -> QueryResult<()> {
    let now = super::now();
    diesel::insert_into(mail_messages::table)
        .values((
            mail_messages::id.eq(super::new_id()),
            mail_messages::event_id.eq(event_id),
            mail_messages::recipient.eq(&to.email),
            mail_messages::language.eq(&to.language),
            mail_messages::subject.eq(subject),
            mail_messages::text_body.eq(text_body),
            mail_messages::html_body.eq(html_body),
            mail_messages::status.eq(if to.digest { "held" } else { "pending" }),
            mail_messages::attempts.eq(0),
            mail_messages::next_attempt_at.eq(now),
            mail_messages::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Claims up to `limit` due messages until `lease_until` and counts the attempt. The one
/// place where the backends differ: PostgreSQL skips rows other workers have locked.
pub fn claim_due(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    lease_until: PrimitiveDateTime,
    limit: i64,
) -> QueryResult<Vec<MailMessage>> {
    let ids: Vec<String> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "UPDATE mail_messages SET claimed_until = $1, attempts = attempts + 1 WHERE id IN (\
               SELECT id FROM mail_messages WHERE status = 'pending' AND next_attempt_at <= $2 \
               AND (claimed_until IS NULL OR claimed_until < $2) \
               ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id",
        )
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load::<ClaimedId>(pg)?
        .into_iter()
        .map(|c| c.id)
        .collect(),
        DbConnection::Sqlite(_) => write_tx(conn, |conn| -> QueryResult<Vec<String>> {
            let ids: Vec<String> = mail_messages::table
                .filter(mail_messages::status.eq("pending"))
                .filter(mail_messages::next_attempt_at.le(now))
                .filter(
                    mail_messages::claimed_until
                        .is_null()
                        .or(mail_messages::claimed_until.lt(now)),
                )
                .order(mail_messages::next_attempt_at)
                .limit(limit)
                .select(mail_messages::id)
                .load(conn)?;
            diesel::update(mail_messages::table.filter(mail_messages::id.eq_any(&ids)))
                .set((
                    mail_messages::claimed_until.eq(lease_until),
                    mail_messages::attempts.eq(mail_messages::attempts + 1),
                ))
                .execute(conn)?;
            Ok(ids)
        })?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    mail_messages::table
        .filter(mail_messages::id.eq_any(&ids))
        .order(mail_messages::next_attempt_at)
        .select(MailMessage::as_select())
        .load(conn)
}

pub fn mark_sent(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(mail_messages::table.find(id))
        .set((
            mail_messages::status.eq("sent"),
            mail_messages::sent_at.eq(super::now()),
            mail_messages::claimed_until.eq(None::<PrimitiveDateTime>),
            mail_messages::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed send to be tried again at `retry_at`; `failing_since` is when the
/// failures began.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_at: PrimitiveDateTime,
    failing_since: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(mail_messages::table.find(id))
        .set((
            mail_messages::status.eq("pending"),
            mail_messages::next_attempt_at.eq(retry_at),
            mail_messages::claimed_until.eq(None::<PrimitiveDateTime>),
            mail_messages::last_error.eq(error),
            mail_messages::failing_since.eq(failing_since),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Gives up on a message: it is shown to the operators, who may retry it.
pub fn mark_undeliverable(conn: &mut DbConnection, id: &str, error: &str) -> QueryResult<()> {
    diesel::update(mail_messages::table.find(id))
        .set((
            mail_messages::status.eq("undeliverable"),
            mail_messages::claimed_until.eq(None::<PrimitiveDateTime>),
            mail_messages::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Gives back claimed messages that were not tried, uncounting the attempt, so any worker
/// can take them at once; returns how many were given back.
pub fn release(conn: &mut DbConnection, ids: &[String]) -> QueryResult<usize> {
    diesel::update(
        mail_messages::table
            .filter(mail_messages::id.eq_any(ids))
            .filter(mail_messages::status.eq("pending"))
            .filter(mail_messages::claimed_until.is_not_null()),
    )
    .set((
        mail_messages::claimed_until.eq(None::<PrimitiveDateTime>),
        mail_messages::attempts.eq(mail_messages::attempts - 1),
    ))
    .execute(conn)
}

/// Up to `limit` undeliverable messages, newest first, for the operators, starting after
/// the keyset cursor `after` (the previous page's last row).
pub fn undeliverable(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<MailMessage>> {
    let mut q = mail_messages::table
        .filter(mail_messages::status.eq("undeliverable"))
        .into_boxed();
    let after = after
        .and_then(|t| keyset::decode(t, 2))
        .and_then(|v| Some((keyset::parse_timestamp_key(&v[0])?, v[1].clone())));
    if let Some((created_at, id)) = after {
        q = q.filter(
            mail_messages::created_at
                .lt(created_at)
                .or(mail_messages::created_at
                    .eq(created_at)
                    .and(mail_messages::id.lt(id))),
        );
    }
    q.order((mail_messages::created_at.desc(), mail_messages::id.desc()))
        .limit(limit)
        .select(MailMessage::as_select())
        .load(conn)
}

impl MailMessage {
    /// The row's sort key in [`undeliverable`] as a keyset cursor.
    pub fn cursor(&self) -> String {
        keyset::encode(&[keyset::timestamp_key(self.created_at), self.id.clone()])
    }
}

/// Every status a message can have, in the order a queue is read.
pub const STATUSES: [&str; 5] = ["pending", "held", "undeliverable", "sent", "digested"];

/// Message counts per status, each counted no further than `cap` (the sent history of a
/// national portal runs into millions; nothing counts it to show a number).
pub fn counts(conn: &mut DbConnection, cap: i64) -> QueryResult<Vec<(&'static str, CappedCount)>> {
    STATUSES
        .iter()
        .map(|&status| {
            let found = mail_messages::table
                .filter(mail_messages::status.eq(status))
                .select(mail_messages::status)
                .limit(cap + 1)
                .load::<String>(conn)?
                .len() as i64;
            Ok((status, CappedCount::from_found(found, cap)))
        })
        .filter(|count| !matches!(count, Ok((_, CappedCount::Exact(0)))))
        .collect()
}

/// Puts an undeliverable message back in the queue; `false` if it was not undeliverable.
pub fn retry(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        mail_messages::table
            .find(id)
            .filter(mail_messages::status.eq("undeliverable")),
    )
    .set((
        mail_messages::status.eq("pending"),
        mail_messages::attempts.eq(0),
        mail_messages::next_attempt_at.eq(super::now()),
        mail_messages::failing_since.eq(None::<PrimitiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<MailMessage>> {
    mail_messages::table
        .find(id)
        .select(MailMessage::as_select())
        .first(conn)
        .optional()
}
