//! The pools the agents trade, read once per block, and the router calls
//! they send.

use alloy::primitives::{Address, U256};
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;
use futures::future::try_join_all;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TidepoolPair, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::route::TradeKind;
use tidepool_sdk::trade::SwapCall;

use crate::{Error, POOLS, Result};

/// A token the agents trade.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Its address.
    pub address: Address,
    /// Its decimals.
    pub decimals: u8,
    /// Its symbol.
    pub symbol: String,
}

/// A pool, its tokens in the devnet's order.
#[derive(Debug, Clone)]
pub struct Pool {
    /// The first token.
    pub a: Token,
    /// The second token.
    pub b: Token,
    /// The pair.
    pub pair: Address,
    /// Whether `a` is the pair's token0.
    a_is_0: bool,
}

/// A pool's reserves at the start of a block, in its `a`/`b` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reserves {
    /// Reserve of `a`.
    pub a: U256,
    /// Reserve of `b`.
    pub b: U256,
}

/// The LP fee of a swap.
pub const FEE: f64 = 0.003;

/// `x` base units of a token of `d` decimals, in whole tokens.
pub fn whole(x: U256, d: u8) -> f64 {
    x.to_string().parse::<f64>().unwrap_or(0.0) / 10f64.powi(i32::from(d))
}

/// `x` whole tokens of `d` decimals in base units (negative: zero).
pub fn units(x: f64, d: u8) -> U256 {
    U256::from((x.max(0.0) * 10f64.powi(i32::from(d))) as u128)
}

/// The output of a V2 swap of `amount_in` against reserves `(r_in, r_out)`
/// (0.3% fee, rounding down as the pair does).
pub fn amount_out(amount_in: U256, r_in: U256, r_out: U256) -> U256 {
    let with_fee = amount_in * U256::from(997u64);
    let den = r_in * U256::from(1000u64) + with_fee;
    if den.is_zero() {
        return U256::ZERO;
    }
    with_fee * r_out / den
}

/// The devnet's pools in the deployment `m`.
pub async fn pools(client: &Client, m: &Manifest) -> Result<Vec<Pool>> {
    let token = |sym: &str| -> Result<Token> {
        let t = m
            .token(sym)
            .ok_or_else(|| Error::Simulation(format!("the deployment has no {sym}")))?;
        Ok(Token {
            address: t.address,
            decimals: t.decimals,
            symbol: t.symbol.clone(),
        })
    };
    let mut out = Vec::new();
    for (a, b, _) in POOLS {
        let (a, b) = (token(a)?, token(b)?);
        let pair = m.pair(a.address, b.address);
        let t0 = TidepoolPair::new(pair, &client.provider)
            .token0()
            .call()
            .await
            .map_err(|e| client.call_err(e))?;
        out.push(Pool {
            a_is_0: t0 == a.address,
            a,
            b,
            pair,
        });
    }
    Ok(out)
}

/// Every pool's reserves now, in the pools' order.
pub async fn reserves(client: &Client, pools: &[Pool]) -> Result<Vec<Reserves>> {
    let mut reads = Vec::with_capacity(pools.len());
    for p in pools {
        reads.push(reserves_of(client, p));
    }
    try_join_all(reads).await
}

async fn reserves_of(client: &Client, p: &Pool) -> Result<Reserves> {
    let r = TidepoolPair::new(p.pair, &client.provider)
        .getReserves()
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    let (r0, r1) = (U256::from(r._reserve0), U256::from(r._reserve1));
    Ok(if p.a_is_0 {
        Reserves { a: r0, b: r1 }
    } else {
        Reserves { a: r1, b: r0 }
    })
}

fn tx(to: Address, data: Vec<u8>, value: U256) -> TransactionRequest {
    tidepool_sdk::deploy::call_tx(to, data, value)
}

/// The router calls the agents make.
pub struct Router<'a> {
    /// The deployment.
    pub m: &'a Manifest,
}

impl Router<'_> {
    /// A swap along `path` to `to` (no deadline) through the sdk's choice of
    /// router function; with `eth`, a WETH end of the path is paid (for exact
    /// out: `bound` sent, the rest refunded) or paid out in ETH.
    pub fn swap(
        &self,
        kind: TradeKind,
        (amount, bound): (U256, U256),
        path: Vec<Address>,
        to: Address,
        eth: bool,
    ) -> TransactionRequest {
        let weth = self.m.weth;
        let call = SwapCall {
            kind,
            eth_in: eth && path[0] == weth,
            eth_out: eth && path[path.len() - 1] == weth,
            amount,
            bound,
        };
        let (data, value, _) = call.encode(path, to, U256::MAX);
        tx(self.m.router, data, value)
    }

    /// Exact `amount` in along `path`, token to token (WETH as a token).
    pub fn exact_in_tokens(
        &self,
        amount: U256,
        min: U256,
        path: Vec<Address>,
        to: Address,
    ) -> TransactionRequest {
        self.swap(TradeKind::ExactIn, (amount, min), path, to, false)
    }

    /// Adds `a` and `b` of `pool` (the pool takes them at its ratio).
    pub fn add(&self, pool: &Pool, a: U256, b: U256, to: Address) -> TransactionRequest {
        let c = TidepoolRouter::addLiquidityCall {
            tokenA: pool.a.address,
            tokenB: pool.b.address,
            amountADesired: a,
            amountBDesired: b,
            amountAMin: U256::ZERO,
            amountBMin: U256::ZERO,
            to,
            deadline: U256::MAX,
        };
        tx(self.m.router, c.abi_encode(), U256::ZERO)
    }

    /// Burns `liquidity` of `pool`.
    pub fn remove(&self, pool: &Pool, liquidity: U256, to: Address) -> TransactionRequest {
        let c = TidepoolRouter::removeLiquidityCall {
            tokenA: pool.a.address,
            tokenB: pool.b.address,
            liquidity,
            amountAMin: U256::ZERO,
            amountBMin: U256::ZERO,
            to,
            deadline: U256::MAX,
        };
        tx(self.m.router, c.abi_encode(), U256::ZERO)
    }
}
