//! `tidepool tx list|status|speed-up|cancel`: the transactions Tidepool
//! sent, as the transaction store and the chain say they stand.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;
use tidepool_flows::replace::{self, ReplaceOutcome};
use tidepool_flows::tracker::{Replacement, TxRecord};
use tidepool_sdk::alloy::primitives::TxHash;
use tidepool_sdk::txwatch::TxState;

use crate::Global;
use crate::context::Ctx;
use crate::fees::{eth, per_gas, store};
use crate::output;
use crate::progress::Printer;
use crate::swap::parse_address;

/// `tidepool tx …`.
#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Every transaction Tidepool sent on this chain, newest first (pending ones looked at again).
    List {
        /// Only this account's [default: every account's].
        #[arg(long)]
        account: Option<String>,
    },
    /// Where one transaction stands now.
    Status(HashArg),
    /// Replace a pending transaction by the same one with higher fees.
    SpeedUp(ReplaceArgs),
    /// Replace a pending transaction by a 0-ETH transfer to yourself with higher fees.
    Cancel(ReplaceArgs),
}

/// A transaction hash.
#[derive(Debug, Args)]
pub struct HashArg {
    /// The transaction's hash (0x + 64 hex digits).
    pub hash: String,
}

/// A speed-up or cancellation.
#[derive(Debug, Args)]
pub struct ReplaceArgs {
    #[command(flatten)]
    hash: HashArg,
    /// Print the replacement's hash and return without waiting for it to be mined.
    #[arg(long)]
    no_wait: bool,
}

fn parse_hash(s: &str) -> Result<TxHash> {
    s.trim().parse().map_err(|_| {
        anyhow::anyhow!("`{s}` is not a transaction hash (expected 0x followed by 64 hex digits)")
    })
}

/// Runs a `tx` subcommand.
pub async fn run(g: &Global, cmd: TxCommand) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    let store = store(g, &ctx.file)?;
    match cmd {
        TxCommand::List { account } => {
            let account = account
                .as_deref()
                .map(|a| parse_address(a, "--account"))
                .transpose()?;
            let client = ctx.client.clone().with_journal(store.clone());
            store.refresh(&client).await?;
            let rows = store.list(client.chain_id, account);
            if ctx.json {
                output::json(&json!(rows));
            } else if rows.is_empty() {
                println!(
                    "no transactions sent from Tidepool on chain {}",
                    client.chain_id
                );
            } else {
                let table: Vec<Vec<String>> = rows.iter().map(row).collect();
                output::table(&["hash", "kind", "state", "from", "nonce", "fees"], &table);
            }
        }
        TxCommand::Status(h) => {
            let hash = parse_hash(&h.hash)?;
            let client = ctx.client.clone().with_journal(store.clone());
            let r = store.status(&client, hash).await?;
            if ctx.json {
                output::json(&json!(r));
            } else {
                print_record(&r);
            }
        }
        TxCommand::SpeedUp(a) => replace_cmd(g, &mut ctx, a, Replacement::SpeedUp).await?,
        TxCommand::Cancel(a) => replace_cmd(g, &mut ctx, a, Replacement::Cancel).await?,
    }
    Ok(())
}

async fn replace_cmd(g: &Global, ctx: &mut Ctx, a: ReplaceArgs, how: Replacement) -> Result<()> {
    let hash = parse_hash(&a.hash.hash)?;
    ctx.signer(g).await?;
    let out = replace::replace(&ctx.client, hash, how, !a.no_wait, &Printer::new(ctx.json)).await?;
    if ctx.json {
        output::json(&json!(out));
        return Ok(());
    }
    print_replacement(&out, how);
    Ok(())
}

fn print_replacement(out: &ReplaceOutcome, how: Replacement) {
    let what = match how {
        Replacement::SpeedUp => "sped up",
        Replacement::Cancel => "cancelled",
    };
    let r = &out.replacement;
    println!(
        "{what:<9} {} with {} (nonce {}, {})",
        out.original,
        r.hash,
        r.nonce.map_or("?".into(), |n| n.to_string()),
        r.fees.as_ref().map(per_gas).unwrap_or_default()
    );
    match &out.state {
        None => println!("sent      not waited for: `tidepool tx status {}`", r.hash),
        Some(TxState::Mined {
            block,
            success,
            fee_paid,
            ..
        }) => println!(
            "mined     {} in block {block}{} (fee {}); {} is replaced",
            r.hash,
            if *success { "" } else { ", reverted" },
            eth(*fee_paid),
            out.original
        ),
        Some(TxState::Replaced { by }) => println!(
            "too late  {} was mined first{}; the replacement was not",
            out.original,
            by.map(|b| format!(" ({b})")).unwrap_or_default()
        ),
        Some(other) => println!("state     {}", state_text(other)),
    }
}

/// A state in a few words.
pub fn state_text(s: &TxState) -> String {
    match s {
        TxState::Pending => "pending".into(),
        TxState::Mined {
            block,
            success: true,
            ..
        } => format!("mined in block {block}"),
        TxState::Mined { block, .. } => format!("reverted in block {block}"),
        TxState::Replaced { by: Some(b) } => format!("replaced by {b}"),
        TxState::Replaced { by: None } => "replaced (same nonce mined)".into(),
        TxState::Dropped => "dropped by the node".into(),
    }
}

fn kind_text(r: &TxRecord) -> String {
    let k = r
        .kind
        .map(|k| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        })
        .unwrap_or_default()
        .unwrap_or_else(|| "?".into());
    match r.replaces {
        Some(_) if k != "cancel" => format!("{k} (speed-up)"),
        _ => k,
    }
}

fn row(r: &TxRecord) -> Vec<String> {
    vec![
        r.sent.hash.to_string(),
        kind_text(r),
        state_text(&r.state),
        r.sent.from.to_string(),
        r.sent.nonce.map_or("?".into(), |n| n.to_string()),
        r.sent.fees.as_ref().map(per_gas).unwrap_or_default(),
    ]
}

fn print_record(r: &TxRecord) {
    println!("hash      {}", r.sent.hash);
    println!("what      {}", kind_text(r));
    println!("state     {}", state_text(&r.state));
    if let TxState::Mined {
        fee_paid, gas_used, ..
    } = &r.state
    {
        println!("fee paid  {} (gas {gas_used})", eth(*fee_paid));
    }
    println!("from      {}", r.sent.from);
    if let Some(n) = r.sent.nonce {
        println!("nonce     {n}");
    }
    if let Some(f) = &r.sent.fees {
        println!("fees      {} (limit {} gas)", per_gas(f), r.sent.gas_limit);
    }
    if let Some(h) = r.replaces {
        println!("replaces  {h}");
    }
}
