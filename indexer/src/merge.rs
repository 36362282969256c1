//! The forward path of the derived tables: a batch that only appends blocks
//! after everything already indexed merges its swaps into the existing
//! candles and pair/day rows (open kept, high/low widened, close and sums
//! extended) instead of re-reading whole buckets, so each batch costs what it
//! adds. The result equals [`crate::derived::refresh`]'s (the tests compare
//! incremental runs with clean ones); rollbacks use `refresh`.

use std::collections::{BTreeMap, BTreeSet};

use alloy::primitives::U256;
use rusqlite::{OptionalExtension, Transaction, params};
use tidepool_sdk::alloy;

use crate::derived::{DAY, INTERVALS, bucket, fee, token_day, u};
use crate::error::Result;

/// One swap as the derived tables see it.
#[derive(Debug, Clone)]
pub struct SwapFact {
    /// Pair address (lower-case hex).
    pub pair: String,
    /// Block timestamp.
    pub ts: i64,
    /// token1 per token0 after the swap.
    pub price: Option<f64>,
    /// amount0_in, amount1_in, amount0_out, amount1_out.
    pub amounts: [U256; 4],
}

/// One Sync: the pair's reserves at a time.
#[derive(Debug, Clone)]
pub struct SyncFact {
    /// Pair address.
    pub pair: String,
    /// Block timestamp.
    pub ts: i64,
    /// reserve0, reserve1.
    pub reserves: (U256, U256),
}

#[derive(Default)]
struct Candle {
    open: Option<f64>,
    high: f64,
    low: f64,
    close: f64,
    v0: U256,
    v1: U256,
    n: i64,
}

#[derive(Default)]
struct Day {
    v0: U256,
    v1: U256,
    f0: U256,
    f1: U256,
    n: i64,
    close: Option<(U256, U256)>,
}

/// Merges a forward batch (swaps and syncs in chain order) into the derived tables.
pub fn apply(tx: &Transaction<'_>, swaps: &[SwapFact], syncs: &[SyncFact]) -> Result<()> {
    let mut candles: BTreeMap<(String, i64, i64), Candle> = BTreeMap::new();
    let mut days: BTreeMap<(String, i64), Day> = BTreeMap::new();
    for s in swaps {
        let [a0i, a1i, a0o, a1o] = s.amounts;
        for i in INTERVALS {
            let c = candles
                .entry((s.pair.clone(), i, bucket(s.ts, i)))
                .or_insert_with(|| Candle {
                    high: f64::MIN,
                    low: f64::MAX,
                    ..Candle::default()
                });
            c.n += 1;
            c.v0 = c.v0.saturating_add(a0i).saturating_add(a0o);
            c.v1 = c.v1.saturating_add(a1i).saturating_add(a1o);
            if let Some(p) = s.price {
                c.open.get_or_insert(p);
                c.high = c.high.max(p);
                c.low = c.low.min(p);
                c.close = p;
            }
        }
        let d = days.entry((s.pair.clone(), bucket(s.ts, DAY))).or_default();
        d.n += 1;
        d.v0 = d.v0.saturating_add(a0i).saturating_add(a0o);
        d.v1 = d.v1.saturating_add(a1i).saturating_add(a1o);
        d.f0 = d.f0.saturating_add(fee(a0i));
        d.f1 = d.f1.saturating_add(fee(a1i));
    }
    for s in syncs {
        days.entry((s.pair.clone(), bucket(s.ts, DAY)))
            .or_default()
            .close = Some(s.reserves);
    }
    for ((pair, interval, start), new) in &candles {
        merge_candle(tx, pair, *interval, *start, new)?;
    }
    let mut token_days = BTreeSet::new();
    for ((pair, day), new) in &days {
        merge_day(tx, pair, *day, new)?;
        let (t0, t1): (String, String) = tx
            .prepare_cached("SELECT token0, token1 FROM pairs WHERE address = ?1")?
            .query_row([pair], |r| Ok((r.get(0)?, r.get(1)?)))?;
        token_days.insert((t0, *day));
        token_days.insert((t1, *day));
    }
    for (token, day) in &token_days {
        token_day(tx, token, *day)?;
    }
    Ok(())
}

fn merge_candle(
    tx: &Transaction<'_>,
    pair: &str,
    interval: i64,
    start: i64,
    new: &Candle,
) -> Result<()> {
    let old: Option<(f64, f64, f64, f64, String, String, i64)> = tx
        .prepare_cached(
            "SELECT open, high, low, close, volume0, volume1, swaps FROM candles WHERE pair = ?1 AND interval = ?2 AND bucket = ?3",
        )?
        .query_row(params![pair, interval, start], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .optional()?;
    let (open, high, low, close, v0, v1, n) = match (old, new.open) {
        (Some((o, h, l, c, v0, v1, n)), p) => (
            o,
            if p.is_some() { h.max(new.high) } else { h },
            if p.is_some() { l.min(new.low) } else { l },
            if p.is_some() { new.close } else { c },
            u(&v0).saturating_add(new.v0),
            u(&v1).saturating_add(new.v1),
            n + new.n,
        ),
        (None, Some(o)) => (o, new.high, new.low, new.close, new.v0, new.v1, new.n),
        (None, None) => return Ok(()), // no price yet: like `refresh`, no candle
    };
    tx.prepare_cached(
        "INSERT OR REPLACE INTO candles (pair, interval, bucket, open, high, low, close, volume0, volume1, swaps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![pair, interval, start, open, high, low, close, v0.to_string(), v1.to_string(), n])?;
    Ok(())
}

fn merge_day(tx: &Transaction<'_>, pair: &str, day: i64, new: &Day) -> Result<()> {
    let old: Option<(String, String, String, String, i64, String, String)> = tx
        .prepare_cached(
            "SELECT volume0, volume1, fees0, fees1, swaps, reserve0, reserve1 FROM pair_days WHERE pair = ?1 AND day = ?2",
        )?
        .query_row(params![pair, day], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .optional()?;
    let (mut v0, mut v1, mut f0, mut f1, mut n, mut close) =
        (new.v0, new.v1, new.f0, new.f1, new.n, new.close);
    if let Some((a, b, c, d, m, r0, r1)) = old {
        v0 = v0.saturating_add(u(&a));
        v1 = v1.saturating_add(u(&b));
        f0 = f0.saturating_add(u(&c));
        f1 = f1.saturating_add(u(&d));
        n += m;
        close = close.or(Some((u(&r0), u(&r1))));
    }
    let Some((r0, r1)) = close else { return Ok(()) };
    tx.prepare_cached(
        "INSERT OR REPLACE INTO pair_days (pair, day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        pair,
        day,
        v0.to_string(),
        v1.to_string(),
        f0.to_string(),
        f1.to_string(),
        n,
        r0.to_string(),
        r1.to_string()
    ])?;
    Ok(())
}
