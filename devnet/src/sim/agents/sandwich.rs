//! The sandwich bot: it reads the devnet's mempool (mining is manual, so a
//! block's transactions wait there), finds other people's one-hop exact-in
//! swaps on the simulated pools, and brackets each with a buy just before it
//! (a higher priority fee) and a sale just after it (a lower one). The buy is
//! the largest that still leaves the victim its minimum out, found on the
//! pair's own integer formula, so the victim's loss is exactly what their
//! slippage bound allowed. It only trades when the profit beats both legs'
//! gas; against a tight bound the fees eat it and nothing happens.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolInterface;
use serde::Deserialize;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TidepoolRouter::TidepoolRouterCalls;

use super::{Order, SANDWICHER, View};
use crate::Result;
use crate::sim::chain::{Chain, Fee};
use crate::sim::market::{amount_out, whole};

/// Gas a leg of the sandwich is reckoned to use.
const LEG_GAS: u64 = 120_000;

/// A pending swap of someone else's.
#[derive(Debug, Clone)]
pub struct Victim {
    /// Its hash.
    pub hash: B256,
    /// Its fees.
    pub fee: Fee,
    /// The pool it trades.
    pub pool: usize,
    /// Whether it sells the pool's `a` for `b`.
    pub sells_a: bool,
    /// What it pays in.
    pub amount_in: U256,
    /// The least it accepts out.
    pub min_out: U256,
}

/// A sandwich to send: the buy, the sale, and the victim's fee between.
#[derive(Debug, Clone)]
pub struct Sandwich {
    /// The victim.
    pub victim: B256,
    /// The buy before it.
    pub front: Order,
    /// The sale after it.
    pub back: Order,
    /// The victim's fees (the buy pays a wei more, the sale a wei less).
    pub fee: Fee,
    /// The expected profit after gas, USD.
    pub profit_usd: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PoolTx {
    hash: B256,
    from: Address,
    to: Option<Address>,
    input: Bytes,
    value: U256,
    max_fee_per_gas: Option<U256>,
    max_priority_fee_per_gas: Option<U256>,
    gas_price: Option<U256>,
}

#[derive(Debug, Deserialize)]
struct Content {
    pending: std::collections::BTreeMap<Address, std::collections::BTreeMap<String, PoolTx>>,
}

/// Other people's one-hop exact-in swaps waiting in the mempool, highest fee
/// first, at most one per pool.
pub async fn victims(chain: &Chain, v: &View<'_>) -> Result<Vec<Victim>> {
    let content: Content = chain
        .client
        .provider
        .raw_request("txpool_content".into(), ())
        .await
        .map_err(|e| chain.client.err(e))?;
    let mut found: Vec<Victim> = Vec::new();
    for tx in content.pending.into_values().flat_map(|m| m.into_values()) {
        if chain.is_agent(tx.from) || tx.to != Some(v.router.m.router) {
            continue;
        }
        let Ok(call) = TidepoolRouterCalls::abi_decode(&tx.input) else {
            continue;
        };
        let (amount_in, min_out, path) = match call {
            TidepoolRouterCalls::swapExactTokensForTokens(c) => {
                (c.amountIn, c.amountOutMin, c.path)
            }
            TidepoolRouterCalls::swapExactTokensForETH(c) => (c.amountIn, c.amountOutMin, c.path),
            TidepoolRouterCalls::swapExactETHForTokens(c) => (tx.value, c.amountOutMin, c.path),
            _ => continue,
        };
        let [from, to] = path[..] else { continue };
        let Some((pool, sells_a)) = v.pools.iter().enumerate().find_map(|(i, p)| {
            if (p.a.address, p.b.address) == (from, to) {
                Some((i, true))
            } else if (p.b.address, p.a.address) == (from, to) {
                Some((i, false))
            } else {
                None
            }
        }) else {
            continue;
        };
        let price = |x: Option<U256>| {
            x.or(tx.gas_price)
                .unwrap_or_default()
                .saturating_to::<u128>()
        };
        let fee = Fee {
            max: price(tx.max_fee_per_gas),
            tip: price(tx.max_priority_fee_per_gas),
        };
        found.push(Victim {
            hash: tx.hash,
            fee,
            pool,
            sells_a,
            amount_in,
            min_out,
        });
    }
    found.sort_by(|x, y| y.fee.max.cmp(&x.fee.max).then(x.hash.cmp(&y.hash)));
    let mut seen = Vec::new();
    found.retain(|x| {
        let first = !seen.contains(&x.pool);
        seen.push(x.pool);
        first
    });
    Ok(found)
}

/// The largest buy of `r_in`'s token after which a swap of `x` still gets
/// `min` out, and what the buy gets.
pub fn largest_front(x: U256, min: U256, r_in: U256, r_out: U256, cap: U256) -> (U256, U256) {
    let victim_out = |f: U256| {
        let o = amount_out(f, r_in, r_out);
        amount_out(x, r_in + f, r_out - o)
    };
    if victim_out(U256::ZERO) < min {
        return (U256::ZERO, U256::ZERO);
    }
    let (mut lo, mut hi) = (U256::ZERO, cap.min(r_in * U256::from(10u8)));
    while hi - lo > U256::from(1u8) {
        let mid = (lo + hi) / U256::from(2u8);
        if victim_out(mid) >= min {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if victim_out(hi) >= min {
        lo = hi;
    }
    (lo, amount_out(lo, r_in, r_out))
}

/// The sandwich around `victim`, if it pays more than its gas at
/// `gas_price` (wei per gas) with `cap` of the victim's input token to
/// spend.
pub fn plan(
    v: &View,
    chain: &Chain,
    victim: &Victim,
    cap: U256,
    gas_price: u128,
) -> Option<Sandwich> {
    if victim.fee.tip < 2 || victim.fee.max < 2 {
        return None;
    }
    let (pool, r) = (&v.pools[victim.pool], v.reserves[victim.pool]);
    let ((t_in, r_in), (t_out, r_out)) = if victim.sells_a {
        ((&pool.a, r.a), (&pool.b, r.b))
    } else {
        ((&pool.b, r.b), (&pool.a, r.a))
    };
    let (f, got) = largest_front(victim.amount_in, victim.min_out, r_in, r_out, cap);
    if f.is_zero() || got.is_zero() {
        return None;
    }
    let x = victim.amount_in;
    let v_out = amount_out(x, r_in + f, r_out - got);
    let back = amount_out(got, r_out - got - v_out, r_in + f + x);
    let profit = whole(back, t_in.decimals) - whole(f, t_in.decimals);
    let p_in = v.prices.price(&t_in.symbol)?;
    let eth = v.prices.price("WETH")?;
    let gas_usd = (2 * LEG_GAS) as f64 * gas_price as f64 / 1e18 * eth;
    let profit_usd = profit * p_in - gas_usd;
    if profit_usd <= 0.0 {
        return None;
    }
    let me = chain.address(SANDWICHER);
    Some(Sandwich {
        victim: victim.hash,
        front: (
            SANDWICHER,
            v.router
                .exact_in_tokens(f, U256::ZERO, vec![t_in.address, t_out.address], me),
        ),
        back: (
            SANDWICHER,
            v.router
                .exact_in_tokens(got, U256::ZERO, vec![t_out.address, t_in.address], me),
        ),
        fee: victim.fee,
        profit_usd,
    })
}
