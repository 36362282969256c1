//! The `candles` rows: read and written in bulk by the forward path, one by
//! one by rebuilds.

use std::collections::{BTreeMap, HashMap};

use super::aggregate::Candle;
use crate::args;
use crate::db::{Row, Sql, Tx, Val};
use crate::error::Result;

/// A candle's key: pair, interval, bucket start.
type Key = (String, i64, i64);

static UPSERT: &str = "INSERT INTO main.candles (chain_id, pair, interval, bucket, open, high, low, close, volume0, volume1, swaps, volume_usd)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
     ON CONFLICT (chain_id, pair, interval, bucket) DO UPDATE SET open = excluded.open, high = excluded.high,
         low = excluded.low, close = excluded.close, volume0 = excluded.volume0, volume1 = excluded.volume1,
         swaps = excluded.swaps, volume_usd = excluded.volume_usd";
const DELETE: &str = "DELETE FROM main.candles WHERE chain_id = scope_chain() AND pair = ?1 AND interval = ?2 AND bucket = ?3";

/// The candle in columns `at..at + 8` of `r` (open … volume_usd).
fn from_row(r: &Row, at: usize) -> Result<Candle> {
    Ok(Candle {
        open: Some(r.get(at)?),
        high: r.get(at + 1)?,
        low: r.get(at + 2)?,
        close: r.get(at + 3)?,
        v0: r.get(at + 4)?,
        v1: r.get(at + 5)?,
        n: r.get(at + 6)?,
        usd: r.get(at + 7)?,
    })
}

/// The upsert's parameters; `None` for a candle without a price or swaps,
/// which has no row.
fn upsert_args((pair, interval, start): &Key, c: &Candle) -> Option<Vec<Val>> {
    let open = c.open.filter(|_| c.n > 0)?;
    Some(vec![
        pair.clone().into(),
        (*interval).into(),
        (*start).into(),
        open.into(),
        c.high.into(),
        c.low.into(),
        c.close.into(),
        c.v0.into(),
        c.v1.into(),
        c.n.into(),
        c.usd.into(),
    ])
}

/// Stores a candle (or deletes its row, see [`upsert_args`]).
pub(super) fn write(
    tx: &mut dyn Sql,
    pair: &str,
    interval: i64,
    start: i64,
    c: &Candle,
) -> Result<()> {
    let key = (pair.to_string(), interval, start);
    match upsert_args(&key, c) {
        Some(v) => tx.execute(UPSERT, &v)?,
        None => tx.execute(DELETE, args![pair, interval, start])?,
    };
    Ok(())
}

/// Extends the stored candles by a forward batch's: one range read per pair
/// and interval (not one per candle; a 100-block batch touches hundreds),
/// then the rows appended, which PostgreSQL sends many per statement.
pub(super) fn merge(tx: &mut Tx<'_>, batch: &BTreeMap<Key, Candle>) -> Result<()> {
    let mut stored: HashMap<Key, Candle> = HashMap::new();
    let mut keys = batch.keys().peekable();
    while let Some((pair, interval, first)) = keys.next() {
        // Keys are ordered: the pair's buckets of one interval are adjacent.
        let mut last = *first;
        while let Some((p, i, s)) = keys.peek() {
            if p != pair || i != interval {
                break;
            }
            last = *s;
            keys.next();
        }
        for r in tx.query(
            "SELECT bucket, open, high, low, close, volume0, volume1, swaps, volume_usd FROM candles
             WHERE pair = ?1 AND interval = ?2 AND bucket >= ?3 AND bucket <= ?4",
            args![pair.as_str(), *interval, *first, last],
        )? {
            stored.insert((pair.clone(), *interval, r.get(0)?), from_row(&r, 1)?);
        }
    }
    for (key, add) in batch {
        let mut c = stored.remove(key).unwrap_or_default();
        c.then(add);
        // A stored candle has a price and swaps, so a merged one without
        // them had no row before either: nothing to delete.
        if let Some(v) = upsert_args(key, &c) {
            tx.append(UPSERT, v)?;
        }
    }
    Ok(())
}
