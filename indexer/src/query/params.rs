//! Parsing and validation of query parameters, shared by the CLI and the HTTP
//! API: addresses, token symbols, times, intervals, limits. Every error is an
//! [`Error::BadQuery`] that says what is wrong and what to pass instead.

use crate::args;
use crate::db::Db;
use crate::error::{Error, Result};

/// The largest `limit` any query accepts.
pub const MAX_LIMIT: u64 = 10_000;

fn bad(msg: String) -> Error {
    Error::BadQuery(msg)
}

/// Checks that `value` is `0x` + 40 hex digits and returns it lower-case.
pub fn address(name: &str, value: &str) -> Result<String> {
    let v = value.trim();
    let hex = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X"));
    match hex {
        Some(h) if h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(format!("0x{}", h.to_ascii_lowercase()))
        }
        _ => Err(bad(format!(
            "{name} must be an address: 0x followed by 40 hex digits, got {value:?}"
        ))),
    }
}

/// A token given as an address, or as a symbol that exactly one indexed token has
/// (case-insensitive).
pub fn token(db: &Db, name: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.starts_with("0x") || v.starts_with("0X") || v.is_empty() {
        let a = address(name, v)?;
        let known: bool = exists(
            db,
            "SELECT EXISTS(SELECT 1 FROM tokens WHERE address = ?1)
             OR EXISTS(SELECT 1 FROM pairs WHERE token0 = ?1)
             OR EXISTS(SELECT 1 FROM pairs WHERE token1 = ?1)",
            &a,
        )?;
        return if known {
            Ok(a)
        } else {
            Err(bad(format!(
                "{name}: no pair in the index trades the token {a}; list pairs with `tidepool query pairs` (GET /pairs)"
            )))
        };
    }
    // Case-insensitive, as SQLite's NOCASE was: ASCII letters fold.
    let found = db
        .read(
            "SELECT address FROM tokens WHERE lower(symbol) = lower(CAST(?1 AS TEXT)) ORDER BY address",
            args![v],
        )?
        .iter()
        .map(|r| r.get::<String>(0))
        .collect::<Result<Vec<_>>>()?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(bad(format!(
            "{name}: no indexed token has the symbol {v:?}; pass the token's 0x address"
        ))),
        many => Err(bad(format!(
            "{name}: several indexed tokens have the symbol {v:?} ({}); pass one of these addresses",
            many.join(", ")
        ))),
    }
}

/// A pair address that is in the index, lower-case.
pub fn pair(db: &Db, name: &str, value: &str) -> Result<String> {
    let a = address(name, value)?;
    let known = exists(
        db,
        "SELECT EXISTS(SELECT 1 FROM pairs WHERE address = ?1)",
        &a,
    )?;
    if known {
        Ok(a)
    } else {
        Err(bad(format!(
            "{name}: no pair {a} in the index; list pairs with `tidepool query pairs` (GET /pairs)"
        )))
    }
}

/// The boolean a one-parameter `SELECT EXISTS(…)` answers.
fn exists(db: &Db, sql: &str, arg: &str) -> Result<bool> {
    db.read(sql, args![arg])?
        .first()
        .ok_or(Error::NoRow)?
        .get(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn num(s: &str, len: usize) -> Option<i64> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH:MM]` → unix seconds (UTC when
/// no offset is given; fractions of a second are dropped).
fn rfc3339(s: &str) -> Option<i64> {
    let (date, rest) = s.split_at_checked(10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?, 4)?,
        num(parts.next()?, 2)?,
        num(parts.next()?, 2)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // A space before the offset is a `+` that a URL query string decoded.
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-', ' ']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let clock = match clock.split_once('.') {
        Some((c, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => c,
        Some(_) => return None,
        None => clock,
    };
    let mut hms = clock.split(':');
    let h = num(hms.next()?, 2)?;
    let min = num(hms.next()?, 2)?;
    let sec = match hms.next() {
        Some(x) => num(x, 2)?,
        None => 0,
    };
    if hms.next().is_some() || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    secs += h * 3600 + min * 60 + sec;
    match offset {
        "" | "Z" | "z" => Some(secs),
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':')?;
            let (oh, om) = (num(oh, 2)?, num(om, 2)?);
            (oh <= 23 && om <= 59).then_some(secs - sign * (oh * 3600 + om * 60))
        }
    }
}

/// A time: unix seconds, or an RFC 3339 date or date-time
/// (`2026-11-29`, `2026-11-29T10:00:00Z`, `2026-11-29T12:00:00+02:00`).
pub fn time(name: &str, value: &str) -> Result<i64> {
    let v = value.trim();
    let parsed = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        v.parse::<i64>().ok()
    } else {
        rfc3339(v)
    };
    parsed.ok_or_else(|| {
        bad(format!(
            "{name} must be unix seconds (like 1764403200) or an RFC 3339 date or date-time \
             (like 2026-11-29 or 2026-11-29T10:00:00Z), got {value:?}"
        ))
    })
}

/// Checks a candle/bucket interval: positive and a whole number of minutes.
pub fn check_interval(seconds: i64) -> Result<i64> {
    if seconds > 0 && seconds % 60 == 0 {
        Ok(seconds)
    } else {
        Err(bad(format!(
            "interval must be a positive multiple of 60 seconds (60, 300, 3600, 86400, or 5m, 1h, 1d), got {seconds}"
        )))
    }
}

/// An interval: seconds (`3600`) or a duration (`90s`, `5m`, `1h`, `1d`, `1w`),
/// which must be a positive multiple of 60 seconds.
pub fn interval(name: &str, value: &str) -> Result<i64> {
    let v = value.trim();
    let err = || {
        bad(format!(
            "{name} must be seconds or a duration like 60, 5m, 1h, 1d (a positive multiple of 60 seconds), got {value:?}"
        ))
    };
    let (digits, unit) = match v.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => v.split_at(i),
        None => (v, "s"),
    };
    let n: i64 = digits.parse().map_err(|_| err())?;
    let unit = match unit.to_ascii_lowercase().as_str() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(err()),
    };
    let seconds = n.checked_mul(unit).ok_or_else(err)?;
    if seconds > 0 && seconds % 60 == 0 {
        Ok(seconds)
    } else {
        Err(err())
    }
}

/// A non-negative integer parameter (`limit`, `offset`).
pub fn count(name: &str, value: &str) -> Result<u64> {
    value
        .trim()
        .parse()
        .map_err(|_| bad(format!("{name} must be a whole number, got {value:?}")))
}

/// The limit to use: `default` when absent, else 1..=`max`.
pub fn limit(value: Option<u64>, default: u64, max: u64) -> Result<i64> {
    match value.unwrap_or(default) {
        n @ 1.. if n <= max => Ok(n as i64),
        n => Err(bad(format!("limit must be between 1 and {max}, got {n}"))),
    }
}

/// The offset to use (0 when absent).
pub fn offset(value: Option<u64>) -> Result<i64> {
    i64::try_from(value.unwrap_or(0))
        .map_err(|_| bad(format!("offset is too large (at most {})", i64::MAX)))
}

/// A time range `[from, to)` in unix seconds; absent ends are unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// Inclusive start.
    pub from: i64,
    /// Exclusive end.
    pub to: i64,
}

impl Range {
    /// Checks `from <= to`.
    pub fn new(from: Option<i64>, to: Option<i64>) -> Result<Self> {
        let r = Self {
            from: from.unwrap_or(0),
            to: to.unwrap_or(i64::MAX),
        };
        if r.from > r.to {
            return Err(bad(format!(
                "from ({}) is after to ({}): pass from <= to (to is exclusive)",
                r.from, r.to
            )));
        }
        Ok(r)
    }
}

/// `t` rounded down to a multiple of `step`.
pub fn floor_to(t: i64, step: i64) -> i64 {
    t - t.rem_euclid(step)
}

/// `t` rounded up to a multiple of `step` (saturating).
pub fn ceil_to(t: i64, step: i64) -> i64 {
    match t.rem_euclid(step) {
        0 => t,
        r => t.saturating_add(step - r),
    }
}

/// The present for "the last 24 h": the wall clock, or the latest indexed
/// block's time when the chain's clock runs ahead of it (a devnet whose
/// blocks carry simulated or warped timestamps).
pub fn chain_now(db: &Db) -> i64 {
    let head: Option<i64> = db
        .read_opt("SELECT max(timestamp) FROM blocks", &[])
        .ok()
        .flatten()
        .and_then(|r| r.get(0).ok())
        .flatten();
    now().max(head.unwrap_or(0))
}

/// The current unix time in seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A time flag's value parser (clap): unix seconds or RFC 3339.
pub fn parse_time(s: &str) -> std::result::Result<i64, String> {
    time("the time", s).map_err(|e| e.to_string())
}

/// An interval flag's value parser (clap): seconds or `5m`, `1h`, `1d`.
pub fn parse_interval(s: &str) -> std::result::Result<i64, String> {
    interval("the interval", s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time("from", "0").unwrap(), 0);
        assert_eq!(time("from", "2026-11-29").unwrap(), 1_795_910_400);
        assert_eq!(time("from", "2026-11-29T10:00:00Z").unwrap(), 1_795_946_400);
        assert_eq!(
            time("from", "2026-11-29 12:00:00+02:00").unwrap(),
            1_795_946_400
        );
        assert_eq!(time("from", "2026-11-29T10:00Z").unwrap(), 1_795_946_400);
        assert_eq!(
            time("from", "2024-02-29T00:00:00.5Z").unwrap(),
            1_709_164_800
        );
        assert_eq!(time("from", "1970-01-01T00:00:00-01:00").unwrap(), 3600);
        assert_eq!(
            time("from", "2026-11-29T12:00:00 02:00").unwrap(),
            1_795_946_400
        );
        for bad in [
            "",
            "-5",
            "2026-02-30",
            "2026-13-01",
            "2026-11-29T25:00Z",
            "yesterday",
            "2026-11-29X",
        ] {
            assert!(time("from", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn intervals() {
        assert_eq!(interval("interval", "60").unwrap(), 60);
        assert_eq!(interval("interval", "5m").unwrap(), 300);
        assert_eq!(interval("interval", "1h").unwrap(), 3600);
        assert_eq!(interval("interval", "1D").unwrap(), 86_400);
        assert_eq!(interval("interval", "120s").unwrap(), 120);
        for bad in ["0", "30", "90s", "1y", "h", "-60", "99999999999999999999"] {
            assert!(interval("interval", bad).is_err(), "{bad}");
        }
    }
}
