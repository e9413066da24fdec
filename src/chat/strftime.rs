//! A frozen calendar date and Python's `strftime` on it (time of day 00:00:00), for the
//! `strftime_now` global that templates such as Llama 3.1 call.

use super::ChatError;

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, ChatError> {
        let bad = || ChatError::InvalidDate(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }

    /// Today's date in UTC.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    fn days_since_epoch(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// 0 = Monday.
    fn weekday(&self) -> usize {
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }

    fn day_of_year(&self) -> u32 {
        (1..self.month).map(|m| days_in_month(self.year, m)).sum::<u32>() + self.day
    }

    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// glibc `strftime` (as Python calls it on Linux) at 00:00:00 of this date, C locale.
    /// Supports the `-` (no padding) flag; unknown directives are copied as written.
    pub fn strftime(&self, fmt: &str) -> String {
        let mut out = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let nopad = chars.peek() == Some(&'-');
            if nopad {
                chars.next();
            }
            let Some(d) = chars.next() else {
                out.push('%');
                break;
            };
            let num = |n: u32, w: usize| {
                if nopad { n.to_string() } else { format!("{n:0w$}") }
            };
            let wd = self.weekday();
            match d {
                'Y' => out.push_str(&self.year.to_string()),
                'y' => out.push_str(&num(self.year.rem_euclid(100) as u32, 2)),
                'm' => out.push_str(&num(self.month, 2)),
                'd' => out.push_str(&num(self.day, 2)),
                'e' => out.push_str(&if nopad { self.day.to_string() } else { format!("{:>2}", self.day) }),
                'j' => out.push_str(&num(self.day_of_year(), 3)),
                'B' => out.push_str(MONTHS[self.month as usize - 1]),
                'b' | 'h' => out.push_str(&MONTHS[self.month as usize - 1][..3]),
                'A' => out.push_str(DAYS[wd]),
                'a' => out.push_str(&DAYS[wd][..3]),
                'u' => out.push_str(&(wd + 1).to_string()),
                'w' => out.push_str(&((wd + 1) % 7).to_string()),
                'H' | 'M' | 'S' => out.push_str(&num(0, 2)),
                'I' => out.push_str(&num(12, 2)),
                'p' => out.push_str("AM"),
                'F' => out.push_str(&self.iso()),
                'D' => out.push_str(&format!("{:02}/{:02}/{:02}", self.month, self.day, self.year.rem_euclid(100))),
                'T' => out.push_str("00:00:00"),
                '%' => out.push('%'),
                other => {
                    out.push('%');
                    if nopad {
                        out.push('-');
                    }
                    out.push(other);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strftime_matches_python() {
        // datetime(2026, 1, 15).strftime(...) in Python 3.11 on Linux.
        let d = Date::parse("2026-01-15").unwrap();
        assert_eq!(d.strftime("%d %b %Y"), "15 Jan 2026");
        assert_eq!(d.strftime("%A, %B %-d, %Y"), "Thursday, January 15, 2026");
        assert_eq!(d.strftime("%Y-%m-%d %H:%M"), "2026-01-15 00:00");
        assert_eq!(d.strftime("%j %a %y"), "015 Thu 26");
        let d = Date::parse("2024-03-01").unwrap();
        assert_eq!(d.strftime("%d %B %Y %A"), "01 March 2024 Friday");
        assert_eq!(Date::from_days(0).iso(), "1970-01-01");
        assert_eq!(Date::from_days(20_468).iso(), "2026-01-15");
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("26-01-15").is_err());
    }
}
