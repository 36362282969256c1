//! `tidepool devnet` and `tidepool deploy`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde_json::json;
use tidepool_devnet::{self as devnet, DEV_FUNDING_USD, Devnet, POOLS};
use tidepool_indexer::config::Config;
use tidepool_indexer::ingest::Indexer;
use tidepool_sdk::deploy::deploy_core;
use tidepool_sdk::manifest::Manifest;

use crate::Global;
use crate::account;
use crate::config::FileConfig;
use crate::context::connect;
use crate::output;
use crate::swap::parse_address;

/// `tidepool devnet`.
#[derive(Debug, Args)]
pub struct DevnetArgs {
    /// Loopback port for anvil's JSON-RPC; 0 picks a free one.
    #[arg(long, default_value_t = 8545)]
    pub port: u16,
    /// Keep the chain in FILE: saved on exit, reloaded (no redeploy) on the next start.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// The anvil binary [default: node_modules' pinned anvil, then PATH; or $TIDEPOOL_ANVIL].
    #[arg(long)]
    pub anvil: Option<PathBuf>,
    /// Seconds between blocks [default: a block per transaction].
    #[arg(long)]
    pub block_time: Option<u64>,
    /// Where to write the manifest [default: --manifest, else deployments/31337.json].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Index the devnet into this SQLite file while it runs [default: tidepool.db].
    #[arg(long, env = "TIDEPOOL_DB")]
    pub db: Option<PathBuf>,
    /// Do not run the indexer (nor its HTTP API).
    #[arg(long)]
    pub no_index: bool,
    /// Where the index's HTTP API listens (port 0: any free port).
    #[arg(long, default_value = tidepool_indexer::http::DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// Make the market move until stopped: reference prices, noise traders,
    /// an arbitrageur, liquidity providers (`tidepool simulate`'s agents).
    #[arg(long)]
    pub simulate: bool,
    /// The simulation's agents (with --simulate).
    #[command(flatten)]
    pub agents: crate::simulate::AgentFlags,
    /// Wall-clock milliseconds between simulated blocks.
    #[arg(long, default_value_t = 1000, requires = "simulate")]
    pub sim_interval_ms: u64,
}

/// `tidepool deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Who may switch the protocol fee on [default: the sender].
    #[arg(long)]
    pub fee_to_setter: Option<String>,
    /// Where to write the manifest [default: --manifest, else deployments/<chain-id>.json].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Starts the devnet and keeps it up until Ctrl-C (or SIGTERM).
pub async fn devnet(g: &Global, a: DevnetArgs) -> Result<()> {
    // The simulation's options are checked before anything starts.
    let sim_opts = if a.simulate {
        Some(tidepool_devnet::sim::Options {
            pace: Some(std::time::Duration::from_millis(a.sim_interval_ms.max(1))),
            record: false,
            ..a.agents.options(u64::MAX)?
        })
    } else {
        let f = &a.agents;
        if f.scenario.is_some()
            || f.seed.is_some()
            || f.sandwich
            || f.reorg_every.is_some()
            || f.no_arbitrage
            || f.no_liquidity
        {
            anyhow::bail!(
                "--scenario, --seed, --sandwich, --reorg-every, --no-arbitrage and --no-liquidity set up the simulation: add --simulate"
            );
        }
        None
    };
    let opts = devnet::Options {
        port: a.port,
        anvil: a.anvil,
        state: a.state.clone(),
        block_time: a.block_time,
        prune_history: false,
    };
    let net = Devnet::start(&opts).await?;
    let path = a
        .out
        .or_else(|| g.manifest.clone())
        .unwrap_or_else(|| Manifest::default_path(&PathBuf::from("."), net.manifest.chain_id));
    net.manifest.save(&path)?;
    let m = &net.manifest;
    if g.json {
        println!(
            "{}",
            json!({"ready": true, "rpc": net.url, "manifest": path, "chainId": m.chain_id, "startupMs": net.startup.as_millis() as u64, "reloaded": net.reloaded, "factory": m.factory, "router": m.router, "weth": m.weth})
        );
    } else {
        println!(
            "Tidepool devnet ready in {:.2} s{}",
            net.startup.as_secs_f64(),
            if net.reloaded {
                " (reloaded from --state)"
            } else {
                ""
            }
        );
        println!("  RPC       {}   (chain id {})", net.url, m.chain_id);
        println!("  manifest  {}", path.display());
        println!("  factory   {}", m.factory.to_checksum(None));
        println!("  router    {}", m.router.to_checksum(None));
        for t in &m.tokens {
            println!(
                "  {:<9} {} ({} decimals)",
                t.symbol,
                t.address.to_checksum(None),
                t.decimals
            );
        }
        let pools: Vec<String> = POOLS.iter().map(|(x, y, _)| format!("{x}/{y}")).collect();
        println!("  pools     {}", pools.join(", "));
        println!();
        println!(
            "Anvil's dev accounts 1-9 (public test-only keys) hold 10,000 ETH and ${}M of every token.",
            DEV_FUNDING_USD / 1_000_000
        );
        println!(
            "Try:  tidepool --rpc {} --manifest {} --dev-account 1 swap ETH USDC 1",
            net.url,
            path.display()
        );
        if let Some(s) = &a.state {
            println!(
                "The chain is saved to {} when the devnet stops.",
                s.display()
            );
        }
        println!("Ctrl-C stops the devnet.");
    }
    let indexer = if a.no_index {
        None
    } else {
        let db =
            a.db.unwrap_or_else(|| PathBuf::from(crate::index::DEFAULT_DB));
        let mut cfg = Config::new(net.url.clone(), m.factory, db.clone());
        cfg.pricing = Some(tidepool_indexer::pricing::PricingConfig::from_manifest(m));
        cfg.from_block = m.deploy_block;
        let (stop, rx) = tokio::sync::watch::channel(false);
        let mut ix = Indexer::open(cfg, rx.clone()).await?;
        let listener = tidepool_indexer::http::bind(a.listen).await?;
        let api = listener.local_addr()?;
        let mut rx_http = rx;
        let http_db = db.clone();
        tokio::spawn(async move {
            let stopped = async move {
                let _ = rx_http.wait_for(|s| *s).await;
            };
            if let Err(e) = tidepool_indexer::http::serve_on(listener, http_db, stopped).await {
                tracing::error!("{e}");
            }
        });
        if g.json {
            println!(
                "{}",
                json!({"indexing": db, "api": format!("http://{api}")})
            );
        } else {
            println!(
                "Indexing into {}; HTTP API on http://{api} (GET /pairs, /swaps, /accounts/ADDR, …);",
                db.display()
            );
            println!(
                "query it with `tidepool query pairs --db {}`.",
                db.display()
            );
        }
        Some((stop, tokio::spawn(async move { ix.run(|_| {}).await })))
    };
    std::io::stdout().flush()?;
    let simulation = match sim_opts {
        None => None,
        Some(opts) => {
            let (url, m) = (net.url.clone(), net.manifest.clone());
            eprintln!(
                "simulating a market (seed {}, a block every {} ms)",
                opts.scenario.seed, a.sim_interval_ms
            );
            Some(tokio::spawn(async move {
                tidepool_devnet::sim::run(&url, &m, &opts, |_: &tidepool_devnet::sim::Status| {})
                    .await
            }))
        }
    };
    let result = wait_for_stop(net, simulation).await;
    if let Some((stop, handle)) = indexer {
        let _ = stop.send(true);
        handle.await??;
    }
    result
}

async fn wait_for_stop(
    mut net: Devnet,
    simulation: Option<
        tokio::task::JoinHandle<tidepool_devnet::Result<tidepool_devnet::sim::Summary>>,
    >,
) -> Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let sim_done = async {
        match simulation {
            Some(h) => h.await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        r = net.wait() => {
            r?;
            anyhow::bail!("anvil exited unexpectedly");
        }
        r = sim_done => {
            let _ = net.stop().await;
            r??;
            anyhow::bail!("the simulation ended");
        }
    }
    eprintln!("stopping the devnet…");
    net.stop().await?;
    Ok(())
}

/// Deploys WETH, the factory and the router.
pub async fn deploy(g: &Global, a: DeployArgs) -> Result<()> {
    let file = FileConfig::load(g.config.as_deref())?;
    let client = connect(g, &file).await?;
    let (client, signer) = account::attach(g, &file, &client).await?;
    let setter = match &a.fee_to_setter {
        Some(s) => parse_address(s, "--fee-to-setter")?,
        None => signer.address,
    };
    let m = deploy_core(&client, setter).await?;
    let path = a
        .out
        .or_else(|| g.manifest.clone())
        .unwrap_or_else(|| Manifest::default_path(&PathBuf::from("."), m.chain_id));
    m.save(&path)?;
    if g.json {
        output::json(&json!({"manifest": path, "deployment": m}));
    } else {
        println!("deployed on chain {} from {}", m.chain_id, signer.label);
        println!("  WETH      {}", m.weth.to_checksum(None));
        println!("  factory   {}", m.factory.to_checksum(None));
        println!("  router    {}", m.router.to_checksum(None));
        println!("  manifest  {}", path.display());
    }
    Ok(())
}
