//! `tidepool liquidity add | remove | positions`.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;
use tidepool_flows::ApproveMode;
use tidepool_flows::liquidity::{self as flow, Authorization, LiquidityOptions};
use tidepool_sdk::U256;
use tidepool_sdk::amount::{format_units, parse_units};
use tidepool_sdk::liquidity::{self, AddPlan};
use tidepool_sdk::market::{self, Asset};

use crate::Global;
use crate::config::{parse_deadline, parse_slippage};
use crate::context::Ctx;
use crate::output::{self, pct, table};
use crate::progress::Printer;
use crate::read::{account, symbol_decimals};

/// Liquidity commands.
#[derive(Debug, Subcommand)]
pub enum LiquidityCommand {
    /// Deposit two tokens (ETH allowed) into their pool; creates the pool if needed.
    Add(AddArgs),
    /// Withdraw from a pool by percentage or LP amount.
    Remove(RemoveArgs),
    /// Pools in which an account holds LP tokens.
    Positions {
        /// The account [default: the configured sender].
        address: Option<String>,
    },
}

/// Slippage, deadline, dry run.
#[derive(Debug, Args)]
pub struct TxOpts {
    /// Allowed slippage in percent [default: 0.5].
    #[arg(long, value_parser = parse_slippage)]
    pub slippage: Option<f64>,
    /// Deadline from now: seconds, or 90s / 20m / 1h [default: 20m].
    #[arg(long, value_parser = parse_deadline)]
    pub deadline: Option<u64>,
    /// Plan and simulate, but send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `liquidity add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// First token (ETH, a symbol or an address).
    pub token_a: String,
    /// Second token.
    pub token_b: String,
    /// Whole tokens of the first token to deposit.
    pub amount_a: String,
    /// Most of the second token to deposit [default: by the pool's ratio; required for a new pool].
    pub amount_b: Option<String>,
    #[command(flatten)]
    pub opts: TxOpts,
}

/// `liquidity remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// First token.
    pub token_a: String,
    /// Second token.
    pub token_b: String,
    /// Percentage of your LP tokens to withdraw (0–100].
    #[arg(long, conflicts_with = "lp", value_parser = parse_percent)]
    pub percent: Option<f64>,
    /// LP tokens to burn, in whole LP tokens (18 decimals).
    #[arg(long)]
    pub lp: Option<String>,
    /// Approve the router for the LP tokens instead of signing an EIP-2612 permit.
    #[arg(long)]
    pub no_permit: bool,
    #[command(flatten)]
    pub opts: TxOpts,
}

/// Runs a liquidity command.
pub async fn run(g: &Global, cmd: LiquidityCommand) -> Result<()> {
    match cmd {
        LiquidityCommand::Add(a) => add(g, a).await,
        LiquidityCommand::Remove(a) => remove(g, a).await,
        LiquidityCommand::Positions { address } => positions(g, address).await,
    }
}

async fn add(g: &Global, a: AddArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    ctx.signer(g).await?;
    let c = ctx.client.clone();
    let asset_a = market::resolve_asset(&c, &ctx.manifest, &a.token_a).await?;
    let asset_b = market::resolve_asset(&c, &ctx.manifest, &a.token_b).await?;
    crate::tokens::check(g, &ctx, &[&asset_a, &asset_b])?;
    let amount_a = parse_units(&a.amount_a, asset_a.decimals(), asset_a.symbol())?;
    let amount_b = a
        .amount_b
        .as_deref()
        .map(|s| parse_units(s, asset_b.decimals(), asset_b.symbol()))
        .transpose()?;
    let slippage = ctx.slippage_bps(a.opts.slippage)?;
    let deadline = ctx.deadline(a.opts.deadline);
    let plan = liquidity::plan_add(
        &c,
        &ctx.manifest,
        asset_a,
        asset_b,
        amount_a,
        amount_b,
        slippage,
        deadline,
    )
    .await?;
    if !ctx.json {
        print_add(&plan);
    }
    let opts = LiquidityOptions {
        approve: ApproveMode::Exact,
        dry_run: a.opts.dry_run,
    };
    let out = flow::add(&c, &ctx.manifest, &plan, &opts, &Printer::new(ctx.json)).await?;
    let Some(sent) = out.sent else {
        let approvals: Vec<&str> = out
            .approvals_needed
            .iter()
            .map(|(a, _)| a.symbol())
            .collect();
        if ctx.json {
            output::json(
                &json!({"dryRun": true, "pair": plan.pair, "amounts": [plan.amounts.0.to_string(), plan.amounts.1.to_string()], "liquidity": plan.liquidity.to_string(), "approvalsNeeded": approvals, "simulated": out.simulated}),
            );
        } else {
            if !approvals.is_empty() {
                println!("approval  needed first for {}", approvals.join(", "));
            }
            println!("dry run   nothing was sent");
        }
        return Ok(());
    };
    if ctx.json {
        output::json(
            &json!({"pair": plan.pair, "created": !plan.exists, "amounts": [plan.amounts.0.to_string(), plan.amounts.1.to_string()], "expectedLiquidity": plan.liquidity.to_string(), "tx": sent.hash, "block": sent.block}),
        );
    } else {
        println!("sent      tx {} in block {}", sent.hash, sent.block);
    }
    Ok(())
}

fn print_add(p: &AddPlan) {
    let (a, b) = &p.assets;
    println!(
        "pool      {}/{} {}{}",
        a.symbol(),
        b.symbol(),
        p.pair.to_checksum(None),
        if p.exists {
            ""
        } else {
            " (new: this deposit sets its price)"
        }
    );
    print_pair("deposit", p.amounts, (a, b));
    print_pair("minimum", p.mins, (a, b));
    println!(
        "receive   {} LP tokens ({} of the pool)",
        format_units(p.liquidity, 18),
        pct(p.share_after)
    );
}

/// One line with an amount of each asset: `label  1.5 USDC + 2 DAI`.
fn print_pair(label: &str, amounts: (U256, U256), assets: (&Asset, &Asset)) {
    println!(
        "{label:<9} {} {} + {} {}",
        format_units(amounts.0, assets.0.decimals()),
        assets.0.symbol(),
        format_units(amounts.1, assets.1.decimals()),
        assets.1.symbol()
    );
}

async fn remove(g: &Global, a: RemoveArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    ctx.signer(g).await?;
    let c = ctx.client.clone();
    let asset_a = market::resolve_asset(&c, &ctx.manifest, &a.token_a).await?;
    let asset_b = market::resolve_asset(&c, &ctx.manifest, &a.token_b).await?;
    let lp =
        a.lp.as_deref()
            .map(|s| parse_units(s, 18, "LP tokens"))
            .transpose()?;
    let slippage = ctx.slippage_bps(a.opts.slippage)?;
    let deadline = ctx.deadline(a.opts.deadline);
    let plan = liquidity::plan_remove(
        &c,
        &ctx.manifest,
        asset_a,
        asset_b,
        lp,
        a.percent,
        slippage,
        deadline,
    )
    .await?;
    let (x, y) = &plan.assets;
    if !ctx.json {
        println!(
            "burn      {} LP tokens of {}/{}",
            format_units(plan.liquidity, 18),
            x.symbol(),
            y.symbol()
        );
        print_pair("receive", plan.amounts, (x, y));
        print_pair("minimum", plan.mins, (x, y));
    }
    let auth = if a.no_permit {
        Authorization::Approval(ApproveMode::Exact)
    } else {
        Authorization::Permit {
            fallback: ApproveMode::Exact,
        }
    };
    let opts = LiquidityOptions {
        approve: ApproveMode::Exact,
        dry_run: a.opts.dry_run,
    };
    let printer = Printer::new(ctx.json);
    let out = flow::remove(&c, &ctx.manifest, &plan, auth, &opts, &printer).await?;
    let Some(sent) = out.sent else {
        if ctx.json {
            output::json(
                &json!({"dryRun": true, "pair": plan.pair, "liquidity": plan.liquidity.to_string(), "amounts": [plan.amounts.0.to_string(), plan.amounts.1.to_string()], "simulated": out.simulated}),
            );
        } else {
            if !out.approvals_needed.is_empty() {
                println!("approval  needed first for the LP tokens");
            }
            println!("dry run   nothing was sent");
        }
        return Ok(());
    };
    if ctx.json {
        output::json(
            &json!({"pair": plan.pair, "liquidity": plan.liquidity.to_string(), "expected": [plan.amounts.0.to_string(), plan.amounts.1.to_string()], "tx": sent.hash, "block": sent.block}),
        );
    } else {
        println!("sent      tx {} in block {}", sent.hash, sent.block);
    }
    Ok(())
}

async fn positions(g: &Global, address: Option<String>) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    let owner = account(g, &mut ctx, address.as_deref()).await?;
    let list = ctx.market(g).await?.positions(&ctx.client, owner).await?;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for p in &list {
        let (s0, d0) = symbol_decimals(&ctx, p.pool.pool.token0).await?;
        let (s1, d1) = symbol_decimals(&ctx, p.pool.pool.token1).await?;
        rows.push(vec![
            format!("{s0}/{s1}"),
            format_units(p.liquidity, 18),
            pct(p.share),
            format!("{} {s0}", format_units(p.amounts.0, d0)),
            format!("{} {s1}", format_units(p.amounts.1, d1)),
        ]);
        out.push(json!({"pair": p.pool.pool.pair, "symbol0": s0, "symbol1": s1, "liquidity": p.liquidity.to_string(), "share": p.share, "amount0": p.amounts.0.to_string(), "amount1": p.amounts.1.to_string()}));
    }
    if ctx.json {
        output::json(&json!({"account": owner, "positions": out}));
    } else if rows.is_empty() {
        println!("{} holds no LP tokens", owner.to_checksum(None));
    } else {
        table(
            &["pool", "LP tokens", "share", "underlying 0", "underlying 1"],
            &rows,
        );
    }
    Ok(())
}

/// Parses `--percent`: above 0 and at most 100.
fn parse_percent(s: &str) -> Result<f64, String> {
    let pct: f64 = s
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a percentage: write e.g. 50"))?;
    if !(pct > 0.0 && pct <= 100.0) {
        return Err(format!(
            "--percent must be above 0 and at most 100, not {pct}"
        ));
    }
    Ok(pct)
}
