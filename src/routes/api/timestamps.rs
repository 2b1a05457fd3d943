//! Moments in the API: RFC 3339 in UTC (`2026-12-02T15:04:05Z`).

use time::PrimitiveDateTime;
use time::format_description::well_known::Rfc3339;

pub fn utc(at: PrimitiveDateTime) -> String {
    at.assume_utc().format(&Rfc3339).unwrap_or_default()
}
