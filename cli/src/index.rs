//! `tidepool index`: run the indexer from the command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use clap::Args;
use tidepool_indexer::config::{Config, FileConfig, parse_address};
use tidepool_indexer::ingest::{Indexer, Progress};
use tidepool_indexer::pricing::PricingConfig;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tracing::info;

use crate::Global;
use crate::config::{DEFAULT_RPC, FileConfig as CliFile};

/// Default database file.
pub const DEFAULT_DB: &str = "tidepool.db";

/// `tidepool index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The factory to index [default: the manifest's].
    #[arg(long, env = "TIDEPOOL_FACTORY")]
    pub factory: Option<String>,
    /// The SQLite file [default: tidepool.db].
    #[arg(long, env = "TIDEPOOL_DB")]
    pub db: Option<PathBuf>,
    /// First block [default: the manifest's deploy block, else 0].
    #[arg(long)]
    pub from_block: Option<u64>,
    /// Index up to this block and exit [default: follow the chain until Ctrl-C].
    #[arg(long)]
    pub to_block: Option<u64>,
    /// Indexer settings file (TOML; keys: rpc, factory, manifest, db, from_block, to_block,
    /// initial_range, max_range, concurrency, poll_interval_ms; pricing: weth, stablecoins,
    /// whitelist, min_eth_liquidity, min_usd_new_pairs).
    #[arg(long, env = "TIDEPOOL_INDEX_CONFIG")]
    pub index_config: Option<PathBuf>,
    /// eth_getLogs requests in flight during backfill [default: 4].
    #[arg(long)]
    pub concurrency: Option<usize>,
}

/// Runs the indexer until done (with --to-block) or Ctrl-C.
pub async fn run(g: &Global, a: IndexArgs) -> Result<()> {
    let file = match &a.index_config {
        Some(p) => FileConfig::load(p)?,
        None => FileConfig::default(),
    };
    let cli_file = CliFile::load(g.config.as_deref())?;
    let rpc = g
        .rpc
        .clone()
        .or(file.rpc.clone())
        .or(cli_file.rpc.clone())
        .unwrap_or_else(|| DEFAULT_RPC.into());
    let (factory, manifest_from) = match a.factory.clone().or(file.factory.clone()) {
        Some(f) => (parse_address(&f, "--factory")?, None),
        None => {
            let path = match g
                .manifest
                .clone()
                .or(file.manifest.clone())
                .or(cli_file.manifest.clone())
            {
                Some(p) => p,
                None => {
                    let c = Client::connect(&rpc).await?;
                    Manifest::default_path(&PathBuf::from("."), c.chain_id)
                }
            };
            let m = Manifest::load(&path)
                .context("no --factory given, so the factory comes from the deployment manifest")?;
            (
                m.factory,
                Some((m.deploy_block, PricingConfig::from_manifest(&m))),
            )
        }
    };
    let (manifest_from, manifest_pricing) = match manifest_from {
        Some((block, pricing)) => (Some(block), Some(pricing)),
        None => (None, None),
    };
    let db =
        a.db.or(file.db.clone())
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DB));
    let mut cfg = Config::new(rpc, factory, db.clone());
    cfg.from_block = a
        .from_block
        .or(file.from_block)
        .or(manifest_from)
        .unwrap_or(0);
    cfg.to_block = a.to_block.or(file.to_block);
    cfg.pricing = file.pricing(manifest_pricing)?;
    if let Some(c) = a.concurrency.or(file.concurrency) {
        cfg.concurrency = c.clamp(1, 64);
    }
    if let Some(r) = file.initial_range {
        cfg.initial_range = r.max(1);
    }
    if let Some(r) = file.max_range {
        cfg.max_range = r.max(1);
    }
    if let Some(ms) = file.poll_interval_ms {
        cfg.poll_interval = Duration::from_millis(ms.max(1));
    }
    if let Some(t) = cfg.to_block
        && t < cfg.from_block
    {
        anyhow::bail!("--to-block {t} is below --from-block {}", cfg.from_block);
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut indexer = Indexer::open(cfg, stop_rx).await?;
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nstopping after the current batch…");
            let _ = stop_tx.send(true);
        }
    });
    let tty = std::io::stderr().is_terminal() && !g.json;
    let mut last_log = Instant::now();
    let summary = indexer
        .run(|p: &Progress| {
            if tty {
                eprint!("\r{}", line(p));
                let _ = std::io::stderr().flush();
            } else if last_log.elapsed() > Duration::from_secs(5) {
                last_log = Instant::now();
                info!(
                    checkpoint = p.checkpoint,
                    target = p.target,
                    events = p.events,
                    "indexing"
                );
            }
        })
        .await?;
    if tty {
        eprintln!();
    }
    if g.json {
        println!(
            "{}",
            serde_json::json!({"db": db, "checkpoint": summary.checkpoint, "events": summary.events, "reorgs": summary.reorgs, "resets": summary.resets})
        );
    } else {
        println!(
            "indexed to block {} into {} ({} events this run, {} reorgs, {} chain resets)",
            summary
                .checkpoint
                .map_or("-".to_string(), |c| c.to_string()),
            db.display(),
            summary.events,
            summary.reorgs,
            summary.resets
        );
    }
    Ok(())
}

/// One progress line: blocks, events, rate, ETA.
fn line(p: &Progress) -> String {
    if p.following {
        return format!(
            "following the chain at block {} ({} events)            ",
            p.checkpoint, p.events
        );
    }
    let total = p.target.saturating_sub(p.start) + 1;
    let done = p.checkpoint.saturating_sub(p.start) + 1;
    let rate = p.events as f64 / p.elapsed.max(1e-3);
    let blocks_rate = done as f64 / p.elapsed.max(1e-3);
    let eta = (total.saturating_sub(done)) as f64 / blocks_rate.max(1e-9);
    format!(
        "block {}/{} ({:.0}%)  {} events  {:.0} events/s  ETA {:.0} s   ",
        p.checkpoint,
        p.target,
        100.0 * done as f64 / total.max(1) as f64,
        p.events,
        rate,
        eta
    )
}
