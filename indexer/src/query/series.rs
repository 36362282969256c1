//! Time series: candles and TVL.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use tidepool_sdk::alloy::primitives::U256;

use super::market::SERIES_LIMIT;
use super::params::{self, MAX_LIMIT, ceil_to, floor_to};
use super::{Params, Table, price, select, text, u256};
use crate::derived::INTERVALS;
use crate::error::{Error, Result};

/// Intervals whose candles are stored (seconds).
pub fn stored(interval: i64) -> bool {
    INTERVALS.contains(&interval)
}

const CANDLE_SQL: &str =
    "SELECT bucket, open, high, low, close, volume0, volume1, swaps FROM candles
     WHERE pair = ?1 AND interval = ?2 AND bucket >= ?3 AND bucket < ?4 ORDER BY bucket DESC";

struct Candle {
    bucket: i64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    v0: U256,
    v1: U256,
    swaps: i64,
}

impl Candle {
    fn row(self) -> Vec<Value> {
        vec![
            Value::from(self.bucket),
            Value::from(self.open),
            Value::from(self.high),
            Value::from(self.low),
            Value::from(self.close),
            Value::from(self.v0.to_string()),
            Value::from(self.v1.to_string()),
            Value::from(self.swaps),
        ]
    }
}

/// Candles of one pair; stored intervals are read as they are, any other
/// multiple of 60 s is aggregated from the largest stored interval dividing it
/// (exact volumes, OHLC of the first/last/extreme prices).
pub(crate) fn candles(conn: &Connection, p: &Params) -> Result<Table> {
    let pair = p.pair.as_deref().ok_or_else(|| {
        Error::BadQuery(
            "candles need a pair: pass pair=0x… (list them with `tidepool query pairs`)".into(),
        )
    })?;
    let pair = params::pair(conn, "pair", pair)?;
    let interval = params::check_interval(p.interval.unwrap_or(3600))?;
    let range = p.range()?;
    let limit = params::limit(p.limit, SERIES_LIMIT, MAX_LIMIT)?;
    let start = floor_to(range.from, interval);
    if stored(interval) {
        let mut t = select(
            conn,
            &format!("{CANDLE_SQL} LIMIT ?5"),
            params![pair, interval, start, range.to, limit],
        )?;
        t.rows.reverse();
        return Ok(t);
    }
    let base = INTERVALS
        .iter()
        .copied()
        .filter(|b| interval % b == 0)
        .max()
        .unwrap_or(60);
    let end = ceil_to(range.to, interval);
    let mut t = Table::new(&[
        "bucket", "open", "high", "low", "close", "volume0", "volume1", "swaps",
    ]);
    let mut stmt = conn.prepare_cached(CANDLE_SQL)?;
    let mut rows = stmt.query(params![pair, base, start, end])?;
    let mut current: Option<Candle> = None;
    // Newest first: the first row of a bucket is its close, the last its open.
    while let Some(r) = rows.next()? {
        let bucket = floor_to(r.get(0)?, interval);
        let (open, high, low, close): (f64, f64, f64, f64) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let (v0, v1, swaps) = (u256(text(r, 5)?), u256(text(r, 6)?), r.get::<_, i64>(7)?);
        match &mut current {
            Some(c) if c.bucket == bucket => {
                c.open = open;
                c.high = c.high.max(high);
                c.low = c.low.min(low);
                c.v0 = c.v0.saturating_add(v0);
                c.v1 = c.v1.saturating_add(v1);
                c.swaps += swaps;
            }
            _ => {
                if let Some(done) = current.take() {
                    t.rows.push(done.row());
                    if t.rows.len() as i64 >= limit {
                        break;
                    }
                }
                current = Some(Candle {
                    bucket,
                    open,
                    high,
                    low,
                    close,
                    v0,
                    v1,
                    swaps,
                });
            }
        }
    }
    if let Some(last) = current.filter(|_| (t.rows.len() as i64) < limit) {
        t.rows.push(last.row());
    }
    t.rows.reverse();
    Ok(t)
}

/// A pair's reserves over time, or a token's daily TVL.
pub(crate) fn tvl(conn: &Connection, p: &Params) -> Result<Table> {
    let range = p.range()?;
    let limit = params::limit(p.limit, SERIES_LIMIT, MAX_LIMIT)?;
    match (&p.pair, &p.token) {
        (Some(pair), None) => pair_reserves(
            conn,
            &params::pair(conn, "pair", pair)?,
            p.interval,
            range,
            limit,
        ),
        (None, Some(token)) => {
            if p.interval.is_some() {
                return Err(Error::BadQuery(
                    "a token's TVL is daily: drop interval (it applies to a pair's reserves)"
                        .into(),
                ));
            }
            let token = params::token(conn, "token", token)?;
            let mut t = select(
                conn,
                "SELECT day, tvl FROM token_days WHERE token = ?1 AND day >= ?2 AND day < ?3
                 ORDER BY day DESC LIMIT ?4",
                params![
                    token,
                    floor_to(range.from, crate::derived::DAY),
                    range.to,
                    limit
                ],
            )?;
            t.rows.reverse();
            Ok(t)
        }
        _ => Err(Error::BadQuery(
            "tvl takes either pair (reserves over time) or token (daily TVL): pass exactly one"
                .into(),
        )),
    }
}

/// Every Sync of the pair in the range, or with `interval` the last Sync of
/// each bucket (one index seek per bucket), oldest first, with the price.
fn pair_reserves(
    conn: &Connection,
    pair: &str,
    interval: Option<i64>,
    range: params::Range,
    limit: i64,
) -> Result<Table> {
    let (d0, d1): (Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "SELECT t0.decimals, t1.decimals FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0
             LEFT JOIN tokens t1 ON t1.address = p.token1 WHERE p.address = ?1",
        )?
        .query_row([pair], |r| Ok((r.get(0)?, r.get(1)?)))?;
    const LAST: &str = "SELECT timestamp, block_number, log_index, reserve0, reserve1 FROM syncs
         WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3
         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT ?4";
    let mut t = match interval {
        None => select(conn, LAST, params![pair, range.from, range.to, limit])?,
        Some(i) => {
            let i = params::check_interval(i)?;
            let mut t = Table::new(&[
                "bucket",
                "timestamp",
                "block_number",
                "log_index",
                "reserve0",
                "reserve1",
            ]);
            let mut stmt = conn.prepare_cached(LAST)?;
            let mut cursor = range.to;
            while (t.rows.len() as i64) < limit {
                let row = stmt
                    .query_row(params![pair, range.from, cursor, 1], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                        ))
                    })
                    .optional()?;
                let Some((ts, block, log, r0, r1)) = row else {
                    break;
                };
                cursor = floor_to(ts, i);
                t.rows.push(vec![
                    Value::from(cursor),
                    Value::from(ts),
                    Value::from(block),
                    Value::from(log),
                    Value::from(r0),
                    Value::from(r1),
                ]);
            }
            t
        }
    };
    let (c0, c1) = (
        t.column("reserve0").unwrap_or(0),
        t.column("reserve1").unwrap_or(0),
    );
    t.columns.push("price".into());
    for row in &mut t.rows {
        let px = price(
            row[c0].as_str().unwrap_or("0"),
            row[c1].as_str().unwrap_or("0"),
            d0,
            d1,
        );
        row.push(Value::from(px));
    }
    t.rows.reverse();
    Ok(t)
}
