//! Turning date rules into ranges, once, for both the SQL compiler and the
//! oracle: "now" and the workspace's time zone are fixed per evaluation.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::ast::{DateOp, Span, SpanUnit};

/// The instant a filter is evaluated at and the zone its calendar days are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

/// Instants in milliseconds since the epoch; both ends included, `None` = open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstantRange {
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl InstantRange {
    pub fn contains(&self, ms: i64) -> bool {
        self.from.is_none_or(|f| ms >= f) && self.until.is_none_or(|u| ms <= u)
    }
}

/// Calendar dates; both ends included, `None` = open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.until.is_none_or(|u| date <= u)
    }

    /// The range as `YYYY-MM-DD` strings, which compare like the dates.
    /// Ends outside years 0000-9999 become "" (below any such text) or ":"
    /// (above it), so the comparison stays right for stored text.
    pub fn as_iso(&self) -> (Option<String>, Option<String>) {
        let iso = |d: NaiveDate| match d.year() {
            y if y < 0 => String::new(),
            y if y > 9999 => ":".to_owned(),
            _ => d.format("%Y-%m-%d").to_string(),
        };
        (self.from.map(iso), self.until.map(iso))
    }
}

impl Clock {
    pub fn new(now: DateTime<Utc>, tz: Tz) -> Clock {
        Clock { now, tz }
    }

    /// The instants a date rule accepts; `None` for `is_empty`/`is_not_empty`.
    pub fn instant_range(&self, op: &DateOp) -> Option<InstantRange> {
        let now = self.now.timestamp_millis();
        let range = match *op {
            DateOp::Before(day) => InstantRange {
                from: None,
                until: Some(self.start_of(day) - 1),
            },
            DateOp::After(day) => InstantRange {
                from: Some(self.start_of_next(day)),
                until: None,
            },
            DateOp::Between(lo, hi) => InstantRange {
                from: Some(self.start_of(lo)),
                until: Some(self.start_of_next(hi) - 1),
            },
            DateOp::WithinLast(span) => InstantRange {
                from: Some(self.ago(span)),
                until: Some(now),
            },
            DateOp::MoreThanAgo(span) => InstantRange {
                from: None,
                until: Some(self.ago(span) - 1),
            },
            DateOp::IsEmpty | DateOp::IsNotEmpty => return None,
        };
        Some(range)
    }

    /// The calendar dates a date rule accepts (for custom date fields, which
    /// hold days, not instants); `None` for `is_empty`/`is_not_empty`.
    pub fn date_range(&self, op: &DateOp) -> Option<DateRange> {
        let today = self.now.with_timezone(&self.tz).date_naive();
        let range = match *op {
            DateOp::Before(day) => DateRange {
                from: None,
                until: Some(day.pred_opt().unwrap_or(NaiveDate::MIN)),
            },
            DateOp::After(day) => DateRange {
                from: Some(day.succ_opt().unwrap_or(NaiveDate::MAX)),
                until: None,
            },
            DateOp::Between(lo, hi) => DateRange {
                from: Some(lo),
                until: Some(hi),
            },
            DateOp::WithinLast(span) => DateRange {
                from: Some(self.local_ago(span).date()),
                until: Some(today),
            },
            DateOp::MoreThanAgo(span) => DateRange {
                from: None,
                until: Some(
                    self.local_ago(span)
                        .date()
                        .pred_opt()
                        .unwrap_or(NaiveDate::MIN),
                ),
            },
            DateOp::IsEmpty | DateOp::IsNotEmpty => return None,
        };
        Some(range)
    }

    /// Local midnight starting `day`, in ms since the epoch.
    fn start_of(&self, day: NaiveDate) -> i64 {
        self.local_to_ms(day.and_hms_opt(0, 0, 0).expect("midnight exists"))
    }

    fn start_of_next(&self, day: NaiveDate) -> i64 {
        match day.succ_opt() {
            Some(next) => self.start_of(next),
            None => i64::MAX,
        }
    }

    /// Now minus the span, on the local calendar (a month back from 31 March
    /// is the last day of February), as local wall time.
    fn local_ago(&self, span: Span) -> NaiveDateTime {
        let local = self.now.with_timezone(&self.tz).naive_local();
        let n = span.amount;
        let back = match span.unit {
            SpanUnit::Days => local.checked_sub_days(Days::new(u64::from(n))),
            SpanUnit::Weeks => local.checked_sub_days(Days::new(7 * u64::from(n))),
            SpanUnit::Months => local.checked_sub_months(Months::new(n)),
            SpanUnit::Years => n
                .checked_mul(12)
                .and_then(|m| local.checked_sub_months(Months::new(m))),
        };
        back.unwrap_or(NaiveDateTime::MIN)
    }

    fn ago(&self, span: Span) -> i64 {
        self.local_to_ms(self.local_ago(span))
    }

    /// Local wall time to an instant. In a daylight-saving fold the earlier
    /// instant is taken; in a gap, the first instant after it.
    fn local_to_ms(&self, local: NaiveDateTime) -> i64 {
        let mut probe = local;
        for _ in 0..4 {
            if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                return t.timestamp_millis();
            }
            probe += chrono::Duration::minutes(30);
        }
        // No zone has a gap of two hours; fall back to reading it as UTC.
        Utc.from_utc_datetime(&local).timestamp_millis()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(now: &str, tz: &str) -> Clock {
        Clock::new(
            DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc),
            tz.parse().unwrap(),
        )
    }

    fn ms(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn calendar_days_are_in_the_workspace_zone() {
        let c = clock("2026-11-28T12:00:00Z", "America/New_York");
        let r = c
            .instant_range(&DateOp::Between(day("2026-11-01"), day("2026-11-01")))
            .unwrap();
        // 1 November 2026 in New York is EDT until 02:00, then EST.
        assert_eq!(r.from, Some(ms("2026-11-01T00:00:00-04:00")));
        assert_eq!(r.until, Some(ms("2026-11-02T00:00:00-05:00") - 1));
        let before = c.instant_range(&DateOp::Before(day("2026-11-02"))).unwrap();
        assert_eq!(before.until, Some(ms("2026-11-02T05:00:00Z") - 1));
        let after = c.instant_range(&DateOp::After(day("2026-11-01"))).unwrap();
        assert_eq!(after.from, Some(ms("2026-11-02T05:00:00Z")));
    }

    #[test]
    fn relative_spans_follow_the_calendar() {
        let c = clock("2026-03-31T10:00:00Z", "UTC");
        let month = Span {
            amount: 1,
            unit: SpanUnit::Months,
        };
        let r = c.instant_range(&DateOp::WithinLast(month)).unwrap();
        assert_eq!(r.from, Some(ms("2026-02-28T10:00:00Z")));
        assert_eq!(r.until, Some(ms("2026-03-31T10:00:00Z")));
        let older = c.instant_range(&DateOp::MoreThanAgo(month)).unwrap();
        assert_eq!(older.until, Some(ms("2026-02-28T10:00:00Z") - 1));
        let weeks = Span {
            amount: 2,
            unit: SpanUnit::Weeks,
        };
        let r = c.instant_range(&DateOp::WithinLast(weeks)).unwrap();
        assert_eq!(r.from, Some(ms("2026-03-17T10:00:00Z")));
    }

    #[test]
    fn custom_dates_are_whole_days() {
        let c = clock("2026-11-28T23:30:00Z", "Europe/Berlin");
        // Already 29 November in Berlin.
        let days = Span {
            amount: 3,
            unit: SpanUnit::Days,
        };
        let r = c.date_range(&DateOp::WithinLast(days)).unwrap();
        assert_eq!(
            (r.from, r.until),
            (Some(day("2026-11-26")), Some(day("2026-11-29")))
        );
        let r = c.date_range(&DateOp::MoreThanAgo(days)).unwrap();
        assert_eq!((r.from, r.until), (None, Some(day("2026-11-25"))));
        let r = c.date_range(&DateOp::Before(day("2026-01-10"))).unwrap();
        assert!(r.contains(day("2026-01-09")) && !r.contains(day("2026-01-10")));
        let r = c.date_range(&DateOp::After(day("2026-01-10"))).unwrap();
        assert!(r.contains(day("2026-01-11")) && !r.contains(day("2026-01-10")));
    }

    #[test]
    fn huge_spans_saturate_instead_of_panicking() {
        let c = clock("2026-11-28T12:00:00Z", "UTC");
        let forever = Span {
            amount: u32::MAX,
            unit: SpanUnit::Years,
        };
        let r = c.instant_range(&DateOp::WithinLast(forever)).unwrap();
        assert!(r.contains(0));
        assert!(c.date_range(&DateOp::MoreThanAgo(forever)).is_some());
    }
}
