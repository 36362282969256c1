//! The analytics queries over the index, shared by `tidepool query`, the HTTP
//! API (`tidepool serve`) and the desktop app. Each query is a function taking
//! its own parameter struct ([`request`]) and returning typed rows ([`rows`]):
//! [`pairs`], [`swaps`], [`candles`], [`volume`], [`tvl`], [`account`], and
//! [`tokens`] for the app. [`Table`] is only an output adapter (rows as named
//! columns of JSON values) that [`crate::output`] prints as a text table, JSON
//! or CSV; [`Request`] runs any query into one, and [`Query`] does the same
//! for loosely given parameters ([`Params`]), checked against the query's
//! typed parameters.
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
pub mod fields;
mod market;
pub mod params;
pub mod request;
pub mod rows;
mod series;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tidepool_sdk::alloy::primitives::U256;

use crate::db::{Db, Val};
use crate::error::{Error, Result};
pub use crate::output::Table;
pub use account::{account, sql};
pub use market::{pairs, swaps, tokens, volume, volume_24h};
pub use params::Range;
pub use request::{
    AccountParams, CandlesParams, PairsParams, SwapsParams, TvlParams, VolumeParams,
};
pub use rows::{
    AccountRow, Activity, BucketReservesRow, CandleRow, PairDayRow, PairRow, PairVolumeRow,
    ReservesRow, SwapRow, TokenDayRow, TokenRow, TokenTvlRow, TvlRows, VolumeRows,
};
pub use series::{candles, tvl};

/// Every parameter any query takes, as given by a person or a test, for a
/// query chosen at run time ([`Query`]). Each query accepts only the fields of
/// its own parameter struct ([`request`]) and refuses the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Params {
    /// A pair address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
    /// A token address, or a symbol exactly one indexed token has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// An account address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Start of the time range (unix seconds, inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// End of the time range (unix seconds, exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    /// End of the 24 h volume window (unix seconds) [default: now].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Bucket size in seconds (a positive multiple of 60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    /// Maximum rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Rows to skip (histories only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Params {
    /// These parameters as `T`, refusing those `T` does not take.
    fn typed<T: DeserializeOwned>(&self, query: &str) -> Result<T> {
        let value = serde_json::to_value(self).map_err(|e| Error::BadQuery(e.to_string()))?;
        let entries = match value {
            Value::Object(m) => m.into_iter().collect(),
            _ => Vec::new(),
        };
        fields::from_entries(entries, fields::fields::<T>(), |k, takes| {
            format!("{k} does not apply to {query}; it takes: {takes}")
        })
    }
}

/// A query chosen at run time with loosely given [`Params`] (see [`Request`]
/// for the columns of each answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// See [`pairs`].
    Pairs(Params),
    /// See [`swaps`].
    Swaps(Params),
    /// See [`candles`].
    Candles(Params),
    /// See [`volume`].
    Volume(Params),
    /// See [`tvl`].
    Tvl(Params),
    /// See [`account`].
    Account(Params),
    /// One read-only SQL statement; the columns are the statement's.
    Sql(String),
}

impl Query {
    /// The typed request these parameters describe.
    pub fn request(&self) -> Result<Request> {
        Ok(match self {
            Query::Pairs(p) => Request::Pairs(p.typed("pairs")?),
            Query::Swaps(p) => Request::Swaps(p.typed("swaps")?),
            Query::Candles(p) => Request::Candles(p.typed("candles")?),
            Query::Volume(p) => Request::Volume(p.typed("volume")?),
            Query::Tvl(p) => Request::Tvl(p.typed("tvl")?),
            Query::Account(p) => Request::Account(p.typed("account")?),
            Query::Sql(s) => Request::Sql(s.clone()),
        })
    }

    /// Runs the query on a (read-only) connection.
    pub fn run(&self, db: &Db) -> Result<Table> {
        self.request()?.run(db)
    }
}

/// A query with its typed parameters, answered as a [`Table`] (for the CLI's
/// table, JSON and CSV output). The columns are the fields of the row types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// [`pairs`]: [`PairRow`]s.
    Pairs(PairsParams),
    /// [`swaps`]: [`SwapRow`]s.
    Swaps(SwapsParams),
    /// [`candles`]: [`CandleRow`]s.
    Candles(CandlesParams),
    /// [`volume`]: [`PairDayRow`]s, [`TokenDayRow`]s or [`PairVolumeRow`]s.
    Volume(VolumeParams),
    /// [`tvl`]: [`ReservesRow`]s, [`BucketReservesRow`]s or [`TokenTvlRow`]s.
    Tvl(TvlParams),
    /// [`account`]: [`AccountRow`]s.
    Account(AccountParams),
    /// One read-only SQL statement ([`sql`]); the columns are the statement's.
    Sql(String),
}

impl Request {
    /// Runs the query on a (read-only) connection.
    pub fn run(&self, conn: &Db) -> Result<Table> {
        match self {
            Request::Pairs(p) => Table::from_rows(&pairs(conn, p)?),
            Request::Swaps(p) => Table::from_rows(&swaps(conn, p)?),
            Request::Candles(p) => Table::from_rows(&candles(conn, p)?),
            Request::Volume(p) => match volume(conn, p)? {
                VolumeRows::Pairs(r) => Table::from_rows(&r),
                VolumeRows::PairDays(r) => Table::from_rows(&r),
                VolumeRows::TokenDays(r) => Table::from_rows(&r),
            },
            Request::Tvl(p) => match tvl(conn, p)? {
                TvlRows::Reserves(r) => Table::from_rows(&r),
                TvlRows::Buckets(r) => Table::from_rows(&r),
                TvlRows::Token(r) => Table::from_rows(&r),
            },
            Request::Account(p) => Table::from_rows(&account(conn, p)?),
            Request::Sql(s) => sql(conn, s),
        }
    }
}

/// A column value as JSON: integers and reals as numbers (non-finite →
/// null), text (PostgreSQL's NUMERIC included) as strings, blobs as the
/// `0x…` hex the backends read them as, booleans (PostgreSQL) as booleans.
pub(crate) fn json_value(v: &Val) -> Value {
    match v {
        Val::Null => Value::Null,
        Val::Int(i) => Value::from(*i),
        Val::Real(f) => Value::from(*f),
        Val::Text(t) => Value::from(t.clone()),
        Val::U256(u) => Value::from(u.to_string()),
        Val::Bool(b) => Value::from(*b),
    }
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
