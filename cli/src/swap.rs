//! `tidepool quote`, `tidepool swap`, `tidepool approve`.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use serde_json::json;
use tidepool_flows::events::Quiet;
use tidepool_flows::swap::{self as flow, SwapOptions};
use tidepool_sdk::amount::{format_units, parse_units};
use tidepool_sdk::impact::{ImpactPolicy, ImpactTier, pct};
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::route::{Route, TradeKind};
use tidepool_sdk::trade::{self, SwapPlan, SwapRequest};
use tidepool_sdk::{Address, U256};

use crate::Global;
use crate::config::{parse_deadline, parse_slippage};
use crate::context::Ctx;
use crate::output;
use crate::progress::Printer;

/// What to quote.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The token sold: ETH, a symbol from the manifest, or an address.
    pub token_in: String,
    /// The token bought.
    pub token_out: String,
    /// The amount sold (or, with --exact-out, bought), in whole tokens (e.g. 1.5).
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// AMOUNT is the exact output; the input is computed.
    #[arg(long)]
    pub exact_out: bool,
    /// The most pools a route may cross (1–3) [default: 3].
    #[arg(long)]
    pub max_hops: Option<usize>,
}

/// How to approve the router when a swap needs it.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum ApproveMode {
    /// Approve exactly what this swap may take.
    #[default]
    Exact,
    /// Approve an unlimited amount (one approval for all later swaps).
    Unlimited,
    /// Never approve: fail if the allowance is short.
    None,
}

/// What to swap.
#[derive(Debug, Args)]
pub struct SwapArgs {
    #[command(flatten)]
    pub quote: QuoteArgs,
    /// Allowed slippage in percent [default: 0.5].
    #[arg(long, value_parser = parse_slippage)]
    pub slippage: Option<f64>,
    /// Deadline from now: seconds, or 90s / 20m / 1h [default: 20m].
    #[arg(long, value_parser = parse_deadline)]
    pub deadline: Option<u64>,
    /// Minimum output in whole tokens (exact-in), instead of the slippage bound.
    #[arg(long, conflicts_with = "exact_out")]
    pub min_out: Option<String>,
    /// Maximum input in whole tokens (exact-out), instead of the slippage bound.
    #[arg(long)]
    pub max_in: Option<String>,
    /// Send the output to this address [default: the sender].
    #[arg(long)]
    pub to: Option<String>,
    /// Quote, check and simulate, but send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the swap's hash once sent and return without waiting for it
    /// (`tidepool tx status HASH` follows it).
    #[arg(long, conflicts_with = "dry_run")]
    pub no_wait: bool,
    /// Router approval when the allowance is short.
    #[arg(long, value_enum, default_value_t)]
    pub approve: ApproveMode,
    /// Confirm a price impact above 10% (the policy asks for it).
    #[arg(long)]
    pub accept_impact: bool,
    /// Allow (and confirm) a price impact above 15%, which is otherwise refused.
    #[arg(long)]
    pub allow_high_impact: bool,
}

impl From<ApproveMode> for tidepool_flows::ApproveMode {
    fn from(m: ApproveMode) -> Self {
        match m {
            ApproveMode::Exact => Self::Exact,
            ApproveMode::Unlimited => Self::Unlimited,
            ApproveMode::None => Self::Never,
        }
    }
}

/// What to approve.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The token: a symbol from the manifest or an address.
    pub token: String,
    /// Whole tokens, or `unlimited`.
    pub amount: String,
    /// The spender [default: the router].
    #[arg(long)]
    pub spender: Option<String>,
}

/// Parses an address argument with a clear error.
pub fn parse_address(s: &str, what: &str) -> Result<Address> {
    s.parse().map_err(|_| {
        anyhow::anyhow!(
            "{what} `{s}` is not a valid address (expected 0x followed by 40 hex digits)"
        )
    })
}

fn nonzero(amount: U256, text: &str) -> Result<U256> {
    if amount.is_zero() {
        bail!("the amount `{text}` is zero: enter an amount greater than 0");
    }
    Ok(amount)
}

async fn request(
    ctx: &Ctx,
    q: &QuoteArgs,
    slippage_bps: u32,
    deadline_secs: u64,
) -> Result<SwapRequest> {
    let asset_in = market::resolve_asset(&ctx.client, &ctx.manifest, &q.token_in).await?;
    let asset_out = market::resolve_asset(&ctx.client, &ctx.manifest, &q.token_out).await?;
    let kind = if q.exact_out {
        TradeKind::ExactOut
    } else {
        TradeKind::ExactIn
    };
    let exact = if q.exact_out { &asset_out } else { &asset_in };
    let amount = nonzero(
        parse_units(&q.amount, exact.decimals(), exact.symbol())?,
        &q.amount,
    )?;
    let max_hops = ctx.max_hops(q.max_hops);
    Ok(SwapRequest {
        asset_in,
        asset_out,
        amount,
        kind,
        slippage_bps,
        deadline_secs,
        recipient: None,
        max_hops,
        min_out: None,
        max_in: None,
    })
}

fn symbols(ctx: &Ctx, route: &Route, req: &SwapRequest) -> Vec<String> {
    let n = route.path.len();
    route
        .path
        .iter()
        .enumerate()
        .map(|(i, a)| match (i, &req.asset_in, &req.asset_out) {
            (0, Asset::Eth, _) => "ETH".to_string(),
            (i, _, Asset::Eth) if i + 1 == n => "ETH".to_string(),
            _ => ctx
                .manifest
                .tokens
                .iter()
                .find(|t| t.address == *a)
                .map_or_else(|| a.to_string(), |t| t.symbol.clone()),
        })
        .collect()
}

fn route_json(ctx: &Ctx, req: &SwapRequest, route: &Route) -> serde_json::Value {
    json!({
        "kind": if req.kind == TradeKind::ExactIn { "exactIn" } else { "exactOut" },
        "path": route.path, "symbols": symbols(ctx, route, req), "pairs": route.pairs,
        "amounts": route.amounts.iter().map(U256::to_string).collect::<Vec<_>>(),
        "amountIn": route.amount_in().to_string(), "amountOut": route.amount_out().to_string(),
        "midPrice": route.mid_price, "executionPrice": route.execution_price, "priceImpact": route.price_impact,
        "priceImpactBps": impact_bps(route), "impactTier": tier(route),
        "lpFee": route.lp_fee().to_string(),
    })
}

fn impact_bps(route: &Route) -> u32 {
    tidepool_sdk::impact::to_bps(route.price_impact)
}

fn tier(route: &Route) -> ImpactTier {
    ImpactPolicy::STANDARD.tier(impact_bps(route), false)
}

fn print_route(ctx: &Ctx, req: &SwapRequest, route: &Route) {
    let (din, dout) = (req.asset_in.decimals(), req.asset_out.decimals());
    let scale = 10f64.powi(i32::from(din) - i32::from(dout));
    println!(
        "route     {}  ({} pool{})",
        symbols(ctx, route, req).join(" -> "),
        route.hops(),
        if route.hops() == 1 { "" } else { "s" }
    );
    println!(
        "sell      {} {}",
        format_units(route.amount_in(), din),
        req.asset_in.symbol()
    );
    println!(
        "buy       {} {}",
        format_units(route.amount_out(), dout),
        req.asset_out.symbol()
    );
    println!(
        "price     1 {} = {:.8} {} (pool price {:.8}); price impact {}",
        req.asset_in.symbol(),
        route.execution_price * scale,
        req.asset_out.symbol(),
        route.mid_price * scale,
        pct(impact_bps(route))
    );
    println!(
        "LP fee    {} {}",
        format_units(route.lp_fee(), din),
        req.asset_in.symbol()
    );
    let policy = ImpactPolicy::STANDARD;
    match tier(route) {
        ImpactTier::Confirm => println!(
            "warning   the price impact is above {}: swapping needs --accept-impact",
            pct(policy.confirm_above_bps)
        ),
        ImpactTier::Blocked => println!(
            "warning   the price impact is above {}: swapping is refused unless --allow-high-impact",
            pct(policy.block_above_bps)
        ),
        _ => {}
    }
}

/// `tidepool quote`.
pub async fn quote(g: &Global, q: QuoteArgs) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    let req = request(&ctx, &q, 0, 0).await?;
    let trust = crate::tokens::trust(g, &ctx)?;
    for a in [&req.asset_in, &req.asset_out] {
        if let tidepool_sdk::tokenlist::Verdict::Unlisted { .. } = trust.verdict(&ctx.manifest, a) {
            eprintln!(
                "warning: {} {} is on none of your token lists: {}",
                a.symbol(),
                a.pool_token(&ctx.manifest),
                crate::tokens::words(&trust.verdict(&ctx.manifest, a))
            );
        }
    }
    let market = ctx.market(g).await?;
    let route = trade::route_on(market.graph(), &ctx.manifest, &req)?;
    if ctx.json {
        output::json(&route_json(&ctx, &req, &route));
    } else {
        print_route(&ctx, &req, &route);
    }
    Ok(())
}

/// `tidepool swap`.
pub async fn swap(g: &Global, a: SwapArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    let signer = ctx.signer(g).await?;
    let slippage = ctx.slippage_bps(a.slippage)?;
    let deadline = ctx.deadline(a.deadline);
    let mut req = request(&ctx, &a.quote, slippage, deadline).await?;
    crate::tokens::check(g, &ctx, &[&req.asset_in, &req.asset_out])?;
    if let Some(to) = &a.to {
        req.recipient = Some(parse_address(to, "--to")?);
    }
    if let Some(m) = &a.min_out {
        req.min_out = Some(parse_units(
            m,
            req.asset_out.decimals(),
            req.asset_out.symbol(),
        )?);
    }
    if let Some(m) = &a.max_in {
        if !a.quote.exact_out {
            bail!("--max-in bounds an exact-output swap: add --exact-out, or use --min-out");
        }
        req.max_in = Some(parse_units(
            m,
            req.asset_in.decimals(),
            req.asset_in.symbol(),
        )?);
    }
    let market = ctx.market(g).await?;
    let now = ctx.client.chain_time().await?;
    let q = flow::quote_on(&ctx.client, &ctx.manifest, market.graph(), req, now).await?;
    let plan = &q.plan;
    if !ctx.json {
        print_route(&ctx, &plan.request, &plan.route);
        print_bound(plan);
        println!(
            "from      {} ({})",
            signer.address.to_checksum(None),
            signer.label
        );
    }
    let transfer_fee = q.transfer_fee.map(|f| {
        json!({"quoted": f.quoted.to_string(), "received": f.received.to_string(), "bps": f.bps()})
    });
    if let (Some(f), false) = (&q.transfer_fee, ctx.json) {
        let out = &plan.request.asset_out;
        println!(
            "warning   a token on this path takes a fee on transfer: {} {} arrive, not {} ({:.2}% less); swapping through Router02's fee-on-transfer function",
            format_units(f.received, out.decimals()),
            out.symbol(),
            format_units(f.quoted, out.decimals()),
            f64::from(f.bps()) / 100.0
        );
    }
    let opts = SwapOptions {
        approve: a.approve.into(),
        dry_run: a.dry_run,
        policy: ImpactPolicy::STANDARD,
        allow_high_impact: a.allow_high_impact,
        impact_confirmed: a.accept_impact || a.allow_high_impact,
        no_wait: a.no_wait,
        // The CLI's review is the confirmation of the transaction itself.
        gas_limit: None,
    };
    let out = flow::execute(
        &ctx.client,
        &ctx.manifest,
        &q,
        &opts,
        &Printer::new(ctx.json),
    )
    .await?;
    let sim = out.simulation.as_ref();
    if let Some(p) = &out.pending {
        if ctx.json {
            output::json(&json!({
                "route": route_json(&ctx, &plan.request, &plan.route),
                "limit": plan.limit.to_string(), "deadline": plan.deadline.to_string(),
                "fee": out.fee.as_ref().map(crate::fees::json),
                "approvalTx": out.approval.as_ref().map(|s| s.hash), "tx": p.hash, "pending": true,
                "transferFee": transfer_fee, "function": plan.function,
            }));
        } else {
            println!(
                "sent      tx {} (not waited for: `tidepool tx status {}`)",
                p.hash, p.hash
            );
        }
        return Ok(());
    }
    let Some(sent) = &out.swap else {
        return dry_run_report(&ctx, plan, out.approval_needed, sim, out.fee.as_ref());
    };
    if ctx.json {
        output::json(&json!({
            "route": route_json(&ctx, &plan.request, &plan.route),
            "limit": plan.limit.to_string(), "deadline": plan.deadline.to_string(),
            "simulated": sim.map(|s| s.amounts.iter().map(U256::to_string).collect::<Vec<_>>()),
            "fee": out.fee.as_ref().map(crate::fees::json),
            "approvalTx": out.approval.as_ref().map(|s| s.hash), "tx": sent.hash,
            "block": sent.block, "gasUsed": sent.gas_used, "feePaidWei": sent.fee_paid.to_string(),
            "check": out.check, "transferFee": transfer_fee, "function": plan.function,
        }));
    } else {
        println!(
            "sent      tx {} in block {} (gas {}, fee {})",
            sent.hash,
            sent.block,
            sent.gas_used,
            crate::fees::eth(sent.fee_paid)
        );
        if let Some(c) = &out.check {
            crate::progress::print_check(&ctx.manifest, &plan.request, c);
        }
    }
    Ok(())
}

fn print_bound(plan: &SwapPlan) {
    let r = &plan.request;
    match r.kind {
        TradeKind::ExactIn => println!(
            "minimum   {} {} (slippage bound)",
            format_units(plan.limit, r.asset_out.decimals()),
            r.asset_out.symbol()
        ),
        TradeKind::ExactOut => println!(
            "maximum   {} {} (slippage bound)",
            format_units(plan.limit, r.asset_in.decimals()),
            r.asset_in.symbol()
        ),
    }
}

fn dry_run_report(
    ctx: &Ctx,
    plan: &SwapPlan,
    needs_approval: Option<U256>,
    sim: Option<&trade::Simulation>,
    fee: Option<&tidepool_sdk::fees::FeeCost>,
) -> Result<()> {
    if ctx.json {
        output::json(&json!({
            "dryRun": true,
            "route": route_json(ctx, &plan.request, &plan.route),
            "limit": plan.limit.to_string(), "deadline": plan.deadline.to_string(),
            "function": plan.function,
            "approvalNeeded": needs_approval.map(|a| a.to_string()),
            "simulated": sim.map(|s| s.amounts.iter().map(U256::to_string).collect::<Vec<_>>()),
            "gas": sim.map(|s| s.gas),
            "fee": fee.map(crate::fees::json),
            "changes": sim.map(|s| s.changes.iter().map(|(k, v)| json!({"asset": k, "delta": v.to_string()})).collect::<Vec<_>>()),
        }));
    } else {
        if needs_approval.is_some() {
            println!(
                "approval  needed first: the swap cannot be simulated until the router is approved"
            );
        }
        println!("dry run   nothing was sent");
    }
    Ok(())
}

/// `tidepool approve`.
pub async fn approve(g: &Global, a: ApproveArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    ctx.signer(g).await?;
    let Asset::Token(t) = market::resolve_asset(&ctx.client, &ctx.manifest, &a.token).await? else {
        bail!("ETH needs no approval; approve WETH if you trade WETH");
    };
    let amount = if a.amount.eq_ignore_ascii_case("unlimited") {
        U256::MAX
    } else {
        parse_units(&a.amount, t.decimals, &t.symbol)?
    };
    let spender = match &a.spender {
        Some(s) => parse_address(s, "--spender")?,
        None => ctx.manifest.router,
    };
    let asset = Asset::Token(t.clone());
    let r = tidepool_flows::send::approve(&ctx.client, &asset, spender, amount, &Quiet).await?;
    if ctx.json {
        output::json(
            &json!({"token": t.address, "spender": spender, "amount": amount.to_string(), "tx": r.hash}),
        );
    } else {
        println!(
            "approved {} {} for {} (tx {})",
            if amount == U256::MAX {
                "unlimited".into()
            } else {
                format_units(amount, t.decimals)
            },
            t.symbol,
            spender.to_checksum(None),
            r.hash
        );
    }
    Ok(())
}
