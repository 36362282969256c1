//! Swaps: a live quote from the sdk (route, price impact, bound, LP fee), the
//! approval step, a simulation showing the balance changes, and execution
//! that checks everything again before signing and follows the transaction
//! to its receipt. Nothing is sent when a check fails.

use std::sync::Arc;

use alloy::primitives::{I256, U256};
use alloy::providers::Provider;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::route::TradeKind as SdkKind;
use tidepool_sdk::trade::{self, SwapRequest};

use crate::core::{Core, KeptQuote};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::history::Entry;
use crate::tokens::{self, view};
use crate::txflow::{self, Measure, Notify};
use crate::views::{
    BalanceChange, ExecuteSwap, HistoryKind, QuoteRequest, RouteHop, Simulation, SwapQuote,
    TradeKind, TxResult, TxStage,
};

/// Price impact (basis points) above which the user must confirm.
pub const CONFIRM_IMPACT_BPS: u32 = 1_000;
/// Price impact (basis points) above which a swap is refused unless allowed in Settings.
pub const BLOCK_IMPACT_BPS: u32 = 1_500;

/// Parses a base-unit amount.
pub fn amount(text: &str, what: &str) -> AppResult<U256> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::input(format!(
            "{what} `{t}` is not a whole number of base units"
        )));
    }
    U256::from_str_radix(t, 10).map_err(|_| AppError::input(format!("{what} `{t}` is too large")))
}

/// Price impact without the LP fee: `1 − execution / (mid × 0.997^hops)`.
pub fn impact_bps(mid: f64, execution: f64, hops: usize) -> u32 {
    if mid <= 0.0 {
        return 0;
    }
    let fee = 0.997f64.powi(i32::try_from(hops).unwrap_or(3));
    let impact = (1.0 - execution / (mid * fee)).max(0.0);
    (impact * 10_000.0).round().min(10_000.0) as u32
}

/// The LP fees of a route, in token-in units: `in × (1 − 0.997^hops)`.
pub fn lp_fee(amount_in: U256, hops: usize) -> U256 {
    let mut kept = amount_in;
    for _ in 0..hops {
        kept = kept * U256::from(997u32) / U256::from(1000u32);
    }
    amount_in - kept
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Core {
    /// Quotes a swap at the latest block's reserves.
    pub async fn swap_quote(&self, req: QuoteRequest) -> AppResult<SwapQuote> {
        self.wallet().touch();
        let live = self.live()?;
        let settings = self.settings();
        let amount = amount(&req.amount, "the amount")?;
        if amount.is_zero() {
            return Err(AppError::input("enter an amount greater than 0"));
        }
        let t_in = tokens::resolve(self, &live, &req.token_in).await?;
        let t_out = tokens::resolve(self, &live, &req.token_out).await?;
        let client = &live.client;
        // The monitor's head (read within the last second) saves two node
        // calls per quote; execution checks against the chain again anyway.
        let (block, time) = match self.fresh_head(live.genesis) {
            Some(h) => h,
            None => {
                let b = client
                    .provider
                    .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
                    .await
                    .map_err(|e| AppError::from(client.err(e)))?
                    .ok_or_else(|| {
                        AppError::new(ErrorKind::Network, "the node returned no latest block")
                    })?;
                (b.header.number, b.header.timestamp)
            }
        };
        let graph = match self.cached_graph(block, live.genesis) {
            Some(g) => g,
            None => {
                let g = Arc::new(trade::graph(client, &live.manifest).await?);
                self.cache_graph(block, live.genesis, g.clone());
                g
            }
        };
        let request = SwapRequest {
            asset_in: t_in.asset.clone(),
            asset_out: t_out.asset.clone(),
            amount,
            kind: match req.kind {
                TradeKind::ExactIn => SdkKind::ExactIn,
                TradeKind::ExactOut => SdkKind::ExactOut,
            },
            slippage_bps: settings.slippage_bps,
            deadline_secs: u64::from(settings.deadline_mins) * 60,
            recipient: None,
            max_hops: 3,
            min_out: None,
            max_in: None,
        };
        let route = trade::route_on(&graph, &live.manifest, &request)?;
        let planner = self.planning_client(&live);
        let plan = trade::build_at(&planner, &live.manifest, request, route, time)?;
        let route = &plan.route;
        let owner = self.wallet().active_address();
        let needs_approval = match (&t_in.asset, owner) {
            (Asset::Token(t), Some(owner)) => {
                market::allowance(client, t.address, owner, live.manifest.router).await?
                    < plan.max_spend
            }
            _ => false,
        };
        let (d_in, d_out) = (t_in.asset.decimals(), t_out.asset.decimals());
        let whole = |v: U256, d: u8| tidepool_sdk::amount::to_f64(v, d);
        let execution_price = whole(route.amount_out(), d_out) / whole(route.amount_in(), d_in);
        let mut hops = Vec::new();
        for (i, pair) in route.pairs.iter().enumerate() {
            let (a, b) = (route.path[i], route.path[i + 1]);
            hops.push(RouteHop {
                pair: pair.to_checksum(None),
                token_in: a.to_checksum(None),
                token_out: b.to_checksum(None),
                symbol_in: symbol_of(&live, a, [&t_in.asset, &t_out.asset]).await,
                symbol_out: symbol_of(&live, b, [&t_in.asset, &t_out.asset]).await,
            });
        }
        let view = SwapQuote {
            id: format!("{:016x}", rand::random::<u64>()),
            kind: req.kind,
            token_in: view(&t_in.asset, t_in.source),
            token_out: view(&t_out.asset, t_out.source),
            amount_in: route.amount_in().to_string(),
            amount_out: route.amount_out().to_string(),
            limit: plan.limit.to_string(),
            slippage_bps: settings.slippage_bps,
            deadline_mins: settings.deadline_mins,
            route: hops,
            price_impact_bps: impact_bps(route.mid_price, route.execution_price, route.hops()),
            execution_price,
            lp_fee: lp_fee(route.amount_in(), route.hops()).to_string(),
            needs_approval,
            quoted_at: unix_ms(),
            block,
        };
        self.keep_quote(KeptQuote {
            view: view.clone(),
            plan,
            genesis: live.genesis,
            owner: planner.from.unwrap_or_default(),
        });
        Ok(view)
    }

    /// A kept quote, still valid for the chain and the active account (its
    /// router call pays out to the account that was active when quoted).
    fn fresh_quote(&self, id: &str) -> AppResult<KeptQuote> {
        let q = self.quote(id)?;
        if self.live()?.genesis != q.genesis {
            return Err(AppError::input(
                "the chain was reset since this quote: get a new quote",
            ));
        }
        let active = self.wallet().active_address();
        if active.is_none() {
            return Err(AppError::wallet(
                "no account is active: unlock the wallet or choose an account in Wallet",
            ));
        }
        if active != Some(q.owner) {
            return Err(AppError::input(
                "this quote was made for another account: get a new quote",
            ));
        }
        Ok(q)
    }

    /// Approves the router for the quote's input token.
    pub async fn swap_approve(
        &self,
        quote_id: &str,
        unlimited: bool,
        notify: &Notify,
    ) -> AppResult<TxResult> {
        let q = self.fresh_quote(quote_id)?;
        let Asset::Token(token) = &q.plan.request.asset_in else {
            return Err(AppError::input("ETH needs no approval"));
        };
        let (live, _, _) = self.signing()?;
        let amount = if unlimited {
            U256::MAX
        } else {
            q.plan.max_spend
        };
        let tx = trade::approve_tx(token.address, live.manifest.router, amount);
        let entry = Entry::approve(token, amount);
        let r = txflow::send(self, tx, TxStage::Approving, entry, Measure::none(), notify).await?;
        self.forget_graph();
        Ok(r)
    }

    /// Simulates the quote's swap from the active account.
    pub async fn swap_simulate(&self, quote_id: &str) -> AppResult<Simulation> {
        let q = self.fresh_quote(quote_id)?;
        let (_, client, _) = self.signing()?;
        self.check_allowance(&q, &client).await?;
        let sim = trade::simulate(&client, &q.plan).await?;
        trade::check_bound(&q.plan, &sim.amounts)?;
        let req = &q.plan.request;
        let changes = sim
            .changes
            .iter()
            .map(|(symbol, delta)| {
                let asset = [&req.asset_in, &req.asset_out]
                    .into_iter()
                    .find(|a| a.symbol() == symbol)
                    .cloned()
                    .unwrap_or(Asset::Eth);
                change(&asset, *delta)
            })
            .collect();
        Ok(Simulation {
            changes,
            gas: sim.gas,
            gas_cost_wei: (U256::from(sim.gas) * U256::from(sim.gas_price)).to_string(),
        })
    }

    async fn check_allowance(
        &self,
        q: &KeptQuote,
        client: &tidepool_sdk::chain::Client,
    ) -> AppResult<()> {
        if let Asset::Token(t) = &q.plan.request.asset_in {
            let router = self.live()?.manifest.router;
            if trade::missing_allowance(client, t.address, router, q.plan.max_spend).await? {
                return Err(AppError::input(format!(
                    "the router may not spend your {} yet: approve it first",
                    t.symbol
                )));
            }
        }
        Ok(())
    }

    /// Executes a quote: re-checks the impact gate, the balance, the allowance
    /// and the router's own quote against the bound, simulates, then signs,
    /// sends and follows the transaction to its receipt.
    pub async fn swap_execute(&self, req: ExecuteSwap, notify: &Notify) -> AppResult<TxResult> {
        let fail = |e: AppError| {
            notify.stage(TxStage::Failed, &e.message, None);
            e
        };
        notify.stage(
            TxStage::Checking,
            "checking the quote against the chain",
            None,
        );
        let q = self.fresh_quote(&req.quote_id).map_err(fail)?;
        let impact = q.view.price_impact_bps;
        let pct = f64::from(impact) / 100.0;
        if impact > BLOCK_IMPACT_BPS && !self.settings().allow_high_impact {
            return Err(fail(AppError::new(
                ErrorKind::PriceImpact,
                format!(
                    "the price impact is {pct:.2}%, above 15%: this trade is blocked. Trade a smaller amount, or allow high-impact trades in Settings"
                ),
            )));
        }
        if impact > CONFIRM_IMPACT_BPS && !req.confirm_impact {
            return Err(fail(AppError::new(
                ErrorKind::PriceImpact,
                format!(
                    "the price impact is {pct:.2}%, above 10%: confirm that you accept it before swapping"
                ),
            )));
        }
        let (_, client, _) = self.signing().map_err(fail)?;
        let plan = &q.plan;
        let checks = async {
            trade::check_balance(&client, &plan.request.asset_in, plan.max_spend).await?;
            self.check_allowance(&q, &client).await?;
            let now = trade::chain_quote(&client, &self.live()?.manifest, plan).await?;
            trade::check_bound(plan, &now)?;
            let sim = trade::simulate(&client, plan).await?;
            trade::check_bound(plan, &sim.amounts)?;
            AppResult::Ok(())
        };
        checks.await.map_err(fail)?;
        let entry = Entry::swap(&q);
        let measure = Measure::of(&[&plan.request.asset_in, &plan.request.asset_out]);
        let r = txflow::send(
            self,
            plan.tx.clone(),
            TxStage::Signing,
            entry,
            measure,
            notify,
        )
        .await;
        self.forget_graph();
        r
    }
}

/// A route token's symbol: one of the trade's assets, a manifest token, or read on chain.
async fn symbol_of(
    live: &crate::core::Live,
    a: alloy::primitives::Address,
    assets: [&Asset; 2],
) -> String {
    if let Some(k) = assets.iter().find(|k| k.pool_token(&live.manifest) == a) {
        return k.symbol().to_string();
    }
    if let Some(t) = live.manifest.tokens.iter().find(|t| t.address == a) {
        return t.symbol.clone();
    }
    market::token_info(&live.client, a)
        .await
        .map_or_else(|_| format!("{a}"), |t| t.symbol)
}

/// A signed change of `asset`.
pub fn change(asset: &Asset, delta: I256) -> BalanceChange {
    let v = view(asset, crate::views::TokenSource::Native);
    BalanceChange {
        symbol: v.symbol,
        token: v.address,
        decimals: v.decimals,
        delta: delta.to_string(),
    }
}

/// What a history entry records of a swap.
impl Entry {
    fn swap(q: &KeptQuote) -> Self {
        let v = &q.view;
        Entry::new(
            HistoryKind::Swap,
            v.route.first().map(|h| h.pair.clone()),
            (&v.token_in.symbol, &v.amount_in, v.token_in.decimals),
            (&v.token_out.symbol, &v.amount_out, v.token_out.decimals),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_excludes_the_fee() {
        assert_eq!(impact_bps(2.0, 2.0 * 0.997, 1), 0);
        assert_eq!(impact_bps(2.0, 2.0 * 0.997 * 0.99, 1), 100);
        assert_eq!(impact_bps(1.0, 0.997f64.powi(2) * 0.8, 2), 2000);
        assert_eq!(impact_bps(0.0, 1.0, 1), 0);
    }

    #[test]
    fn lp_fee_compounds_per_hop() {
        assert_eq!(lp_fee(U256::from(1000u32), 1), U256::from(3u32));
        assert_eq!(lp_fee(U256::from(1_000_000u32), 2), U256::from(5_991u32));
    }

    #[test]
    fn amounts_must_be_base_unit_integers() {
        assert_eq!(amount("1000", "x").unwrap(), U256::from(1000u32));
        for bad in ["", "1.5", "-1", "1e18", "abc", " "] {
            assert!(amount(bad, "the amount").is_err(), "{bad}");
        }
        let too_big = "9".repeat(90);
        assert!(
            amount(&too_big, "x")
                .unwrap_err()
                .message
                .contains("too large")
        );
    }
}
