//! `tidepool index`: run the indexer from the command line.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use clap::Args;
use tidepool_indexer::config::{Config, FileConfig, SourceFile, parse_address};
use tidepool_indexer::db::Location;
use tidepool_indexer::ingest::Progress;
use tidepool_indexer::pricing::PricingConfig;
use tidepool_indexer::sources;
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
    /// The store: a SQLite file, or a PostgreSQL database as
    /// postgres://user:password@host:port/database [default: tidepool.db].
    #[arg(long, env = "TIDEPOOL_DB")]
    pub db: Option<Location>,
    /// First block [default: the manifest's deploy block, else 0].
    #[arg(long)]
    pub from_block: Option<u64>,
    /// Index up to this block and exit [default: follow the chain until Ctrl-C].
    #[arg(long)]
    pub to_block: Option<u64>,
    /// Indexer settings file (TOML; keys: rpc, factory, manifest, db, from_block, to_block,
    /// initial_range, max_range, concurrency, poll_interval_ms; pricing: weth, stablecoins,
    /// whitelist, min_eth_liquidity, min_usd_new_pairs; several chains into one store:
    /// [[sources]] tables, each with its own rpc, factory or manifest, blocks and pricing).
    #[arg(long, env = "TIDEPOOL_INDEX_CONFIG")]
    pub index_config: Option<PathBuf>,
    /// eth_getLogs requests in flight during backfill [default: 4].
    #[arg(long)]
    pub concurrency: Option<usize>,
}

/// One source's settings: the file's (or its `[[sources]]` table's) keys
/// under the flags, which apply while the file lists a single source.
async fn source_config(
    g: &Global,
    a: &IndexArgs,
    cli_file: &CliFile,
    file: &FileConfig,
    src: &SourceFile,
    db: &Location,
) -> Result<Config> {
    let rpc = g
        .rpc
        .clone()
        .or(src.rpc.clone())
        .or(cli_file.rpc.clone())
        .unwrap_or_else(|| DEFAULT_RPC.into());
    let (factory, manifest_from) = match a.factory.clone().or(src.factory.clone()) {
        Some(f) => (parse_address(&f, "--factory")?, None),
        None => {
            let path = match g
                .manifest
                .clone()
                .or(src.manifest.clone())
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
    let mut cfg = Config::new(rpc, factory, db.clone());
    cfg.from_block = a
        .from_block
        .or(src.from_block)
        .or(manifest_from)
        .unwrap_or(0);
    cfg.to_block = a.to_block.or(src.to_block);
    cfg.pricing = src.pricing(manifest_pricing)?;
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
    Ok(cfg)
}

/// Runs the indexer until done (with --to-block) or Ctrl-C: one source, or
/// every source the index config lists, side by side into one store.
pub async fn run(g: &Global, a: IndexArgs) -> Result<()> {
    let file = match &a.index_config {
        Some(p) => FileConfig::load(p)?,
        None => FileConfig::default(),
    };
    let cli_file = CliFile::load(g.config.as_deref())?;
    let sources = file.sources();
    if sources.len() > 1 {
        let single: Vec<&str> = [
            ("--rpc", g.rpc.is_some()),
            ("--manifest", g.manifest.is_some()),
            ("--factory", a.factory.is_some()),
            ("--from-block", a.from_block.is_some()),
            ("--to-block", a.to_block.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, given)| given.then_some(f))
        .collect();
        if !single.is_empty() {
            anyhow::bail!(
                "{} name one source, but the index config lists {}: set them in its [[sources]] tables",
                single.join(", "),
                sources.len()
            );
        }
    }
    let db =
        a.db.clone()
            .or(file.db.clone())
            .unwrap_or_else(|| Location::File(PathBuf::from(DEFAULT_DB)));
    let mut cfgs = Vec::new();
    for src in &sources {
        cfgs.push(source_config(g, &a, &cli_file, &file, src, &db).await?);
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut indexers = sources::open_all(cfgs, stop_rx).await?;
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nstopping after the current batch…");
            let _ = stop_tx.send(true);
        }
    });
    let tty = std::io::stderr().is_terminal() && !g.json;
    let board = Mutex::new((BTreeMap::new(), Instant::now()));
    let show = |chain: u64, p: &Progress| {
        let Ok(mut b) = board.lock() else { return };
        b.0.insert(chain, line(p));
        if tty {
            let all: Vec<String> = if b.0.len() == 1 {
                b.0.values().cloned().collect()
            } else {
                b.0.iter().map(|(c, l)| format!("[{c}] {l}")).collect()
            };
            eprint!("\r{}", all.join("  "));
            let _ = std::io::stderr().flush();
        } else if b.1.elapsed() > Duration::from_secs(5) {
            b.1 = Instant::now();
            info!(
                chain,
                checkpoint = p.checkpoint,
                target = p.target,
                events = p.events,
                "indexing"
            );
        }
    };
    let summaries = sources::run_all(&mut indexers, &show).await?;
    if tty {
        eprintln!();
    }
    for (chain, summary) in summaries {
        if g.json {
            println!(
                "{}",
                serde_json::json!({"db": db.to_string(), "chain_id": chain, "checkpoint": summary.checkpoint, "events": summary.events, "reorgs": summary.reorgs, "resets": summary.resets})
            );
        } else {
            println!(
                "chain {chain}: indexed to block {} into {} ({} events this run, {} reorgs, {} chain resets)",
                summary
                    .checkpoint
                    .map_or("-".to_string(), |c| c.to_string()),
                db,
                summary.events,
                summary.reorgs,
                summary.resets
            );
        }
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
