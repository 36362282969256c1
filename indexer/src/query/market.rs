//! Pairs, swaps and volume.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::Value;
use tidepool_sdk::alloy::primitives::U256;

use super::params::{self, MAX_LIMIT, ceil_to, floor_to};
use super::{Params, Table, price, select, text, u256};
use crate::derived::{DAY, INTERVALS};
use crate::error::Result;

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
/// come from the stored candles, the seconds at both ends from the swaps.
pub(crate) fn volume_between(conn: &Connection, pair: &str, from: i64, to: i64) -> Result<Volume> {
    let mut levels: Vec<i64> = INTERVALS.to_vec();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    let mut acc = Volume::default();
    add_range(conn, pair, from, to, &levels, &mut acc)?;
    Ok(acc)
}

fn add_range(
    conn: &Connection,
    pair: &str,
    s: i64,
    e: i64,
    levels: &[i64],
    acc: &mut Volume,
) -> Result<()> {
    if s >= e {
        return Ok(());
    }
    let Some((&step, finer)) = levels.split_first() else {
        let mut stmt = conn.prepare_cached(
            "SELECT amount0_in, amount1_in, amount0_out, amount1_out FROM swaps
             WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3",
        )?;
        let mut rows = stmt.query(params![pair, s, e])?;
        while let Some(r) = rows.next()? {
            acc.add(text(r, 0)?, text(r, 1)?, 1);
            acc.add(text(r, 2)?, text(r, 3)?, 0);
        }
        return Ok(());
    };
    let (a, b) = (ceil_to(s, step), floor_to(e, step));
    if a >= b {
        return add_range(conn, pair, s, e, finer, acc);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT volume0, volume1, swaps FROM candles
         WHERE pair = ?1 AND interval = ?2 AND bucket >= ?3 AND bucket < ?4",
    )?;
    let mut rows = stmt.query(params![pair, step, a, b])?;
    while let Some(r) = rows.next()? {
        acc.add(text(r, 0)?, text(r, 1)?, r.get(2)?);
    }
    add_range(conn, pair, s, a, finer, acc)?;
    add_range(conn, pair, b, e, finer, acc)
}

const PAIR_COLUMNS: &str = "p.address, p.token0, t0.symbol AS symbol0, t0.decimals AS decimals0,
    p.token1, t1.symbol AS symbol1, t1.decimals AS decimals1
    FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1";

/// Every pair (or those trading `token`) with its latest reserves, price, swap
/// count and 24 h volume up to `at`.
pub(crate) fn pairs(conn: &Connection, p: &Params) -> Result<Table> {
    let at = p.at.unwrap_or_else(params::now);
    let mut t = match &p.token {
        Some(token) => {
            let token = params::token(conn, "token", token)?;
            let sql = format!(
                "SELECT {PAIR_COLUMNS} WHERE p.token0 = ?1 OR p.token1 = ?1 ORDER BY p.pair_index"
            );
            select(conn, &sql, [token])?
        }
        None => select(
            conn,
            &format!("SELECT {PAIR_COLUMNS} ORDER BY p.pair_index"),
            [],
        )?,
    };
    t.columns.extend(
        [
            "reserve0",
            "reserve1",
            "price",
            "swaps",
            "volume0_24h",
            "volume1_24h",
            "swaps_24h",
        ]
        .map(String::from),
    );
    let mut latest = conn.prepare_cached(
        "SELECT reserve0, reserve1 FROM syncs WHERE pair = ?1
         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
    )?;
    let mut count =
        conn.prepare_cached("SELECT coalesce(sum(swaps), 0) FROM pair_days WHERE pair = ?1")?;
    for row in &mut t.rows {
        let pair = row[0].as_str().unwrap_or_default().to_string();
        let reserves: Option<(String, String)> = latest
            .query_row([&pair], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let px = reserves
            .as_ref()
            .and_then(|(r0, r1)| price(r0, r1, row[3].as_i64(), row[6].as_i64()));
        let (r0, r1) = reserves.unzip();
        let swaps: i64 = count.query_row([&pair], |r| r.get(0))?;
        let v = volume_between(conn, &pair, at.saturating_sub(DAY), at)?;
        row.extend([
            Value::from(r0),
            Value::from(r1),
            Value::from(px),
            Value::from(swaps),
            Value::from(v.v0.to_string()),
            Value::from(v.v1.to_string()),
            Value::from(v.swaps),
        ]);
    }
    Ok(t)
}

/// The columns of `swaps` answers.
const SWAP_COLUMNS: [&str; 14] = [
    "block_number",
    "log_index",
    "timestamp",
    "tx_hash",
    "pair",
    "sender",
    "recipient",
    "amount0_in",
    "amount1_in",
    "amount0_out",
    "amount1_out",
    "reserve0",
    "reserve1",
    "price",
];

/// Swaps, newest first, filtered and paginated. A token filter reads each of
/// the token's pairs through `swaps_pair_time` and merges them, so no query
/// sorts every swap of a busy token.
pub(crate) fn swaps(conn: &Connection, p: &Params) -> Result<Table> {
    let range = p.range()?;
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
    let page = |pair: Option<&str>, limit: i64, offset: i64| {
        let mut cond = vec!["timestamp >= ?", "timestamp < ?"];
        let mut args = vec![SqlValue::from(range.from), SqlValue::from(range.to)];
        if let Some(pair) = pair {
            cond.push("pair = ?");
            args.push(SqlValue::from(pair.to_string()));
        }
        if let Some(account) = &account {
            cond.push("recipient = ?");
            args.push(SqlValue::from(account.clone()));
        }
        args.extend([SqlValue::from(limit), SqlValue::from(offset)]);
        let sql = format!(
            "SELECT {} FROM swaps WHERE {}
             ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT ? OFFSET ?",
            SWAP_COLUMNS.join(", "),
            cond.join(" AND ")
        );
        select(conn, &sql, params_from_iter(args))
    };
    let Some(token) = &p.token else {
        return page(pair.as_deref(), limit, offset);
    };
    let token = params::token(conn, "token", token)?;
    let mut stmt = conn.prepare_cached(
        "SELECT address FROM pairs WHERE token0 = ?1 UNION SELECT address FROM pairs WHERE token1 = ?1",
    )?;
    let pairs = stmt
        .query_map([&token], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut t = Table::new(&SWAP_COLUMNS);
    for each in pairs
        .iter()
        .filter(|x| pair.as_ref().is_none_or(|p| p == *x))
    {
        t.rows
            .extend(page(Some(each), limit.saturating_add(offset), 0)?.rows);
    }
    let key = |r: &Vec<Value>| (r[2].as_i64(), r[0].as_i64(), r[1].as_i64());
    t.rows.sort_by_key(|r| std::cmp::Reverse(key(r)));
    t.rows = t
        .rows
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    Ok(t)
}

/// The exact volume of every pair over the 24 h before `at`.
pub(crate) fn volume_24h(conn: &Connection, at: i64) -> Result<Table> {
    let mut t = select(
        conn,
        "SELECT p.address AS pair, p.token0, t0.symbol AS symbol0, p.token1, t1.symbol AS symbol1
         FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1
         ORDER BY p.pair_index",
        [],
    )?;
    t.columns
        .extend(["from", "to", "volume0", "volume1", "swaps"].map(String::from));
    let from = at.saturating_sub(DAY);
    for row in &mut t.rows {
        let pair = row[0].as_str().unwrap_or_default().to_string();
        let v = volume_between(conn, &pair, from, at)?;
        row.extend([
            Value::from(from),
            Value::from(at),
            Value::from(v.v0.to_string()),
            Value::from(v.v1.to_string()),
            Value::from(v.swaps),
        ]);
    }
    Ok(t)
}

/// Daily volume of a pair (`pair_days`) or a token (`token_days`), days
/// overlapping `[from, to)`, oldest first.
pub(crate) fn volume_days(conn: &Connection, p: &Params) -> Result<Table> {
    let range = p.range()?;
    let limit = params::limit(p.limit, SERIES_LIMIT, MAX_LIMIT)?;
    let start = floor_to(range.from, DAY);
    let mut t = match (&p.pair, &p.token) {
        (Some(_), Some(_)) => {
            return Err(crate::Error::BadQuery(
                "volume takes pair or token, not both: pass one of them (or neither for the 24 h volume of every pair)"
                    .into(),
            ));
        }
        (Some(pair), None) => select(
            conn,
            "SELECT day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1 FROM pair_days
             WHERE pair = ?1 AND day >= ?2 AND day < ?3 ORDER BY day DESC LIMIT ?4",
            params![params::pair(conn, "pair", pair)?, start, range.to, limit],
        )?,
        (None, Some(token)) => select(
            conn,
            "SELECT day, volume, fees, swaps FROM token_days
             WHERE token = ?1 AND day >= ?2 AND day < ?3 ORDER BY day DESC LIMIT ?4",
            params![params::token(conn, "token", token)?, start, range.to, limit],
        )?,
        (None, None) => return volume_24h(conn, p.at.unwrap_or_else(params::now)),
    };
    t.rows.reverse();
    Ok(t)
}
