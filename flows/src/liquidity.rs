//! Liquidity: the deposit flow (balances, approvals, simulation, send) and
//! the withdrawal flow (an EIP-2612 permit or an approval, simulation, send)
//! over plans made with [`tidepool_sdk::liquidity`].

use alloy::primitives::U256;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy;
use tidepool_sdk::liquidity::{self, AddPlan, RemovePlan};
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::trade;
use tidepool_sdk::wallet::WalletFailure;

use crate::ApproveMode;
use crate::error::Result;
use crate::events::{FlowEvent, Observer, TxKind};
use crate::send::{self, Sent};

/// How a liquidity flow may go ahead.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiquidityOptions {
    /// How a short allowance is handled.
    pub approve: ApproveMode,
    /// Check (and simulate where no approval is missing), but send nothing.
    pub dry_run: bool,
}

/// What a liquidity flow did.
#[derive(Debug, Clone, Default)]
pub struct LiquidityOutcome {
    /// The approvals it sent.
    pub approvals: Vec<Sent>,
    /// In a dry run: the approvals that would be sent first (asset, amount).
    pub approvals_needed: Vec<(Asset, U256)>,
    /// Whether the transaction was simulated successfully.
    pub simulated: bool,
    /// The deposit or withdrawal, mined; `None` in a dry run.
    pub sent: Option<Sent>,
}

/// The LP token of a plan's pool, as an asset.
fn lp(pair: alloy::primitives::Address) -> Asset {
    Asset::Token(liquidity::lp_info(pair))
}

/// Obtains the router's allowance for `need` of `asset` (or, in a dry run,
/// records that it is missing).
async fn allowance(
    client: &Client,
    manifest: &Manifest,
    asset: &Asset,
    need: U256,
    opts: &LiquidityOptions,
    out: &mut LiquidityOutcome,
    obs: &dyn Observer,
) -> Result<()> {
    let Asset::Token(t) = asset else {
        return Ok(());
    };
    if opts.dry_run {
        if trade::missing_allowance(client, t.address, manifest.router, need).await? {
            out.approvals_needed.push((asset.clone(), need));
        }
        return Ok(());
    }
    let sent = send::ensure_allowance(client, asset, manifest.router, need, opts.approve, obs);
    out.approvals.extend(sent.await?);
    Ok(())
}

/// Deposits by `plan` from the client's account: checks both balances,
/// approves what is missing as `opts.approve` allows, simulates the deposit,
/// then signs, sends and follows it.
pub async fn add(
    client: &Client,
    manifest: &Manifest,
    plan: &AddPlan,
    opts: &LiquidityOptions,
    obs: &dyn Observer,
) -> Result<LiquidityOutcome> {
    let _guard = (!opts.dry_run)
        .then(|| crate::lock::acquire(client))
        .transpose()?;
    obs.on_event(&FlowEvent::Checking);
    let (a, b) = &plan.assets;
    trade::check_balance(client, a, plan.amounts.0).await?;
    trade::check_balance(client, b, plan.amounts.1).await?;
    let mut out = LiquidityOutcome::default();
    for (asset, amount) in [(a, plan.amounts.0), (b, plan.amounts.1)] {
        allowance(client, manifest, asset, amount, opts, &mut out, obs).await?;
    }
    finish(
        client,
        plan.tx.clone(),
        TxKind::AddLiquidity,
        [a, b],
        plan.pair,
        opts,
        out,
        obs,
    )
    .await
}

/// How a withdrawal may move the LP tokens.
#[derive(Debug, Clone, Copy)]
pub enum Authorization {
    /// An EIP-2612 permit signed as EIP-712 typed data by the client's
    /// account (no approval transaction). A wallet that does not sign typed
    /// data gets an approval instead (as `fallback` allows), reported as
    /// [`FlowEvent::PermitRefused`].
    Permit {
        /// How the approval is obtained if the wallet refuses typed data.
        fallback: ApproveMode,
    },
    /// An approval of the router, obtained as the mode allows.
    Approval(ApproveMode),
}

/// Withdraws by `plan` from the client's account: authorises the router
/// (a permit, or an approval), simulates, then signs, sends and follows it.
pub async fn remove(
    client: &Client,
    manifest: &Manifest,
    plan: &RemovePlan,
    auth: Authorization,
    opts: &LiquidityOptions,
    obs: &dyn Observer,
) -> Result<LiquidityOutcome> {
    let _guard = (!opts.dry_run)
        .then(|| crate::lock::acquire(client))
        .transpose()?;
    obs.on_event(&FlowEvent::Checking);
    let held = market::balance(client, &lp(plan.pair), client.sender()?).await?;
    if held < plan.liquidity {
        let (a, b) = &plan.assets;
        return Err(tidepool_sdk::Error::InsufficientBalance {
            what: format!("{}/{} LP tokens", a.symbol(), b.symbol()),
            have: tidepool_sdk::amount::format_units(held, 18),
            need: tidepool_sdk::amount::format_units(plan.liquidity, 18),
        }
        .into());
    }
    let mut out = LiquidityOutcome::default();
    let tx = match auth {
        Authorization::Permit { fallback } => {
            match liquidity::remove_tx(client, manifest, plan, true).await {
                Err(tidepool_sdk::Error::Wallet {
                    wallet,
                    failure: WalletFailure::TypedDataUnsupported,
                }) => {
                    obs.on_event(&FlowEvent::PermitRefused { wallet });
                    approved_remove_tx(client, manifest, plan, fallback, opts, &mut out, obs)
                        .await?
                }
                other => other?,
            }
        }
        Authorization::Approval(mode) => {
            approved_remove_tx(client, manifest, plan, mode, opts, &mut out, obs).await?
        }
    };
    let (a, b) = &plan.assets;
    finish(
        client,
        tx,
        TxKind::RemoveLiquidity,
        [a, b],
        plan.pair,
        opts,
        out,
        obs,
    )
    .await
}

/// Obtains the router's allowance for the plan's LP tokens as `mode` allows
/// and returns the plain withdrawal call.
async fn approved_remove_tx(
    client: &Client,
    manifest: &Manifest,
    plan: &RemovePlan,
    mode: ApproveMode,
    opts: &LiquidityOptions,
    out: &mut LiquidityOutcome,
    obs: &dyn Observer,
) -> Result<alloy::rpc::types::TransactionRequest> {
    let o = LiquidityOptions {
        approve: mode,
        ..*opts
    };
    allowance(
        client,
        manifest,
        &lp(plan.pair),
        plan.liquidity,
        &o,
        out,
        obs,
    )
    .await?;
    Ok(liquidity::remove_tx(client, manifest, plan, false).await?)
}

/// Simulates `tx` (unless an approval is still missing in a dry run), then
/// sends it unless this is a dry run.
#[allow(clippy::too_many_arguments)]
async fn finish(
    client: &Client,
    tx: alloy::rpc::types::TransactionRequest,
    kind: TxKind,
    assets: [&Asset; 2],
    pair: alloy::primitives::Address,
    opts: &LiquidityOptions,
    mut out: LiquidityOutcome,
    obs: &dyn Observer,
) -> Result<LiquidityOutcome> {
    if !out.approvals_needed.is_empty() {
        return Ok(out);
    }
    deploy::simulate(client, &tx).await?;
    out.simulated = true;
    if opts.dry_run {
        return Ok(out);
    }
    let lp = lp(pair);
    out.sent = Some(send::send(client, tx, kind, &[assets[0], assets[1], &lp], obs).await?);
    Ok(out)
}
