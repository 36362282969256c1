//! Derived analytics, rebuilt from the raw tables for exactly the buckets a
//! batch (or a rollback) touched, inside the batch's transaction: candles at
//! 1m/5m/1h/1d, pair/day volume, fees and closing reserves, token/day volume,
//! fees and TVL. Sums are exact (256-bit); prices are REAL.

use std::collections::{BTreeMap, BTreeSet};

use alloy::primitives::U256;
use rusqlite::{OptionalExtension, Transaction, params};
use tidepool_sdk::alloy;

use crate::error::Result;

/// Candle intervals kept in the `candles` table (seconds).
pub const INTERVALS: [i64; 4] = [60, 300, 3600, 86400];
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The 0.3% LP fee of one swap's input, rounded down; a day's fees are the sum
/// over its swaps (so batches of any size give the same total).
pub fn fee(amount_in: U256) -> U256 {
    amount_in.saturating_mul(U256::from(3u8)) / U256::from(1000u16)
}

/// Parses an exact decimal column (0 when malformed).
pub fn u(s: &str) -> U256 {
    s.parse().unwrap_or_default()
}

/// The start of the bucket of `interval` seconds holding `ts`.
pub fn bucket(ts: i64, interval: i64) -> i64 {
    ts - ts.rem_euclid(interval)
}

/// Recomputes every candle, pair/day and token/day row that a change at
/// `(pair, timestamp)` can affect.
pub fn refresh(tx: &Transaction<'_>, touched: &BTreeSet<(String, i64)>) -> Result<()> {
    let mut candles = BTreeSet::new();
    let mut days = BTreeSet::new();
    for (pair, ts) in touched {
        for i in INTERVALS {
            candles.insert((pair.clone(), i, bucket(*ts, i)));
        }
        days.insert((pair.clone(), bucket(*ts, DAY)));
    }
    for (pair, interval, start) in &candles {
        candle(tx, pair, *interval, *start)?;
    }
    let mut token_days = BTreeSet::new();
    for (pair, day) in &days {
        pair_day(tx, pair, *day)?;
        let (t0, t1): (String, String) = tx.query_row(
            "SELECT token0, token1 FROM pairs WHERE address = ?1",
            [pair],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        token_days.insert((t0, *day));
        token_days.insert((t1, *day));
    }
    for (token, day) in &token_days {
        token_day(tx, token, *day)?;
    }
    Ok(())
}

fn candle(tx: &Transaction<'_>, pair: &str, interval: i64, start: i64) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT price, amount0_in, amount1_in, amount0_out, amount1_out FROM swaps
         WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3 ORDER BY block_number, log_index",
    )?;
    let mut rows = stmt.query(params![pair, start, start + interval])?;
    let (mut open, mut high, mut low, mut close) = (None::<f64>, f64::MIN, f64::MAX, 0.0);
    let (mut v0, mut v1, mut n) = (U256::ZERO, U256::ZERO, 0i64);
    while let Some(r) = rows.next()? {
        n += 1;
        let a0i: String = r.get(1)?;
        let a1i: String = r.get(2)?;
        let a0o: String = r.get(3)?;
        let a1o: String = r.get(4)?;
        v0 = v0.saturating_add(u(&a0i)).saturating_add(u(&a0o));
        v1 = v1.saturating_add(u(&a1i)).saturating_add(u(&a1o));
        if let Some(p) = r.get::<_, Option<f64>>(0)? {
            open.get_or_insert(p);
            high = high.max(p);
            low = low.min(p);
            close = p;
        }
    }
    match (n, open) {
        (0, _) | (_, None) => {
            tx.prepare_cached(
                "DELETE FROM candles WHERE pair = ?1 AND interval = ?2 AND bucket = ?3",
            )?
            .execute(params![pair, interval, start])?;
        }
        (_, Some(open)) => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO candles (pair, interval, bucket, open, high, low, close, volume0, volume1, swaps)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![pair, interval, start, open, high, low, close, v0.to_string(), v1.to_string(), n])?;
        }
    }
    Ok(())
}

/// The pair's reserves after the last Sync before `until` (exclusive).
fn reserves_at(tx: &Transaction<'_>, pair: &str, until: i64) -> Result<Option<(U256, U256)>> {
    let row: Option<(String, String)> = tx
        .prepare_cached(
            "SELECT reserve0, reserve1 FROM syncs WHERE pair = ?1 AND timestamp < ?2
             ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
        )?
        .query_row(params![pair, until], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(a, b)| (u(&a), u(&b))))
}

fn pair_day(tx: &Transaction<'_>, pair: &str, day: i64) -> Result<()> {
    let end = day + DAY;
    let mut stmt = tx.prepare_cached(
        "SELECT amount0_in, amount1_in, amount0_out, amount1_out FROM swaps
         WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3",
    )?;
    let mut rows = stmt.query(params![pair, day, end])?;
    let (mut in0, mut in1, mut out0, mut out1, mut n) =
        (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, 0i64);
    let (mut f0, mut f1) = (U256::ZERO, U256::ZERO);
    while let Some(r) = rows.next()? {
        n += 1;
        let (a0, a1) = (u(&r.get::<_, String>(0)?), u(&r.get::<_, String>(1)?));
        in0 = in0.saturating_add(a0);
        in1 = in1.saturating_add(a1);
        f0 = f0.saturating_add(fee(a0));
        f1 = f1.saturating_add(fee(a1));
        out0 = out0.saturating_add(u(&r.get::<_, String>(2)?));
        out1 = out1.saturating_add(u(&r.get::<_, String>(3)?));
    }
    let synced: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM syncs WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3",
        )?
        .query_row(params![pair, day, end], |r| r.get(0))?;
    let reserves = reserves_at(tx, pair, end)?;
    match reserves {
        Some((r0, r1)) if n > 0 || synced > 0 => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO pair_days (pair, day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                pair,
                day,
                in0.saturating_add(out0).to_string(),
                in1.saturating_add(out1).to_string(),
                f0.to_string(),
                f1.to_string(),
                n,
                r0.to_string(),
                r1.to_string()
            ])?;
        }
        _ => {
            tx.prepare_cached("DELETE FROM pair_days WHERE pair = ?1 AND day = ?2")?
                .execute(params![pair, day])?;
        }
    }
    Ok(())
}

/// Recomputes one token/day row from pair_days and the latest reserves.
pub fn token_day(tx: &Transaction<'_>, token: &str, day: i64) -> Result<()> {
    let mut pairs: BTreeMap<String, bool> = BTreeMap::new(); // pair -> token is token0
    {
        let mut stmt = tx
            .prepare_cached("SELECT address, token0 FROM pairs WHERE token0 = ?1 OR token1 = ?1")?;
        let mut rows = stmt.query([token])?;
        while let Some(r) = rows.next()? {
            let t0: String = r.get(1)?;
            pairs.insert(r.get(0)?, t0 == token);
        }
    }
    let (mut volume, mut fees, mut tvl, mut swaps, mut any) =
        (U256::ZERO, U256::ZERO, U256::ZERO, 0i64, false);
    for (pair, is0) in &pairs {
        let row: Option<(String, String, String, String, i64)> = tx
            .prepare_cached("SELECT volume0, volume1, fees0, fees1, swaps FROM pair_days WHERE pair = ?1 AND day = ?2")?
            .query_row(params![pair, day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?;
        if let Some((v0, v1, f0, f1, n)) = row {
            any = true;
            volume = volume.saturating_add(u(if *is0 { &v0 } else { &v1 }));
            fees = fees.saturating_add(u(if *is0 { &f0 } else { &f1 }));
            swaps += n;
        }
        if let Some((r0, r1)) = reserves_at(tx, pair, day + DAY)? {
            tvl = tvl.saturating_add(if *is0 { r0 } else { r1 });
        }
    }
    if any {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO token_days (token, day, volume, fees, tvl, swaps) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![token, day, volume.to_string(), fees.to_string(), tvl.to_string(), swaps])?;
    } else {
        tx.prepare_cached("DELETE FROM token_days WHERE token = ?1 AND day = ?2")?
            .execute(params![token, day])?;
    }
    Ok(())
}
