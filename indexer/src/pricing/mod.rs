//! The Uniswap V2 subgraph's pricing, as running state folded over the events
//! in chain order while they are written: after each Sync, `Bundle.ethPrice`
//! (the WETH-weighted stablecoin price of WETH), each token's `derivedETH`
//! (through its whitelisted pairs holding more than a minimum of ETH) and the
//! pair's tracked ETH liquidity; for each swap the tracked and untracked USD
//! volume; for each mint and burn its USD value.
//!
//! Everything the state holds is read back from the rows already written
//! (the latest Sync of each pair carries its prices), so a batch started from
//! the database continues exactly where the previous one stopped, and a
//! rollback needs nothing but deleting the rows above the fork.

mod state;

use serde::{Deserialize, Serialize};
use tidepool_sdk::Address;

pub use state::{Pricer, SwapUsd, SyncPrices, reprice_all};

/// What prices are derived from (the subgraph's constants, configurable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingConfig {
    /// Wrapped ether: `derivedETH` is 1 for it. `None`: nothing is priced.
    pub weth: Option<Address>,
    /// USD stablecoins whose WETH pairs set `Bundle.ethPrice`.
    pub stablecoins: Vec<Address>,
    /// Tokens whose amounts count towards tracked volume and liquidity, and
    /// through whose pairs other tokens are priced (in this order).
    pub whitelist: Vec<Address>,
    /// A pair prices a token only above this much ETH (`reserveETH`).
    pub min_eth_liquidity: f64,
    /// Pairs with fewer than 5 liquidity providers count volume only above
    /// this much USD of reserves.
    pub min_usd_new_pairs: f64,
}

/// The subgraph's `MINIMUM_LIQUIDITY_THRESHOLD_ETH`.
pub const MIN_ETH_LIQUIDITY: f64 = 2.0;
/// The subgraph's `MINIMUM_USD_THRESHOLD_NEW_PAIRS`.
pub const MIN_USD_NEW_PAIRS: f64 = 400_000.0;

/// Symbols taken as USD stablecoins, and whitelisted beside WETH and them,
/// among a deployment's own tokens.
const STABLES: &[&str] = &["USDC", "USDT", "DAI"];
const WHITELIST_TOO: &[&str] = &["WBTC"];

impl Default for PricingConfig {
    fn default() -> Self {
        Self {
            weth: None,
            stablecoins: Vec::new(),
            whitelist: Vec::new(),
            min_eth_liquidity: MIN_ETH_LIQUIDITY,
            min_usd_new_pairs: MIN_USD_NEW_PAIRS,
        }
    }
}

impl PricingConfig {
    /// A deployment's WETH; its USDC, USDT and DAI (by symbol) as stablecoins;
    /// whitelisted: WETH, the stablecoins and WBTC.
    pub fn from_tokens(weth: Address, tokens: &[(Address, String)]) -> Self {
        let pick = |set: &[&str]| -> Vec<Address> {
            tokens
                .iter()
                .filter(|(_, s)| set.iter().any(|x| x.eq_ignore_ascii_case(s)))
                .map(|(a, _)| *a)
                .collect()
        };
        let stablecoins = pick(STABLES);
        let mut whitelist = vec![weth];
        whitelist.extend(&stablecoins);
        whitelist.extend(pick(WHITELIST_TOO));
        Self {
            weth: Some(weth),
            stablecoins,
            whitelist,
            ..Self::default()
        }
    }

    /// A deployment manifest's tokens ([`Self::from_tokens`]).
    pub fn from_manifest(m: &tidepool_sdk::manifest::Manifest) -> Self {
        let tokens: Vec<(Address, String)> = m
            .tokens
            .iter()
            .map(|t| (t.address, t.symbol.clone()))
            .collect();
        Self::from_tokens(m.weth, &tokens)
    }

    /// Ethereum mainnet: the subgraph's WETH, its three stablecoins (DAI, USDC,
    /// USDT) and those with WBTC as the whitelist.
    pub fn mainnet() -> Self {
        let a = |s: &str| s.parse::<Address>().expect("a valid address literal");
        let weth = a("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
        let stablecoins = vec![
            a("0x6b175474e89094c44da98b954eedeac495271d0f"),
            a("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"),
            a("0xdac17f958d2ee523a2206206994597c13d831ec7"),
        ];
        let mut whitelist = vec![weth];
        whitelist.extend(&stablecoins);
        whitelist.push(a("0x2260fac5e5542a773aa44fbcfedf7c193bc2c599"));
        Self {
            weth: Some(weth),
            stablecoins,
            whitelist,
            ..Self::default()
        }
    }

    /// The default for a chain without a deployment manifest: mainnet's on
    /// chain 1, none elsewhere.
    pub fn for_chain(chain_id: u64) -> Self {
        if chain_id == 1 {
            Self::mainnet()
        } else {
            Self::default()
        }
    }

    /// As stored in the index's `meta` table.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
