//! PostgreSQL's binary `NUMERIC` format, to and from decimal text: uint256
//! amounts travel exactly (no driver crate maps NUMERIC to a 256-bit integer;
//! `rust_decimal` stops at 96 bits).
//!
//! The format: `ndigits`, `weight`, `sign`, `dscale` (each 16 bits, big
//! endian), then `ndigits` base-10000 digits; the first digit is worth
//! `10000^weight`, and `dscale` is the number of decimal digits after the
//! point.

use std::fmt::Write;

const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;
const NAN: u16 = 0xC000;

/// Why a value is not a number PostgreSQL's NUMERIC can hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumericError {
    /// The text is not a plain decimal number (`-12.50`, `0`, `1000`).
    #[error("{0:?} is not a decimal number")]
    NotDecimal(String),
    /// The bytes are not a binary NUMERIC.
    #[error("malformed binary NUMERIC ({0} bytes)")]
    Malformed(usize),
}

/// Encodes decimal text (`[-]digits[.digits]`) as a binary NUMERIC.
pub fn encode(text: &str, out: &mut Vec<u8>) -> Result<(), NumericError> {
    let bad = || NumericError::NotDecimal(text.to_string());
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let dscale = u16::try_from(frac.len()).map_err(|_| bad())?;
    // Pad both sides to whole base-10000 digits around the point.
    let lead = (4 - int.len() % 4) % 4;
    let trail = (4 - frac.len() % 4) % 4;
    let digits: String = "0".repeat(lead) + int + frac + &"0".repeat(trail);
    let int_groups = (lead + int.len()) / 4;
    let mut groups: Vec<i16> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| c.iter().fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0')))
        .collect();
    let mut weight = int_groups as i32 - 1;
    let leading_zeros = groups.iter().take_while(|g| **g == 0).count();
    groups.drain(..leading_zeros);
    weight -= leading_zeros as i32;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    let zero = groups.is_empty();
    let weight = if zero { 0 } else { weight };
    let ndigits = i16::try_from(groups.len()).map_err(|_| bad())?;
    let weight = i16::try_from(weight).map_err(|_| bad())?;
    let sign = if negative && !zero {
        NEGATIVE
    } else {
        POSITIVE
    };
    out.extend_from_slice(&ndigits.to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
    for g in groups {
        out.extend_from_slice(&g.to_be_bytes());
    }
    Ok(())
}

/// Decodes a binary NUMERIC into decimal text with exactly `dscale`
/// fractional digits (`NaN` and the infinities as PostgreSQL spells them).
pub fn decode(raw: &[u8]) -> Result<String, NumericError> {
    let bad = || NumericError::Malformed(raw.len());
    let word = |i: usize| -> Result<i16, NumericError> {
        raw.get(2 * i..2 * i + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(bad)
    };
    let ndigits = usize::try_from(word(0)?).map_err(|_| bad())?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    let dscale = usize::try_from(word(3)?).map_err(|_| bad())?;
    match sign {
        NAN => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        POSITIVE | NEGATIVE => {}
        _ => return Err(bad()),
    }
    if raw.len() != 8 + 2 * ndigits {
        return Err(bad());
    }
    let digit = |k: i32| -> Result<i16, NumericError> {
        // The digit worth 10000^(weight - k); zero outside the stored ones.
        if k < 0 || k as usize >= ndigits {
            Ok(0)
        } else {
            word(4 + k as usize)
        }
    };
    let mut out = String::new();
    if sign == NEGATIVE {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for k in 0..=weight {
            let d = digit(k)?;
            if k == 0 {
                write!(out, "{d}").expect("writing to a String");
            } else {
                write!(out, "{d:04}").expect("writing to a String");
            }
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let mut k = weight + 1;
        while frac.len() < dscale {
            write!(frac, "{:04}", digit(k)?).expect("writing to a String");
            k += 1;
        }
        frac.truncate(dscale);
        out.push('.');
        out.push_str(&frac);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> String {
        let mut b = Vec::new();
        encode(text, &mut b).unwrap();
        decode(&b).unwrap()
    }

    #[test]
    fn integers_and_fractions_travel_exactly() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        for t in [
            "0",
            "1",
            "9999",
            "10000",
            "123456789",
            max,
            "-42",
            "0.5",
            "12.0300",
            "0.0001",
            "-0.00012",
        ] {
            assert_eq!(round(t), t, "{t}");
        }
        assert_eq!(round("007"), "7");
        assert_eq!(round("-0"), "0");
    }

    #[test]
    fn the_layout_is_postgresqls() {
        // 12345.6 = digits [1, 2345, 6000], weight 1, dscale 1.
        let mut b = Vec::new();
        encode("12345.6", &mut b).unwrap();
        assert_eq!(
            b,
            [0, 3, 0, 1, 0, 0, 0, 1, 0, 1, 0x09, 0x29, 0x17, 0x70],
            "ndigits 3, weight 1, sign +, dscale 1, 1 2345 6000"
        );
    }

    #[test]
    fn text_that_is_no_number_is_refused() {
        for t in ["", "-", "1e5", "0x10", "1.2.3", " 1", "."] {
            assert!(encode(t, &mut Vec::new()).is_err(), "{t:?}");
        }
        assert!(decode(&[0, 1, 0, 0]).is_err());
        assert!(decode(&[0, 2, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
    }
}
