//! Dates and times as Danish users read them: Copenhagen local time, `23.11.2026 14:05`.
//! Stored times are UTC; the Danish offset (CET/CEST, EU daylight-saving rules) is
//! applied here, for display only.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

fn last_sunday(year: i32, month: Month) -> Date {
    let mut day = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day().unwrap_or(day);
    }
    day
}

/// Daylight-saving time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on
/// the last Sunday of October.
fn copenhagen_offset(utc: PrimitiveDateTime) -> UtcOffset {
    let one = Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT);
    let start = PrimitiveDateTime::new(last_sunday(utc.year(), Month::March), one);
    let end = PrimitiveDateTime::new(last_sunday(utc.year(), Month::October), one);
    let hours = if utc >= start && utc < end { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

pub fn datetime(utc: PrimitiveDateTime) -> String {
    let local: OffsetDateTime = utc.assume_utc().to_offset(copenhagen_offset(utc));
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// The UTC moment at which a Copenhagen calendar day begins (for date filters).
pub fn copenhagen_day_start(day: Date) -> PrimitiveDateTime {
    let midnight = PrimitiveDateTime::new(day, Time::MIDNIGHT);
    // The offset in force a few hours into the day is the one at its start (DST switches at 01:00 UTC).
    let offset = copenhagen_offset(midnight + time::Duration::hours(3));
    let utc = midnight.assume_offset(offset).to_offset(UtcOffset::UTC);
    PrimitiveDateTime::new(utc.date(), utc.time())
}

pub fn date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn shows_copenhagen_time_across_daylight_saving() {
        assert_eq!(datetime(datetime!(2026-01-15 12:00)), "15.01.2026 13:00");
        assert_eq!(datetime(datetime!(2026-07-01 22:30)), "02.07.2026 00:30");
        assert_eq!(datetime(datetime!(2026-03-29 00:59)), "29.03.2026 01:59");
        assert_eq!(datetime(datetime!(2026-03-29 01:00)), "29.03.2026 03:00");
        assert_eq!(date(time::macros::date!(2026 - 11 - 05)), "05.11.2026");
        assert_eq!(
            copenhagen_day_start(time::macros::date!(2026 - 11 - 23)),
            datetime!(2026-11-22 23:00)
        );
        assert_eq!(
            copenhagen_day_start(time::macros::date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00)
        );
    }
}
