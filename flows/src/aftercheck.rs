//! The post-trade check: once a swap is mined, what it moved at each hop is
//! compared with the quote, and the same block is searched for a sandwich —
//! a swap in the same pool just before the trade and one just after it by
//! one sender, the first in the trade's direction and the second against
//! it. The loss is what the sandwiched hop would have given at the pool's
//! reserves just before the front-run, minus what it gave.

use alloy::primitives::{Address, TxHash, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, Log};
use alloy::sol_types::SolEvent;
use serde::Serialize;
use tidepool_sdk::bindings::TidepoolPair;
use tidepool_sdk::chain::Client;
use tidepool_sdk::math;

use crate::error::Result;
use crate::send::Sent;
use crate::swap::SwapQuote;

/// What the post-trade check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TradeCheck {
    /// The amounts at each token of the route, as quoted.
    pub quoted: Vec<U256>,
    /// The amounts at each token of the route, as the pools' Swap events
    /// report them.
    pub actual: Vec<U256>,
    /// The route's tokens (`quoted[i]` is an amount of `path[i]`).
    pub path: Vec<Address>,
    /// A sandwich around the trade, if one was found.
    pub sandwich: Option<Sandwich>,
}

impl TradeCheck {
    /// How much less of the token out arrived than quoted (0 if as much or more).
    pub fn shortfall(&self) -> U256 {
        let (q, a) = (self.quoted.last(), self.actual.last());
        match (q, a) {
            (Some(q), Some(a)) => q.saturating_sub(*a),
            _ => U256::ZERO,
        }
    }
}

/// A front-run and a back-run of one sender around the trade in one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sandwich {
    /// The pool.
    pub pair: Address,
    /// Which hop of the route (0 = the first).
    pub hop: usize,
    /// The sender of both.
    pub attacker: Address,
    /// The transaction just before the trade.
    pub front: TxHash,
    /// The transaction just after it.
    pub back: TxHash,
    /// The token the loss is counted in (the hop's token out).
    pub token: Address,
    /// What the hop would have given without the front-run minus what it gave.
    pub loss: U256,
}

/// A pool's Swap with where it sits in the block.
struct PoolSwap {
    index: u64,
    hash: TxHash,
    zero_for_one: bool,
}

/// Checks a mined swap `sent` made from quote `q`.
pub async fn check(client: &Client, q: &SwapQuote, sent: &Sent) -> Result<TradeCheck> {
    let route = &q.plan.route;
    let receipt = client
        .provider
        .get_transaction_receipt(sent.hash)
        .await
        .map_err(|e| client.err(e))?
        .ok_or_else(|| tidepool_sdk::Error::Rpc(format!("no receipt for {}", sent.hash)))?;
    let mut actual = vec![U256::ZERO; route.path.len()];
    for (hop, pair) in route.pairs.iter().enumerate() {
        let Some(swap) = receipt
            .inner
            .logs()
            .iter()
            .filter(|l| l.address() == *pair)
            .find_map(|l| l.log_decode::<TidepoolPair::Swap>().ok())
        else {
            continue;
        };
        let e = &swap.inner.data;
        let zero_for_one = route.path[hop] < route.path[hop + 1];
        let (amount_in, amount_out) = if zero_for_one {
            (e.amount0In, e.amount1Out)
        } else {
            (e.amount1In, e.amount0Out)
        };
        if hop == 0 {
            actual[0] = amount_in;
        }
        actual[hop + 1] = amount_out;
    }
    let mut sandwich = None;
    for (hop, pair) in route.pairs.iter().enumerate() {
        let zero_for_one = route.path[hop] < route.path[hop + 1];
        if let Some(s) = sandwich_in(client, sent, *pair, hop, zero_for_one, &actual).await? {
            let token = route.path[hop + 1];
            sandwich = Some(Sandwich { token, ..s });
            break;
        }
    }
    Ok(TradeCheck {
        quoted: route.amounts.clone(),
        actual,
        path: route.path.clone(),
        sandwich,
    })
}

async fn pool_logs(client: &Client, pair: Address, block: u64) -> Result<Vec<Log>> {
    let filter = Filter::new()
        .address(pair)
        .from_block(block)
        .to_block(block)
        .event_signature(vec![
            TidepoolPair::Swap::SIGNATURE_HASH,
            TidepoolPair::Sync::SIGNATURE_HASH,
        ]);
    client
        .provider
        .get_logs(&filter)
        .await
        .map_err(|e| client.err(e).into())
}

async fn sender(client: &Client, hash: TxHash) -> Result<Option<Address>> {
    use alloy::network::TransactionResponse as _;
    Ok(client
        .provider
        .get_transaction_by_hash(hash)
        .await
        .map_err(|e| client.err(e))?
        .map(|t| t.from()))
}

async fn sandwich_in(
    client: &Client,
    sent: &Sent,
    pair: Address,
    hop: usize,
    zero_for_one: bool,
    actual: &[U256],
) -> Result<Option<Sandwich>> {
    let logs = pool_logs(client, pair, sent.block).await?;
    let swaps: Vec<PoolSwap> = logs
        .iter()
        .filter_map(|l| {
            let e = l.log_decode::<TidepoolPair::Swap>().ok()?;
            Some(PoolSwap {
                index: l.transaction_index?,
                hash: l.transaction_hash?,
                zero_for_one: !e.inner.data.amount0In.is_zero(),
            })
        })
        .collect();
    let me = client.sender()?;
    let front = swaps
        .iter()
        .rfind(|s| s.index < sent.index && s.zero_for_one == zero_for_one);
    let back = swaps
        .iter()
        .find(|s| s.index > sent.index && s.zero_for_one != zero_for_one);
    let (Some(front), Some(back)) = (front, back) else {
        return Ok(None);
    };
    let (Some(a), Some(b)) = (
        sender(client, front.hash).await?,
        sender(client, back.hash).await?,
    ) else {
        return Ok(None);
    };
    if a != b || a == me {
        return Ok(None);
    }
    // The pool's reserves just before the front-run: the last Sync of an
    // earlier transaction in this block (the front-run's own Sync comes
    // before its Swap), or the reserves at the end of the block before.
    let before = logs
        .iter()
        .filter(|l| l.transaction_index.is_some_and(|i| i < front.index))
        .filter_map(|l| l.log_decode::<TidepoolPair::Sync>().ok())
        .next_back()
        .map(|s| {
            (
                U256::from(s.inner.data.reserve0),
                U256::from(s.inner.data.reserve1),
            )
        });
    let (r0, r1) = match before {
        Some(r) => r,
        None => {
            let pool = TidepoolPair::new(pair, &client.provider);
            let r = pool
                .getReserves()
                .block(sent.block.saturating_sub(1).into())
                .call()
                .await
                .map_err(|e| client.call_err(e))?;
            (U256::from(r._reserve0), U256::from(r._reserve1))
        }
    };
    let (r_in, r_out) = if zero_for_one { (r0, r1) } else { (r1, r0) };
    let fair = math::get_amount_out(actual[hop], r_in, r_out).map_err(tidepool_sdk::Error::from)?;
    Ok(Some(Sandwich {
        pair,
        hop,
        attacker: a,
        front: front.hash,
        back: back.hash,
        token: Address::ZERO,
        loss: fair.saturating_sub(actual[hop + 1]),
    }))
}
