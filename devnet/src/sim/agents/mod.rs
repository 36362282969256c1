//! The agents, each from its own dev account, each deciding from the
//! reference prices, the pools' reserves at the start of the block and its
//! own random stream:
//! - [`noise`]: traders arriving at random with log-normal sizes;
//! - [`arb`]: an arbitrageur pulling each pool toward the reference;
//! - [`lp`]: liquidity providers following volume and price;
//! - [`sandwich`]: a bot front- and back-running other people's swaps.

pub mod arb;
pub mod lp;
pub mod noise;
pub mod sandwich;

use alloy::primitives::Address;
use alloy::rpc::types::TransactionRequest;
use tidepool_sdk::alloy;

use super::market::{Pool, Reserves, Router};
use super::reference::ReferencePrices;

/// Dev accounts of the noise traders.
pub const TRADERS: [u32; 4] = [2, 3, 4, 5];
/// Dev accounts of the liquidity providers.
pub const PROVIDERS: [u32; 2] = [6, 7];
/// Dev account of the sandwich bot.
pub const SANDWICHER: u32 = 8;
/// Dev account of the arbitrageur.
pub const ARBITRAGEUR: u32 = 9;
/// Every agent's dev account.
pub const ALL: [u32; 8] = [2, 3, 4, 5, 6, 7, 8, 9];

/// What every agent sees at the start of a block.
pub struct View<'a> {
    /// The pools.
    pub pools: &'a [Pool],
    /// Their reserves now, in the same order.
    pub reserves: &'a [Reserves],
    /// The reference prices of this block.
    pub prices: &'a ReferencePrices,
    /// The router calls.
    pub router: Router<'a>,
}

impl View<'_> {
    /// Pool `i`'s price of `a` in `b` and the reference's, if both are known.
    pub fn prices_of(&self, i: usize) -> Option<(f64, f64)> {
        let (p, r) = (&self.pools[i], self.reserves[i]);
        let ra = super::market::whole(r.a, p.a.decimals);
        let rb = super::market::whole(r.b, p.b.decimals);
        let (pa, pb) = (
            self.prices.price(&p.a.symbol)?,
            self.prices.price(&p.b.symbol)?,
        );
        (ra > 0.0 && rb > 0.0).then_some((rb / ra, pa / pb))
    }

    /// Pool `i`'s gap to the reference (pool price / reference − 1).
    pub fn gap(&self, i: usize) -> Option<f64> {
        self.prices_of(i)
            .map(|(pool, reference)| pool / reference - 1.0)
    }

    /// The USD value of pool `i` (both sides at the reference).
    pub fn depth_usd(&self, i: usize) -> f64 {
        let (p, r) = (&self.pools[i], self.reserves[i]);
        let side = |x, t: &super::market::Token| {
            super::market::whole(x, t.decimals) * self.prices.price(&t.symbol).unwrap_or(0.0)
        };
        side(r.a, &p.a) + side(r.b, &p.b)
    }
}

/// A transaction an agent wants in the block.
pub type Order = (u32, TransactionRequest);

/// The address of a dev account's agent, as the chain knows it.
pub type AddressOf<'a> = &'a dyn Fn(u32) -> Address;
