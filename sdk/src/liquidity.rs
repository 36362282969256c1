//! Liquidity: add (kept in the pool's ratio), remove (with an EIP-2612 permit
//! for the LP token, or an approval), and positions.

use alloy::dyn_abi::TypedData;
use alloy::primitives::{Address, B256, U256};
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;

use crate::bindings::{TidepoolPair, TidepoolRouter as R};
use crate::chain::Client;
use crate::deploy::call_tx;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::market::{self, Asset, PoolInfo};
use crate::marketstate::MarketState;
use crate::math::{self, PoolState};
use crate::pair_address::sort_tokens;
use crate::route::TradeKind;
use crate::trade::{BPS, apply_slippage};

/// A planned deposit.
#[derive(Debug, Clone)]
pub struct AddPlan {
    /// The pool (it may not exist yet: then this deposit creates it).
    pub pair: Address,
    /// Whether the pool exists.
    pub exists: bool,
    /// The assets, in the order asked.
    pub assets: (Asset, Asset),
    /// Amounts deposited (in the pool's ratio when it exists).
    pub amounts: (U256, U256),
    /// Minimums after slippage.
    pub mins: (U256, U256),
    /// LP tokens the deposit mints, by the contracts' math at the current reserves.
    pub liquidity: U256,
    /// The depositor's share of the pool after the deposit (0–1).
    pub share_after: f64,
    /// The router call.
    pub tx: TransactionRequest,
}

/// The reserves of `pair` ordered as (a, b), if the pool exists.
async fn ordered_pool(
    client: &Client,
    pair: Address,
    a: Address,
) -> Result<Option<(PoolInfo, U256, U256)>> {
    if !crate::deploy::has_code(client, pair).await? {
        return Ok(None);
    }
    let p = market::pool(client, pair).await?;
    let (ra, rb) = if p.pool.token0 == a {
        (p.pool.reserve0, p.pool.reserve1)
    } else {
        (p.pool.reserve1, p.pool.reserve0)
    };
    Ok(Some((p, ra, rb)))
}

/// Plans a deposit of `amount_a` of `a` and up to `amount_b` of `b`. For an
/// existing pool `amount_b` may be omitted: it is then set by the pool's ratio.
/// A new pool needs both, and they set its price.
#[allow(clippy::too_many_arguments)]
pub async fn plan_add(
    client: &Client,
    manifest: &Manifest,
    a: Asset,
    b: Asset,
    amount_a: U256,
    amount_b: Option<U256>,
    slippage_bps: u32,
    deadline_secs: u64,
) -> Result<AddPlan> {
    let (ta, tb) = (a.pool_token(manifest), b.pool_token(manifest));
    if ta == tb {
        return Err(Error::input("a pool needs two different tokens"));
    }
    if amount_a.is_zero() || amount_b.is_some_and(|x| x.is_zero()) {
        return Err(Error::input(
            "the amount is zero: enter an amount greater than 0",
        ));
    }
    let pair = manifest.pair(ta, tb);
    let existing = ordered_pool(client, pair, ta)
        .await?
        .filter(|(p, ..)| !p.total_supply.is_zero());
    let (amounts, state) = match &existing {
        Some((p, ra, rb)) => {
            let b_opt = math::quote(amount_a, *ra, *rb)?;
            let amounts = match amount_b {
                Some(max_b) if b_opt > max_b => (math::quote(max_b, *rb, *ra)?, max_b),
                _ => (amount_a, b_opt),
            };
            (
                amounts,
                PoolState {
                    reserve0: p.pool.reserve0,
                    reserve1: p.pool.reserve1,
                    total_supply: p.total_supply,
                    k_last: p.k_last,
                },
            )
        }
        None => {
            let amount_b = amount_b.ok_or_else(|| Error::NoPoolYet {
                a: a.symbol().to_string(),
                b: b.symbol().to_string(),
            })?;
            ((amount_a, amount_b), PoolState::default())
        }
    };
    let (t0, _) = sort_tokens(ta, tb);
    let (amt0, amt1) = if t0 == ta {
        amounts
    } else {
        (amounts.1, amounts.0)
    };
    let fee_on = market::fee_on(client, manifest.factory).await?;
    let change = math::mint(&state, fee_on, state.reserve0 + amt0, state.reserve1 + amt1)?;
    let share_after = ratio(change.liquidity, change.after.total_supply);
    let mins = if existing.is_some() {
        (
            apply_slippage(amounts.0, slippage_bps, TradeKind::ExactIn),
            apply_slippage(amounts.1, slippage_bps, TradeKind::ExactIn),
        )
    } else {
        amounts
    };
    let deadline = deadline(client, deadline_secs).await?;
    let to = client.sender()?;
    let tx = match (&a, &b) {
        (Asset::Eth, _) | (_, Asset::Eth) => {
            let eth_first = a == Asset::Eth;
            let (token, amt_t, amt_e, min_t, min_e) = if eth_first {
                (tb, amounts.1, amounts.0, mins.1, mins.0)
            } else {
                (ta, amounts.0, amounts.1, mins.0, mins.1)
            };
            let c = R::addLiquidityETHCall {
                token,
                amountTokenDesired: amt_t,
                amountTokenMin: min_t,
                amountETHMin: min_e,
                to,
                deadline,
            };
            call_tx(manifest.router, c.abi_encode(), amt_e)
        }
        _ => {
            let c = R::addLiquidityCall {
                tokenA: ta,
                tokenB: tb,
                amountADesired: amounts.0,
                amountBDesired: amounts.1,
                amountAMin: mins.0,
                amountBMin: mins.1,
                to,
                deadline,
            };
            call_tx(manifest.router, c.abi_encode(), U256::ZERO)
        }
    };
    Ok(AddPlan {
        pair,
        exists: existing.is_some(),
        assets: (a, b),
        amounts,
        mins,
        liquidity: change.liquidity,
        share_after,
        tx,
    })
}

/// A planned withdrawal.
#[derive(Debug, Clone)]
pub struct RemovePlan {
    /// The pool.
    pub pair: Address,
    /// The assets, in the order asked.
    pub assets: (Asset, Asset),
    /// LP tokens burnt.
    pub liquidity: U256,
    /// What comes back, by the contracts' math at the current reserves.
    pub amounts: (U256, U256),
    /// Minimums after slippage.
    pub mins: (U256, U256),
    /// The deadline (unix seconds).
    pub deadline: U256,
}

/// Plans burning `liquidity` LP tokens (or `percent` of the sender's) of the a/b pool.
#[allow(clippy::too_many_arguments)]
pub async fn plan_remove(
    client: &Client,
    manifest: &Manifest,
    a: Asset,
    b: Asset,
    liquidity: Option<U256>,
    percent: Option<f64>,
    slippage_bps: u32,
    deadline_secs: u64,
) -> Result<RemovePlan> {
    let (ta, tb) = (a.pool_token(manifest), b.pool_token(manifest));
    let pair = manifest.pair(ta, tb);
    let Some((p, ..)) = ordered_pool(client, pair, ta).await? else {
        return Err(Error::input(format!(
            "there is no {}/{} pool",
            a.symbol(),
            b.symbol()
        )));
    };
    let owner = client.sender()?;
    let held = crate::market::balance(client, &Asset::Token(lp_info(pair)), owner).await?;
    if let Some(pct) = percent
        && !(pct > 0.0 && pct <= 100.0)
    {
        return Err(Error::BadPercent(pct));
    }
    if held.is_zero() {
        return Err(Error::input(format!(
            "{owner} holds no {}/{} LP tokens: nothing to remove",
            a.symbol(),
            b.symbol()
        )));
    }
    let liquidity = match (liquidity, percent) {
        (Some(l), _) => l,
        (None, Some(pct)) => {
            // Percent in hundredths of a basis point, exact for 100%.
            let ppm = (pct * 10_000.0).round() as u64;
            held * U256::from(ppm) / U256::from(1_000_000u64)
        }
        (None, None) => {
            return Err(Error::NoRemoveAmount);
        }
    };
    if liquidity.is_zero() {
        return Err(Error::input(
            "nothing to remove: the amount of LP tokens is zero",
        ));
    }
    if liquidity > held {
        return Err(Error::InsufficientBalance {
            what: format!("{}/{} LP tokens", a.symbol(), b.symbol()),
            have: crate::amount::format_units(held, 18),
            need: crate::amount::format_units(liquidity, 18),
        });
    }
    let state = PoolState {
        reserve0: p.pool.reserve0,
        reserve1: p.pool.reserve1,
        total_supply: p.total_supply,
        k_last: p.k_last,
    };
    let fee_on = market::fee_on(client, manifest.factory).await?;
    let change = math::burn(&state, fee_on, state.reserve0, state.reserve1, liquidity)?;
    let amounts = if p.pool.token0 == ta {
        (change.amount0, change.amount1)
    } else {
        (change.amount1, change.amount0)
    };
    let mins = (
        apply_slippage(amounts.0, slippage_bps, TradeKind::ExactIn),
        apply_slippage(amounts.1, slippage_bps, TradeKind::ExactIn),
    );
    Ok(RemovePlan {
        pair,
        assets: (a, b),
        liquidity,
        amounts,
        mins,
        deadline: deadline(client, deadline_secs).await?,
    })
}

/// The LP token of `pair` as a token (18 decimals).
pub fn lp_info(pair: Address) -> crate::manifest::TokenInfo {
    crate::manifest::TokenInfo {
        symbol: "TIDE-LP".into(),
        name: "Tidepool LP".into(),
        decimals: 18,
        address: pair,
        oddities: Vec::new(),
    }
}

/// The EIP-2612 permit for the LP token of `pair` as EIP-712 typed data
/// (what `eth_signTypedData_v4` signs): `owner` lets `spender` move `value`
/// until `deadline`, at the owner's current permit nonce. The domain is
/// checked against the pair's own `DOMAIN_SEPARATOR()`, so a pool whose
/// token names itself differently fails here, not in the contract.
pub async fn permit_typed_data(
    client: &Client,
    pair: Address,
    owner: Address,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Result<TypedData> {
    let p = TidepoolPair::new(pair, &client.provider);
    let name = p.name().call().await.map_err(|e| client.call_err(e))?;
    let onchain = p
        .DOMAIN_SEPARATOR()
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    let nonce = p
        .nonces(owner)
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    let typed: TypedData = serde_json::from_value(serde_json::json!({
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"}
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"}
            ]
        },
        "primaryType": "Permit",
        "domain": {
            "name": name,
            "version": "1",
            "chainId": client.chain_id,
            "verifyingContract": pair
        },
        "message": {
            "owner": owner,
            "spender": spender,
            "value": value.to_string(),
            "nonce": nonce.to_string(),
            "deadline": deadline.to_string()
        }
    }))
    .map_err(|e| Error::Signer(format!("cannot build the permit: {e}")))?;
    if typed.domain.separator() != onchain {
        return Err(Error::Signer(format!(
            "the LP token at {pair} does not use the EIP-712 domain (name \"{name}\", version 1, chain {}); withdraw with an approval instead of a permit",
            client.chain_id
        )));
    }
    Ok(typed)
}

/// An EIP-2612 permit signature for the LP token of `pair`, signed as typed
/// data by the client's account (locally or by its wallet): (v, r, s).
pub async fn sign_permit(
    client: &Client,
    pair: Address,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Result<(u8, B256, B256)> {
    let owner = client.sender()?;
    let typed = permit_typed_data(client, pair, owner, spender, value, deadline).await?;
    let sig = client.sign_typed_data(&typed).await?;
    Ok((27 + u8::from(sig.v()), sig.r().into(), sig.s().into()))
}

/// The router call for a removal: with a permit signed by the client's
/// account when `permit` (no approval transaction), else the plain function
/// (needs an approval).
pub async fn remove_tx(
    client: &Client,
    manifest: &Manifest,
    plan: &RemovePlan,
    permit: bool,
) -> Result<TransactionRequest> {
    let (ta, tb) = (
        plan.assets.0.pool_token(manifest),
        plan.assets.1.pool_token(manifest),
    );
    let to = client.sender()?;
    let eth = plan.assets.0 == Asset::Eth || plan.assets.1 == Asset::Eth;
    let (token, min_t, min_e) = if plan.assets.0 == Asset::Eth {
        (tb, plan.mins.1, plan.mins.0)
    } else {
        (ta, plan.mins.0, plan.mins.1)
    };
    let (liquidity, deadline) = (plan.liquidity, plan.deadline);
    let data = match permit {
        true => {
            let (v, r, s) =
                sign_permit(client, plan.pair, manifest.router, liquidity, deadline).await?;
            if eth {
                R::removeLiquidityETHWithPermitCall {
                    token,
                    liquidity,
                    amountTokenMin: min_t,
                    amountETHMin: min_e,
                    to,
                    deadline,
                    approveMax: false,
                    v,
                    r,
                    s,
                }
                .abi_encode()
            } else {
                R::removeLiquidityWithPermitCall {
                    tokenA: ta,
                    tokenB: tb,
                    liquidity,
                    amountAMin: plan.mins.0,
                    amountBMin: plan.mins.1,
                    to,
                    deadline,
                    approveMax: false,
                    v,
                    r,
                    s,
                }
                .abi_encode()
            }
        }
        false if eth => R::removeLiquidityETHCall {
            token,
            liquidity,
            amountTokenMin: min_t,
            amountETHMin: min_e,
            to,
            deadline,
        }
        .abi_encode(),
        false => R::removeLiquidityCall {
            tokenA: ta,
            tokenB: tb,
            liquidity,
            amountAMin: plan.mins.0,
            amountBMin: plan.mins.1,
            to,
            deadline,
        }
        .abi_encode(),
    };
    Ok(call_tx(manifest.router, data, U256::ZERO))
}

/// A liquidity position.
#[derive(Debug, Clone)]
pub struct Position {
    /// The pool.
    pub pool: PoolInfo,
    /// LP tokens held.
    pub liquidity: U256,
    /// Share of the pool (0–1).
    pub share: f64,
    /// Underlying token0 and token1 the LP tokens are worth now.
    pub amounts: (U256, U256),
}

/// Every pool in which `owner` holds LP tokens (the market read in batches).
pub async fn positions(
    client: &Client,
    manifest: &Manifest,
    owner: Address,
) -> Result<Vec<Position>> {
    let mut state = MarketState::new(client.chain_id, manifest.genesis_hash, manifest.factory);
    state.refresh(client).await?;
    positions_in(client, &state, owner).await
}

/// Every pool of `state` in which `owner` holds LP tokens: the LP balances of
/// every pair in batched reads, then the few pools held read in full.
pub async fn positions_in(
    client: &Client,
    state: &MarketState,
    owner: Address,
) -> Result<Vec<Position>> {
    let pairs: Vec<Address> = state.pairs().iter().map(|p| p.pair).collect();
    let held =
        crate::marketstate::lens::balances(client, owner, &pairs, state.block().into()).await?;
    let mut out = Vec::new();
    for (pair, lp) in pairs.iter().zip(held) {
        let Some(lp) = lp.filter(|b| !b.is_zero()) else {
            continue;
        };
        let pool = market::pool(client, *pair).await?;
        let s = pool.total_supply.max(U256::from(1u8));
        let amounts = (lp * pool.pool.reserve0 / s, lp * pool.pool.reserve1 / s);
        out.push(Position {
            share: ratio(lp, pool.total_supply),
            liquidity: lp,
            amounts,
            pool,
        });
    }
    Ok(out)
}

fn ratio(a: U256, b: U256) -> f64 {
    if b.is_zero() {
        return 0.0;
    }
    crate::amount::to_f64(a, 0) / crate::amount::to_f64(b, 0)
}

async fn deadline(client: &Client, secs: u64) -> Result<U256> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(U256::from(client.chain_time().await?.max(now) + secs))
}

/// Basis points as a fraction, for display.
pub fn bps_fraction(bps: u32) -> f64 {
    f64::from(bps) / f64::from(BPS)
}
