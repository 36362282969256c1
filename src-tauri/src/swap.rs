//! Swaps: a live quote from the sdk (route, price impact, bound, LP fee), the
//! approval step, a simulation showing the balance changes, and execution
//! that checks everything again before signing and follows the transaction
//! to its receipt. Nothing is sent when a check fails.

use alloy::primitives::U256;
use alloy::providers::Provider;
use tidepool_flows::ApproveMode;
use tidepool_flows::swap::{self as flow, SwapOptions};
use tidepool_sdk::impact::ImpactPolicy;
use tidepool_sdk::market::Asset;
use tidepool_sdk::route::TradeKind as SdkKind;
use tidepool_sdk::trade::SwapRequest;

use crate::core::{Core, KeptQuote};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::tokens;
use crate::txflow::{self, Notify, Tracker};
use crate::txlog::Entry;
use crate::views::{
    ExecuteSwap, HistoryKind, QuoteRequest, RouteHop, Simulation, SwapQuote, TradeKind, TxResult,
};

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

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Core {
    /// Quotes a swap at the latest block's reserves.
    pub async fn swap_quote(&self, req: QuoteRequest) -> AppResult<SwapQuote> {
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
        let (graph, prices) = self.route_graph(&live, block).await?;
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
        let planner = self.planning_client(&live);
        let quote = flow::quote_on(&planner, &live.manifest, &graph, request, time).await?;
        let plan = &quote.plan;
        let route = &plan.route;
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
                symbol_in: symbol_of(self, &live, a, [&t_in.asset, &t_out.asset]).await,
                symbol_out: symbol_of(self, &live, b, [&t_in.asset, &t_out.asset]).await,
            });
        }
        let view = SwapQuote {
            id: format!("{:016x}", rand::random::<u64>()),
            kind: req.kind,
            token_in: self.token_view(&live.manifest, &t_in.asset, t_in.source),
            token_out: self.token_view(&live.manifest, &t_out.asset, t_out.source),
            amount_in: route.amount_in().to_string(),
            amount_out: route.amount_out().to_string(),
            limit: plan.limit.to_string(),
            slippage_bps: settings.slippage_bps,
            deadline_mins: settings.deadline_mins,
            route: hops,
            price_impact_bps: quote.impact_bps,
            impact_tier: quote.tier(&ImpactPolicy::STANDARD, settings.allow_high_impact),
            execution_price,
            lp_fee: quote.lp_fee.to_string(),
            needs_approval: quote.needs_approval,
            transfer_fee_bps: quote.transfer_fee.map(|f| f.bps()),
            amount_received: quote.transfer_fee.map(|f| f.received.to_string()),
            usd_in: prices.value(&t_in.asset.pool_token(&live.manifest), route.amount_in()),
            usd_out: prices.value(&t_out.asset.pool_token(&live.manifest), route.amount_out()),
            quoted_at: unix_ms(),
            block,
        };
        self.quotes.keep(KeptQuote {
            view: view.clone(),
            quote,
            genesis: live.genesis,
            reviewed_gas_limit: None,
        });
        Ok(view)
    }

    /// A kept quote, still valid for the chain and the active account (its
    /// router call pays out to the account that was active when quoted).
    fn fresh_quote(&self, id: &str) -> AppResult<KeptQuote> {
        let q = self.quotes.get(id)?;
        if self.live()?.genesis != q.genesis {
            return Err(AppError::input(
                "the chain was reset since this quote: get a new quote",
            ));
        }
        if self.active_address().is_none() {
            return Err(AppError::wallet(
                "no account is active: unlock the wallet or choose an account in Wallet",
            ));
        }
        // Whether it was made for the active account is the flow's check.
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
        let Asset::Token(token) = &q.quote.plan.request.asset_in else {
            return Err(AppError::input("ETH needs no approval"));
        };
        let (live, client) = self.signing()?;
        let req = &q.quote.plan.request;
        self.check_tokens(&live.manifest, &[&req.asset_in, &req.asset_out])?;
        let amount = if unlimited {
            U256::MAX
        } else {
            q.quote.plan.max_spend
        };
        let owner = client.sender()?;
        let entry = Entry::approve(token, amount);
        let t = Tracker::new(self, notify, entry, owner, live.genesis, "checking");
        let r = flow::approve(&client, &live.manifest, &q.quote, unlimited, &t).await;
        self.quotes.forget_graph();
        r.map(|s| txflow::result(&s)).map_err(|e| t.fail(e))
    }

    /// Simulates the quote's swap from the active account.
    pub async fn swap_simulate(
        &self,
        quote_id: &str,
        fee: Option<crate::sent::FeeSelection>,
    ) -> AppResult<Simulation> {
        let q = self.fresh_quote(quote_id)?;
        let (live, client) = self.signing()?;
        let client = client.with_fees(self.fee_choice(fee)?);
        let sim = flow::simulate(&client, &live.manifest, &q.quote).await?;
        let req = &q.quote.plan.request;
        let changes = sim
            .changes
            .iter()
            .map(|(symbol, delta)| {
                let asset = [&req.asset_in, &req.asset_out]
                    .into_iter()
                    .find(|a| a.symbol() == symbol)
                    .cloned()
                    .unwrap_or(Asset::Eth);
                txflow::change(&asset, *delta)
            })
            .collect();
        let cost = client.fee_cost(&q.quote.plan.tx).await?;
        self.quotes.reviewed(quote_id, cost.gas_limit);
        Ok(Simulation {
            changes,
            gas: sim.gas,
            gas_limit: cost.gas_limit,
            fee_expected_wei: cost.expected.to_string(),
            fee_worst_wei: cost.worst.to_string(),
            max_fee_per_gas_wei: cost.fees.max_per_gas().to_string(),
        })
    }

    /// Executes a quote through the shared swap flow (the impact policy,
    /// balance, allowance, the router's own quote against the bound and a
    /// simulation, then signing, sending and following to the receipt).
    pub async fn swap_execute(&self, req: ExecuteSwap, notify: &Notify) -> AppResult<TxResult> {
        let start = |e: AppError| {
            notify.stage(crate::views::TxStage::Failed, &e.message, None);
            e
        };
        let q = self.fresh_quote(&req.quote_id).map_err(start)?;
        let (live, client) = self.signing().map_err(start)?;
        let assets = &q.quote.plan.request;
        self.check_tokens(&live.manifest, &[&assets.asset_in, &assets.asset_out])
            .map_err(start)?;
        let fees = self.fee_choice(req.fee.clone()).map_err(start)?;
        let client = client.with_fees(fees);
        // A quote is executed once: a second request for it (a double click,
        // two windows) is refused here, before any check or send. A check
        // that fails before anything is sent gives it back (approve, confirm
        // the impact, then execute it again).
        let kept = self.quotes.take(&req.quote_id).map_err(start)?;
        let owner = client.sender().map_err(|e| start(e.into()))?;
        let entry = Entry::swap(&q);
        let checking = "checking the quote against the chain";
        let t = Tracker::new(self, notify, entry, owner, live.genesis, checking);
        let opts = SwapOptions {
            // The UI approves as a step of its own, before executing.
            approve: ApproveMode::Never,
            dry_run: false,
            policy: ImpactPolicy::STANDARD,
            allow_high_impact: self.settings().allow_high_impact,
            impact_confirmed: req.confirm_impact,
            no_wait: false,
            gas_limit: q.reviewed_gas_limit,
        };
        let r = flow::execute(&client, &live.manifest, &q.quote, &opts, &t).await;
        self.quotes.forget_graph();
        if r.is_err() && !t.sent_anything() {
            self.quotes.give_back(kept);
        }
        let out = r.map_err(|e| t.fail(e))?;
        let sent = out
            .swap
            .ok_or_else(|| t.fail(AppError::internal("the swap flow sent nothing")))?;
        let mut result = txflow::result(&sent);
        result.check = out.check.as_ref().map(|c| txflow::check_text(&q.quote, c));
        Ok(result)
    }
}

/// A route token's symbol: one of the trade's assets, a manifest token, or
/// read on chain once (then kept with the other resolved tokens).
async fn symbol_of(
    core: &Core,
    live: &crate::core::Live,
    a: alloy::primitives::Address,
    assets: [&Asset; 2],
) -> String {
    if let Some(k) = assets.iter().find(|k| k.pool_token(&live.manifest) == a) {
        return k.symbol().to_string();
    }
    tokens::resolve(core, live, &a.to_string())
        .await
        .map_or_else(|_| format!("{a}"), |k| k.asset.symbol().to_string())
}

/// What a history entry records of a swap.
impl Entry {
    fn swap(q: &KeptQuote) -> Self {
        let v = &q.view;
        let mut e = Entry::new(
            HistoryKind::Swap,
            v.route.first().map(|h| h.pair.clone()),
            (&v.token_in.symbol, &v.amount_in, v.token_in.decimals),
            (&v.token_out.symbol, &v.amount_out, v.token_out.decimals),
        );
        // The pools' tokens (WETH for ETH): what the history prices and checks.
        e.row.token_a = v.route.first().map(|h| h.token_in.clone());
        e.row.token_b = v.route.last().map(|h| h.token_out.clone());
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
