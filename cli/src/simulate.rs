//! `tidepool simulate`: a moving market on a running devnet — reference
//! prices from a scenario, noise traders and an arbitrageur — one status line
//! per block, a summary at the end.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use tidepool_devnet::sim::{self, Options, Scenario};

use crate::Global;
use crate::context::Ctx;

/// `tidepool simulate` flags.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML): seed, block_time, per-token price processes.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Seed (overrides the scenario's) [default: 1].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Blocks to simulate.
    #[arg(long, default_value_t = 100)]
    pub blocks: u64,
    /// Noise trades per block on average.
    #[arg(long, default_value_t = 2.0)]
    pub trades_per_block: f64,
    /// No arbitrageur.
    #[arg(long)]
    pub no_arbitrage: bool,
}

/// The scenario in `path` (or the devnet's defaults), with `seed` over its own.
pub fn scenario(path: Option<&std::path::Path>, seed: Option<u64>) -> Result<Scenario> {
    let defaults = sim::scenario::devnet_defaults();
    let mut scenario = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Scenario::parse(&text, defaults)
                .with_context(|| format!("{} is not a usable scenario", path.display()))?
        }
        None => Scenario::defaults(defaults),
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    Ok(scenario)
}

/// Runs the simulation on the devnet the settings point at.
pub async fn run(g: &Global, a: SimulateArgs) -> Result<()> {
    let ctx = Ctx::new(g).await?;
    if ctx.client.chain_id != tidepool_sdk::signer::ANVIL_CHAIN_ID {
        anyhow::bail!(
            "tidepool simulate drives a devnet (chain {}), not chain {}: it mines blocks and trades from the dev accounts",
            tidepool_sdk::signer::ANVIL_CHAIN_ID,
            ctx.client.chain_id
        );
    }
    let scenario = scenario(a.scenario.as_deref(), a.seed)?;
    if !(a.trades_per_block.is_finite() && a.trades_per_block >= 0.0) {
        anyhow::bail!(
            "--trades-per-block must be a number ≥ 0, got {}",
            a.trades_per_block
        );
    }
    let opts = Options {
        trades_per_block: a.trades_per_block,
        arbitrage: !a.no_arbitrage,
        ..Options::new(scenario, a.blocks)
    };
    let json = ctx.json;
    let running = sim::run(&ctx.client.url, &ctx.manifest, &opts, |block, prices| {
        if !json {
            let shown: Vec<String> = prices
                .all()
                .filter(|(s, _, _)| matches!(*s, "WETH" | "WBTC" | "TIDE"))
                .map(|(s, p, _)| format!("{s} ${p:.2}"))
                .collect();
            eprintln!(
                "block {}: {} transactions; {}",
                block.number,
                block.txs.len(),
                shown.join(", ")
            );
        }
    });
    let summary = tokio::select! {
        s = running => s?,
        _ = tokio::signal::ctrl_c() => {
            // The run stopped between two calls: give the devnet its automatic mining back.
            use tidepool_sdk::alloy::providers::Provider;
            ctx.client
                .provider
                .raw_request::<_, ()>("evm_setAutomine".into(), (true,))
                .await
                .context("stopped, but could not switch the devnet's automatic mining back on")?;
            eprintln!("\nstopped; the devnet mines automatically again");
            return Ok(());
        }
    };
    let out = json!({
        "blocks": summary.blocks.len(),
        "firstBlock": summary.blocks.first().map(|b| b.number),
        "lastBlock": summary.blocks.last().map(|b| b.number),
        "trades": summary.trades,
        "arbitrages": summary.arbitrages,
        "volumeUsd": summary.volume_usd,
        "seed": opts.scenario.seed,
    });
    if json {
        println!("{out}");
    } else {
        println!(
            "simulated {} blocks: {} noise trades (${:.0}), {} arbitrage trades",
            summary.blocks.len(),
            summary.trades,
            summary.volume_usd,
            summary.arbitrages
        );
    }
    Ok(())
}
