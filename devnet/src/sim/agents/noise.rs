//! Noise traders: Poisson arrivals per block, log-normal sizes in USD, both
//! directions, through the router as people use it: exact in and exact out,
//! one hop or two, ERC-20s or ETH. They take any price (no slippage bound):
//! they are the flow arbitrage and liquidity feed on.

use alloy::primitives::U256;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use tidepool_sdk::alloy;
use tidepool_sdk::route::TradeKind;

use super::{AddressOf, Order, TRADERS, View};
use crate::sim::market::{units, whole};
use crate::{Error, Result};

/// The most of a pool's reserve one noise trade moves.
const MAX_SHARE: f64 = 0.1;

/// The noise traders' arrival and size distributions.
pub struct Noise {
    arrivals: Poisson<f64>,
    sizes: LogNormal<f64>,
}

/// What the noise traders sent in a block.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flow {
    /// Trades.
    pub trades: u64,
    /// Their size at reference prices, USD.
    pub usd: f64,
}

impl Noise {
    /// `per_block` trades a block on average, of `median_usd` median size.
    pub fn new(per_block: f64, median_usd: f64) -> Result<Self> {
        Ok(Noise {
            arrivals: Poisson::new(per_block.max(1e-9))
                .map_err(|e| Error::Simulation(format!("trades per block: {e}")))?,
            sizes: LogNormal::new(median_usd.max(1.0).ln(), 1.0)
                .map_err(|e| Error::Simulation(format!("trade size: {e}")))?,
        })
    }

    /// This block's trades, appended to `out`; each pool's USD volume is
    /// added to `volume`.
    pub fn orders(
        &self,
        rng: &mut ChaCha8Rng,
        v: &View,
        address: AddressOf,
        out: &mut Vec<Order>,
        volume: &mut [f64],
    ) -> Flow {
        let mut flow = Flow::default();
        let n = self.arrivals.sample(rng) as usize;
        for _ in 0..n {
            let i = rng.random_range(0..v.pools.len());
            let forward = rng.random_bool(0.5);
            let usd: f64 = self.sizes.sample(rng);
            let kind = rng.random_range(0..10u8);
            let eth = rng.random_bool(0.5);
            let who = TRADERS[rng.random_range(0..TRADERS.len())];
            let (p, r) = (&v.pools[i], v.reserves[i]);
            let ((from, r_in), (to, r_out)) = if forward {
                ((&p.a, r.a), (&p.b, r.b))
            } else {
                ((&p.b, r.b), (&p.a, r.a))
            };
            let (Some(p_in), Some(p_out)) =
                (v.prices.price(&from.symbol), v.prices.price(&to.symbol))
            else {
                continue;
            };
            let me = address(who);
            let mut path = vec![from.address, to.address];
            let mut hop = None;
            let tx = if !(5..7).contains(&kind) {
                if kind >= 7 {
                    // Two hops: on through another pool of `to`.
                    let next = v.pools.iter().enumerate().find_map(|(j, q)| {
                        let other = if q.a == *to {
                            &q.b
                        } else if q.b == *to {
                            &q.a
                        } else {
                            return None;
                        };
                        (j != i && other != from).then_some((j, other.address))
                    });
                    if let Some((j, c)) = next {
                        path.push(c);
                        hop = Some(j);
                    }
                }
                let amount = units(
                    (usd / p_in).min(whole(r_in, from.decimals) * MAX_SHARE),
                    from.decimals,
                );
                if amount.is_zero() {
                    continue;
                }
                v.router
                    .swap(TradeKind::ExactIn, (amount, U256::ZERO), path, me, eth)
            } else {
                let amount = units(
                    (usd / p_out).min(whole(r_out, to.decimals) * MAX_SHARE),
                    to.decimals,
                );
                if amount.is_zero() {
                    continue;
                }
                // ETH in is sent up front (the rest comes back): twice the
                // reference value; a token's is drawn as needed.
                let max = if eth && from.address == v.router.m.weth {
                    units(2.0 * usd / p_in, from.decimals)
                } else {
                    U256::MAX
                };
                v.router
                    .swap(TradeKind::ExactOut, (amount, max), path, me, eth)
            };
            volume[i] += usd;
            if let Some(j) = hop {
                volume[j] += usd;
            }
            flow.trades += 1;
            flow.usd += usd;
            out.push((who, tx));
        }
        flow
    }
}
