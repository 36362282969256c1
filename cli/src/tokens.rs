//! `tidepool tokens [import SOURCE | lists]`, and the token check every
//! trading command runs (unlisted tokens need `--trust-token` once).

use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use tidepool_flows::tokens::TokenTrust;
use tidepool_sdk::market::Asset;
use tidepool_sdk::tokenlist::Verdict;

use crate::Global;
use crate::context::Ctx;
use crate::output::{self, table};
use crate::swap::parse_address;

/// `tidepool tokens …`.
#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Import a token list (the standard token-list JSON) from a file or an http(s) URL.
    Import {
        /// A file path or URL.
        source: String,
    },
    /// The imported token lists.
    Lists,
}

/// The person's lists and confirmations, with this command's `--trust-token`s recorded.
pub fn trust(g: &Global, ctx: &Ctx) -> Result<TokenTrust> {
    let mut t = TokenTrust::open(&crate::fees::data_dir(g, &ctx.file));
    for a in &g.trust_token {
        t.trust(ctx.manifest.chain_id, parse_address(a, "--trust-token")?)?;
    }
    Ok(t)
}

/// Refuses unlisted, unconfirmed tokens among `assets`.
pub fn check(g: &Global, ctx: &Ctx, assets: &[&Asset]) -> Result<()> {
    let t = trust(g, ctx)?;
    for a in assets {
        t.check(&ctx.manifest, a)?;
    }
    Ok(())
}

/// A verdict in words.
pub fn words(v: &Verdict) -> String {
    match v {
        Verdict::Listed(by) => by.join(", "),
        Verdict::Unlisted {
            look_alike: Some(l),
        } => format!(
            "UNVERIFIED (imitates the listed {} at {})",
            l.symbol, l.address
        ),
        Verdict::Unlisted { look_alike: None } => "UNVERIFIED".into(),
    }
}

/// `tidepool tokens`, `tokens import`, `tokens lists`.
pub async fn run(g: &Global, command: Option<TokensCommand>) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    let mut trust = trust(g, &ctx)?;
    match command {
        Some(TokensCommand::Import { source }) => {
            let list = tidepool_flows::tokens::read_list(&source).await?;
            let on_chain = list
                .tokens
                .iter()
                .filter(|t| t.chain_id == ctx.manifest.chain_id)
                .count();
            let (name, total) = (list.name.clone(), list.tokens.len());
            let path = trust.lists().import(list)?;
            if ctx.json {
                output::json(
                    &json!({"name": name, "tokens": total, "onThisChain": on_chain, "file": path}),
                );
            } else {
                println!(
                    "imported `{name}`: {total} tokens, {on_chain} on chain {} ({})",
                    ctx.manifest.chain_id,
                    path.display()
                );
            }
        }
        Some(TokensCommand::Lists) => {
            let rows: Vec<Vec<String>> = trust
                .lists()
                .lists()
                .iter()
                .map(|l| {
                    vec![
                        l.name.clone(),
                        format!(
                            "{}.{}.{}",
                            l.version.major, l.version.minor, l.version.patch
                        ),
                        l.tokens.len().to_string(),
                        l.timestamp.clone(),
                    ]
                })
                .collect();
            if ctx.json {
                output::json(&json!(rows));
            } else {
                table(&["list", "version", "tokens", "published"], &rows);
            }
        }
        None => {
            let mut rows = Vec::new();
            let mut out = Vec::new();
            for t in &ctx.manifest.tokens {
                let v = words(&trust.verdict(&ctx.manifest, &Asset::Token(t.clone())));
                rows.push(vec![
                    t.symbol.clone(),
                    t.name.clone(),
                    t.decimals.to_string(),
                    t.address.to_checksum(None),
                    v.clone(),
                ]);
                out.push(json!({"symbol": t.symbol, "name": t.name, "decimals": t.decimals, "address": t.address, "lists": v}));
            }
            if ctx.json {
                output::json(&json!(out));
            } else {
                table(
                    &["symbol", "name", "decimals", "address", "listed by"],
                    &rows,
                );
            }
        }
    }
    Ok(())
}
