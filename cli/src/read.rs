//! Read-only commands: tokens, pools, balances.

use anyhow::Result;
use clap::Args;
use serde_json::json;
use std::collections::HashMap;

use tidepool_sdk::amount::{format_short, format_units, to_f64};
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::{Address, U256};

use crate::Global;
use crate::context::Ctx;
use crate::output::{self, table};

/// `tidepool balances`.
#[derive(Debug, Args)]
pub struct BalancesArgs {
    /// The account [default: the configured sender].
    pub address: Option<String>,
}

/// `tidepool tokens [import | lists]`.
pub use crate::tokens::TokensCommand;

/// `tidepool tokens …`.
pub async fn tokens_cmd(g: &Global, command: Option<TokensCommand>) -> Result<()> {
    crate::tokens::run(g, command).await
}

/// `tidepool pools`.
#[derive(Debug, Args)]
pub struct PoolsArgs {
    /// Show only the first N pools (in the factory's order).
    #[arg(long)]
    pub limit: Option<usize>,
}

/// `tidepool pools`.
pub async fn pools(g: &Global, args: PoolsArgs) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    let market = ctx.market(g).await?;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    let mut names: HashMap<Address, (String, u8)> = HashMap::new();
    let shown = market
        .state()
        .pairs()
        .iter()
        .take(args.limit.unwrap_or(usize::MAX));
    for p in shown {
        for t in [p.token0, p.token1] {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(t) {
                e.insert(symbol_decimals(&ctx, t).await?);
            }
        }
        let (t0, t1) = (&names[&p.token0], &names[&p.token1]);
        let (r0, r1) = (U256::from(p.reserve0), U256::from(p.reserve1));
        let price = to_f64(r1, t1.1) / to_f64(r0, t0.1).max(f64::MIN_POSITIVE);
        rows.push(vec![
            format!("{}/{}", t0.0, t1.0),
            format_short(r0, t0.1, 4),
            format_short(r1, t1.1, 4),
            format!("{price:.6} {} per {}", t1.0, t0.0),
            p.pair.to_checksum(None),
        ]);
        out.push(json!({
            "pair": p.pair, "token0": p.token0, "token1": p.token1,
            "symbol0": t0.0, "symbol1": t1.0,
            "reserve0": r0.to_string(), "reserve1": r1.to_string(), "price1Per0": price,
        }));
    }
    if ctx.json {
        output::json(&json!(out));
    } else {
        table(&["pool", "reserve0", "reserve1", "price", "pair"], &rows);
    }
    Ok(())
}

/// A token's symbol and decimals, from the manifest or the chain.
pub async fn symbol_decimals(ctx: &Ctx, token: Address) -> Result<(String, u8)> {
    if let Some(t) = ctx.manifest.tokens.iter().find(|t| t.address == token) {
        return Ok((t.symbol.clone(), t.decimals));
    }
    let t = market::token_info(&ctx.client, token).await?;
    Ok((t.symbol, t.decimals))
}

/// The account a read command is about: the argument, else the configured sender.
pub async fn account(g: &Global, ctx: &mut Ctx, arg: Option<&str>) -> Result<Address> {
    match arg {
        Some(a) => a.parse().map_err(|_| {
            anyhow::anyhow!("`{a}` is not a valid address (expected 0x followed by 40 hex digits)")
        }),
        None => Ok(ctx.signer(g).await?.address),
    }
}

/// `tidepool balances`.
pub async fn balances(g: &Global, args: BalancesArgs) -> Result<()> {
    let mut ctx = Ctx::new(g).await?;
    let owner = account(g, &mut ctx, args.address.as_deref()).await?;
    let mut assets = vec![Asset::Eth];
    assets.extend(ctx.manifest.tokens.iter().cloned().map(Asset::Token));
    let mut rows = Vec::new();
    let mut out = serde_json::Map::new();
    for a in &assets {
        let b = market::balance(&ctx.client, a, owner).await?;
        rows.push(vec![a.symbol().to_string(), format_units(b, a.decimals())]);
        out.insert(a.symbol().to_string(), json!(b.to_string()));
    }
    for p in ctx.market(g).await?.positions(&ctx.client, owner).await? {
        let name = format!(
            "LP {}/{}",
            symbol_decimals(&ctx, p.pool.pool.token0).await?.0,
            symbol_decimals(&ctx, p.pool.pool.token1).await?.0
        );
        rows.push(vec![name.clone(), format_units(p.liquidity, 18)]);
        out.insert(name, json!(p.liquidity.to_string()));
    }
    if ctx.json {
        output::json(&json!({ "account": owner, "balances": out }));
    } else {
        println!("account {}", owner.to_checksum(None));
        table(&["asset", "balance"], &rows);
    }
    Ok(())
}
