//! Settings: command-line flags, then `TIDEPOOL_*` environment variables (both
//! through clap), then the config file (`--config`, `$TIDEPOOL_CONFIG`, or
//! `./tidepool.toml` when present), then built-in defaults.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The config file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// JSON-RPC endpoint.
    pub rpc: Option<String>,
    /// Deployment manifest.
    pub manifest: Option<PathBuf>,
    /// Expected chain id.
    pub chain_id: Option<u64>,
    /// Slippage in percent.
    pub slippage: Option<f64>,
    /// Deadline in seconds.
    pub deadline: Option<u64>,
    /// Most pools a route may cross.
    pub max_hops: Option<usize>,
    /// Anvil dev account to send from (devnet only).
    pub dev_account: Option<u32>,
    /// Keystore file to send from.
    pub keystore: Option<PathBuf>,
    /// File holding the keystore's password.
    pub password_file: Option<PathBuf>,
    /// File holding a BIP-39 mnemonic to send from.
    pub mnemonic_file: Option<PathBuf>,
    /// The mnemonic's account index.
    pub mnemonic_index: Option<u32>,
    /// An external JSON-RPC signer's URL (e.g. Frame's http://127.0.0.1:1248).
    pub external_signer: Option<String>,
    /// Where the transactions Tidepool sent are kept.
    pub data_dir: Option<PathBuf>,
    /// Fee preset: "slow", "normal" or "fast".
    pub speed: Option<String>,
    /// The most to pay per gas, in gwei.
    pub fee_cap: Option<String>,
}

/// The default RPC endpoint (a local devnet).
pub const DEFAULT_RPC: &str = "http://127.0.0.1:8545";
/// Default slippage: 0.5%.
pub const DEFAULT_SLIPPAGE_PCT: f64 = 0.5;
/// Default deadline: 20 minutes.
pub const DEFAULT_DEADLINE_SECS: u64 = 1200;

impl FileConfig {
    /// Loads `explicit`, or `./tidepool.toml` when it exists, or nothing.
    pub fn load(explicit: Option<&Path>) -> Result<Self> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from("tidepool.toml");
                if !p.is_file() {
                    return Ok(Self::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        let cfg: Self = toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "the config file {} is invalid: {}",
                path.display(),
                e.message()
            )
        })?;
        Ok(cfg)
    }
}

/// Parses a slippage in percent ("0.5", "1%") into basis points.
pub fn slippage_bps(pct: f64) -> Result<u32> {
    if !(0.0..=50.0).contains(&pct) || pct.is_nan() {
        bail!("slippage must be between 0 and 50 percent, not {pct}");
    }
    Ok((pct * 100.0).round() as u32)
}

/// Parses a deadline: seconds ("600"), or with a unit ("90s", "20m", "1h").
pub fn parse_deadline(s: &str) -> std::result::Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('s') => (&s[..s.len() - 1], 1),
        Some('m') => (&s[..s.len() - 1], 60),
        Some('h') => (&s[..s.len() - 1], 3600),
        _ => (s, 1),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a deadline: write seconds, or e.g. 90s, 20m, 1h"))?;
    if n == 0 {
        return Err("the deadline must be in the future (more than 0 seconds)".into());
    }
    Ok(n * mult)
}

/// Parses a slippage flag: "0.5" or "0.5%".
pub fn parse_slippage(s: &str) -> std::result::Result<f64, String> {
    s.trim()
        .trim_end_matches('%')
        .parse::<f64>()
        .map_err(|_| format!("`{s}` is not a slippage: write a percentage such as 0.5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_and_slippage() {
        assert_eq!(parse_deadline("600"), Ok(600));
        assert_eq!(parse_deadline("20m"), Ok(1200));
        assert_eq!(parse_deadline("1h"), Ok(3600));
        assert!(parse_deadline("0").is_err());
        assert!(parse_deadline("soon").is_err());
        assert_eq!(parse_slippage("0.5%"), Ok(0.5));
        assert_eq!(slippage_bps(0.5).unwrap(), 50);
        assert!(slippage_bps(51.0).is_err());
        assert!(slippage_bps(-1.0).is_err());
    }

    #[test]
    fn config_file_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.toml");
        std::fs::write(&p, "rpc = \"http://x\"\nslipage = 1\n").unwrap();
        let err = FileConfig::load(Some(&p)).unwrap_err().to_string();
        assert!(err.contains("slipage"), "{err}");
        std::fs::write(&p, "rpc = \"http://x\"\nslippage = 1.0\n").unwrap();
        assert_eq!(FileConfig::load(Some(&p)).unwrap().slippage, Some(1.0));
    }
}
