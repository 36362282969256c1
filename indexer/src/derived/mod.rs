//! Derived analytics: candles at 1m/5m/1h/1d, pair/day volume, fees and
//! closing reserves, token/day volume, fees and TVL. Sums are exact (256-bit);
//! prices are REAL.
//!
//! One aggregate ([`Aggregate`]: swaps and syncs folded into candle and day
//! accumulators) serves both writers, inside the batch's transaction:
//! - [`apply`], the forward path: a batch that only appends blocks folds its
//!   own events and combines them with the stored rows (so each batch costs
//!   what it adds);
//! - [`refresh`], rebuilds (rollbacks, fixtures): the raw events of every
//!   touched pair/day are folded from nothing and replace the stored rows.
//!
//! Combining is associative and the empty accumulator is its identity, so the
//! two agree by construction (the ingest tests also compare them).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use alloy::primitives::U256;
use tidepool_sdk::alloy;

use crate::args;
use crate::db::{Sql, Tx};
use crate::error::Result;

mod aggregate;
mod candles;

use aggregate::Day;
pub use aggregate::{Aggregate, Micro, SwapFact, SyncFact, micro, micro_of, price, price_before};

/// Candle intervals kept in the `candles` table (seconds); each divides a day.
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

/// A pair's token decimals (each unknown when the token did not say).
pub type PairDecimals = Option<(Option<u8>, Option<u8>)>;

/// The decimals of `pair`'s tokens, read once per batch through `cache`.
pub fn decimals(
    tx: &mut dyn Sql,
    cache: &mut HashMap<String, PairDecimals>,
    pair: &str,
) -> Result<PairDecimals> {
    if let Some(v) = cache.get(pair) {
        return Ok(*v);
    }
    let v = tx
        .query_opt(
            "SELECT t0.decimals, t1.decimals FROM pairs p
             LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1
             WHERE p.address = ?1",
            args![pair],
        )?
        .map(|r| Ok::<_, crate::Error>((r.get::<Option<u8>>(0)?, r.get::<Option<u8>>(1)?)))
        .transpose()?;
    cache.insert(pair.to_string(), v);
    Ok(v)
}

/// Merges a forward batch (swaps and syncs in chain order) into the derived
/// tables: each stored row extended by what the batch adds.
pub fn apply(tx: &mut Tx<'_>, swaps: &[SwapFact], syncs: &[SyncFact]) -> Result<()> {
    let mut agg = Aggregate::default();
    swaps.iter().for_each(|s| agg.swap(s));
    syncs.iter().for_each(|s| agg.sync(s));
    let mut token_days = BTreeSet::new();
    candles::merge(tx, &agg.candles)?;
    for ((pair, day), new) in &agg.days {
        let mut d = stored_day(tx, pair, *day)?.unwrap_or_default();
        d.then(new);
        write_day(tx, pair, *day, d)?;
        token_days.extend(tokens_of(tx, pair)?.map(|t| (t, *day)));
    }
    for (token, day) in &token_days {
        token_day(tx, token, *day)?;
    }
    Ok(())
}

/// Recomputes every candle, pair/day and token/day row that a change at
/// `(pair, timestamp)` can affect, from the raw tables.
pub fn refresh(tx: &mut dyn Sql, touched: &BTreeSet<(String, i64)>) -> Result<()> {
    let days: BTreeSet<(String, i64)> = touched
        .iter()
        .map(|(pair, ts)| (pair.clone(), bucket(*ts, DAY)))
        .collect();
    let mut agg = Aggregate::default();
    for (pair, day) in &days {
        fold_day(tx, pair, *day, &mut agg)?;
    }
    let mut token_days = BTreeSet::new();
    for (pair, ts) in touched {
        for i in INTERVALS {
            let key = (pair.clone(), i, bucket(*ts, i));
            let c = agg.candles.get(&key).cloned().unwrap_or_default();
            candles::write(tx, pair, i, key.2, &c)?;
        }
    }
    for key in &days {
        let d = agg.days.get(key).cloned().unwrap_or_default();
        write_day(tx, &key.0, key.1, d)?;
        token_days.extend(tokens_of(tx, &key.0)?.map(|t| (t, key.1)));
    }
    for (token, day) in &token_days {
        token_day(tx, token, *day)?;
    }
    Ok(())
}

/// Rewrites every candle, pair/day and token/day row from the raw rows, one
/// pair/day at a time (a schema migration or new pricing changed what they
/// hold).
pub fn rebuild_all(tx: &mut dyn Sql) -> Result<()> {
    let days: Vec<(String, i64)> = tx
        .query(
            &format!(
                "SELECT DISTINCT pair, timestamp - timestamp % {DAY} FROM swaps
                 UNION SELECT DISTINCT pair, timestamp - timestamp % {DAY} FROM syncs"
            ),
            &[],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect::<Result<_>>()?;
    let mut token_days = BTreeSet::new();
    for (pair, day) in days {
        let mut agg = Aggregate::default();
        fold_day(tx, &pair, day, &mut agg)?;
        for ((pair, interval, start), c) in &agg.candles {
            candles::write(tx, pair, *interval, *start, c)?;
        }
        let d = agg.days.remove(&(pair.clone(), day)).unwrap_or_default();
        write_day(tx, &pair, day, d)?;
        token_days.extend(tokens_of(tx, &pair)?.map(|t| (t, day)));
    }
    for (token, day) in &token_days {
        token_day(tx, token, *day)?;
    }
    Ok(())
}

/// Folds the raw swaps and syncs of one pair/day into `agg`, in chain order.
fn fold_day(tx: &mut dyn Sql, pair: &str, day: i64, agg: &mut Aggregate) -> Result<()> {
    let d = decimals(tx, &mut HashMap::new(), pair)?;
    let rows = tx.query(
        "SELECT timestamp, price, amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1,
                tracked_usd, tracked_eth, untracked_usd, eth0, usd0, eth1, usd1
         FROM swaps WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3 ORDER BY block_number, log_index",
        args![pair, day, day + DAY],
    )?;
    for r in &rows {
        let a = |i| r.get::<U256>(i);
        let reserves = match (r.get::<Option<U256>>(6)?, r.get::<Option<U256>>(7)?) {
            (Some(r0), Some(r1)) => Some((r0, r1)),
            _ => None,
        };
        let (price, amounts) = (r.get(1)?, [a(2)?, a(3)?, a(4)?, a(5)?]);
        let mut values = [0.0; 7];
        for (i, v) in values.iter_mut().enumerate() {
            *v = r.get::<Option<f64>>(8 + i)?.unwrap_or(0.0);
        }
        agg.swap(&SwapFact {
            pair: pair.to_string(),
            ts: r.get(0)?,
            price,
            before: price_before(reserves, amounts, d),
            amounts,
            micro: micro_of(values),
        });
    }
    let rows = tx.query(
        "SELECT timestamp, reserve0, reserve1 FROM syncs
         WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3
         ORDER BY timestamp, block_number, log_index",
        args![pair, day, day + DAY],
    )?;
    for r in &rows {
        agg.sync(&SyncFact {
            pair: pair.to_string(),
            ts: r.get(0)?,
            reserves: (r.get(1)?, r.get(2)?),
        });
    }
    Ok(())
}

fn tokens_of(tx: &mut dyn Sql, pair: &str) -> Result<impl Iterator<Item = String>> {
    let r = tx.query_one(
        "SELECT token0, token1 FROM pairs WHERE address = ?1",
        args![pair],
    )?;
    let (t0, t1): (String, String) = (r.get(0)?, r.get(1)?);
    Ok([t0, t1].into_iter())
}

/// The pair's reserves after the last Sync before `until` (exclusive).
fn reserves_at(tx: &mut dyn Sql, pair: &str, until: i64) -> Result<Option<(U256, U256)>> {
    tx.query_opt(
        "SELECT reserve0, reserve1 FROM syncs WHERE pair = ?1 AND timestamp < ?2
         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
        args![pair, until],
    )?
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .transpose()
}

fn stored_day(tx: &mut dyn Sql, pair: &str, day: i64) -> Result<Option<Day>> {
    tx.query_opt(
        "SELECT volume0, volume1, fees0, fees1, swaps, reserve0, reserve1,
                volume_usd, volume_eth, untracked_usd, eth0, usd0, eth1, usd1 FROM pair_days
         WHERE pair = ?1 AND day = ?2",
        args![pair, day],
    )?
    .map(|r| {
        let t = |i| r.get::<U256>(i);
        Ok(Day {
            v0: t(0)?,
            v1: t(1)?,
            f0: t(2)?,
            f1: t(3)?,
            n: r.get(4)?,
            close: Some((t(5)?, t(6)?)),
            micro: [
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ],
        })
    })
    .transpose()
}

/// Stores a pair/day: closing reserves from its last Sync (or, for swaps
/// without one, the last Sync before); a day with neither has no row.
fn write_day(tx: &mut dyn Sql, pair: &str, day: i64, mut d: Day) -> Result<()> {
    if d.close.is_none() && d.n > 0 {
        d.close = reserves_at(tx, pair, day + DAY)?;
    }
    match d.close {
        Some((r0, r1)) => {
            tx.execute(
                "INSERT INTO main.pair_days (chain_id, pair, day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1,
                                             volume_usd, volume_eth, untracked_usd, eth0, usd0, eth1, usd1)
                 VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT (chain_id, pair, day) DO UPDATE SET volume0 = excluded.volume0, volume1 = excluded.volume1,
                     fees0 = excluded.fees0, fees1 = excluded.fees1, swaps = excluded.swaps,
                     reserve0 = excluded.reserve0, reserve1 = excluded.reserve1, volume_usd = excluded.volume_usd,
                     volume_eth = excluded.volume_eth, untracked_usd = excluded.untracked_usd,
                     eth0 = excluded.eth0, usd0 = excluded.usd0, eth1 = excluded.eth1, usd1 = excluded.usd1",
                args![
                pair,
                day,
                d.v0,
                d.v1,
                d.f0,
                d.f1,
                d.n,
                r0,
                r1,
                d.micro[0],
                d.micro[1],
                d.micro[2],
                d.micro[3],
                d.micro[4],
                d.micro[5],
                d.micro[6]
            ],
            )?;
        }
        None => {
            tx.execute(
                "DELETE FROM main.pair_days WHERE chain_id = scope_chain() AND pair = ?1 AND day = ?2",
                args![pair, day],
            )?;
        }
    }
    Ok(())
}

/// Recomputes one token/day row from pair_days and the latest reserves.
pub fn token_day(tx: &mut dyn Sql, token: &str, day: i64) -> Result<()> {
    let mut pairs: BTreeMap<String, bool> = BTreeMap::new(); // pair -> token is token0
    for r in tx.query(
        "SELECT address, token0 FROM pairs WHERE token0 = ?1 OR token1 = ?1",
        args![token],
    )? {
        let t0: String = r.get(1)?;
        pairs.insert(r.get(0)?, t0 == token);
    }
    let (mut volume, mut fees, mut tvl, mut swaps, mut any) =
        (U256::ZERO, U256::ZERO, U256::ZERO, 0i64, false);
    // Tracked and untracked USD over its pairs; its own side in ETH and USD.
    let mut m = [0i64; 4];
    for (pair, is0) in &pairs {
        if let Some(d) = stored_day(tx, pair, day)? {
            any = true;
            volume = volume.saturating_add(if *is0 { d.v0 } else { d.v1 });
            fees = fees.saturating_add(if *is0 { d.f0 } else { d.f1 });
            swaps += d.n;
            let side = if *is0 {
                [d.micro[3], d.micro[4]]
            } else {
                [d.micro[5], d.micro[6]]
            };
            for (acc, v) in m.iter_mut().zip([d.micro[0], d.micro[2], side[0], side[1]]) {
                *acc = acc.saturating_add(v);
            }
        }
        if let Some((r0, r1)) = reserves_at(tx, pair, day + DAY)? {
            tvl = tvl.saturating_add(if *is0 { r0 } else { r1 });
        }
    }
    if any {
        tx.execute(
            "INSERT INTO main.token_days (chain_id, token, day, volume, fees, tvl, swaps, volume_usd, untracked_usd, side_eth, side_usd)
             VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (chain_id, token, day) DO UPDATE SET volume = excluded.volume, fees = excluded.fees,
                 tvl = excluded.tvl, swaps = excluded.swaps, volume_usd = excluded.volume_usd,
                 untracked_usd = excluded.untracked_usd, side_eth = excluded.side_eth, side_usd = excluded.side_usd",
            args![token, day, volume, fees, tvl, swaps, m[0], m[1], m[2], m[3]],
        )?;
    } else {
        tx.execute(
            "DELETE FROM main.token_days WHERE chain_id = scope_chain() AND token = ?1 AND day = ?2",
            args![token, day],
        )?;
    }
    Ok(())
}
