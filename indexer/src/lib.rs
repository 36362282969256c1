//! Tidepool's indexer: every pool event of a Uniswap-V2-interface factory
//! (Tidepool's or Uniswap's own) mirrored into a SQLite file.
//!
//! - [`config`]: what to index and where (TOML file, flags, environment);
//! - [`schema`], [`store`]: the versioned SQLite schema and the one write path
//!   (rows + derived analytics + checkpoint in one transaction: exactly once);
//! - [`events`]: logs decoded into rows;
//! - [`rpc`]: eth_getLogs in adaptive block ranges with retries;
//! - [`tokens`]: token metadata that tolerates bytes32 and reverting tokens;
//! - [`derived`]: candles, pair/day and token/day volume, fees and TVL, one
//!   aggregate for forward batches and rebuilds alike;
//! - [`ingest`]: backfill, live follow, reorg and chain-reset handling;
//! - [`sources`]: several chains followed side by side into one store;
//! - [`scope`]: one chain's view of a store that holds several;
//! - [`pricing`]: the Uniswap V2 subgraph's ETH and USD prices, folded over
//!   the events as they are written;
//! - [`export`]: a table streamed into a Parquet or CSV file;
//! - `graphql` (feature `http`): the Uniswap V2 subgraph's GraphQL schema over
//!   the index, served by `tidepool serve`.

pub mod bulk;
mod checkpointer;
pub mod config;
pub mod db;
pub mod derived;
pub mod error;
pub mod events;
pub mod export;
pub mod fetch;
pub mod ingest;
mod migrate;
pub mod pricing;
pub mod rpc;
pub mod schema;
pub mod scope;
pub mod sources;
pub mod store;
pub mod tokens;
pub mod write;

pub use error::{Error, Result};
#[cfg(feature = "http")]
pub mod graphql;
#[cfg(feature = "http")]
pub mod http;
pub mod output;
pub mod query;
