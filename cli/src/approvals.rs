//! `tidepool approvals [ADDR]` and `tidepool approvals revoke TOKEN`.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;
use tidepool_flows::approvals::{self, Allowance};
use tidepool_sdk::amount::format_units;
use tidepool_sdk::market;

use crate::Global;
use crate::context::Ctx;
use crate::output;
use crate::progress::Printer;
use crate::swap::parse_address;

/// `tidepool approvals`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ApprovalsArgs {
    #[command(subcommand)]
    command: Option<ApprovalsCommand>,
    /// The account [default: the one you send from].
    account: Option<String>,
    /// Look at Approval logs from this block on [default: 0].
    #[arg(long, default_value_t = 0)]
    from_block: u64,
}

#[derive(Debug, Subcommand)]
enum ApprovalsCommand {
    /// Set an allowance of yours to 0.
    Revoke {
        /// The token: a symbol from the manifest or an address.
        token: String,
        /// The spender [default: the router].
        #[arg(long)]
        spender: Option<String>,
    },
}

/// Runs `tidepool approvals`.
pub async fn run(g: &Global, a: ApprovalsArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    match a.command {
        Some(ApprovalsCommand::Revoke { token, spender }) => {
            ctx.signer(g).await?;
            let market::Asset::Token(t) =
                market::resolve_asset(&ctx.client, &ctx.manifest, &token).await?
            else {
                anyhow::bail!("ETH has no allowances: name a token");
            };
            let spender = match spender {
                Some(s) => parse_address(&s, "--spender")?,
                None => ctx.manifest.router,
            };
            let sent = approvals::revoke(&ctx.client, &t, spender, &Printer::new(ctx.json)).await?;
            if ctx.json {
                output::json(
                    &json!({"token": t.address, "spender": spender, "tx": sent.hash, "block": sent.block}),
                );
            } else {
                println!(
                    "revoked   {} for {spender} (tx {} in block {})",
                    t.symbol, sent.hash, sent.block
                );
            }
        }
        None => {
            let owner = match &a.account {
                Some(s) => parse_address(s, "the account")?,
                None => ctx.signer(g).await?.address,
            };
            let list = approvals::list(&ctx.client, &ctx.manifest, owner, a.from_block).await?;
            if ctx.json {
                output::json(&json!(list.iter().map(as_json).collect::<Vec<_>>()));
            } else if list.is_empty() {
                println!("{owner} has no allowances left");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|x| {
                        vec![
                            x.token.symbol.clone(),
                            x.token.address.to_string(),
                            match &x.spender_name {
                                Some(n) => format!("{} ({n})", x.spender),
                                None => x.spender.to_string(),
                            },
                            amount_text(x),
                        ]
                    })
                    .collect();
                output::table(&["token", "address", "spender", "allowance"], &rows);
            }
        }
    }
    Ok(())
}

fn amount_text(x: &Allowance) -> String {
    if x.unlimited {
        "unlimited".into()
    } else {
        format!(
            "{} {}",
            format_units(x.amount, x.token.decimals),
            x.token.symbol
        )
    }
}

fn as_json(x: &Allowance) -> serde_json::Value {
    json!({
        "token": x.token.address, "symbol": x.token.symbol, "decimals": x.token.decimals,
        "spender": x.spender, "spenderName": x.spender_name,
        "amount": x.amount.to_string(), "unlimited": x.unlimited,
    })
}
