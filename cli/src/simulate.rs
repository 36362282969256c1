//! `tidepool simulate`: a moving market on a running devnet — reference
//! prices from a scenario, noise traders, an arbitrageur, liquidity
//! providers, optionally a sandwich bot and reorgs — with a status line per
//! block and a summary at the end. The agents' flags are shared with
//! `tidepool devnet --simulate`.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use tidepool_devnet::sim::{self, Depth, Options, Reorgs, Scenario, Status, Summary};

use crate::Global;
use crate::context::Ctx;

/// The agents' flags (`tidepool simulate` and `tidepool devnet --simulate`).
#[derive(Debug, Clone, Args)]
pub struct AgentFlags {
    /// Scenario file (TOML): seed, block_time, per-token price processes.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Seed (overrides the scenario's) [default: 1].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Noise trades per block on average.
    #[arg(long, default_value_t = 2.0)]
    pub trades_per_block: f64,
    /// No arbitrageur.
    #[arg(long)]
    pub no_arbitrage: bool,
    /// No liquidity providers.
    #[arg(long)]
    pub no_liquidity: bool,
    /// Run the sandwich bot: it front- and back-runs other people's pending
    /// one-hop swaps when their slippage bound leaves it a profit.
    #[arg(long)]
    pub sandwich: bool,
    /// Replace the latest blocks every N simulated blocks.
    #[arg(long, value_name = "N")]
    pub reorg_every: Option<u64>,
    /// Blocks each reorg replaces: D, or a range MIN-MAX drawn from the seed.
    #[arg(long, value_name = "D", default_value = "1")]
    pub reorg_depth: Depth,
}

impl AgentFlags {
    /// The simulation's options for `blocks` blocks, or what is wrong.
    pub fn options(&self, blocks: u64) -> Result<Options> {
        let scenario = scenario(self.scenario.as_deref(), self.seed)?;
        if !(self.trades_per_block.is_finite() && self.trades_per_block >= 0.0) {
            anyhow::bail!(
                "--trades-per-block must be a number ≥ 0, got {}",
                self.trades_per_block
            );
        }
        let reorgs = match self.reorg_every {
            Some(0) => anyhow::bail!("--reorg-every must be at least 1 block"),
            Some(every) => Some(Reorgs {
                every,
                min_depth: self.reorg_depth.0,
                max_depth: self.reorg_depth.1,
            }),
            None => None,
        };
        Ok(Options {
            trades_per_block: self.trades_per_block,
            arbitrage: !self.no_arbitrage,
            providers: !self.no_liquidity,
            sandwich: self.sandwich,
            reorgs,
            ..Options::new(scenario, blocks)
        })
    }
}

/// How fast simulated blocks come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// As fast as the node mines.
    Fast,
    /// `x` times the scenario's block time (1: real time).
    Times(f64),
}

impl FromStr for Pace {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a pace: give `fast`, `real`, or a factor like `10x`");
        match s {
            "fast" => Ok(Pace::Fast),
            "real" => Ok(Pace::Times(1.0)),
            _ => {
                let x: f64 = s
                    .strip_suffix('x')
                    .ok_or_else(bad)?
                    .parse()
                    .map_err(|_| bad())?;
                if x.is_finite() && x > 0.0 {
                    Ok(Pace::Times(x))
                } else {
                    Err(bad())
                }
            }
        }
    }
}

/// `tidepool simulate` flags.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The agents.
    #[command(flatten)]
    pub agents: AgentFlags,
    /// Blocks to simulate (a reorg's replacement blocks are not counted).
    #[arg(long, default_value_t = 100)]
    pub blocks: u64,
    /// Seconds between simulated blocks' timestamps (overrides the scenario's).
    #[arg(long)]
    pub block_time: Option<u64>,
    /// `fast` (as fast as the devnet mines), `real` (one block per block
    /// time of wall clock), or `Nx` (N times faster than real). Named
    /// `--pace` because `--speed` is the global fee speed.
    #[arg(long, default_value = "fast")]
    pub pace: Pace,
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

/// One status line: the block, what the run did so far, each pool's gap.
pub fn status_line(s: &Status) -> String {
    let sum = s.summary;
    let gaps: Vec<String> = s
        .gaps
        .iter()
        .map(|(pool, g)| format!("{pool} {:+.2}%", g * 100.0))
        .collect();
    let reorg = s
        .reorged
        .map(|d| format!(" · reorg of {d}"))
        .unwrap_or_default();
    format!(
        "block {} · {} txs{reorg} · {} trades ${:.0} · {} arbs · LP +{}/-{} · {} sandwiches · {}",
        s.block.number,
        s.block.txs.len(),
        sum.trades,
        sum.volume_usd,
        sum.arbitrages,
        sum.liquidity.adds,
        sum.liquidity.removes,
        sum.sandwiches,
        gaps.join(" ")
    )
}

/// The summary as JSON.
pub fn summary_json(s: &Summary, seed: u64) -> serde_json::Value {
    json!({
        "seed": seed,
        "blocks": s.blocks.len(),
        "mined": s.mined,
        "firstBlock": s.blocks.first().map(|b| b.number),
        "lastBlock": s.blocks.last().map(|b| b.number),
        "transactions": s.transactions,
        "trades": s.trades,
        "volumeUsd": s.volume_usd,
        "arbitrages": s.arbitrages,
        "liquidityAdds": s.liquidity.adds,
        "liquidityRemoves": s.liquidity.removes,
        "sandwiches": s.sandwiches,
        "sandwichProfitUsd": s.sandwich_profit_usd,
        "reorgs": s.reorgs.reorgs,
        "reorgedBlocks": s.reorgs.blocks,
        "reincludedTxs": s.reorgs.reincluded,
        "droppedTxs": s.reorgs.dropped,
    })
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
    let mut opts = a.agents.options(a.blocks)?;
    if let Some(t) = a.block_time {
        if t == 0 {
            anyhow::bail!("--block-time must be at least 1 second");
        }
        opts.scenario.block_time = t;
    }
    opts.pace = match a.pace {
        Pace::Fast => None,
        Pace::Times(x) => Some(Duration::from_secs_f64(opts.scenario.block_time as f64 / x)),
    };
    let (json, tty) = (ctx.json, std::io::stderr().is_terminal());
    let running = sim::run(&ctx.client.url, &ctx.manifest, &opts, |s| {
        if json {
            return;
        }
        let line = status_line(s);
        if tty {
            eprint!("\r\x1b[K{line}");
            let _ = std::io::stderr().flush();
        } else {
            eprintln!("{line}");
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
    if tty && !json {
        eprintln!();
    }
    if json {
        println!("{}", summary_json(&summary, opts.scenario.seed));
    } else {
        println!(
            "simulated {} blocks ({} mined): {} noise trades (${:.0}), {} arbitrages, liquidity +{}/-{}, {} sandwiches (${:.2}), {} reorgs ({} blocks; {} transactions re-included, {} dropped)",
            a.blocks,
            summary.mined,
            summary.trades,
            summary.volume_usd,
            summary.arbitrages,
            summary.liquidity.adds,
            summary.liquidity.removes,
            summary.sandwiches,
            summary.sandwich_profit_usd,
            summary.reorgs.reorgs,
            summary.reorgs.blocks,
            summary.reorgs.reincluded,
            summary.reorgs.dropped,
        );
    }
    Ok(())
}
