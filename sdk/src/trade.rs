//! Swaps: quote (best route over every pool), plan (slippage bound, deadline,
//! the router call), simulate (eth_call + gas estimate: the amounts the router
//! would really move and the sender's balance changes), approve, execute.

use alloy::primitives::{Address, I256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolCall;

use crate::bindings::{TestToken, TidepoolRouter as R};
use crate::chain::Client;
use crate::deploy::{call_tx, send};
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::market::{self, Asset};
use crate::marketstate::MarketState;
use crate::route::{Route, RouteError, RouteGraph, TradeKind};

/// Basis points in one whole.
pub const BPS: u32 = 10_000;

/// What the trader asks for.
#[derive(Debug, Clone)]
pub struct SwapRequest {
    /// What is sold.
    pub asset_in: Asset,
    /// What is bought.
    pub asset_out: Asset,
    /// Exact input (ExactIn) or exact output (ExactOut), in base units.
    pub amount: U256,
    /// Which side is exact.
    pub kind: TradeKind,
    /// Allowed slippage in basis points (50 = 0.5%).
    pub slippage_bps: u32,
    /// Seconds from the chain's latest block until the trade expires.
    pub deadline_secs: u64,
    /// Who receives the output (default: the sender).
    pub recipient: Option<Address>,
    /// The most pools a route may cross (1–3).
    pub max_hops: usize,
    /// An explicit minimum output (ExactIn), overriding the slippage bound.
    pub min_out: Option<U256>,
    /// An explicit maximum input (ExactOut), overriding the slippage bound.
    pub max_in: Option<U256>,
}

/// A planned swap: the route and the router call that executes it.
#[derive(Debug, Clone)]
pub struct SwapPlan {
    /// The request.
    pub request: SwapRequest,
    /// The best route at the current reserves.
    pub route: Route,
    /// The bound: minimum output (ExactIn) or maximum input (ExactOut).
    pub limit: U256,
    /// The deadline (unix seconds).
    pub deadline: U256,
    /// The most of `asset_in` the router may take.
    pub max_spend: U256,
    /// The router call (to, data, value); `from` is filled in when sent.
    pub tx: TransactionRequest,
    /// The router function.
    pub function: &'static str,
    /// What arrives when a token on the path takes a fee on transfer (as
    /// measured by [`crate::fot::probe`]); `None` otherwise.
    pub received: Option<U256>,
}

/// What a simulation of the plan says would happen if it were sent now.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The amounts the router would move at each step.
    pub amounts: Vec<U256>,
    /// Gas the node estimates.
    pub gas: u64,
    /// Gas price (wei).
    pub gas_price: u128,
    /// The sender's predicted balance changes: (symbol, signed base units); ETH includes gas.
    pub changes: Vec<(String, I256)>,
}

/// `bound` lowered (ExactIn) or raised (ExactOut) by the slippage.
pub fn apply_slippage(amount: U256, slippage_bps: u32, kind: TradeKind) -> U256 {
    let bps = U256::from(slippage_bps.min(BPS));
    match kind {
        TradeKind::ExactIn => amount * (U256::from(BPS) - bps) / U256::from(BPS),
        TradeKind::ExactOut => {
            let n = amount * (U256::from(BPS) + bps);
            n.div_ceil(U256::from(BPS))
        }
    }
}

/// The pools of the deployment as a route graph, read in batches (a caller
/// that quotes again and again keeps a [`MarketState`] current instead).
pub async fn graph(client: &Client, manifest: &Manifest) -> Result<RouteGraph> {
    let mut state = MarketState::new(client.chain_id, manifest.genesis_hash, manifest.factory);
    state.refresh(client).await?;
    Ok(state.into_graph())
}

/// The best route for `req` over the deployment's pools at the current
/// reserves (what [`plan`] builds on, and what `tidepool quote` shows).
pub async fn best_route(client: &Client, manifest: &Manifest, req: &SwapRequest) -> Result<Route> {
    check_request(manifest, req)?;
    route_on(&graph(client, manifest).await?, manifest, req)
}

/// Refuses a request no route can serve: the same asset on both sides
/// (ETH and WETH count as one) or a zero amount.
fn check_request(manifest: &Manifest, req: &SwapRequest) -> Result<()> {
    if req.asset_in.pool_token(manifest) == req.asset_out.pool_token(manifest) {
        return Err(if req.asset_in == req.asset_out {
            RouteError::SameToken.into()
        } else {
            Error::input(
                "ETH and WETH are the same asset: wrap or unwrap with WETH's deposit/withdraw, not a swap",
            )
        });
    }
    if req.amount.is_zero() {
        return Err(RouteError::ZeroAmount.into());
    }
    Ok(())
}

/// The best route for `req` over an already read graph (an app that caches
/// the graph per block routes without reading the pools again).
pub fn route_on(g: &RouteGraph, manifest: &Manifest, req: &SwapRequest) -> Result<Route> {
    check_request(manifest, req)?;
    let (t_in, t_out) = (
        req.asset_in.pool_token(manifest),
        req.asset_out.pool_token(manifest),
    );
    Ok(match req.kind {
        TradeKind::ExactIn => g.best_exact_in(t_in, t_out, req.amount, req.max_hops)?,
        TradeKind::ExactOut => g.best_exact_out(t_in, t_out, req.amount, req.max_hops)?,
    })
}

/// Finds the best route and builds the router call with its bounds and deadline.
pub async fn plan(client: &Client, manifest: &Manifest, req: SwapRequest) -> Result<SwapPlan> {
    let route = best_route(client, manifest, &req).await?;
    build(client, manifest, req, route).await
}

/// Builds the router call for `route`, its deadline counted from the latest
/// block's time.
pub async fn build(
    client: &Client,
    manifest: &Manifest,
    req: SwapRequest,
    route: Route,
) -> Result<SwapPlan> {
    let chain_time = client.chain_time().await?;
    build_at(client, manifest, req, route, chain_time)
}

/// One of the router's six swap functions, chosen by the trade's kind and
/// whether ETH goes in or comes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwapCall {
    /// Exact in or exact out.
    pub kind: TradeKind,
    /// ETH is paid in (the path starts at WETH).
    pub eth_in: bool,
    /// ETH is paid out (the path ends at WETH).
    pub eth_out: bool,
    /// Exact in: the amount in; exact out: the amount out.
    pub amount: U256,
    /// Exact in: the least out; exact out: the most in (sent as value when
    /// ETH goes in, the rest refunded).
    pub bound: U256,
}

impl SwapCall {
    /// The calldata along `path` to `to`, the ETH value, and the function's name.
    pub fn encode(
        &self,
        path: Vec<Address>,
        to: Address,
        deadline: U256,
    ) -> (Vec<u8>, U256, &'static str) {
        let (amount, bound) = (self.amount, self.bound);
        match (self.kind, self.eth_in, self.eth_out) {
            (TradeKind::ExactIn, true, _) => {
                let c = R::swapExactETHForTokensCall {
                    amountOutMin: bound,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), amount, "swapExactETHForTokens")
            }
            (TradeKind::ExactIn, false, true) => {
                let c = R::swapExactTokensForETHCall {
                    amountIn: amount,
                    amountOutMin: bound,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), U256::ZERO, "swapExactTokensForETH")
            }
            (TradeKind::ExactIn, false, false) => {
                let c = R::swapExactTokensForTokensCall {
                    amountIn: amount,
                    amountOutMin: bound,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), U256::ZERO, "swapExactTokensForTokens")
            }
            (TradeKind::ExactOut, true, _) => {
                let c = R::swapETHForExactTokensCall {
                    amountOut: amount,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), bound, "swapETHForExactTokens")
            }
            (TradeKind::ExactOut, false, true) => {
                let c = R::swapTokensForExactETHCall {
                    amountOut: amount,
                    amountInMax: bound,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), U256::ZERO, "swapTokensForExactETH")
            }
            (TradeKind::ExactOut, false, false) => {
                let c = R::swapTokensForExactTokensCall {
                    amountOut: amount,
                    amountInMax: bound,
                    path,
                    to,
                    deadline,
                };
                (c.abi_encode(), U256::ZERO, "swapTokensForExactTokens")
            }
        }
    }
}

/// [`build`] with the latest block's time already known (an app that follows
/// the head builds without asking the node again). The deadline counts from
/// the later of `chain_time` and the wall clock.
pub fn build_at(
    client: &Client,
    manifest: &Manifest,
    req: SwapRequest,
    route: Route,
    chain_time: u64,
) -> Result<SwapPlan> {
    let deadline = U256::from(chain_time.max(now()) + req.deadline_secs);
    let to = match req.recipient {
        Some(r) => r,
        None => client.sender()?,
    };
    let path = route.path.clone();
    let eth_in = req.asset_in == Asset::Eth;
    let eth_out = req.asset_out == Asset::Eth;
    let (limit, max_spend, call) = match req.kind {
        TradeKind::ExactIn => {
            let min = req.min_out.unwrap_or(apply_slippage(
                route.amount_out(),
                req.slippage_bps,
                req.kind,
            ));
            let amount_in = route.amount_in();
            let call = SwapCall {
                kind: req.kind,
                eth_in,
                eth_out,
                amount: amount_in,
                bound: min,
            };
            (min, amount_in, call)
        }
        TradeKind::ExactOut => {
            let max = req.max_in.unwrap_or(apply_slippage(
                route.amount_in(),
                req.slippage_bps,
                req.kind,
            ));
            let call = SwapCall {
                kind: req.kind,
                eth_in,
                eth_out,
                amount: route.amount_out(),
                bound: max,
            };
            (max, max, call)
        }
    };
    let (data, value, function) = call.encode(path, to, deadline);
    Ok(SwapPlan {
        request: req,
        route,
        limit,
        deadline,
        max_spend,
        tx: call_tx(manifest.router, data, value),
        function,
        received: None,
    })
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Fails unless the sender holds what the plan may spend.
pub async fn check_balance(client: &Client, asset: &Asset, need: U256) -> Result<()> {
    let have = market::balance(client, asset, client.sender()?).await?;
    if have < need {
        let d = asset.decimals();
        return Err(Error::InsufficientBalance {
            what: asset.symbol().to_string(),
            have: crate::amount::format_units(have, d),
            need: crate::amount::format_units(need, d),
        });
    }
    Ok(())
}

/// How much more allowance `spender` needs for `amount` of `token` (zero when enough).
pub async fn missing_allowance(
    client: &Client,
    token: Address,
    spender: Address,
    amount: U256,
) -> Result<bool> {
    let have = market::allowance(client, token, client.sender()?, spender).await?;
    Ok(have < amount)
}

/// Approves `spender` for `amount` of `token` (`U256::MAX` for unlimited).
pub async fn approve(
    client: &Client,
    token: Address,
    spender: Address,
    amount: U256,
) -> Result<TransactionReceipt> {
    send(client, approve_tx(token, spender, amount)).await
}

/// The ERC-20 `approve(spender, amount)` call to `token`.
pub fn approve_tx(token: Address, spender: Address, amount: U256) -> TransactionRequest {
    let data = TestToken::approveCall { spender, amount }.abi_encode();
    call_tx(token, data, U256::ZERO)
}

/// Simulates the plan from the sender's account: the router's return value is
/// what it would move now; the gas estimate prices the ETH change.
pub async fn simulate(client: &Client, plan: &SwapPlan) -> Result<Simulation> {
    let from = client.sender()?;
    let tx = plan.tx.clone().from(from);
    let out = client
        .provider
        .call(tx.clone())
        .await
        .map_err(|e| client.err(e))?;
    let amounts = if plan.function.ends_with("SupportingFeeOnTransferTokens") {
        // These return nothing; the call passing means at least the bound arrives.
        let mut a = plan.route.amounts.clone();
        *a.last_mut().expect("a path has two amounts") = plan.received.unwrap_or(plan.limit);
        a
    } else {
        decode_amounts(plan.function, &out)?
    };
    let gas = client
        .provider
        .estimate_gas(tx)
        .await
        .map_err(|e| client.err(e))?;
    let gas_price = client
        .provider
        .get_gas_price()
        .await
        .map_err(|e| client.err(e))?;
    let gas_cost = I256::try_from(U256::from(gas) * U256::from(gas_price)).unwrap_or(I256::MAX);
    let first = I256::try_from(amounts[0]).unwrap_or(I256::MAX);
    let last =
        I256::try_from(*amounts.last().expect("a path has two amounts")).unwrap_or(I256::MAX);
    let to_self = plan.request.recipient.is_none_or(|r| r == from);
    let mut changes = vec![(plan.request.asset_in.symbol().to_string(), -first)];
    if to_self {
        changes.push((plan.request.asset_out.symbol().to_string(), last));
    }
    match changes.iter_mut().find(|(s, _)| s == "ETH") {
        Some((_, d)) => *d -= gas_cost,
        None => changes.push(("ETH".into(), -gas_cost)),
    }
    Ok(Simulation {
        amounts,
        gas,
        gas_price,
        changes,
    })
}

fn decode_amounts(function: &str, out: &[u8]) -> Result<Vec<U256>> {
    let decoded = match function {
        "swapExactETHForTokens" => R::swapExactETHForTokensCall::abi_decode_returns(out),
        "swapExactTokensForETH" => R::swapExactTokensForETHCall::abi_decode_returns(out),
        "swapExactTokensForTokens" => R::swapExactTokensForTokensCall::abi_decode_returns(out),
        "swapETHForExactTokens" => R::swapETHForExactTokensCall::abi_decode_returns(out),
        "swapTokensForExactETH" => R::swapTokensForExactETHCall::abi_decode_returns(out),
        _ => R::swapTokensForExactTokensCall::abi_decode_returns(out),
    };
    decoded.map_err(|e| Error::Rpc(format!("cannot decode the router's answer: {e}")))
}

/// The router's own quote for the plan's path at the latest block
/// (`getAmountsOut` / `getAmountsIn`): needs no approval, so the bound can be
/// checked before anything is sent.
pub async fn chain_quote(
    client: &Client,
    manifest: &Manifest,
    plan: &SwapPlan,
) -> Result<Vec<U256>> {
    let router = R::new(manifest.router, &client.provider);
    let path = plan.route.path.clone();
    match plan.request.kind {
        TradeKind::ExactIn => {
            router
                .getAmountsOut(plan.route.amount_in(), path)
                .call()
                .await
        }
        TradeKind::ExactOut => {
            router
                .getAmountsIn(plan.route.amount_out(), path)
                .call()
                .await
        }
    }
    .map_err(|e| client.call_err(e))
}

/// Checks amounts (from [`chain_quote`] or a [`Simulation`]) against the
/// plan's bound: the trade must not give less than the minimum nor cost more
/// than the maximum.
pub fn check_bound(plan: &SwapPlan, amounts: &[U256]) -> Result<()> {
    let (d_in, d_out) = (
        plan.request.asset_in.decimals(),
        plan.request.asset_out.decimals(),
    );
    let fmt = crate::amount::format_units;
    let first = amounts.first().copied().unwrap_or_default();
    let last = amounts.last().copied().unwrap_or_default();
    match plan.request.kind {
        TradeKind::ExactIn if last < plan.limit => Err(Error::SlippageExceeded {
            actual: format!("{} {}", fmt(last, d_out), plan.request.asset_out.symbol()),
            bound: format!(
                "{} {}",
                fmt(plan.limit, d_out),
                plan.request.asset_out.symbol()
            ),
        }),
        TradeKind::ExactOut if first > plan.limit => Err(Error::SlippageExceeded {
            actual: format!(
                "a cost of {} {}",
                fmt(first, d_in),
                plan.request.asset_in.symbol()
            ),
            bound: format!(
                "at most {} {}",
                fmt(plan.limit, d_in),
                plan.request.asset_in.symbol()
            ),
        }),
        _ => Ok(()),
    }
}

/// Sends the planned swap and waits for its receipt.
pub async fn execute(client: &Client, plan: &SwapPlan) -> Result<TransactionReceipt> {
    send(client, plan.tx.clone()).await
}
