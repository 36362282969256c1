//! The parameters of each query, defined once: serde reads them from a URL
//! query string (the HTTP API) or from JSON (the app), clap from flags (the
//! CLI, with the `clap` feature), and specta exports them to TypeScript (with
//! the `specta` feature). Addresses and symbols are checked when the query
//! runs; times, intervals and counts when they are parsed.

use serde::{Deserialize, Serialize};

use super::fields::de;
#[cfg(feature = "clap")]
use super::params::{parse_interval, parse_time};

/// Parameters of [`super::pairs`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct PairsParams {
    /// Only pairs trading this token (address or symbol).
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub token: Option<String>,
    /// End of the 24 h volume window [default: now].
    #[serde(
        default,
        deserialize_with = "de::at",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub at: Option<i64>,
}

/// Parameters of [`super::swaps`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SwapsParams {
    /// Only this pair.
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub pair: Option<String>,
    /// Only pairs trading this token (address or symbol).
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub token: Option<String>,
    /// Only swaps paying out to this account (the swap's recipient).
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub account: Option<String>,
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[serde(
        default,
        deserialize_with = "de::from",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[serde(
        default,
        deserialize_with = "de::to",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub to: Option<i64>,
    /// Rows (1 to 10000) [default: 100].
    #[serde(
        default,
        deserialize_with = "de::limit",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub limit: Option<u64>,
    /// Rows to skip.
    #[serde(
        default,
        deserialize_with = "de::offset",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub offset: Option<u64>,
}

/// Parameters of [`super::candles`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CandlesParams {
    /// The pair.
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, required = true))]
    pub pair: Option<String>,
    /// Candle size: seconds or 1m, 5m, 1h, 1d (a multiple of 60 s) [default: 1h].
    #[serde(
        default,
        deserialize_with = "de::interval",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_interval, default_value = "1h"))]
    pub interval: Option<i64>,
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[serde(
        default,
        deserialize_with = "de::from",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[serde(
        default,
        deserialize_with = "de::to",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub to: Option<i64>,
    /// The most recent N candles (1 to 10000) [default: 1000].
    #[serde(
        default,
        deserialize_with = "de::limit",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub limit: Option<u64>,
}

/// Parameters of [`super::volume`]: a pair's or a token's daily volume, or
/// with neither the 24 h volume of every pair up to `at`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct VolumeParams {
    /// Daily volume of this pair.
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, conflicts_with = "token"))]
    pub pair: Option<String>,
    /// Daily volume of this token over every pair (address or symbol).
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub token: Option<String>,
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[serde(
        default,
        deserialize_with = "de::from",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[serde(
        default,
        deserialize_with = "de::to",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub to: Option<i64>,
    /// The most recent N days [default: 1000].
    #[serde(
        default,
        deserialize_with = "de::limit",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub limit: Option<u64>,
    /// Without pair/token: end of the 24 h window [default: now].
    #[serde(
        default,
        deserialize_with = "de::at",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time, conflicts_with_all = ["pair", "token"]))]
    pub at: Option<i64>,
}

/// Parameters of [`super::tvl`]: a pair's reserves over time, or a token's
/// daily TVL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct TvlParams {
    /// Reserves of this pair after each Sync.
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "clap",
        arg(long, required_unless_present = "token", conflicts_with = "token")
    )]
    pub pair: Option<String>,
    /// Daily TVL of this token (address or symbol).
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub token: Option<String>,
    /// With pair: one point per interval (its last Sync): 1h, 1d, …
    #[serde(
        default,
        deserialize_with = "de::interval",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_interval))]
    pub interval: Option<i64>,
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[serde(
        default,
        deserialize_with = "de::from",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[serde(
        default,
        deserialize_with = "de::to",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub to: Option<i64>,
    /// The most recent N points [default: 1000].
    #[serde(
        default,
        deserialize_with = "de::limit",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub limit: Option<u64>,
}

/// Parameters of [`super::account`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct AccountParams {
    /// The account.
    #[serde(
        default,
        deserialize_with = "de::text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub account: Option<String>,
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[serde(
        default,
        deserialize_with = "de::from",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[serde(
        default,
        deserialize_with = "de::to",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long, value_parser = parse_time))]
    pub to: Option<i64>,
    /// Rows (1 to 10000) [default: 100].
    #[serde(
        default,
        deserialize_with = "de::limit",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub limit: Option<u64>,
    /// Rows to skip.
    #[serde(
        default,
        deserialize_with = "de::offset",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "clap", arg(long))]
    pub offset: Option<u64>,
}
