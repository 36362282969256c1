//! Read-only commands: tokens, pools, balances.

use anyhow::Result;
use clap::Args;
use serde_json::json;
use tidepool_sdk::Address;
use tidepool_sdk::amount::{format_short, format_units, to_f64};
use tidepool_sdk::liquidity::lp_info;
use tidepool_sdk::market::{self, Asset};

use crate::Global;
use crate::context::Ctx;
use crate::output::{self, table};

/// `tidepool balances`.
#[derive(Debug, Args)]
pub struct BalancesArgs {
    /// The account [default: the configured sender].
    pub address: Option<String>,
}

/// `tidepool tokens`.
pub async fn tokens(g: &Global) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    if ctx.json {
        output::json(&serde_json::to_value(&ctx.manifest.tokens)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = ctx
        .manifest
        .tokens
        .iter()
        .map(|t| {
            vec![
                t.symbol.clone(),
                t.name.clone(),
                t.decimals.to_string(),
                t.address.to_checksum(None),
            ]
        })
        .collect();
    table(&["symbol", "name", "decimals", "address"], &rows);
    Ok(())
}

/// `tidepool pools`.
pub async fn pools(g: &Global) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    let pools = market::pools(&ctx.client, ctx.manifest.factory).await?;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for p in &pools {
        let t0 = symbol_decimals(&ctx, p.pool.token0).await?;
        let t1 = symbol_decimals(&ctx, p.pool.token1).await?;
        let price =
            to_f64(p.pool.reserve1, t1.1) / to_f64(p.pool.reserve0, t0.1).max(f64::MIN_POSITIVE);
        rows.push(vec![
            format!("{}/{}", t0.0, t1.0),
            format_short(p.pool.reserve0, t0.1, 4),
            format_short(p.pool.reserve1, t1.1, 4),
            format!("{price:.6} {} per {}", t1.0, t0.0),
            p.pool.pair.to_checksum(None),
        ]);
        out.push(json!({
            "pair": p.pool.pair, "token0": p.pool.token0, "token1": p.pool.token1,
            "symbol0": t0.0, "symbol1": t1.0,
            "reserve0": p.pool.reserve0.to_string(), "reserve1": p.pool.reserve1.to_string(),
            "totalSupply": p.total_supply.to_string(), "price1Per0": price,
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
    for p in market::pools(&ctx.client, ctx.manifest.factory).await? {
        let lp = market::balance(&ctx.client, &Asset::Token(lp_info(p.pool.pair)), owner).await?;
        if !lp.is_zero() {
            let name = format!(
                "LP {}/{}",
                symbol_decimals(&ctx, p.pool.token0).await?.0,
                symbol_decimals(&ctx, p.pool.token1).await?.0
            );
            rows.push(vec![name.clone(), format_units(lp, 18)]);
            out.insert(name, json!(lp.to_string()));
        }
    }
    if ctx.json {
        output::json(&json!({ "account": owner, "balances": out }));
    } else {
        println!("account {}", owner.to_checksum(None));
        table(&["asset", "balance"], &rows);
    }
    Ok(())
}
