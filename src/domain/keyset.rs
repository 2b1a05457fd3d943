//! Keyset pagination cursors: the sort key of a page's last row, carried in the next
//! page's link as one opaque, URL-safe token, so a list reads its next page from an index
//! instead of counting past an OFFSET. A token that does not decode means "from the
//! start": a hand-edited link never gives an error page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Longer tokens are not ours (a cursor is a few sort-key values).
const MAX_TOKEN: usize = 1024;

/// The token for these sort-key values.
pub fn encode(values: &[String]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(values).unwrap_or_default())
}

/// The sort-key values of a token with exactly `arity` of them, or `None`.
pub fn decode(token: &str, arity: usize) -> Option<Vec<String>> {
    if token.is_empty() || token.len() > MAX_TOKEN {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let values: Vec<String> = serde_json::from_slice(&bytes).ok()?;
    (values.len() == arity).then_some(values)
}

/// A timestamp as a sort-key value (nanoseconds since the epoch, UTC).
pub fn timestamp_key(t: PrimitiveDateTime) -> String {
    t.assume_utc().unix_timestamp_nanos().to_string()
}

pub fn parse_timestamp_key(value: &str) -> Option<PrimitiveDateTime> {
    let nanos: i128 = value.parse().ok()?;
    let t = OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
    Some(PrimitiveDateTime::new(t.date(), t.time()))
}

/// A count that stops at a cap, so nothing counts the whole nation to show a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CappedCount {
    Exact(i64),
    /// More than this many.
    MoreThan(i64),
}

impl CappedCount {
    /// From `found` rows read with a limit of `cap + 1`.
    pub fn from_found(found: i64, cap: i64) -> Self {
        if found > cap {
            Self::MoreThan(cap)
        } else {
            Self::Exact(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_anything_else_is_the_start() {
        let values = vec!["G10101".to_string(), "DA-2026-000001".to_string()];
        assert_eq!(decode(&encode(&values), 2), Some(values.clone()));
        assert_eq!(decode(&encode(&values), 3), None, "wrong arity");
        for bad in ["", "%%%", "bm90IGpzb24", &"A".repeat(5000)] {
            assert_eq!(decode(bad, 2), None, "{bad:.20}");
        }
        let t = time::macros::datetime!(2026-11-30 12:34:56.123456);
        assert_eq!(parse_timestamp_key(&timestamp_key(t)), Some(t));
        assert_eq!(parse_timestamp_key("x"), None);
    }
}
