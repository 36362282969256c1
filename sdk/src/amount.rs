//! Amounts as people write them ("1.5", "0.000001") ↔ exact base units.

use alloy::primitives::U256;

use crate::error::{Error, Result};

/// Parses a decimal amount of a token with `decimals` decimals into base units.
///
/// Accepts digits with at most one `.` and `_` separators; rejects signs,
/// exponents, more fractional digits than the token has, and amounts that do
/// not fit in 256 bits. Zero is allowed here (callers reject it where it
/// makes no sense).
pub fn parse_units(text: &str, decimals: u8, symbol: &str) -> Result<U256> {
    let s: String = text.trim().chars().filter(|c| *c != '_').collect();
    let bad = || {
        Error::input(format!(
            "`{text}` is not an amount of {symbol}: write a plain decimal number such as 1.5"
        ))
    };
    if s.is_empty() || s == "." {
        return Err(bad());
    }
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > decimals as usize {
        return Err(Error::input(format!(
            "`{text}` has {} decimal places, but {symbol} has only {decimals}",
            frac.len()
        )));
    }
    let digits = format!("{int}{frac:0<width$}", width = decimals as usize);
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(U256::ZERO);
    }
    U256::from_str_radix(digits, 10)
        .map_err(|_| Error::input(format!("`{text}` is too large an amount of {symbol}")))
}

/// Formats base units as a decimal amount with every significant digit
/// (no rounding, no trailing zeros).
pub fn format_units(value: U256, decimals: u8) -> String {
    let digits = value.to_string();
    let d = decimals as usize;
    if d == 0 {
        return digits;
    }
    let padded = format!("{digits:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// Formats base units rounded down to at most `places` fractional digits, for
/// display in tables (exact values are in the JSON output).
pub fn format_short(value: U256, decimals: u8, places: usize) -> String {
    let full = format_units(value, decimals);
    match full.split_once('.') {
        Some((int, frac)) if frac.len() > places => {
            let frac = frac[..places].trim_end_matches('0');
            if frac.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{frac}")
            }
        }
        _ => full,
    }
}

/// Base units as an approximate `f64` of whole tokens (for prices and ratios only).
pub fn to_f64(value: U256, decimals: u8) -> f64 {
    let v: f64 = value.to_string().parse().unwrap_or(f64::MAX);
    v / 10f64.powi(i32::from(decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str, d: u8) -> Result<U256> {
        parse_units(s, d, "TKN")
    }

    #[test]
    fn parses_decimal_amounts_exactly() {
        assert_eq!(p("1.5", 6).unwrap(), U256::from(1_500_000u64));
        assert_eq!(p("0.000001", 6).unwrap(), U256::from(1u64));
        assert_eq!(p("1_000", 0).unwrap(), U256::from(1000u64));
        assert_eq!(p(".5", 1).unwrap(), U256::from(5u64));
        assert_eq!(p("2.", 2).unwrap(), U256::from(200u64));
        assert_eq!(p("0", 18).unwrap(), U256::ZERO);
        assert_eq!(p("1.10", 1).unwrap(), U256::from(11u64));
        assert_eq!(
            p("1", 18).unwrap(),
            U256::from(1_000_000_000_000_000_000u128)
        );
    }

    #[test]
    fn rejects_malformed_and_too_precise_amounts() {
        for bad in ["", ".", "-1", "1e18", "abc", "1.2.3", "+1", "0x10", " 1 2"] {
            let err = p(bad, 18).unwrap_err().to_string();
            assert!(err.contains("is not an amount of TKN"), "{bad}: {err}");
        }
        let err = p("0.0000001", 6).unwrap_err().to_string();
        assert!(
            err.contains("7 decimal places, but TKN has only 6"),
            "{err}"
        );
        let huge = "9".repeat(80);
        assert!(p(&huge, 0).unwrap_err().to_string().contains("too large"));
    }

    #[test]
    fn formats_round_trip() {
        for (s, d) in [
            ("1.5", 6),
            ("0.000001", 6),
            ("1000", 18),
            ("0", 8),
            ("123.456", 3),
        ] {
            assert_eq!(format_units(p(s, d).unwrap(), d), s);
        }
        assert_eq!(format_short(p("1.23456789", 8).unwrap(), 8, 4), "1.2345");
        assert_eq!(format_short(p("1.00001", 8).unwrap(), 8, 4), "1");
    }
}
