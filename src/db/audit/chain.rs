//! The hash chain. Row *n* stores `prev_hash` = the hash of row *n−1* (a row of zeros for
//! the first) and `hash` = SHA-256 over `prev_hash`, a newline and a canonical JSON array of
//! the row's content. `audit_head` holds the last sequence number and hash; every writer
//! updates it first, which serialises writers (a row lock on PostgreSQL, the write lock
//! on SQLite), so concurrent transactions still form one gap-free chain.
//!
//! [`verify`] walks the chain and names the first row whose content, link or sequence is
//! wrong, and checks the head. A plain hash chain shows changes made by anyone who did not
//! also recompute every later hash and the head; `audit verify` prints the head hash so
//! it can be kept outside the database (a log, a daily mail) to close that gap too.

use std::fmt;

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::db::schema::{audit_head, audit_log, institutions};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A row as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
#[diesel(treat_none_as_default_value = false)]
pub struct AuditRow {
    pub seq: i64,
    pub id: String,
    pub occurred_at: PrimitiveDateTime,
    pub actor_user_id: Option<String>,
    pub actor_role: Option<String>,
    pub delegation: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub institution_number: Option<String>,
    pub supplier_id: Option<String>,
    pub details: String,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The institution's municipality when the row was written: an index aid for a
    /// municipality's view of the log, outside the hash (it follows from
    /// `institution_number`, which the hash covers).
    pub municipality_code: Option<String>,
}

const TIMESTAMP: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);

/// UTC time as written in exports and hashed: `2026-11-23T14:05:09.123456Z`.
pub fn format_timestamp(t: PrimitiveDateTime) -> String {
    t.format(TIMESTAMP).unwrap_or_default()
}

/// The hash a row must carry, given its content and its predecessor's hash.
pub fn row_hash(row: &AuditRow) -> String {
    let content = serde_json::json!([
        row.seq,
        row.id,
        format_timestamp(row.occurred_at),
        row.actor_user_id,
        row.actor_role,
        row.delegation,
        row.action,
        row.target_type,
        row.target_id,
        row.institution_number,
        row.supplier_id,
        row.details,
        row.client_addr,
        row.request_id,
    ]);
    let mut hasher = Sha256::new();
    hasher.update(row.prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(content.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// Appends a row at the end of the chain, filling in its `seq`, `prev_hash` and `hash`;
/// must run inside the action's transaction.
pub(super) fn append(conn: &mut DbConnection, mut row: AuditRow) -> QueryResult<()> {
    fill_municipalities(conn, std::slice::from_mut(&mut row))?;
    // Taking the head first holds its lock until commit: one writer at a time extends the chain.
    diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + 1))
        .execute(conn)?;
    let (seq, prev_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    row.seq = seq;
    row.prev_hash = prev_hash;
    row.hash = row_hash(&row);
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(conn)?;
    crate::telemetry::metrics::audit_row_written();
    diesel::update(audit_head::table.find(1))
        .set(audit_head::hash.eq(&row.hash))
        .execute(conn)?;
    Ok(())
}

/// Numbers looked up per statement when filling in municipalities.
const LOOKUP_CHUNK: usize = 1000;

/// Sets each row's `municipality_code` from its institution, before the head is taken
/// (so the lookup does not lengthen the time writers wait on one another).
fn fill_municipalities(conn: &mut DbConnection, rows: &mut [AuditRow]) -> QueryResult<()> {
    let mut numbers: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.institution_number.as_deref())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut found = std::collections::HashMap::new();
    if let [number] = numbers[..] {
        let code: Option<String> = institutions::table
            .find(number)
            .select(institutions::municipality_code)
            .first(conn)
            .optional()?;
        found.extend(code.map(|c| (number.to_string(), c)));
    } else {
        for chunk in numbers.chunks(LOOKUP_CHUNK) {
            let pairs: Vec<(String, String)> = institutions::table
                .filter(institutions::number.eq_any(chunk))
                .select((institutions::number, institutions::municipality_code))
                .load(conn)?;
            found.extend(pairs);
        }
    }
    for row in rows.iter_mut() {
        row.municipality_code = row
            .institution_number
            .as_ref()
            .and_then(|n| found.get(n).cloned());
    }
    Ok(())
}

/// Rows inserted per statement (16 columns each, under SQLite's bound-parameter limit).
const INSERT_CHUNK: usize = 1000;

/// Appends many rows at the end of the chain in their order, with one update of the
/// head: a filing of thousands of requests writes its audit rows in a few statements.
pub(super) fn append_many(conn: &mut DbConnection, mut rows: Vec<AuditRow>) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    fill_municipalities(conn, &mut rows)?;
    let n = rows.len() as i64;
    diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + n))
        .execute(conn)?;
    let (last, mut prev_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    for (i, row) in rows.iter_mut().enumerate() {
        row.seq = last - n + 1 + i as i64;
        row.prev_hash = std::mem::take(&mut prev_hash);
        row.hash = row_hash(row);
        prev_hash = row.hash.clone();
    }
    for chunk in rows.chunks(INSERT_CHUNK) {
        crate::db::insert_batch!(conn, audit_log::table, chunk)?;
    }
    diesel::update(audit_head::table.find(1))
        .set(audit_head::hash.eq(&prev_hash))
        .execute(conn)?;
    Ok(())
}

/// The first place where the chain is not what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content no longer matches its hash.
    ContentChanged { seq: i64 },
    /// The row does not follow from the row before it (that row was changed, or rows were
    /// inserted or removed between them).
    LinkBroken { seq: i64 },
    /// Sequence numbers jump: rows `from..=to` are missing.
    RowsMissing { from: i64, to: i64 },
    /// Rows beyond the recorded end of the chain.
    RowsAdded { from: i64 },
    /// The recorded end of the chain does not match the last row.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ContentChanged { seq } => write!(
                f,
                "row {seq}: its content was changed (hash does not match)"
            ),
            Self::LinkBroken { seq } => {
                write!(
                    f,
                    "row {seq}: does not follow from row {} (a row was changed, inserted or deleted)",
                    seq - 1
                )
            }
            Self::RowsMissing { from, to } if from == to => write!(f, "row {from}: deleted"),
            Self::RowsMissing { from, to } => write!(f, "rows {from} to {to}: deleted"),
            Self::RowsAdded { from } => {
                write!(f, "row {from}: inserted after the recorded end of the log")
            }
            Self::HeadMismatch { head_seq, last_seq } => {
                write!(
                    f,
                    "the recorded end of the log (row {head_seq}) does not match its last row ({last_seq})"
                )
            }
        }
    }
}

impl ChainBreak {
    /// The sequence number of the first broken row.
    pub fn first_seq(&self) -> i64 {
        match self {
            Self::ContentChanged { seq } | Self::LinkBroken { seq } => *seq,
            Self::RowsMissing { from, .. } | Self::RowsAdded { from } => *from,
            Self::HeadMismatch { last_seq, head_seq } => (*last_seq).min(*head_seq) + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub rows: i64,
    pub head_hash: String,
}

const BATCH: i64 = 5_000;

/// Walks the whole chain in order, in batches.
pub fn verify(conn: &mut DbConnection) -> QueryResult<Result<Verified, ChainBreak>> {
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq)
            .limit(BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let done = (rows.len() as i64) < BATCH;
        for row in rows {
            if row.seq != expected_seq {
                return Ok(Err(ChainBreak::RowsMissing {
                    from: expected_seq,
                    to: row.seq - 1,
                }));
            }
            if row_hash(&row) != row.hash {
                return Ok(Err(ChainBreak::ContentChanged { seq: row.seq }));
            }
            if row.prev_hash != prev_hash {
                return Ok(Err(ChainBreak::LinkBroken { seq: row.seq }));
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let last_seq = expected_seq - 1;
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    if head_seq > last_seq {
        return Ok(Err(ChainBreak::RowsMissing {
            from: last_seq + 1,
            to: head_seq,
        }));
    }
    if head_seq < last_seq {
        return Ok(Err(ChainBreak::RowsAdded { from: head_seq + 1 }));
    }
    if head_hash != prev_hash {
        return Ok(Err(ChainBreak::HeadMismatch { head_seq, last_seq }));
    }
    Ok(Ok(Verified {
        rows: last_seq,
        head_hash,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AuditRow {
        AuditRow {
            seq: 1,
            id: "a".into(),
            occurred_at: time::macros::datetime!(2026-11-23 14:05:09.123456),
            actor_user_id: Some("u".into()),
            actor_role: None,
            delegation: None,
            action: "request.filed".into(),
            target_type: "request".into(),
            target_id: "r".into(),
            institution_number: Some("G10101".into()),
            supplier_id: None,
            details: "{}".into(),
            client_addr: None,
            request_id: None,
            prev_hash: GENESIS.into(),
            hash: String::new(),
            municipality_code: Some("101".into()),
        }
    }

    #[test]
    fn the_hash_covers_content_and_link() {
        let base = row_hash(&row());
        assert_eq!(base.len(), 64);
        assert_eq!(row_hash(&row()), base, "deterministic");
        let changed = AuditRow {
            details: "{\"x\":1}".into(),
            ..row()
        };
        assert_ne!(row_hash(&changed), base);
        let relinked = AuditRow {
            prev_hash: "1".repeat(64),
            ..row()
        };
        assert_ne!(row_hash(&relinked), base);
        let moved = AuditRow {
            institution_number: None,
            supplier_id: Some("G10101".into()),
            ..row()
        };
        assert_ne!(
            row_hash(&moved),
            base,
            "fields cannot be shifted into each other"
        );
    }

    #[test]
    fn timestamps_are_written_in_utc_with_microseconds() {
        assert_eq!(
            format_timestamp(row().occurred_at),
            "2026-11-23T14:05:09.123456Z"
        );
    }
}
