//! Pairs, swaps and volume.

use tidepool_sdk::alloy::primitives::U256;

use super::params::{self, MAX_LIMIT, Range, ceil_to, floor_to};
use super::request::{PairsParams, SwapsParams, VolumeParams};
use super::rows::{PairDayRow, PairRow, PairVolumeRow, SwapRow, TokenDayRow, TokenRow, VolumeRows};
use super::{price, u256};
use crate::args;
use crate::db::{Db, Row, Val};
use crate::derived::{DAY, INTERVALS};
use crate::error::{Error, Result};

/// Default `limit` of histories (swaps, an account's trades).
pub const HISTORY_LIMIT: u64 = 100;
/// Default `limit` of time series (candles, days, TVL points).
pub const SERIES_LIMIT: u64 = 1000;

/// Exact volume of one pair over a time range.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Volume {
    /// token0 paid in + paid out, base units.
    pub v0: U256,
    /// token1 paid in + paid out, base units.
    pub v1: U256,
    /// Number of swaps.
    pub swaps: i64,
}

impl Volume {
    fn add(&mut self, v0: &str, v1: &str, swaps: i64) {
        self.v0 = self.v0.saturating_add(u256(v0));
        self.v1 = self.v1.saturating_add(u256(v1));
        self.swaps += swaps;
    }
}

/// The exact volume of `pair` over `[from, to)`: whole days, hours and minutes
/// come from the stored candles, the seconds at both ends from the swaps, all
/// in one statement (one round trip to a server).
pub(crate) fn volume_between(conn: &Db, pair: &str, from: i64, to: i64) -> Result<Volume> {
    let mut levels: Vec<i64> = INTERVALS.to_vec();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    let mut parts = Vec::new();
    tile(from, to, &levels, &mut parts);
    let mut acc = Volume::default();
    if parts.is_empty() {
        return Ok(acc);
    }
    let mut args = vec![Val::from(pair)];
    let mut branches = Vec::with_capacity(parts.len());
    for (interval, a, b) in parts {
        let n = args.len();
        match interval {
            Some(step) => {
                branches.push(format!(
                    "SELECT volume0, volume1, 0, 0, swaps FROM candles
                     WHERE pair = ?1 AND interval = ?{} AND bucket >= ?{} AND bucket < ?{}",
                    n + 1,
                    n + 2,
                    n + 3
                ));
                args.push(step.into());
            }
            None => branches.push(format!(
                "SELECT amount0_in, amount1_in, amount0_out, amount1_out, 1 FROM swaps
                 WHERE pair = ?1 AND timestamp >= ?{} AND timestamp < ?{}",
                n + 1,
                n + 2
            )),
        }
        args.extend([Val::from(a), Val::from(b)]);
    }
    for r in conn.read(&branches.join(" UNION ALL "), &args)? {
        acc.add(&r.get::<String>(0)?, &r.get::<String>(1)?, r.get(4)?);
        acc.add(&r.get::<String>(2)?, &r.get::<String>(3)?, 0);
    }
    Ok(acc)
}

/// Tiles `[s, e)` with whole buckets of the coarsest of `levels` that fit,
/// then finer ones at both ends, and raw seconds last: `(Some(interval), a,
/// b)` reads candles, `(None, a, b)` swaps.
fn tile(s: i64, e: i64, levels: &[i64], out: &mut Vec<(Option<i64>, i64, i64)>) {
    if s >= e {
        return;
    }
    let Some((&step, finer)) = levels.split_first() else {
        out.push((None, s, e));
        return;
    };
    let (a, b) = (ceil_to(s, step), floor_to(e, step));
    if a >= b {
        return tile(s, e, finer, out);
    }
    out.push((Some(step), a, b));
    tile(s, a, finer, out);
    tile(b, e, finer, out);
}

/// Every pair (or those trading `token`) with its latest reserves, price, swap
/// count and 24 h volume up to `at` (default: now, or the latest indexed
/// block's time when the chain runs ahead of the clock), in creation order.
pub fn pairs(conn: &Db, p: &PairsParams) -> Result<Vec<PairRow>> {
    let at = p.at.unwrap_or_else(|| params::chain_now(conn));
    let token = p
        .token
        .as_deref()
        .map(|t| params::token(conn, "token", t))
        .transpose()?;
    let (filter, filter_args) = match &token {
        Some(t) => ("WHERE p.token0 = ?1 OR p.token1 = ?1", vec![Val::from(t)]),
        None => ("", Vec::new()),
    };
    let listed = conn
        .read(
            &format!(
                "SELECT p.address, p.token0, t0.symbol, t0.decimals, p.token1, t1.symbol, t1.decimals
                 FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1
                 {filter} ORDER BY p.pair_index"
            ),
            &filter_args,
        )?
        .iter()
        .map(|r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
                r.get::<Option<i64>>(3)?,
                r.get::<String>(4)?,
                r.get::<Option<String>>(5)?,
                r.get::<Option<i64>>(6)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(listed.len());
    for (address, token0, symbol0, decimals0, token1, symbol1, decimals1) in listed {
        let reserves: Option<(String, String)> = conn
            .read_opt(
                "SELECT reserve0, reserve1 FROM syncs WHERE pair = ?1
                 ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
                args![&address],
            )?
            .map(|r| Ok::<_, Error>((r.get(0)?, r.get(1)?)))
            .transpose()?;
        let px = reserves
            .as_ref()
            .and_then(|(r0, r1)| price(r0, r1, decimals0, decimals1));
        let (reserve0, reserve1) = reserves.unzip();
        let swaps: i64 = conn
            .read_opt(
                "SELECT CAST(coalesce(sum(swaps), 0) AS BIGINT) FROM pair_days WHERE pair = ?1",
                args![&address],
            )?
            .ok_or(Error::NoRow)?
            .get(0)?;
        let v = volume_between(conn, &address, at.saturating_sub(DAY), at)?;
        out.push(PairRow {
            address,
            token0,
            symbol0,
            decimals0,
            token1,
            symbol1,
            decimals1,
            reserve0,
            reserve1,
            price: px,
            swaps,
            volume0_24h: v.v0.to_string(),
            volume1_24h: v.v1.to_string(),
            swaps_24h: v.swaps,
        });
    }
    Ok(out)
}

fn swap_row(r: &Row) -> Result<SwapRow> {
    Ok(SwapRow {
        block_number: r.get(0)?,
        log_index: r.get(1)?,
        timestamp: r.get(2)?,
        tx_hash: r.get(3)?,
        pair: r.get(4)?,
        sender: r.get(5)?,
        recipient: r.get(6)?,
        amount0_in: r.get(7)?,
        amount1_in: r.get(8)?,
        amount0_out: r.get(9)?,
        amount1_out: r.get(10)?,
        reserve0: r.get(11)?,
        reserve1: r.get(12)?,
        price: r.get(13)?,
    })
}

/// Swaps, newest first; filters `pair`, `token`, `account` (the recipient),
/// `from`/`to`; `limit` (default 100, at most 10,000) and `offset`. A token
/// filter reads each of the token's pairs through `swaps_pair_time` and merges
/// them, so no query sorts every swap of a busy token.
pub fn swaps(conn: &Db, p: &SwapsParams) -> Result<Vec<SwapRow>> {
    let range = Range::new(p.from, p.to)?;
    let limit = params::limit(p.limit, HISTORY_LIMIT, MAX_LIMIT)?;
    let offset = params::offset(p.offset)?;
    let pair = p
        .pair
        .as_deref()
        .map(|x| params::pair(conn, "pair", x))
        .transpose()?;
    let account = p
        .account
        .as_deref()
        .map(|a| params::address("account", a))
        .transpose()?;
    let page = |pair: Option<&str>, limit: i64, offset: i64| -> Result<Vec<SwapRow>> {
        let mut cond = vec!["timestamp >= ?", "timestamp < ?"];
        let mut args = vec![Val::from(range.from), Val::from(range.to)];
        if let Some(pair) = pair {
            cond.push("pair = ?");
            args.push(Val::from(pair));
        }
        if let Some(account) = &account {
            cond.push("recipient = ?");
            args.push(Val::from(account));
        }
        args.extend([Val::from(limit), Val::from(offset)]);
        let sql = format!(
            "SELECT block_number, log_index, timestamp, tx_hash, pair, sender, recipient,
                    amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1, price
             FROM swaps WHERE {}
             ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT ? OFFSET ?",
            cond.join(" AND ")
        );
        conn.read(&sql, &args)?.iter().map(swap_row).collect()
    };
    let Some(token) = &p.token else {
        return page(pair.as_deref(), limit, offset);
    };
    let token = params::token(conn, "token", token)?;
    let pairs = conn
        .read(
            "SELECT address FROM pairs WHERE token0 = ?1 UNION SELECT address FROM pairs WHERE token1 = ?1",
            args![&token],
        )?
        .iter()
        .map(|r| r.get::<String>(0))
        .collect::<Result<Vec<_>>>()?;
    let mut rows = Vec::new();
    for each in pairs
        .iter()
        .filter(|x| pair.as_ref().is_none_or(|p| p == *x))
    {
        rows.extend(page(Some(each), limit.saturating_add(offset), 0)?);
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.timestamp, r.block_number, r.log_index)));
    Ok(rows
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect())
}

/// The exact volume of every pair over the 24 h before `at`.
pub fn volume_24h(conn: &Db, at: i64) -> Result<Vec<PairVolumeRow>> {
    let listed = conn
        .read(
            "SELECT p.address, p.token0, t0.symbol, p.token1, t1.symbol
             FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1
             ORDER BY p.pair_index",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .collect::<Result<Vec<(String, String, Option<String>, String, Option<String>)>>>()?;
    let from = at.saturating_sub(DAY);
    let mut out = Vec::with_capacity(listed.len());
    for (pair, token0, symbol0, token1, symbol1) in listed {
        let v = volume_between(conn, &pair, from, at)?;
        out.push(PairVolumeRow {
            pair,
            token0,
            symbol0,
            token1,
            symbol1,
            from,
            to: at,
            volume0: v.v0.to_string(),
            volume1: v.v1.to_string(),
            swaps: v.swaps,
        });
    }
    Ok(out)
}

/// Refuses the first given parameter that `what` does not take.
fn refuse(what: &str, takes: &str, given: &[(&str, bool)]) -> Result<()> {
    match given.iter().find(|(_, set)| *set) {
        Some((name, _)) => Err(Error::BadQuery(format!(
            "{name} does not apply to {what}; it takes: {takes}"
        ))),
        None => Ok(()),
    }
}

/// Daily volume and fees of `pair` or `token`, the days overlapping
/// `from`/`to`, oldest first, `limit` (default 1,000) keeping the most recent;
/// with neither, the exact volume of every pair over the 24 h before `at`.
pub fn volume(conn: &Db, p: &VolumeParams) -> Result<VolumeRows> {
    if p.pair.is_none() && p.token.is_none() {
        refuse(
            "the 24 h volume of every pair (no pair or token given)",
            "at",
            &[
                ("from", p.from.is_some()),
                ("to", p.to.is_some()),
                ("limit", p.limit.is_some()),
            ],
        )?;
        return Ok(VolumeRows::Pairs(volume_24h(
            conn,
            p.at.unwrap_or_else(|| params::chain_now(conn)),
        )?));
    }
    refuse(
        "daily volume",
        "pair, token, from, to, limit",
        &[("at", p.at.is_some())],
    )?;
    let range = Range::new(p.from, p.to)?;
    let limit = params::limit(p.limit, SERIES_LIMIT, MAX_LIMIT)?;
    let start = floor_to(range.from, DAY);
    match (&p.pair, &p.token) {
        (Some(pair), None) => {
            let pair = params::pair(conn, "pair", pair)?;
            let mut rows = conn
                .read(
                    "SELECT day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1 FROM pair_days
                     WHERE pair = ?1 AND day >= ?2 AND day < ?3 ORDER BY day DESC LIMIT ?4",
                    args![pair, start, range.to, limit],
                )?
                .iter()
                .map(|r| {
                    Ok(PairDayRow {
                        day: r.get(0)?,
                        volume0: r.get(1)?,
                        volume1: r.get(2)?,
                        fees0: r.get(3)?,
                        fees1: r.get(4)?,
                        swaps: r.get(5)?,
                        reserve0: r.get(6)?,
                        reserve1: r.get(7)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            rows.reverse();
            Ok(VolumeRows::PairDays(rows))
        }
        (None, Some(token)) => {
            let token = params::token(conn, "token", token)?;
            let mut rows = conn
                .read(
                    "SELECT day, volume, fees, swaps FROM token_days
                     WHERE token = ?1 AND day >= ?2 AND day < ?3 ORDER BY day DESC LIMIT ?4",
                    args![token, start, range.to, limit],
                )?
                .iter()
                .map(|r| {
                    Ok(TokenDayRow {
                        day: r.get(0)?,
                        volume: r.get(1)?,
                        fees: r.get(2)?,
                        swaps: r.get(3)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            rows.reverse();
            Ok(VolumeRows::TokenDays(rows))
        }
        _ => Err(Error::BadQuery(
            "volume takes pair or token, not both: pass one of them (or neither for the 24 h volume of every pair)"
                .into(),
        )),
    }
}

/// Every token the index knows, by symbol (the app's token list and the
/// symbols of history rows).
pub fn tokens(conn: &Db) -> Result<Vec<TokenRow>> {
    // Tokens without a symbol first, as SQLite orders NULLs.
    conn.read(
        "SELECT address, symbol, name, decimals FROM tokens ORDER BY symbol NULLS FIRST, address",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(TokenRow {
            address: r.get(0)?,
            symbol: r.get(1)?,
            name: r.get(2)?,
            decimals: r.get(3)?,
        })
    })
    .collect()
}
