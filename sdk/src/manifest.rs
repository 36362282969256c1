//! The deployment manifest, `deployments/<chain-id>.json`: where Tidepool lives
//! on one chain. Written by `tidepool devnet` and `tidepool deploy`; read by
//! every other command, the indexer and the app.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A token the deployment created or knows about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Ticker, e.g. `USDC`.
    pub symbol: String,
    /// Full name.
    pub name: String,
    /// Decimals of the base unit.
    pub decimals: u8,
    /// The token contract.
    pub address: Address,
    /// What misbehaves in it (empty for a well-behaved ERC-20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oddities: Vec<TokenOddity>,
}

/// Something a token does that ERC-20 does not say, shown to the person
/// beside the token (never fatal for anything else on screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum TokenOddity {
    /// `symbol()` answers a `bytes32` rather than a `string` (pre-standard tokens).
    Bytes32Symbol,
    /// `symbol()` reverts or answers nothing readable: shown as `?`.
    NoSymbol,
    /// `name()` reverts or answers nothing readable.
    NoName,
    /// More decimals than any real token uses (see `tokenmeta::MAX_SANE_DECIMALS`).
    AbsurdDecimals,
    /// `balanceOf` reverted when it was read.
    BalanceUnreadable,
}

/// Which contracts a manifest points at: what may be assumed of them beyond
/// Uniswap V2's interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Tidepool's own contracts (pair extension, custom errors, `eip712Domain`).
    #[default]
    Tidepool,
    /// Another Uniswap-V2-compatible deployment (Uniswap's own, a fork):
    /// only the V2 interface is assumed.
    UniswapV2,
}

/// One deployment of Tidepool, or of another Uniswap-V2-compatible exchange
/// attached with `tidepool attach`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Whose contracts these are (manifests written before attach existed are Tidepool's).
    #[serde(default)]
    pub protocol: Protocol,
    /// A name for display, e.g. "Uniswap V2 (Ethereum)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The chain's id.
    pub chain_id: u64,
    /// Hash of block 0: tells two chains with the same id apart (a restarted devnet).
    pub genesis_hash: B256,
    /// The RPC endpoint it was deployed through.
    pub rpc_url: String,
    /// The block of the first deployment transaction (where an indexer starts).
    pub deploy_block: u64,
    /// WETH.
    pub weth: Address,
    /// The factory.
    pub factory: Address,
    /// The router.
    pub router: Address,
    /// The factory's shared pair extension (Tidepool only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair_extension: Option<Address>,
    /// keccak-256 of the pair creation code (CREATE2 addresses).
    pub init_code_hash: B256,
    /// Tokens, WETH first.
    pub tokens: Vec<TokenInfo>,
}

impl Manifest {
    /// The default path for a chain: `deployments/<chain-id>.json` under `dir`.
    pub fn default_path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join("deployments").join(format!("{chain_id}.json"))
    }

    /// Reads a manifest.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::NoManifest {
                    path: path.display().to_string(),
                }
            } else {
                Error::Io {
                    path: path.display().to_string(),
                    source: e,
                }
            }
        })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::input(format!(
                "{} is not a Tidepool deployment manifest: {e}",
                path.display()
            ))
        })
    }

    /// Writes the manifest atomically (temporary file, then rename), creating the directory.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).expect("a manifest serializes") + "\n";
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// The pair of `a` and `b` under this deployment's factory, by CREATE2
    /// with the manifest's init code hash (whether or not it exists yet).
    pub fn pair(&self, a: Address, b: Address) -> Address {
        crate::pair_address::pair_address(self.factory, a, b, self.init_code_hash)
    }

    /// A display name: the recorded one, else the protocol's.
    pub fn display_name(&self) -> &str {
        match (&self.name, self.protocol) {
            (Some(n), _) => n,
            (None, Protocol::Tidepool) => "Tidepool",
            (None, Protocol::UniswapV2) => "Uniswap V2",
        }
    }

    /// A token by symbol (case-insensitive) or address; `ETH` is not a token here.
    pub fn token(&self, key: &str) -> Option<&TokenInfo> {
        match key.parse::<Address>() {
            Ok(addr) => self.tokens.iter().find(|t| t.address == addr),
            Err(_) => self
                .tokens
                .iter()
                .find(|t| t.symbol.eq_ignore_ascii_case(key)),
        }
    }
}
