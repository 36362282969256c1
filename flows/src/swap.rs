//! Swaps: a quote (the best route, the router call with its bound and
//! deadline, price impact, LP fee, whether an approval is needed) and the
//! flow that executes it.

use alloy::primitives::{Address, U256};
use tidepool_sdk::chain::Client;
use tidepool_sdk::fot::{self, TransferFee};
use tidepool_sdk::impact::{self, ImpactPolicy, ImpactTier};
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::route::RouteGraph;
use tidepool_sdk::trade::{self, SwapPlan, SwapRequest};

use crate::ApproveMode;
use crate::error::{FlowError, Result};
use crate::events::{FlowEvent, Observer, TxKind};
use crate::send::{self, Sent};

/// What a simulation of a swap says would happen if it were sent now.
pub type SimulatedSwap = trade::Simulation;

/// A quote: the plan to execute and what the trader must see before.
#[derive(Debug, Clone)]
pub struct SwapQuote {
    /// The route and the router call (its bound, deadline and recipient).
    pub plan: SwapPlan,
    /// The account the quote was made for (it receives the output unless
    /// the request names a recipient); `None` for a preview with no account.
    pub owner: Option<Address>,
    /// Price impact in basis points ([`impact::price_impact`], without the LP fee).
    pub impact_bps: u32,
    /// The LP fees of the route, in units of the token in.
    pub lp_fee: U256,
    /// Whether the owner's allowance for the router is short.
    pub needs_approval: bool,
    /// A token on the path takes a fee on transfer: what would really
    /// arrive (the plan then uses Router02's Supporting function, its bound
    /// on that amount).
    pub transfer_fee: Option<TransferFee>,
}

impl SwapQuote {
    /// The quote's impact tier under `policy`.
    pub fn tier(&self, policy: &ImpactPolicy, allow_high: bool) -> ImpactTier {
        policy.tier(self.impact_bps, allow_high)
    }
}

/// Quotes `req` over the deployment's pools at the latest block, for the
/// client's account (`client.from`; none, or the zero address, for a preview).
pub async fn quote(client: &Client, manifest: &Manifest, req: SwapRequest) -> Result<SwapQuote> {
    let plan = trade::plan(client, manifest, req).await?;
    finish(client, manifest, plan).await
}

/// [`quote`] over an already read route graph, with the latest block's time
/// already known (an app that follows the head quotes without reading the
/// pools again).
pub async fn quote_on(
    client: &Client,
    manifest: &Manifest,
    graph: &RouteGraph,
    req: SwapRequest,
    chain_time: u64,
) -> Result<SwapQuote> {
    let route = trade::route_on(graph, manifest, &req)?;
    let plan = trade::build_at(client, manifest, req, route, chain_time)?;
    finish(client, manifest, plan).await
}

async fn finish(client: &Client, manifest: &Manifest, plan: SwapPlan) -> Result<SwapQuote> {
    let owner = client.from.filter(|a| !a.is_zero());
    let mut plan = plan;
    let mut transfer_fee = None;
    if let Some(o) = owner
        && let Some(fee) = fot::probe(client, manifest, &plan, o).await?
    {
        let to = plan.request.recipient.unwrap_or(o);
        plan = fot::supporting(plan, manifest, fee, to);
        transfer_fee = Some(fee);
    }
    let needs_approval = match (&plan.request.asset_in, owner) {
        (Asset::Token(t), Some(owner)) => {
            market::allowance(client, t.address, owner, manifest.router).await? < plan.max_spend
        }
        _ => false,
    };
    let route = &plan.route;
    Ok(SwapQuote {
        owner,
        impact_bps: impact::to_bps(route.price_impact),
        lp_fee: route.lp_fee(),
        needs_approval,
        transfer_fee,
        plan,
    })
}

/// How the swap flow may go ahead.
#[derive(Debug, Clone, Copy, Default)]
pub struct SwapOptions {
    /// How a short allowance is handled.
    pub approve: ApproveMode,
    /// Check and simulate, but send nothing (not even an approval).
    pub dry_run: bool,
    /// The price-impact policy.
    pub policy: ImpactPolicy,
    /// Whether trades above the policy's block threshold are allowed.
    pub allow_high_impact: bool,
    /// Whether the user confirmed the quote's impact.
    pub impact_confirmed: bool,
    /// Return once the swap is sent, without following it to its receipt
    /// (the transaction store follows it; an approval before it is still
    /// waited for, as the swap cannot be simulated without it).
    pub no_wait: bool,
    /// The gas limit the person reviewed (a simulation's): signed as is when
    /// a fresh estimate still fits under it, refused when it does not.
    pub gas_limit: Option<u64>,
}

/// What the swap flow did.
#[derive(Debug, Clone, Default)]
pub struct SwapOutcome {
    /// The approval it sent, if any.
    pub approval: Option<Sent>,
    /// In a dry run: the approval that would be sent first (then nothing
    /// could be simulated).
    pub approval_needed: Option<U256>,
    /// The simulation at the latest block, within the bound.
    pub simulation: Option<SimulatedSwap>,
    /// The swap, mined; `None` in a dry run or when not waited for.
    pub swap: Option<Sent>,
    /// The swap, sent and not waited for ([`SwapOptions::no_wait`]).
    pub pending: Option<tidepool_sdk::txwatch::SentTx>,
    /// The fee the swap was expected to cost and could cost at most.
    pub fee: Option<tidepool_sdk::fees::FeeCost>,
    /// What the post-trade check found, once the swap was mined.
    pub check: Option<crate::aftercheck::TradeCheck>,
}

/// Fails unless `client` signs as the account the quote was made for.
fn check_owner(client: &Client, q: &SwapQuote) -> Result<()> {
    let sender = client.sender()?;
    if q.owner != Some(sender) {
        return Err(FlowError::QuoteForAnotherAccount);
    }
    Ok(())
}

/// The allowance `q` needs, as `mode` obtains it: `None` when there is
/// enough, the amount to approve otherwise.
async fn allowance_needed(
    client: &Client,
    manifest: &Manifest,
    q: &SwapQuote,
    mode: ApproveMode,
) -> Result<Option<U256>> {
    let plan = &q.plan;
    let Asset::Token(t) = &plan.request.asset_in else {
        return Ok(None);
    };
    if !trade::missing_allowance(client, t.address, manifest.router, plan.max_spend).await? {
        return Ok(None);
    }
    match mode {
        ApproveMode::Never => Err(FlowError::NeedsApproval {
            token: t.address,
            symbol: t.symbol.clone(),
            amount: plan.max_spend,
            need: tidepool_sdk::amount::format_units(plan.max_spend, t.decimals),
        }),
        ApproveMode::Exact => Ok(Some(plan.max_spend)),
        ApproveMode::Unlimited => Ok(Some(U256::MAX)),
    }
}

/// Approves the router for the quote's input token: exactly what the swap
/// may take, or an unlimited amount.
pub async fn approve(
    client: &Client,
    manifest: &Manifest,
    q: &SwapQuote,
    unlimited: bool,
    obs: &dyn Observer,
) -> Result<Sent> {
    check_owner(client, q)?;
    let _guard = crate::lock::acquire(client)?;
    let amount = if unlimited {
        U256::MAX
    } else {
        q.plan.max_spend
    };
    send::approve(
        client,
        &q.plan.request.asset_in,
        manifest.router,
        amount,
        obs,
    )
    .await
}

/// Simulates the quote's swap from the client's account at the latest block
/// and checks the result against the bound. The allowance must already be
/// there (a swap without it cannot be simulated).
pub async fn simulate(
    client: &Client,
    manifest: &Manifest,
    q: &SwapQuote,
) -> Result<SimulatedSwap> {
    check_owner(client, q)?;
    allowance_needed(client, manifest, q, ApproveMode::Never).await?;
    simulate_checked(client, q).await
}

async fn simulate_checked(client: &Client, q: &SwapQuote) -> Result<SimulatedSwap> {
    let sim = trade::simulate(client, &q.plan).await?;
    trade::check_bound(&q.plan, &sim.amounts)?;
    Ok(sim)
}

/// Executes a quote from the client's account: checks, in order, the
/// account, the balance, the price-impact policy, the router's own quote
/// against the bound, the allowance (approving as `opts.approve` allows),
/// and a simulation against the bound; then signs, sends and follows the
/// swap to its receipt. Nothing is sent when a check fails.
pub async fn execute(
    client: &Client,
    manifest: &Manifest,
    q: &SwapQuote,
    opts: &SwapOptions,
    obs: &dyn Observer,
) -> Result<SwapOutcome> {
    check_owner(client, q)?;
    let _guard = (!opts.dry_run)
        .then(|| crate::lock::acquire(client))
        .transpose()?;
    obs.on_event(&FlowEvent::Checking);
    let plan = &q.plan;
    trade::check_balance(client, &plan.request.asset_in, plan.max_spend).await?;
    opts.policy
        .check(q.impact_bps, opts.allow_high_impact, opts.impact_confirmed)?;
    let now = trade::chain_quote(client, manifest, plan).await?;
    trade::check_bound(plan, &now)?;
    let mut out = SwapOutcome::default();
    if let Some(amount) = allowance_needed(client, manifest, q, opts.approve).await? {
        if opts.dry_run {
            out.approval_needed = Some(amount);
            return Ok(out);
        }
        out.approval = Some(
            send::approve(client, &plan.request.asset_in, manifest.router, amount, obs).await?,
        );
    }
    let sim = simulate_checked(client, q).await?;
    obs.on_event(&FlowEvent::Simulated(sim.clone()));
    out.simulation = Some(sim);
    let mut cost = client.fee_cost(&plan.tx).await?;
    if let Some(reviewed) = opts.gas_limit {
        if cost.gas_used > reviewed {
            return Err(FlowError::GasAboveReviewed {
                reviewed,
                estimate: cost.gas_used,
            });
        }
        cost = cost.with_gas_limit(reviewed);
    }
    obs.on_event(&FlowEvent::FeeQuoted(cost));
    out.fee = Some(cost);
    if opts.dry_run {
        return Ok(out);
    }
    // The gas limit reviewed is the one signed (so is the fee choice).
    let mut tx = plan.tx.clone();
    tx.gas = Some(cost.gas_limit);
    if opts.no_wait {
        out.pending = Some(send::submit(client, tx, TxKind::Swap, obs).await?);
        return Ok(out);
    }
    let (a, b) = (&plan.request.asset_in, &plan.request.asset_out);
    let sent = send::send(client, tx, TxKind::Swap, &[a, b], obs).await?;
    let check = crate::aftercheck::check(client, q, &sent).await;
    match &check {
        Ok(c) => obs.on_event(&FlowEvent::TradeChecked(c.clone())),
        Err(e) => tracing::warn!("post-trade check: {e}"),
    }
    out.check = check.ok();
    out.swap = Some(sent);
    Ok(out)
}
