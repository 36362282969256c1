//! Liquidity: deposit previews (ratio-locked for an existing pool; a new pool
//! is created at the price the two amounts set), deposits with the approvals
//! they need, withdrawals by percentage with an EIP-2612 permit, and
//! positions with pool share, fees earned and impermanent loss from the
//! local index.

use alloy::primitives::{Address, U256};
use tidepool_flows::liquidity::{self as flow, Authorization, LiquidityOptions, LiquidityOutcome};
use tidepool_indexer::query::{self, AccountParams, Activity};
use tidepool_sdk::amount::to_f64;
use tidepool_sdk::chain::Client;
use tidepool_sdk::liquidity::{self, AddPlan};
use tidepool_sdk::market::{self, Asset};

use crate::core::{Core, Live};
use crate::error::{AppError, AppResult};
use crate::swap::amount;
use crate::tokens;
use crate::txflow::{self, Notify, Tracker};
use crate::txlog::Entry;
use crate::views::{
    AddQuote, AddRequest, HistoryKind, PositionView, RemoveQuote, RemoveRequest, TokenSource,
    TxResult, TxStage,
};

/// The fee share of a position's value and its impermanent loss, from the
/// account's deposits: `deposits` are (amount0, amount1, liquidity) of each
/// mint, `reserves`/`supply` the pool now, `held` the LP held now.
///
/// Fees: the value of one LP token measured as √(x·y)/supply grows only
/// through fees; at a deposit it was √(a0·a1)/L. Loss: the position without
/// its fees against holding the deposited amounts (pro rata for what is still
/// held), both valued at today's price.
pub fn fees_and_loss(
    deposits: &[(f64, f64, f64)],
    reserves: (f64, f64),
    supply: f64,
    held: f64,
) -> Option<(f64, f64)> {
    let minted: f64 = deposits.iter().map(|d| d.2).sum();
    if minted <= 0.0 || supply <= 0.0 || held <= 0.0 {
        return None;
    }
    let v_dep = deposits.iter().map(|d| (d.0 * d.1).sqrt()).sum::<f64>() / minted;
    let v_now = (reserves.0 * reserves.1).sqrt() / supply;
    let fee_share = (1.0 - v_dep / v_now).max(0.0);
    let price = reserves.1 / reserves.0;
    let keep = held / minted;
    let hold0: f64 = deposits.iter().map(|d| d.0).sum::<f64>() * keep;
    let hold1: f64 = deposits.iter().map(|d| d.1).sum::<f64>() * keep;
    let pos0 = reserves.0 * held / supply * (1.0 - fee_share);
    let pos1 = reserves.1 * held / supply * (1.0 - fee_share);
    let hold = hold0 * price + hold1;
    let loss = if hold > 0.0 {
        ((pos0 * price + pos1) / hold - 1.0).min(0.0)
    } else {
        0.0
    };
    // No −0.00% for a position that lost nothing.
    let loss = if loss.abs() < 1e-12 { 0.0 } else { loss };
    Some((fee_share, loss))
}

/// The reply for a liquidity flow that sent its transaction.
fn sent(out: LiquidityOutcome, t: &Tracker<'_>) -> AppResult<TxResult> {
    match out.sent {
        Some(s) => Ok(txflow::result(&s)),
        None => Err(t.fail(AppError::internal("the liquidity flow sent nothing"))),
    }
}

/// `value × fraction`, exact to one part in 10⁹.
fn part(value: U256, fraction: f64) -> U256 {
    let ppb = (fraction.clamp(0.0, 1.0) * 1e9).round() as u64;
    value * U256::from(ppb) / U256::from(1_000_000_000u64)
}

impl Core {
    async fn plan_add(&self, req: &AddRequest) -> AppResult<(Live, AddPlan)> {
        let live = self.live()?;
        let a = tokens::resolve(self, &live, &req.token_a).await?.asset;
        let b = tokens::resolve(self, &live, &req.token_b).await?.asset;
        let amount_a = amount(&req.amount_a, "amount A")?;
        let amount_b = req
            .amount_b
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| amount(s, "amount B"))
            .transpose()?;
        let s = self.settings();
        let client = self.planning_client(&live);
        let plan = liquidity::plan_add(
            &client,
            &live.manifest,
            a,
            b,
            amount_a,
            amount_b,
            s.slippage_bps,
            u64::from(s.deadline_mins) * 60,
        )
        .await?;
        Ok((live, plan))
    }

    async fn needs_approval(&self, live: &Live, asset: &Asset, amount: U256) -> AppResult<bool> {
        let owner = self.active_address();
        Ok(match (asset, owner) {
            (Asset::Token(t), Some(o)) => {
                market::allowance(&live.client, t.address, o, live.manifest.router).await? < amount
            }
            _ => false,
        })
    }

    /// Previews a deposit. For a pool that does not exist yet and only one
    /// amount, the preview says so (`exists: false`) and asks for nothing
    /// else: both amounts set the new pool's price.
    pub async fn liquidity_quote_add(&self, req: AddRequest) -> AppResult<AddQuote> {
        if req.amount_b.as_deref().is_none_or(|b| b.trim().is_empty()) {
            let live = self.live()?;
            let a = tokens::resolve(self, &live, &req.token_a).await?.asset;
            let b = tokens::resolve(self, &live, &req.token_b).await?.asset;
            let (ta, tb) = (a.pool_token(&live.manifest), b.pool_token(&live.manifest));
            if ta == tb {
                return Err(AppError::input("a pool needs two different tokens"));
            }
            let pair = live.manifest.pair(ta, tb);
            let empty = !tidepool_sdk::deploy::has_code(&live.client, pair).await?
                || market::pool(&live.client, pair)
                    .await?
                    .total_supply
                    .is_zero();
            if empty {
                let amount_a = amount(&req.amount_a, "amount A")?;
                return Ok(AddQuote {
                    pair: pair.to_checksum(None),
                    exists: false,
                    token_a: self.token_view(&live.manifest, &a, TokenSource::Manifest),
                    token_b: self.token_view(&live.manifest, &b, TokenSource::Manifest),
                    amount_a: amount_a.to_string(),
                    amount_b: "0".into(),
                    min_a: amount_a.to_string(),
                    min_b: "0".into(),
                    liquidity: "0".into(),
                    share_after: 1.0,
                    needs_approval_a: self.needs_approval(&live, &a, amount_a).await?,
                    needs_approval_b: false,
                });
            }
        }
        let (live, plan) = self.plan_add(&req).await?;
        let (a, b) = &plan.assets;
        Ok(AddQuote {
            pair: plan.pair.to_checksum(None),
            exists: plan.exists,
            token_a: self.token_view(&live.manifest, a, TokenSource::Manifest),
            token_b: self.token_view(&live.manifest, b, TokenSource::Manifest),
            amount_a: plan.amounts.0.to_string(),
            amount_b: plan.amounts.1.to_string(),
            min_a: plan.mins.0.to_string(),
            min_b: plan.mins.1.to_string(),
            liquidity: plan.liquidity.to_string(),
            share_after: plan.share_after,
            needs_approval_a: self.needs_approval(&live, a, plan.amounts.0).await?,
            needs_approval_b: self.needs_approval(&live, b, plan.amounts.1).await?,
        })
    }

    /// Deposits through the shared flow: approves what is missing (exact
    /// amounts), simulates, then signs, sends and follows.
    pub async fn liquidity_add(&self, req: AddRequest, notify: &Notify) -> AppResult<TxResult> {
        let start = |e: AppError| {
            notify.stage(TxStage::Failed, &e.message, None);
            e
        };
        let (_, client) = self.signing().map_err(start)?;
        let client = client.with_fees(self.fee_choice(req.fee.clone()).map_err(start)?);
        let (live, plan) = self.plan_add(&req).await.map_err(start)?;
        let owner = client.sender().map_err(|e| start(e.into()))?;
        let (a, b) = &plan.assets;
        self.check_tokens(&live.manifest, &[a, b]).map_err(start)?;
        let mut entry = Entry::new(
            HistoryKind::Mint,
            Some(plan.pair.to_checksum(None)),
            (a.symbol(), &plan.amounts.0.to_string(), a.decimals()),
            (b.symbol(), &plan.amounts.1.to_string(), b.decimals()),
        );
        entry.row.token_a = Some(a.pool_token(&live.manifest).to_checksum(None));
        entry.row.token_b = Some(b.pool_token(&live.manifest).to_checksum(None));
        let checking = "checking balances and allowances";
        let t = Tracker::new(self, notify, entry, owner, live.genesis, checking);
        let opts = LiquidityOptions::default();
        let r = flow::add(&client, &live.manifest, &plan, &opts, &t).await;
        self.quotes.forget_graph();
        sent(r.map_err(|e| t.fail(e))?, &t)
    }

    async fn plan_remove(
        &self,
        req: &RemoveRequest,
        client: &Client,
    ) -> AppResult<(Live, liquidity::RemovePlan)> {
        if !(1..=100).contains(&req.percent) {
            return Err(AppError::input(
                "remove between 1% and 100% of the position",
            ));
        }
        let live = self.live()?;
        let pair: Address = req
            .pair
            .trim()
            .parse()
            .map_err(|_| AppError::input(format!("`{}` is not a pool address", req.pair)))?;
        let pool = market::pool(client, pair).await?;
        let as_asset = |t: Address, info: tidepool_sdk::manifest::TokenInfo| {
            if req.receive_eth && t == live.manifest.weth {
                Asset::Eth
            } else {
                Asset::Token(info)
            }
        };
        let a = as_asset(
            pool.pool.token0,
            market::token_info(client, pool.pool.token0).await?,
        );
        let b = as_asset(
            pool.pool.token1,
            market::token_info(client, pool.pool.token1).await?,
        );
        let s = self.settings();
        let plan = liquidity::plan_remove(
            client,
            &live.manifest,
            a,
            b,
            None,
            Some(f64::from(req.percent)),
            s.slippage_bps,
            u64::from(s.deadline_mins) * 60,
        )
        .await?;
        Ok((live, plan))
    }

    /// Previews a withdrawal.
    pub async fn liquidity_quote_remove(&self, req: RemoveRequest) -> AppResult<RemoveQuote> {
        let live = self.live()?;
        let client = self.planning_client(&live);
        let (_, plan) = self.plan_remove(&req, &client).await?;
        Ok(RemoveQuote {
            pair: plan.pair.to_checksum(None),
            liquidity: plan.liquidity.to_string(),
            amount0: plan.amounts.0.to_string(),
            amount1: plan.amounts.1.to_string(),
            min0: plan.mins.0.to_string(),
            min1: plan.mins.1.to_string(),
        })
    }

    /// Withdraws a percentage of a position through the shared flow, with
    /// a permit (no approval).
    pub async fn liquidity_remove(
        &self,
        req: RemoveRequest,
        notify: &Notify,
    ) -> AppResult<TxResult> {
        let start = |e: AppError| {
            notify.stage(TxStage::Failed, &e.message, None);
            e
        };
        let (_, client) = self.signing().map_err(start)?;
        let client = client.with_fees(self.fee_choice(req.fee.clone()).map_err(start)?);
        let (live, plan) = self.plan_remove(&req, &client).await.map_err(start)?;
        let owner = client.sender().map_err(|e| start(e.into()))?;
        let (a, b) = &plan.assets;
        let mut entry = Entry::new(
            HistoryKind::Burn,
            Some(plan.pair.to_checksum(None)),
            (a.symbol(), &plan.amounts.0.to_string(), a.decimals()),
            (b.symbol(), &plan.amounts.1.to_string(), b.decimals()),
        );
        entry.row.token_a = Some(a.pool_token(&live.manifest).to_checksum(None));
        entry.row.token_b = Some(b.pool_token(&live.manifest).to_checksum(None));
        let t = Tracker::new(
            self,
            notify,
            entry,
            owner,
            live.genesis,
            "checking the position",
        );
        let auth = Authorization::Permit {
            fallback: tidepool_flows::ApproveMode::Exact,
        };
        let opts = LiquidityOptions::default();
        let r = flow::remove(&client, &live.manifest, &plan, auth, &opts, &t).await;
        self.quotes.forget_graph();
        sent(r.map_err(|e| t.fail(e))?, &t)
    }

    /// The active account's positions.
    pub async fn positions(&self) -> AppResult<Vec<PositionView>> {
        let live = self.live()?;
        let Some(owner) = self.active_address() else {
            return Err(AppError::wallet(
                "choose an account in Wallet to see its positions",
            ));
        };
        let positions = self.market_positions(&live, owner).await?;
        let prices = self.prices(&live).await?;
        let account = AccountParams {
            account: Some(format!("{owner:#x}")),
            limit: Some(10_000),
            ..AccountParams::default()
        };
        let history = crate::embedded::read(self, |c| query::account(c, &account)).ok();
        let mut out = Vec::new();
        for p in positions {
            let t0 = market::token_info(&live.client, p.pool.pool.token0).await?;
            let t1 = market::token_info(&live.client, p.pool.pool.token1).await?;
            let pair_hex = format!("{:#x}", p.pool.pool.pair);
            let deposits: Vec<(f64, f64, f64)> = history
                .as_ref()
                .map(|rows| {
                    rows.iter()
                        .filter(|r| r.kind == Activity::Mint && r.pair == pair_hex)
                        .map(|r| {
                            let f = |v: &Option<String>| {
                                v.as_deref()
                                    .and_then(|s| U256::from_str_radix(s, 10).ok())
                                    .map_or(0.0, |v| to_f64(v, 0))
                            };
                            (f(&r.amount_a), f(&r.amount_b), f(&r.liquidity))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let fl = fees_and_loss(
                &deposits,
                (
                    to_f64(p.pool.pool.reserve0, 0),
                    to_f64(p.pool.pool.reserve1, 0),
                ),
                to_f64(p.pool.total_supply, 0),
                to_f64(p.liquidity, 0),
            );
            let fee_share = fl.map_or(0.0, |x| x.0);
            out.push(PositionView {
                pair: p.pool.pool.pair.to_checksum(None),
                token0: self.token_view(&live.manifest, &Asset::Token(t0), TokenSource::Manifest),
                token1: self.token_view(&live.manifest, &Asset::Token(t1), TokenSource::Manifest),
                liquidity: p.liquidity.to_string(),
                share: p.share,
                amount0: p.amounts.0.to_string(),
                amount1: p.amounts.1.to_string(),
                fees0: part(p.amounts.0, fee_share).to_string(),
                fees1: part(p.amounts.1, fee_share).to_string(),
                impermanent_loss: fl.map(|x| x.1),
                value_usd: match (
                    prices.value(&p.pool.pool.token0, p.amounts.0),
                    prices.value(&p.pool.pool.token1, p.amounts.1),
                ) {
                    (Some(x), Some(y)) => Some(x + y),
                    (Some(x), None) | (None, Some(x)) => Some(2.0 * x),
                    (None, None) => None,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_fees_and_no_loss_right_after_a_deposit() {
        let (f, l) =
            fees_and_loss(&[(100.0, 400.0, 200.0)], (1000.0, 4000.0), 2000.0, 200.0).unwrap();
        assert!(f.abs() < 1e-12 && l.abs() < 1e-12, "{f} {l}");
    }

    #[test]
    fn fees_grow_k_and_price_moves_cost_the_textbook_loss() {
        // k grew 1% through fees at the same price: fee share = 1 - 1/1.01.
        let r = (1000.0 * 1.01f64.sqrt(), 4000.0 * 1.01f64.sqrt());
        let (f, l) = fees_and_loss(&[(100.0, 400.0, 200.0)], r, 2000.0, 200.0).unwrap();
        assert!((f - (1.0 - 1.0 / 1.01f64.sqrt())).abs() < 1e-9, "{f}");
        assert!(l.abs() < 1e-9);
        // Price ×4 with no fees: the textbook loss is 2·√4/(1+4) − 1 = −20%.
        let (f, l) =
            fees_and_loss(&[(100.0, 400.0, 200.0)], (500.0, 8000.0), 2000.0, 200.0).unwrap();
        assert!(f.abs() < 1e-9);
        assert!((l + 0.2).abs() < 1e-9, "{l}");
    }

    #[test]
    fn unknown_deposits_give_none() {
        assert!(fees_and_loss(&[], (1.0, 1.0), 1.0, 1.0).is_none());
        assert_eq!(part(U256::from(1000u32), 0.5), U256::from(500u32));
    }
}
