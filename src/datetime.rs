//! ISO 8601 dates in UTC, both ways, without a date crate: formatting commit
//! times for reports and parsing `--since`.

use anyhow::{Result, bail};

/// `2024-01-31T12:00:00Z` for Unix seconds `time`.
pub fn format_utc(time: i64) -> String {
    let days = time.div_euclid(86_400);
    let second_of_day = time.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Unix seconds of `2024-01-31`, `2024-01-31T12:00`, `2024-01-31 12:00:00Z`
/// or `2024-01-31T12:00:00+02:00` (a date alone is midnight UTC).
///
/// # Errors
/// Anything else.
pub fn parse(text: &str) -> Result<i64> {
    let bad =
        || anyhow::anyhow!("{text:?} is not an ISO 8601 date such as 2024-01-31 or 2024-01-31T12:00:00Z");
    let (date, time) = match text.find(['T', ' ']) {
        Some(split) => (&text[..split], Some(&text[split + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (year, month, day): (i64, i64, i64) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || y.len() != 4 {
        return Err(bad());
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = match time.find(['Z', '+', '-']) {
            Some(split) => (&time[..split], &time[split..]),
            None => (time, ""),
        };
        let fields: Vec<i64> =
            clock.split(':').map(|f| f.parse().map_err(|_| bad())).collect::<Result<_>>()?;
        let (hour, minute, second) = match fields.as_slice() {
            [h, m] => (*h, *m, 0),
            [h, m, s] => (*h, *m, *s),
            _ => return Err(bad()),
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err(bad());
        }
        seconds += hour * 3600 + minute * 60 + second;
        seconds -= match offset {
            "" | "Z" => 0,
            _ => {
                let sign = if offset.starts_with('-') { -1 } else { 1 };
                let (h, m) = offset[1..].split_once(':').unwrap_or((&offset[1..], "0"));
                let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
                sign * (h * 3600 + m * 60)
            }
        };
    }
    if seconds < 0 {
        bail!("{text:?} is before 1970");
    }
    Ok(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(parse("2000-02-29").unwrap(), 951_782_400);
        assert_eq!(parse("2024-01-31T12:00:00Z").unwrap(), 1_706_702_400);
        assert_eq!(parse("2024-01-31T14:00:00+02:00").unwrap(), 1_706_702_400);
        assert_eq!(parse("2024-01-31 12:00").unwrap(), 1_706_702_400);
        for time in [1, 86_399, 1_000_000_000, 4_102_444_800] {
            assert_eq!(parse(&format_utc(time)).unwrap(), time);
        }
        for bad in ["yesterday", "2024-13-01", "2024-01-31T25:00", "24-01-31", "2024-01"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
