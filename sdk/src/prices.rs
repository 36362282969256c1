//! USD prices computed on the user's machine from the market itself: each
//! token is priced through its deepest path to a reference set of
//! stablecoins (each taken as $1), where a path is as deep as its shallowest
//! pool, and pools below a liquidity threshold are ignored — the V2
//! subgraph's `derivedETH` idea, without its fixed whitelist. No price feed,
//! no network beyond the node.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use alloy::primitives::{Address, U256};

use crate::amount::to_f64;
use crate::marketstate::PairRow;

/// Symbols taken as US-dollar stablecoins among a deployment's own tokens.
pub const STABLE_SYMBOLS: &[&str] = &[
    "USDC", "USDT", "DAI", "USDS", "FRAX", "LUSD", "PYUSD", "BUSD", "TUSD", "USDP", "GUSD",
];

/// Default threshold: a pool holding less than this (both sides, in USD) does
/// not set a price.
pub const MIN_LIQUIDITY_USD: f64 = 10_000.0;

/// The reference set and the threshold.
#[derive(Debug, Clone)]
pub struct PriceConfig {
    /// Stablecoins, each with its decimals: one whole token is $1.
    pub stables: Vec<(Address, u8)>,
    /// Pools below this depth (USD, both sides) are ignored.
    pub min_liquidity_usd: f64,
}

/// A token's price and how it was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// USD per base unit (multiply by an amount in base units).
    pub usd_per_unit: f64,
    /// The shallowest pool on the path, in USD (infinite for a stablecoin).
    pub depth_usd: f64,
}

/// Prices of every token reachable from the reference set.
#[derive(Debug, Clone, Default)]
pub struct Prices {
    by_token: HashMap<Address, Price>,
}

#[derive(PartialEq)]
struct Item(f64, Address);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0).then_with(|| o.1.cmp(&self.1))
    }
}

impl Prices {
    /// Prices every token of `pairs` reachable through pools at least
    /// `cfg.min_liquidity_usd` deep, by widest path from the stablecoins.
    pub fn compute(pairs: &[PairRow], cfg: &PriceConfig) -> Self {
        let mut adj: HashMap<Address, Vec<(Address, f64, f64)>> = HashMap::new();
        for p in pairs {
            if p.reserve0 == 0 || p.reserve1 == 0 || p.token0 == p.token1 {
                continue;
            }
            let (r0, r1) = (p.reserve0 as f64, p.reserve1 as f64);
            adj.entry(p.token0).or_default().push((p.token1, r0, r1));
            adj.entry(p.token1).or_default().push((p.token0, r1, r0));
        }
        let mut by_token: HashMap<Address, Price> = HashMap::new();
        let mut heap = BinaryHeap::new();
        for &(t, decimals) in &cfg.stables {
            by_token.insert(
                t,
                Price {
                    usd_per_unit: 10f64.powi(-i32::from(decimals)),
                    depth_usd: f64::INFINITY,
                },
            );
            heap.push(Item(f64::INFINITY, t));
        }
        let mut done = std::collections::HashSet::new();
        while let Some(Item(depth, t)) = heap.pop() {
            if !done.insert(t) {
                continue;
            }
            let p_t = by_token[&t].usd_per_unit;
            for &(o, r_t, r_o) in adj.get(&t).map(Vec::as_slice).unwrap_or_default() {
                if done.contains(&o) {
                    continue;
                }
                let liquidity = 2.0 * r_t * p_t;
                // NaN (a reserve beyond f64) fails this too.
                if liquidity.is_nan() || liquidity < cfg.min_liquidity_usd {
                    continue;
                }
                let d = depth.min(liquidity);
                if by_token.get(&o).is_none_or(|q| d > q.depth_usd) {
                    by_token.insert(
                        o,
                        Price {
                            usd_per_unit: p_t * r_t / r_o,
                            depth_usd: d,
                        },
                    );
                    heap.push(Item(d, o));
                }
            }
        }
        Self { by_token }
    }

    /// A token's price, if it has one.
    pub fn get(&self, token: &Address) -> Option<Price> {
        self.by_token.get(token).copied()
    }

    /// Whether `token` is one of the reference stablecoins (worth $1 a whole
    /// token by definition, at any time).
    pub fn is_reference(&self, token: &Address) -> bool {
        self.get(token).is_some_and(|p| p.depth_usd.is_infinite())
    }

    /// USD value of `amount` base units of `token`.
    pub fn value(&self, token: &Address, amount: U256) -> Option<f64> {
        self.get(token).map(|p| to_f64(amount, 0) * p.usd_per_unit)
    }

    /// USD per whole token.
    pub fn usd(&self, token: &Address, decimals: u8) -> Option<f64> {
        self.get(token)
            .map(|p| p.usd_per_unit * 10f64.powi(i32::from(decimals)))
    }

    /// How many tokens have a price.
    pub fn len(&self) -> usize {
        self.by_token.len()
    }

    /// Whether no token has a price.
    pub fn is_empty(&self) -> bool {
        self.by_token.is_empty()
    }
}

impl PriceConfig {
    /// The manifest's stablecoins (by symbol) and the default threshold.
    pub fn from_manifest(m: &crate::manifest::Manifest) -> Self {
        Self {
            stables: m
                .tokens
                .iter()
                .filter(|t| {
                    STABLE_SYMBOLS
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(&t.symbol))
                })
                .map(|t| (t.address, t.decimals))
                .collect(),
            min_liquidity_usd: MIN_LIQUIDITY_USD,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: u8) -> Address {
        Address::with_last_byte(n)
    }

    fn row(n: u8, a: u8, b: u8, ra: u128, rb: u128) -> PairRow {
        PairRow {
            pair: Address::left_padding_from(&[0xee, n]),
            token0: t(a),
            token1: t(b),
            reserve0: ra,
            reserve1: rb,
        }
    }

    const E18: u128 = 1_000_000_000_000_000_000;
    const E6: u128 = 1_000_000;

    fn cfg() -> PriceConfig {
        PriceConfig {
            stables: vec![(t(1), 6)],
            min_liquidity_usd: 10_000.0,
        }
    }

    #[test]
    fn prices_follow_the_deepest_path_and_skip_shallow_pools() {
        // 1 = USDC (6 decimals), 2 = WETH at $2,000, 3 = TIDE.
        let pairs = [
            row(1, 1, 2, 4_000_000 * E6, 2_000 * E18),
            // A shallow pool ($8,000 deep) saying WETH is $10,000: ignored.
            row(2, 1, 2, 4_000 * E6, 4 * E18 / 10),
            // TIDE priced via WETH: 100 WETH / 400,000 TIDE -> $0.50.
            row(3, 2, 3, 100 * E18, 400_000 * E18),
            // A thinner direct TIDE/USDC pool at $0.40 ($16,000 deep): the
            // WETH path is deeper ($400,000), so it wins.
            row(4, 1, 3, 8_000 * E6, 20_000 * E18),
            // 5 is only reachable through a $2 pool: unpriced.
            row(5, 3, 5, E18, E18),
        ];
        let p = Prices::compute(&pairs, &cfg());
        let weth = p.usd(&t(2), 18).unwrap();
        assert!((weth - 2_000.0).abs() < 1e-6, "{weth}");
        let tide = p.usd(&t(3), 18).unwrap();
        assert!((tide - 0.5).abs() < 1e-9, "{tide}");
        assert!(p.get(&t(5)).is_none());
        assert_eq!(p.usd(&t(1), 6), Some(1.0));
        let v = p.value(&t(2), U256::from(3 * E18)).unwrap();
        assert!((v - 6_000.0).abs() < 1e-6);
    }

    #[test]
    fn nothing_is_priced_without_a_reference() {
        let p = Prices::compute(
            &[row(1, 2, 3, E18, E18)],
            &PriceConfig {
                stables: vec![],
                min_liquidity_usd: 0.0,
            },
        );
        assert!(p.is_empty());
    }
}
