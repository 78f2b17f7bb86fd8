//! Opening hours: per weekday, in the shop's time zone, DST-correct. Cashiers may only log in
//! while the shop is open; the administrator is exempt (see [`super::staff::Role`]).

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// A cashier is warned this long before closing.
pub const CLOSING_SOON_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("'{0}' is not a time of day (HH:MM)")]
    BadTime(String),
    #[error("opening {open} is not before closing {close}")]
    OpenAfterClose { open: String, close: String },
    #[error("'{0}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)")]
    BadWeekday(String),
    #[error("'{0}' is not a time zone (e.g. Europe/Brussels)")]
    BadTimeZone(String),
}

/// One day's hours. `close` may be `24:00` (`None`): the end of the day. A day that closes at
/// 24:00 followed by one that opens at 00:00 is one stretch: nobody is logged out at midnight
/// (the demo shop, open 00:00-24:00 every day, never closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    pub open: NaiveTime,
    /// `None`: 24:00, midnight at the end of the day.
    pub close: Option<NaiveTime>,
}

impl DayHours {
    pub fn parse(open: &str, close: &str) -> Result<DayHours, HoursError> {
        let o = parse_hhmm(open)?;
        let c = if close.trim() == "24:00" {
            None
        } else {
            Some(parse_hhmm(close)?)
        };
        if c.is_some_and(|c| o >= c) {
            return Err(HoursError::OpenAfterClose {
                open: open.into(),
                close: close.into(),
            });
        }
        Ok(DayHours { open: o, close: c })
    }

    /// Open all day: 00:00-24:00.
    pub fn all_day() -> DayHours {
        DayHours {
            open: NaiveTime::MIN,
            close: None,
        }
    }

    /// `06:00-18:00`, `00:00-24:00`.
    pub fn describe(&self) -> String {
        format!(
            "{}-{}",
            self.open.format("%H:%M"),
            self.close
                .map_or_else(|| "24:00".to_owned(), |c| c.format("%H:%M").to_string())
        )
    }
}

pub fn parse_hhmm(s: &str) -> Result<NaiveTime, HoursError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| HoursError::BadTime(s.to_owned()))
}

pub fn parse_weekday(s: &str) -> Result<Weekday, HoursError> {
    s.trim()
        .parse::<Weekday>()
        .map_err(|_| HoursError::BadWeekday(s.to_owned()))
}

pub fn parse_tz(s: &str) -> Result<Tz, HoursError> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| HoursError::BadTimeZone(s.to_owned()))
}

/// The hours of each weekday (`None`: closed all day) in the shop's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    tz: Tz,
    /// Indexed by `Weekday::num_days_from_monday()`.
    days: [Option<DayHours>; 7],
}

/// Where `now` stands against the opening hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopState {
    Open { closes_at: DateTime<Utc> },
    Closed { opens_at: Option<DateTime<Utc>> },
}

impl OpeningHours {
    /// The same hours every day.
    pub fn every_day(tz: Tz, hours: DayHours) -> OpeningHours {
        OpeningHours {
            tz,
            days: [Some(hours); 7],
        }
    }

    pub fn with_day(mut self, day: Weekday, hours: Option<DayHours>) -> OpeningHours {
        self.days[day.num_days_from_monday() as usize] = hours;
        self
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    pub fn hours_on(&self, day: Weekday) -> Option<DayHours> {
        self.days[day.num_days_from_monday() as usize]
    }

    /// A local wall-clock time as an instant. In the spring-forward gap the first valid instant
    /// after it is used; in the autumn overlap, the earlier one.
    fn instant(&self, date: NaiveDate, t: NaiveTime) -> Option<DateTime<Utc>> {
        let naive = date.and_time(t);
        match self.tz.from_local_datetime(&naive) {
            LocalResult::Single(d) => Some(d.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
            LocalResult::None => (1..=180).find_map(|m| {
                self.tz
                    .from_local_datetime(&(naive + Duration::minutes(m)))
                    .earliest()
                    .map(|d| d.with_timezone(&Utc))
            }),
        }
    }

    /// When a day's hours end: its closing time, or the next midnight for 24:00.
    fn close_instant(&self, date: NaiveDate, h: DayHours) -> Option<DateTime<Utc>> {
        match h.close {
            Some(c) => self.instant(date, c),
            None => self.instant(date + Duration::days(1), NaiveTime::MIN),
        }
    }

    /// The end of the stretch of opening that ends with `date`'s hours: a day closing at 24:00
    /// runs on into a next day that opens at 00:00 (a week at most is looked at).
    fn stretch_end(&self, mut date: NaiveDate, mut h: DayHours) -> Option<DateTime<Utc>> {
        for _ in 0..7 {
            if h.close.is_some() {
                break;
            }
            let next = date + Duration::days(1);
            match self.hours_on(next.weekday()) {
                Some(n) if n.open == NaiveTime::MIN => {
                    date = next;
                    h = n;
                }
                _ => break,
            }
        }
        self.close_instant(date, h)
    }

    pub fn state(&self, now: DateTime<Utc>) -> ShopState {
        let local_date = now.with_timezone(&self.tz).date_naive();
        if let Some(h) = self.hours_on(local_date.weekday())
            && let (Some(open), Some(close)) = (
                self.instant(local_date, h.open),
                self.close_instant(local_date, h),
            )
            && open <= now
            && now < close
        {
            return ShopState::Open {
                closes_at: self.stretch_end(local_date, h).unwrap_or(close),
            };
        }
        ShopState::Closed {
            opens_at: self.next_opening(now),
        }
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        matches!(self.state(now), ShopState::Open { .. })
    }

    /// True in the last [`CLOSING_SOON_MINUTES`] before closing.
    pub fn closing_soon(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.state(now) {
            ShopState::Open { closes_at }
                if closes_at - now <= Duration::minutes(CLOSING_SOON_MINUTES) =>
            {
                Some(closes_at)
            }
            _ => None,
        }
    }

    fn next_opening(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&self.tz).date_naive();
        (0..8).find_map(|d| {
            let date = today + Duration::days(d);
            let h = self.hours_on(date.weekday())?;
            self.instant(date, h.open).filter(|open| *open > now)
        })
    }

    /// `06:00-18:00` for the day of `now`, or `fermé` — for refusals and the locked screen.
    pub fn describe_day(&self, now: DateTime<Utc>) -> String {
        self.open_hours_on(now)
            .unwrap_or_else(|| "fermé".to_owned())
    }

    /// `06:00-18:00` for the day of `now`, `None` on a day the shop does not open (a message
    /// in a language says "closed" its own way).
    pub fn open_hours_on(&self, now: DateTime<Utc>) -> Option<String> {
        let day = now.with_timezone(&self.tz).weekday();
        self.hours_on(day).map(|h| h.describe())
    }

    /// The shop-local calendar day of an instant: what reports group by.
    pub fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz).format("%H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brussels() -> OpeningHours {
        OpeningHours::every_day(
            chrono_tz::Europe::Brussels,
            DayHours::parse("06:00", "18:00").unwrap(),
        )
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter_hours_follow_brussels_time() {
        let h = brussels();
        // Summer: UTC+2. 05:59 local is 03:59Z, 06:00 local is 04:00Z.
        assert!(!h.is_open(utc("2026-05-31T03:59:59Z")));
        assert!(h.is_open(utc("2026-05-31T04:00:00Z")));
        assert!(h.is_open(utc("2026-05-31T15:59:59Z")));
        assert!(!h.is_open(utc("2026-05-31T16:00:00Z")));
        // Winter: UTC+1.
        assert!(!h.is_open(utc("2026-01-15T04:30:00Z")));
        assert!(h.is_open(utc("2026-01-15T05:00:00Z")));
        assert!(!h.is_open(utc("2026-01-15T17:00:00Z")));
    }

    #[test]
    fn dst_change_days_keep_local_hours() {
        let h = brussels();
        // 2026-03-29: clocks go 02:00 -> 03:00 (UTC+1 -> UTC+2).
        assert_eq!(
            h.state(utc("2026-03-29T10:00:00Z")),
            ShopState::Open {
                closes_at: utc("2026-03-29T16:00:00Z")
            }
        );
        // 2026-10-25: clocks go 03:00 -> 02:00 (UTC+2 -> UTC+1).
        assert!(h.is_open(utc("2026-10-25T05:00:00Z")));
        assert!(!h.is_open(utc("2026-10-25T04:59:00Z")));
    }

    #[test]
    fn a_night_time_change_gap_does_not_lose_the_opening() {
        let tz = chrono_tz::Europe::Brussels;
        let h = OpeningHours::every_day(tz, DayHours::parse("02:30", "18:00").unwrap());
        // 02:30 does not exist on 2026-03-29: the shop opens at 03:00 local (01:00Z).
        assert!(!h.is_open(utc("2026-03-29T00:59:00Z")));
        assert!(h.is_open(utc("2026-03-29T01:00:00Z")));
    }

    #[test]
    fn closing_soon_is_the_last_five_minutes() {
        let h = brussels();
        assert_eq!(h.closing_soon(utc("2026-05-31T15:54:59Z")), None);
        assert_eq!(
            h.closing_soon(utc("2026-05-31T15:55:00Z")),
            Some(utc("2026-05-31T16:00:00Z"))
        );
    }

    #[test]
    fn closed_days_and_next_opening() {
        let h = brussels().with_day(Weekday::Sun, None);
        // Sunday 2026-05-31 closed all day; opens Monday 06:00 local.
        assert_eq!(
            h.state(utc("2026-05-31T12:00:00Z")),
            ShopState::Closed {
                opens_at: Some(utc("2026-06-01T04:00:00Z"))
            }
        );
        assert_eq!(h.describe_day(utc("2026-05-31T12:00:00Z")), "fermé");
    }

    #[test]
    fn open_until_midnight_and_all_day() {
        let tz = chrono_tz::Europe::Brussels;
        let late = OpeningHours::every_day(tz, DayHours::parse("08:00", "24:00").unwrap());
        // 23:59 local (winter, UTC+1) is open; it closes at midnight, and 00:30 is closed.
        assert!(late.is_open(utc("2026-12-01T22:59:00Z")));
        assert_eq!(
            late.state(utc("2026-12-01T22:59:00Z")),
            ShopState::Open {
                closes_at: utc("2026-12-01T23:00:00Z")
            }
        );
        assert!(!late.is_open(utc("2026-12-01T23:30:00Z")));
        assert_eq!(
            late.describe_day(utc("2026-12-01T12:00:00Z")),
            "08:00-24:00"
        );
        // All day, every day: open at any minute, never "closing soon" at midnight.
        let always = OpeningHours::every_day(tz, DayHours::all_day());
        for t in [
            "2026-12-01T20:30:00Z",
            "2026-12-01T22:56:00Z",
            "2026-12-01T23:00:00Z",
            "2026-03-29T01:30:00Z",
        ] {
            assert!(always.is_open(utc(t)), "{t}");
            assert_eq!(always.closing_soon(utc(t)), None, "{t}");
        }
        assert_eq!(
            always.describe_day(utc("2026-12-01T12:00:00Z")),
            "00:00-24:00"
        );
        // All day except Sunday: Saturday's stretch ends at Sunday 00:00.
        let sat = always.clone().with_day(Weekday::Sun, None);
        assert_eq!(
            sat.state(utc("2026-12-05T12:00:00Z")),
            ShopState::Open {
                closes_at: utc("2026-12-05T23:00:00Z")
            }
        );
        assert!(DayHours::parse("24:00", "24:00").is_err());
    }

    #[test]
    fn bad_hours_are_refused() {
        assert!(DayHours::parse("18:00", "06:00").is_err());
        assert!(DayHours::parse("25:00", "26:00").is_err());
        assert!(parse_tz("Mars/Olympus").is_err());
        assert!(parse_weekday("someday").is_err());
    }
}
