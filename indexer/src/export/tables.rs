//! What each exportable table is: its columns with their types, the SQL that
//! reads them in a stable order, and which filters apply to it.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A table that `tidepool export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Every swap (with the reserves and price after it).
    Swaps,
    /// Every mint (liquidity added).
    Mints,
    /// Every burn (liquidity removed).
    Burns,
    /// Every reserve update.
    Syncs,
    /// Every pair, with its tokens and creation.
    Pairs,
    /// Every token the index has read.
    Tokens,
    /// OHLC candles per pair and interval.
    Candles,
    /// Volume, fees and closing reserves per pair and UTC day.
    PairDays,
    /// Volume, fees and TVL per token and UTC day.
    TokenDays,
}

/// A column's type in the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 64-bit integer (block numbers, indices, counts, decimals).
    Int,
    /// A time: unix seconds in the database; in Parquet a UTC timestamp in
    /// milliseconds (its coarsest unit), in CSV RFC 3339 UTC.
    Time,
    /// Text: lower-case 0x hex addresses and hashes, symbols, names.
    Text,
    /// A uint256 as its exact decimal string (it does not fit any integer or
    /// decimal type Parquet readers share).
    Uint,
    /// A 64-bit float (prices, for charts).
    Real,
}

/// One column of an exported table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name in the files.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Whether it can be empty (NULL).
    pub nullable: bool,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: false,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: true,
    }
}

use Kind::{Int, Real, Text, Time, Uint};

/// How a table is read and filtered.
pub(super) struct Spec {
    /// The columns after `chain_id` (which every file starts with).
    pub columns: &'static [Column],
    /// `SELECT <columns> FROM …` (the filters are appended as `WHERE …`).
    pub select: &'static str,
    /// The stable order of the rows.
    pub order: &'static str,
    /// The column `--from`/`--to` apply to, if any.
    pub time: Option<&'static str>,
    /// The condition `--pair` adds (`?` is the pair), if it applies.
    pub pair: Option<&'static str>,
    /// The condition `--token` adds (`?` is the token), if it applies.
    pub token: Option<&'static str>,
}

const EVENT_BY_TOKEN: &str = "pair IN (SELECT address FROM pairs WHERE token0 = ?1 OR token1 = ?1)";

impl Table {
    /// Every table, in the order `--help` lists them.
    pub const ALL: [Table; 9] = [
        Table::Swaps,
        Table::Mints,
        Table::Burns,
        Table::Syncs,
        Table::Pairs,
        Table::Tokens,
        Table::Candles,
        Table::PairDays,
        Table::TokenDays,
    ];

    /// Its name on the command line and in default file names.
    pub fn name(self) -> &'static str {
        match self {
            Table::Swaps => "swaps",
            Table::Mints => "mints",
            Table::Burns => "burns",
            Table::Syncs => "syncs",
            Table::Pairs => "pairs",
            Table::Tokens => "tokens",
            Table::Candles => "candles",
            Table::PairDays => "pair-days",
            Table::TokenDays => "token-days",
        }
    }

    /// The columns of its files, `chain_id` first.
    pub fn columns(self) -> Vec<Column> {
        let mut out = vec![col("chain_id", Int)];
        out.extend_from_slice(self.spec().columns);
        out
    }

    pub(super) fn spec(self) -> Spec {
        match self {
            Table::Swaps => Spec {
                columns: const {
                    &[
                        col("block_number", Int),
                        col("log_index", Int),
                        col("tx_hash", Text),
                        col("timestamp", Time),
                        col("pair", Text),
                        col("sender", Text),
                        col("recipient", Text),
                        col("amount0_in", Uint),
                        col("amount1_in", Uint),
                        col("amount0_out", Uint),
                        col("amount1_out", Uint),
                        opt("reserve0", Uint),
                        opt("reserve1", Uint),
                        opt("price", Real),
                        opt("tracked_usd", Real),
                        opt("tracked_eth", Real),
                        opt("untracked_usd", Real),
                        opt("eth0", Real),
                        opt("usd0", Real),
                        opt("eth1", Real),
                        opt("usd1", Real),
                    ]
                },
                select: "SELECT block_number, log_index, tx_hash, timestamp, pair, sender, recipient, \
                         amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1, price, \
                         tracked_usd, tracked_eth, untracked_usd, eth0, usd0, eth1, usd1 FROM swaps",
                order: "block_number, log_index",
                time: Some("timestamp"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::Mints => Spec {
                columns: const {
                    &[
                        col("block_number", Int),
                        col("log_index", Int),
                        col("tx_hash", Text),
                        col("timestamp", Time),
                        col("pair", Text),
                        col("sender", Text),
                        col("amount0", Uint),
                        col("amount1", Uint),
                        opt("amount_usd", Real),
                    ]
                },
                select: "SELECT block_number, log_index, tx_hash, timestamp, pair, sender, amount0, amount1, amount_usd FROM mints",
                order: "block_number, log_index",
                time: Some("timestamp"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::Burns => Spec {
                columns: const {
                    &[
                        col("block_number", Int),
                        col("log_index", Int),
                        col("tx_hash", Text),
                        col("timestamp", Time),
                        col("pair", Text),
                        col("sender", Text),
                        col("recipient", Text),
                        col("amount0", Uint),
                        col("amount1", Uint),
                        opt("amount_usd", Real),
                    ]
                },
                select: "SELECT block_number, log_index, tx_hash, timestamp, pair, sender, recipient, amount0, amount1, amount_usd FROM burns",
                order: "block_number, log_index",
                time: Some("timestamp"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::Syncs => Spec {
                columns: const {
                    &[
                        col("block_number", Int),
                        col("log_index", Int),
                        col("timestamp", Time),
                        col("pair", Text),
                        col("reserve0", Uint),
                        col("reserve1", Uint),
                        opt("eth_price", Real),
                        opt("derived_eth0", Real),
                        opt("derived_eth1", Real),
                        opt("tracked_reserve_eth", Real),
                    ]
                },
                select: "SELECT block_number, log_index, timestamp, pair, reserve0, reserve1, \
                         eth_price, derived_eth0, derived_eth1, tracked_reserve_eth FROM syncs",
                order: "block_number, log_index",
                time: Some("timestamp"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::Pairs => Spec {
                columns: const {
                    &[
                        col("address", Text),
                        col("token0", Text),
                        col("token1", Text),
                        col("pair_index", Int),
                        col("block_number", Int),
                        col("log_index", Int),
                        col("tx_hash", Text),
                        col("timestamp", Time),
                    ]
                },
                select: "SELECT address, token0, token1, pair_index, block_number, log_index, tx_hash, timestamp FROM pairs",
                order: "pair_index, address",
                time: Some("timestamp"),
                pair: Some("address = ?1"),
                token: Some("(token0 = ?1 OR token1 = ?1)"),
            },
            Table::Tokens => Spec {
                columns: const {
                    &[
                        col("address", Text),
                        opt("symbol", Text),
                        opt("name", Text),
                        opt("decimals", Int),
                    ]
                },
                select: "SELECT address, symbol, name, decimals FROM tokens",
                order: "address",
                time: None,
                pair: Some(
                    "address IN (SELECT token0 FROM pairs WHERE address = ?1 UNION SELECT token1 FROM pairs WHERE address = ?1)",
                ),
                token: Some("address = ?1"),
            },
            Table::Candles => Spec {
                columns: const {
                    &[
                        col("pair", Text),
                        col("interval", Int),
                        col("bucket", Time),
                        col("open", Real),
                        col("high", Real),
                        col("low", Real),
                        col("close", Real),
                        col("volume0", Uint),
                        col("volume1", Uint),
                        col("swaps", Int),
                        col("volume_usd", Int),
                    ]
                },
                select: "SELECT pair, interval, bucket, open, high, low, close, volume0, volume1, swaps, volume_usd FROM candles",
                order: "pair, interval, bucket",
                time: Some("bucket"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::PairDays => Spec {
                columns: const {
                    &[
                        col("pair", Text),
                        col("day", Time),
                        col("volume0", Uint),
                        col("volume1", Uint),
                        col("fees0", Uint),
                        col("fees1", Uint),
                        col("swaps", Int),
                        col("reserve0", Uint),
                        col("reserve1", Uint),
                        col("volume_usd", Int),
                        col("volume_eth", Int),
                        col("untracked_usd", Int),
                        col("eth0", Int),
                        col("usd0", Int),
                        col("eth1", Int),
                        col("usd1", Int),
                    ]
                },
                select: "SELECT pair, day, volume0, volume1, fees0, fees1, swaps, reserve0, reserve1, \
                         volume_usd, volume_eth, untracked_usd, eth0, usd0, eth1, usd1 FROM pair_days",
                order: "pair, day",
                time: Some("day"),
                pair: Some("pair = ?1"),
                token: Some(EVENT_BY_TOKEN),
            },
            Table::TokenDays => Spec {
                columns: const {
                    &[
                        col("token", Text),
                        col("day", Time),
                        col("volume", Uint),
                        col("fees", Uint),
                        col("tvl", Uint),
                        col("swaps", Int),
                        col("volume_usd", Int),
                        col("untracked_usd", Int),
                        col("side_eth", Int),
                        col("side_usd", Int),
                    ]
                },
                select: "SELECT token, day, volume, fees, tvl, swaps, volume_usd, untracked_usd, side_eth, side_usd FROM token_days",
                order: "token, day",
                time: Some("day"),
                pair: None,
                token: Some("token = ?1"),
            },
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Table {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Table::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                Error::BadQuery(format!(
                    "no table {s:?} to export: choose one of {}",
                    names.join(", ")
                ))
            })
    }
}
