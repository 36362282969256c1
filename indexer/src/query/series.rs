//! Time series: candles and TVL.

use tidepool_sdk::alloy::primitives::U256;

use super::market::SERIES_LIMIT;
use super::params::{self, MAX_LIMIT, Range, ceil_to, floor_to};
use super::request::{CandlesParams, TvlParams};
use super::rows::{BucketReservesRow, CandleRow, ReservesRow, TokenTvlRow, TvlRows};
use super::{price, u256};
use crate::args;
use crate::db::{Db, Row};
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
    fn row(self) -> CandleRow {
        CandleRow {
            bucket: self.bucket,
            open: self.open,
            high: self.high,
            low: self.low,
            close: self.close,
            volume0: self.v0.to_string(),
            volume1: self.v1.to_string(),
            swaps: self.swaps,
        }
    }
}

/// OHLC candles of `pair` at `interval` seconds (default 3600), the candles
/// overlapping `from`/`to`, oldest first; `limit` (default 1,000) keeps the
/// most recent. Stored intervals (60, 300, 3600, 86400) are read as they are,
/// any other multiple of 60 s is aggregated from the largest stored interval
/// dividing it (exact volumes, OHLC of the first/last/extreme prices).
pub fn candles(conn: &Db, p: &CandlesParams) -> Result<Vec<CandleRow>> {
    let pair = p.pair.as_deref().ok_or_else(|| {
        Error::BadQuery(
            "candles need a pair: pass pair=0x… (list them with `tidepool query pairs`)".into(),
        )
    })?;
    let pair = params::pair(conn, "pair", pair)?;
    let interval = params::check_interval(p.interval.unwrap_or(3600))?;
    let range = Range::new(p.from, p.to)?;
    let limit = params::limit(p.limit, SERIES_LIMIT, MAX_LIMIT)?;
    let start = floor_to(range.from, interval);
    if stored(interval) {
        let mut rows = conn
            .read(
                &format!("{CANDLE_SQL} LIMIT ?5"),
                args![&pair, interval, start, range.to, limit],
            )?
            .iter()
            .map(|r| {
                Ok(CandleRow {
                    bucket: r.get(0)?,
                    open: r.get(1)?,
                    high: r.get(2)?,
                    low: r.get(3)?,
                    close: r.get(4)?,
                    volume0: r.get(5)?,
                    volume1: r.get(6)?,
                    swaps: r.get(7)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        rows.reverse();
        return Ok(rows);
    }
    let base = INTERVALS
        .iter()
        .copied()
        .filter(|b| interval % b == 0)
        .max()
        .unwrap_or(60);
    let end = ceil_to(range.to, interval);
    let mut out: Vec<CandleRow> = Vec::new();
    // The first `limit` buckets span at most `limit * interval / base` stored
    // candles; one more row shows where the last of them ends.
    let rows_needed = limit.saturating_mul(interval / base).saturating_add(1);
    let rows = conn.read(
        &format!("{CANDLE_SQL} LIMIT ?5"),
        args![&pair, base, start, end, rows_needed],
    )?;
    let mut current: Option<Candle> = None;
    // Newest first: the first row of a bucket is its close, the last its open.
    for r in &rows {
        let bucket = floor_to(r.get(0)?, interval);
        let (open, high, low, close): (f64, f64, f64, f64) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let (v0, v1, swaps) = (
            u256(&r.get::<String>(5)?),
            u256(&r.get::<String>(6)?),
            r.get::<i64>(7)?,
        );
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
                    out.push(done.row());
                    if out.len() as i64 >= limit {
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
    if let Some(last) = current.filter(|_| (out.len() as i64) < limit) {
        out.push(last.row());
    }
    out.reverse();
    Ok(out)
}

/// The reserves of `pair` after every Sync in `from`/`to`, or with `interval`
/// the last Sync of each bucket; or the TVL of `token` at the end of each day.
/// Oldest first, `limit` (default 1,000) keeps the most recent.
pub fn tvl(conn: &Db, p: &TvlParams) -> Result<TvlRows> {
    let range = Range::new(p.from, p.to)?;
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
            let mut rows = conn
                .read(
                    "SELECT day, tvl FROM token_days WHERE token = ?1 AND day >= ?2 AND day < ?3
                     ORDER BY day DESC LIMIT ?4",
                    args![
                        token,
                        floor_to(range.from, crate::derived::DAY),
                        range.to,
                        limit
                    ],
                )?
                .iter()
                .map(|r| {
                    Ok(TokenTvlRow {
                        day: r.get(0)?,
                        tvl: r.get(1)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            rows.reverse();
            Ok(TvlRows::Token(rows))
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
    conn: &Db,
    pair: &str,
    interval: Option<i64>,
    range: Range,
    limit: i64,
) -> Result<TvlRows> {
    let decimals = conn
        .read_opt(
            "SELECT t0.decimals, t1.decimals FROM pairs p LEFT JOIN tokens t0 ON t0.address = p.token0
             LEFT JOIN tokens t1 ON t1.address = p.token1 WHERE p.address = ?1",
            args![pair],
        )?
        .ok_or(Error::NoRow)?;
    let (d0, d1): (Option<i64>, Option<i64>) = (decimals.get(0)?, decimals.get(1)?);
    const LAST: &str = "SELECT timestamp, block_number, log_index, reserve0, reserve1 FROM syncs
         WHERE pair = ?1 AND timestamp >= ?2 AND timestamp < ?3
         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT ?4";
    let read = |r: &Row| -> Result<ReservesRow> {
        let (reserve0, reserve1): (String, String) = (r.get(3)?, r.get(4)?);
        Ok(ReservesRow {
            timestamp: r.get(0)?,
            block_number: r.get(1)?,
            log_index: r.get(2)?,
            price: price(&reserve0, &reserve1, d0, d1),
            reserve0,
            reserve1,
        })
    };
    let Some(i) = interval else {
        let mut rows = conn
            .read(LAST, args![pair, range.from, range.to, limit])?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>>>()?;
        rows.reverse();
        return Ok(TvlRows::Reserves(rows));
    };
    let i = params::check_interval(i)?;
    let mut rows = Vec::new();
    let mut cursor = range.to;
    while (rows.len() as i64) < limit {
        let Some(r) = conn
            .read_opt(LAST, args![pair, range.from, cursor, 1i64])?
            .as_ref()
            .map(read)
            .transpose()?
        else {
            break;
        };
        cursor = floor_to(r.timestamp, i);
        rows.push(BucketReservesRow {
            bucket: cursor,
            timestamp: r.timestamp,
            block_number: r.block_number,
            log_index: r.log_index,
            reserve0: r.reserve0,
            reserve1: r.reserve1,
            price: r.price,
        });
    }
    rows.reverse();
    Ok(TvlRows::Buckets(rows))
}
