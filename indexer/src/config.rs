//! What to index and where: one TOML file, overridden by flags and
//! environment variables (see the CLI's `tidepool index`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use tidepool_sdk::Address;

use crate::db::Location;
use crate::error::{Error, Result};
use crate::pricing::PricingConfig;

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
    /// The store: a SQLite file, or a PostgreSQL database.
    pub db: Location,
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
    /// How events are priced (the subgraph's ETH and USD values); `None`
    /// keeps what the index was priced with, or the chain's default
    /// ([`PricingConfig::for_chain`]) for a new one.
    pub pricing: Option<PricingConfig>,
    /// Whether a first backfill into a store holding no other chain may
    /// build the secondary indexes once at the head (`crate::bulk`); off
    /// while several sources write one store.
    pub defer_indexes: bool,
}

impl Config {
    /// Settings with defaults for everything but the essentials.
    pub fn new(rpc: impl Into<String>, factory: Address, db: impl Into<Location>) -> Self {
        Self {
            rpc: rpc.into(),
            factory,
            from_block: 0,
            to_block: None,
            db: db.into(),
            // 100-block ranges with 4 in flight were fastest against anvil, and
            // several ranges let fetching overlap committing (one 1,171-block
            // range ran at 0.37 of the ceiling, 100-block ranges at 0.73).
            initial_range: 100,
            max_range: 10_000,
            concurrency: 4,
            poll_interval: Duration::from_millis(50),
            reorg_window: 128,
            pricing: None,
            defer_indexes: true,
        }
    }
}

/// The settings of an indexer TOML file; every key optional. The keys of
/// one source (RPC, factory, blocks, pricing) may be given at the top level
/// for a single source, or per source in `[[sources]]` tables, which take
/// what they leave out from the top level.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// JSON-RPC endpoint.
    pub rpc: Option<String>,
    /// Factory address.
    pub factory: Option<String>,
    /// A deployment manifest to take the factory and start block from.
    pub manifest: Option<PathBuf>,
    /// The store: a SQLite file, or a `postgres://` URL.
    pub db: Option<Location>,
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
    /// Pricing: wrapped ether's address.
    pub weth: Option<String>,
    /// Pricing: the USD stablecoins whose WETH pairs set the ETH price.
    pub stablecoins: Option<Vec<String>>,
    /// Pricing: tokens whose amounts count as tracked volume.
    pub whitelist: Option<Vec<String>>,
    /// Pricing: ETH a pair needs to price a token (default 2).
    pub min_eth_liquidity: Option<f64>,
    /// Pricing: USD of reserves a pair with fewer than 5 providers needs to
    /// count volume (default 400,000).
    pub min_usd_new_pairs: Option<f64>,
    /// Several (RPC, factory) sources followed into the one store, one per chain.
    #[serde(default)]
    pub sources: Vec<SourceFile>,
}

/// One `[[sources]]` table: a chain's endpoint, factory, blocks and pricing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// JSON-RPC endpoint.
    pub rpc: Option<String>,
    /// Factory address.
    pub factory: Option<String>,
    /// A deployment manifest to take the factory and start block from.
    pub manifest: Option<PathBuf>,
    /// First block.
    pub from_block: Option<u64>,
    /// Last block.
    pub to_block: Option<u64>,
    /// Pricing: wrapped ether's address.
    pub weth: Option<String>,
    /// Pricing: the USD stablecoins whose WETH pairs set the ETH price.
    pub stablecoins: Option<Vec<String>>,
    /// Pricing: tokens whose amounts count as tracked volume.
    pub whitelist: Option<Vec<String>>,
    /// Pricing: ETH a pair needs to price a token.
    pub min_eth_liquidity: Option<f64>,
    /// Pricing: USD of reserves a young pair needs to count volume.
    pub min_usd_new_pairs: Option<f64>,
}

impl FileConfig {
    /// The sources the file lists: its `[[sources]]` tables with the
    /// top-level keys filling what each leaves out, or the top level alone.
    pub fn sources(&self) -> Vec<SourceFile> {
        let top = SourceFile {
            rpc: self.rpc.clone(),
            factory: self.factory.clone(),
            manifest: self.manifest.clone(),
            from_block: self.from_block,
            to_block: self.to_block,
            weth: self.weth.clone(),
            stablecoins: self.stablecoins.clone(),
            whitelist: self.whitelist.clone(),
            min_eth_liquidity: self.min_eth_liquidity,
            min_usd_new_pairs: self.min_usd_new_pairs,
        };
        if self.sources.is_empty() {
            return vec![top];
        }
        self.sources
            .iter()
            .map(|s| SourceFile {
                rpc: s.rpc.clone().or(top.rpc.clone()),
                // A factory or a manifest, as a pair: a source naming either
                // does not take the other from the top level.
                factory: if s.factory.is_some() || s.manifest.is_some() {
                    s.factory.clone()
                } else {
                    top.factory.clone()
                },
                manifest: if s.factory.is_some() || s.manifest.is_some() {
                    s.manifest.clone()
                } else {
                    top.manifest.clone()
                },
                from_block: s.from_block.or(top.from_block),
                to_block: s.to_block.or(top.to_block),
                weth: s.weth.clone().or(top.weth.clone()),
                stablecoins: s.stablecoins.clone().or(top.stablecoins.clone()),
                whitelist: s.whitelist.clone().or(top.whitelist.clone()),
                min_eth_liquidity: s.min_eth_liquidity.or(top.min_eth_liquidity),
                min_usd_new_pairs: s.min_usd_new_pairs.or(top.min_usd_new_pairs),
            })
            .collect()
    }

    /// Reads a TOML file (`indexer.toml` or `--index-config FILE`).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text)
            .map_err(|e| Error::Config(format!("{} is invalid: {}", path.display(), e.message())))
    }
}

impl SourceFile {
    /// `base` (a manifest's or the chain's pricing) with this source's
    /// pricing keys applied; `None` when neither says anything.
    pub fn pricing(&self, base: Option<PricingConfig>) -> Result<Option<PricingConfig>> {
        let any = self.weth.is_some()
            || self.stablecoins.is_some()
            || self.whitelist.is_some()
            || self.min_eth_liquidity.is_some()
            || self.min_usd_new_pairs.is_some();
        if !any {
            return Ok(base);
        }
        let mut p = base.unwrap_or_default();
        let list = |v: &[String], what: &str| -> Result<Vec<Address>> {
            v.iter().map(|s| parse_address(s, what)).collect()
        };
        if let Some(w) = &self.weth {
            p.weth = Some(parse_address(w, "weth")?);
        }
        if let Some(v) = &self.stablecoins {
            p.stablecoins = list(v, "stablecoins")?;
        }
        if let Some(v) = &self.whitelist {
            p.whitelist = list(v, "whitelist")?;
        }
        for (v, what, slot) in [
            (
                self.min_eth_liquidity,
                "min_eth_liquidity",
                &mut p.min_eth_liquidity,
            ),
            (
                self.min_usd_new_pairs,
                "min_usd_new_pairs",
                &mut p.min_usd_new_pairs,
            ),
        ] {
            if let Some(x) = v {
                if !(x.is_finite() && x >= 0.0) {
                    return Err(Error::Config(format!(
                        "{what} must be a number ≥ 0, got {x}"
                    )));
                }
                *slot = x;
            }
        }
        Ok(Some(p))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(toml: &str) -> SourceFile {
        let f: FileConfig = toml::from_str(toml).unwrap();
        f.sources().remove(0)
    }

    #[test]
    fn sources_take_what_they_leave_out_from_the_top_level() {
        let f: FileConfig = toml::from_str(
            r#"rpc = "http://127.0.0.1:1"
               factory = "0x00000000000000000000000000000000000000f1"
               weth = "0x00000000000000000000000000000000000000aa"
               [[sources]]
               from_block = 5
               [[sources]]
               rpc = "http://127.0.0.1:2"
               manifest = "deployments/1.json""#,
        )
        .unwrap();
        let s = f.sources();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].rpc.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(s[0].from_block, Some(5));
        assert!(s[0].factory.is_some() && s[0].manifest.is_none());
        assert_eq!(s[1].rpc.as_deref(), Some("http://127.0.0.1:2"));
        assert!(
            s[1].factory.is_none(),
            "a source's manifest is not overridden by the top-level factory"
        );
        assert_eq!(s[1].weth, s[0].weth);
        assert!(
            toml::from_str::<FileConfig>("[[sources]]\ndb = \"x.db\"").is_err(),
            "db is store-wide"
        );
    }

    #[test]
    fn pricing_keys_apply_over_the_manifest_default_and_bad_ones_are_named() {
        let weth: Address = "0x00000000000000000000000000000000000000aa"
            .parse()
            .unwrap();
        let base = PricingConfig::from_tokens(weth, &[]);
        assert_eq!(
            file("").pricing(Some(base.clone())).unwrap(),
            Some(base.clone())
        );
        assert_eq!(file("").pricing(None).unwrap(), None);
        let p = file(
            r#"stablecoins = ["0x00000000000000000000000000000000000000bb"]
               min_eth_liquidity = 5.5"#,
        )
        .pricing(Some(base))
        .unwrap()
        .unwrap();
        assert_eq!(p.weth, Some(weth));
        assert_eq!(p.stablecoins.len(), 1);
        assert_eq!((p.min_eth_liquidity, p.min_usd_new_pairs), (5.5, MIN_USD));
        let bad = |t: &str| file(t).pricing(None).unwrap_err().to_string();
        assert!(bad(r#"weth = "0x12""#).contains("weth `0x12` is not a valid address"));
        assert!(bad(r#"whitelist = ["WETH"]"#).contains("whitelist `WETH`"));
        assert!(bad("min_usd_new_pairs = -1.0").contains("min_usd_new_pairs must be a number ≥ 0"));
        assert!(
            toml::from_str::<FileConfig>("whitelst = []").is_err(),
            "a misspelt key is refused"
        );
    }

    const MIN_USD: f64 = crate::pricing::MIN_USD_NEW_PAIRS;
}
