//! What to index and where: one TOML file, overridden by flags and
//! environment variables (see the CLI's `tidepool index`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use tidepool_sdk::Address;

use crate::error::{Error, Result};

/// The indexer's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// JSON-RPC endpoint (HTTP).
    pub rpc: String,
    /// The factory whose pairs are indexed.
    pub factory: Address,
    /// First block to index.
    pub from_block: u64,
    /// Last block to index; `None` follows the chain until stopped.
    pub to_block: Option<u64>,
    /// The SQLite file.
    pub db: PathBuf,
    /// Blocks per eth_getLogs request to start with (adapted as it goes).
    pub initial_range: u64,
    /// Upper bound of the adaptive range.
    pub max_range: u64,
    /// eth_getLogs requests in flight during backfill.
    pub concurrency: usize,
    /// How often the head is polled while following.
    pub poll_interval: Duration,
    /// Blocks behind the head that are considered final enough to skip reorg checks
    /// below (the checkpoint itself is always checked).
    pub reorg_window: u64,
}

impl Config {
    /// Settings with defaults for everything but the essentials.
    pub fn new(rpc: impl Into<String>, factory: Address, db: PathBuf) -> Self {
        Self {
            rpc: rpc.into(),
            factory,
            from_block: 0,
            to_block: None,
            db,
            // 100-block ranges with 4 in flight were fastest against anvil, and
            // several ranges let fetching overlap committing (one 1,171-block
            // range ran at 0.37 of the ceiling, 100-block ranges at 0.73).
            initial_range: 100,
            max_range: 10_000,
            concurrency: 4,
            poll_interval: Duration::from_millis(50),
            reorg_window: 128,
        }
    }
}

/// The `[index]` settings of a TOML file; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// JSON-RPC endpoint.
    pub rpc: Option<String>,
    /// Factory address.
    pub factory: Option<String>,
    /// A deployment manifest to take the factory and start block from.
    pub manifest: Option<PathBuf>,
    /// SQLite file.
    pub db: Option<PathBuf>,
    /// First block.
    pub from_block: Option<u64>,
    /// Last block.
    pub to_block: Option<u64>,
    /// Initial getLogs range.
    pub initial_range: Option<u64>,
    /// Largest getLogs range.
    pub max_range: Option<u64>,
    /// Requests in flight.
    pub concurrency: Option<usize>,
    /// Poll interval in milliseconds.
    pub poll_interval_ms: Option<u64>,
}

impl FileConfig {
    /// Reads a TOML file (`indexer.toml` or `--index-config FILE`).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text)
            .map_err(|e| Error::Config(format!("{} is invalid: {}", path.display(), e.message())))
    }
}

/// Parses an address with a message naming the setting.
pub fn parse_address(s: &str, what: &str) -> Result<Address> {
    s.trim().parse().map_err(|_| {
        Error::Config(format!(
            "{what} `{s}` is not a valid address (expected 0x followed by 40 hex digits)"
        ))
    })
}

/// Lower-case 0x hex, the form every address and hash takes in the database.
pub fn hex(a: impl std::fmt::LowerHex) -> String {
    format!("{a:#x}")
}
