//! Liquidity providers: they add to a pool when its volume (the fees it
//! earns) runs above the usual, at the pool's own ratio, and take their
//! liquidity out, in part or whole, when the price has moved away from
//! where they entered (their impermanent loss) or the volume dried up.

use std::collections::BTreeMap;

use alloy::primitives::U256;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TidepoolPair;

use super::{Order, PROVIDERS, View};
use crate::Result;
use crate::sim::chain::Chain;

/// Weight of a block's volume in the running average.
const EMA: f64 = 0.1;
/// Chance per pool and block of an add at the usual volume.
const ADD_RATE: f64 = 0.02;
/// The price move (from entry) past which a provider may leave.
const LEAVE_MOVE: f64 = 0.03;

/// The providers' view of the pools.
pub struct Providers {
    volume: Vec<f64>,
    usual: f64,
    /// Pool price when each (provider, pool) position was opened.
    entries: BTreeMap<(u32, usize), f64>,
}

/// What the providers did in a block.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moves {
    /// Liquidity added.
    pub adds: u64,
    /// Liquidity removed.
    pub removes: u64,
}

fn share(x: U256, f: f64) -> U256 {
    x * U256::from((f * 1e6) as u64) / U256::from(1_000_000u64)
}

impl Providers {
    /// Providers of `pools` pools whose usual volume is `usual_usd` a pool
    /// and block.
    pub fn new(pools: usize, usual_usd: f64) -> Self {
        Providers {
            volume: vec![usual_usd; pools],
            usual: usual_usd.max(1e-9),
            entries: BTreeMap::new(),
        }
    }

    /// This block's adds and removes, appended to `out`, given the volume
    /// each pool saw in the block before.
    pub async fn orders(
        &mut self,
        rng: &mut ChaCha8Rng,
        v: &View<'_>,
        chain: &Chain,
        volume: &[f64],
        out: &mut Vec<Order>,
    ) -> Result<Moves> {
        let mut moves = Moves::default();
        for (i, pool) in v.pools.iter().enumerate() {
            self.volume[i] = (1.0 - EMA) * self.volume[i] + EMA * volume[i];
            let activity = (self.volume[i] / self.usual).clamp(0.0, 5.0);
            let Some((price, _)) = v.prices_of(i) else {
                continue;
            };
            let r = v.reserves[i];
            if rng.random_bool((ADD_RATE * activity).min(0.5)) {
                let who = PROVIDERS[rng.random_range(0..PROVIDERS.len())];
                let f = rng.random_range(0.005..0.03);
                // A little more of b than the ratio: the router takes all of
                // a and the matching b.
                let (a, b) = (share(r.a, f), share(r.b, f * 1.01));
                if !a.is_zero() && !b.is_zero() {
                    out.push((who, v.router.add(pool, a, b, chain.address(who))));
                    self.entries.insert((who, i), price);
                    moves.adds += 1;
                }
            }
            for who in PROVIDERS {
                let Some(entry) = self.entries.get(&(who, i)).copied() else {
                    continue;
                };
                let chance = if (price / entry - 1.0).abs() > LEAVE_MOVE {
                    0.3
                } else if activity < 0.5 {
                    0.02
                } else {
                    continue;
                };
                if !rng.random_bool(chance) {
                    continue;
                }
                let me = chain.address(who);
                let held = TidepoolPair::new(pool.pair, &chain.client.provider)
                    .balanceOf(me)
                    .call()
                    .await
                    .map_err(|e| chain.client.call_err(e))?;
                let all = rng.random_bool(0.5);
                let amount = if all { held } else { held / U256::from(2u8) };
                if all || held.is_zero() {
                    self.entries.remove(&(who, i));
                }
                if !amount.is_zero() {
                    out.push((who, v.router.remove(pool, amount, me)));
                    moves.removes += 1;
                }
            }
        }
        Ok(moves)
    }
}
