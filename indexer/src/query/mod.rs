//! The analytics queries over the index, shared by `tidepool query` and the
//! HTTP API (`tidepool serve`). Every query returns a [`Table`] (named columns,
//! rows of JSON values) that [`crate::output`] prints as a text table, JSON or
//! CSV, and that the HTTP API sends as a JSON array of objects.
//!
//! Conventions, as in the database: addresses are lower-case `0x…` strings;
//! uint256 amounts are exact decimal strings (summed with 256-bit integers,
//! never floats); times are unix seconds; prices are numbers (token1 per
//! token0 in whole tokens). Time ranges are `[from, to)`. Histories (swaps, an
//! account's trades) are newest first with `limit`/`offset`; time series
//! (candles, volume, TVL) are oldest first, and `limit` keeps the most recent.
//!
//! Every query reads through an index (see [`crate::schema`]): the 24 h volume
//! adds up the stored day/hour/minute candles and only reads raw swaps for the
//! partial minutes at both ends of the window.

mod account;
mod market;
pub mod params;
mod series;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Params as SqlParams};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use tidepool_sdk::alloy::primitives::U256;

use crate::error::{Error, Result};
pub use params::Range;

/// A query's result: column names and rows of JSON values (strings for
/// addresses and uint256 amounts, numbers for times, counts and prices, null
/// when unknown). Serializes as a JSON array of objects, keys in column order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: &[&str]) -> Self {
        Self {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The value in row `row`, column `name` (`Value::Null` when absent).
    pub fn get(&self, row: usize, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match (self.rows.get(row), self.column(name)) {
            (Some(r), Some(c)) => r.get(c).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// The rows as JSON objects (keys in column order when serialized).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

struct Row<'a>(&'a [String], &'a [Value]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for row in &self.rows {
            seq.serialize_element(&Row(&self.columns, row))?;
        }
        seq.end()
    }
}

/// Every parameter a query can take, as given by a person (addresses are
/// validated and normalised when the query runs). A query refuses parameters
/// that do not apply to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// A pair address.
    pub pair: Option<String>,
    /// A token address, or a symbol exactly one indexed token has.
    pub token: Option<String>,
    /// An account address.
    pub account: Option<String>,
    /// Start of the time range (unix seconds, inclusive).
    pub from: Option<i64>,
    /// End of the time range (unix seconds, exclusive).
    pub to: Option<i64>,
    /// End of the 24 h volume window (unix seconds) [default: now].
    pub at: Option<i64>,
    /// Bucket size in seconds (a positive multiple of 60).
    pub interval: Option<i64>,
    /// Maximum rows.
    pub limit: Option<u64>,
    /// Rows to skip (histories only).
    pub offset: Option<u64>,
}

impl Params {
    fn given(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let fields: [(&'static str, bool); 9] = [
            ("pair", self.pair.is_some()),
            ("token", self.token.is_some()),
            ("account", self.account.is_some()),
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
            ("at", self.at.is_some()),
            ("interval", self.interval.is_some()),
            ("limit", self.limit.is_some()),
            ("offset", self.offset.is_some()),
        ];
        for (name, set) in fields {
            if set {
                v.push(name);
            }
        }
        v
    }

    /// Refuses parameters `query` does not take.
    fn only(&self, query: &str, allowed: &[&str]) -> Result<()> {
        match self.given().into_iter().find(|g| !allowed.contains(g)) {
            None => Ok(()),
            Some(p) => Err(Error::BadQuery(format!(
                "{p} does not apply to {query}; it takes: {}",
                if allowed.is_empty() {
                    "no parameters".to_string()
                } else {
                    allowed.join(", ")
                }
            ))),
        }
    }

    fn range(&self) -> Result<Range> {
        Range::new(self.from, self.to)
    }
}

/// A query: what to compute, with its parameters (each refuses the ones it
/// does not take). The columns of each answer are listed below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every pair (or those trading `token`), in creation order, with the exact
    /// volume of the 24 h before `at` (default: now). Columns: `address, token0,
    /// symbol0, decimals0, token1, symbol1, decimals1, reserve0, reserve1, price,
    /// swaps, volume0_24h, volume1_24h, swaps_24h` (volume = paid in + paid out).
    Pairs(Params),
    /// Swaps, newest first; filters `pair`, `token`, `account` (the recipient),
    /// `from`/`to`; `limit` (default 100, at most 10,000) and `offset`. Columns:
    /// `block_number, log_index, timestamp, tx_hash, pair, sender, recipient,
    /// amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1, price`.
    Swaps(Params),
    /// OHLC candles of `pair` at `interval` seconds (default 3600; stored at 60,
    /// 300, 3600, 86400, any other multiple of 60 aggregated from the largest
    /// stored interval dividing it), the candles overlapping `from`/`to`, oldest
    /// first; `limit` (default 1,000) keeps the most recent. Columns: `bucket,
    /// open, high, low, close, volume0, volume1, swaps`.
    Candles(Params),
    /// Daily volume and fees of `pair` (columns `day, volume0, volume1, fees0,
    /// fees1, swaps, reserve0, reserve1`) or `token` (`day, volume, fees,
    /// swaps`), the days overlapping `from`/`to`, oldest first, `limit` keeping
    /// the most recent; with neither, the exact volume of every pair over the
    /// 24 h before `at` (`pair, token0, symbol0, token1, symbol1, from, to,
    /// volume0, volume1, swaps`).
    Volume(Params),
    /// The reserves of `pair` after every Sync in `from`/`to` (`timestamp,
    /// block_number, log_index, reserve0, reserve1, price`), or with `interval`
    /// the last Sync of each bucket (`bucket` first); or the TVL of `token` at
    /// the end of each day (`day, tvl`). Oldest first, `limit` keeps the most recent.
    Tvl(Params),
    /// One `account`'s swaps (as recipient), mints and burns, newest first;
    /// `from`/`to`, `limit` (default 100), `offset`. Columns: `kind, timestamp,
    /// block_number, log_index, tx_hash, pair, token_a, amount_a, token_b,
    /// amount_b, execution_price, liquidity`. For a `swap`, a is what the
    /// account paid in and b what it received (execution price: b per a in whole
    /// tokens); for a `mint` / `burn` (LP tokens minted to the account / sent
    /// back to the pair), a and b are token0 and token1 deposited / withdrawn
    /// and `liquidity` the LP amount; a `fee_mint` is LP minted to the protocol
    /// fee recipient.
    Account(Params),
    /// One read-only SQL statement; the columns are the statement's.
    Sql(String),
}

impl Query {
    /// Runs the query on a (read-only) connection.
    pub fn run(&self, conn: &Connection) -> Result<Table> {
        match self {
            Query::Pairs(p) => {
                p.only("pairs", &["token", "at"])?;
                market::pairs(conn, p)
            }
            Query::Swaps(p) => {
                p.only(
                    "swaps",
                    &["pair", "token", "account", "from", "to", "limit", "offset"],
                )?;
                market::swaps(conn, p)
            }
            Query::Candles(p) => {
                p.only("candles", &["pair", "interval", "from", "to", "limit"])?;
                series::candles(conn, p)
            }
            Query::Volume(p) if p.pair.is_none() && p.token.is_none() => {
                p.only(
                    "the 24 h volume of every pair (no pair or token given)",
                    &["at"],
                )?;
                market::volume_24h(conn, p.at.unwrap_or_else(params::now))
            }
            Query::Volume(p) => {
                p.only("daily volume", &["pair", "token", "from", "to", "limit"])?;
                market::volume_days(conn, p)
            }
            Query::Tvl(p) => {
                p.only("tvl", &["pair", "token", "interval", "from", "to", "limit"])?;
                series::tvl(conn, p)
            }
            Query::Account(p) => {
                p.only("account", &["account", "from", "to", "limit", "offset"])?;
                account::history(conn, p)
            }
            Query::Sql(sql) => account::sql(conn, sql),
        }
    }
}

/// A SQLite value as JSON: integers and reals as numbers (non-finite → null),
/// text as strings, blobs as `0x…` hex.
pub(crate) fn json_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::from(format!(
            "0x{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        )),
    }
}

/// Runs `sql` and returns every row, columns named as the statement names them.
pub(crate) fn select(conn: &Connection, sql: &str, params: impl SqlParams) -> Result<Table> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let n = columns.len();
    let mut rows = stmt.query(params)?;
    let mut table = Table {
        columns,
        rows: Vec::new(),
    };
    while let Some(r) = rows.next()? {
        table.rows.push(
            (0..n)
                .map(|i| r.get_ref(i).map(json_value))
                .collect::<rusqlite::Result<_>>()?,
        );
    }
    Ok(table)
}

/// Column `i` of a row as text (uint256 amounts, addresses).
pub(crate) fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

/// A stored uint256 (decimal text); 0 if the text is not a number.
pub(crate) fn u256(s: &str) -> U256 {
    s.parse().unwrap_or_default()
}

/// token1 per token0 in whole tokens, from raw reserves and decimals.
pub(crate) fn price(r0: &str, r1: &str, d0: Option<i64>, d1: Option<i64>) -> Option<f64> {
    let (a, b) = (r0.parse::<f64>().ok()?, r1.parse::<f64>().ok()?);
    if a == 0.0 {
        return None;
    }
    let exp = d0.unwrap_or(0).clamp(0, 255) - d1.unwrap_or(0).clamp(0, 255);
    Some(b / a * 10f64.powi(exp as i32))
}
