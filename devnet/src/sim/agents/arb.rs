//! The arbitrageur: for each pool whose price is off the reference by more
//! than the fee and a margin (its gas and the risk of the block's other
//! trades), the swap that brings the constant-product reserves to the
//! reference price.

use alloy::primitives::{Address, U256};
use tidepool_sdk::alloy;

use super::{ARBITRAGEUR, Order, View};
use crate::sim::market::{FEE, units, whole};

/// The gap beyond the fee that pays for an arbitrage.
pub const MARGIN: f64 = 0.002;

/// The arbitrage trades of this block, appended to `out`; how many.
pub fn orders(v: &View, me: Address, out: &mut Vec<Order>) -> u64 {
    let mut n = 0;
    for (i, pool) in v.pools.iter().enumerate() {
        let Some((pool_price, target)) = v.prices_of(i) else {
            continue;
        };
        if (pool_price / target - 1.0).abs() <= FEE + MARGIN {
            continue;
        }
        let r = v.reserves[i];
        let (ra, rb) = (whole(r.a, pool.a.decimals), whole(r.b, pool.b.decimals));
        let k = ra * rb;
        let (ra2, rb2) = ((k / target).sqrt(), (k * target).sqrt());
        // The cheap side is bought with the other, the fee grossed up.
        let (amount, path) = if rb2 > rb {
            (
                units((rb2 - rb) / (1.0 - FEE), pool.b.decimals),
                vec![pool.b.address, pool.a.address],
            )
        } else {
            (
                units((ra2 - ra) / (1.0 - FEE), pool.a.decimals),
                vec![pool.a.address, pool.b.address],
            )
        };
        if amount.is_zero() {
            continue;
        }
        out.push((
            ARBITRAGEUR,
            v.router.exact_in_tokens(amount, U256::ZERO, path, me),
        ));
        n += 1;
    }
    n
}
