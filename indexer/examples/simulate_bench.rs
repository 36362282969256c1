//! `cargo xtask bench simulate`: how many simulated transactions a second
//! the devnet's market simulation gets mined on this machine, and how far
//! behind the live indexer follows it, against a reference measured in the
//! same run on the same devnet: the same number of plain router swaps, signed
//! and sent the same way in blocks of the same size, with no agent deciding
//! anything (the node's own ceiling for this traffic). Writes
//! benchmarks/simulate.md.
//!
//! Options: `--blocks N` (default 300), `--trades-per-block X` (default 60),
//! `--json`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;
use tidepool_devnet::sim::agents::TRADERS;
use tidepool_devnet::sim::chain::Chain;
use tidepool_devnet::sim::market::{Router, units};
use tidepool_devnet::sim::{self, Options, Scenario, Status};
use tidepool_indexer::config::Config;
use tidepool_indexer::ingest::Indexer;
use tidepool_sdk::alloy::primitives::U256;
use tidepool_testkit::bench::{anvil_version, date, machine};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const TX_TARGET: f64 = 500.0;
const LAG_TARGET_MS: f64 = 100.0;

struct Args {
    blocks: u64,
    trades: f64,
    json: bool,
}

fn args() -> Res<Args> {
    let mut a = Args {
        blocks: 300,
        trades: 60.0,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--blocks" => a.blocks = it.next().ok_or("--blocks N")?.parse()?,
            "--trades-per-block" => a.trades = it.next().ok_or("--trades-per-block X")?.parse()?,
            "--json" => a.json = true,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(a)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn checkpoint(c: &rusqlite::Connection) -> u64 {
    c.query_row(
        "SELECT CAST(max(checkpoint_block) AS TEXT) FROM chains",
        [],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .ok()
    .flatten()
    .and_then(|v| v.parse().ok())
    .unwrap_or(0)
}

/// Watches the index's checkpoint: when each block became queryable.
fn watch(db: PathBuf, seen: Arc<Mutex<Vec<(u64, Instant)>>>, stop: Arc<Mutex<bool>>) {
    std::thread::spawn(move || {
        let conn = loop {
            if let Ok(c) = rusqlite::Connection::open_with_flags(
                &db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            ) {
                break c;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let mut last = 0;
        while !*stop.lock().unwrap() {
            let cp = checkpoint(&conn);
            if cp > last {
                let now = Instant::now();
                seen.lock()
                    .unwrap()
                    .extend((last + 1..=cp).map(|n| (n, now)));
                last = cp;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    });
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let a = args()?;
    let net = tidepool_testkit::start_devnet(0).await;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("index.db");
    let mut cfg = Config::new(net.url.clone(), net.manifest.factory, db.clone());
    cfg.from_block = net.manifest.deploy_block;
    cfg.pricing = Some(tidepool_indexer::pricing::PricingConfig::from_manifest(
        &net.manifest,
    ));
    cfg.poll_interval = Duration::from_millis(10);
    let (stop_ix, rx) = tokio::sync::watch::channel(false);
    let mut ix = Indexer::open(cfg, rx).await?;
    let indexer = tokio::spawn(async move { ix.run(|_| {}).await });
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stop_watch = Arc::new(Mutex::new(false));
    watch(db.clone(), seen.clone(), stop_watch.clone());

    eprintln!(
        "[1/2] simulating {} blocks, {} trades a block on average, the indexer following",
        a.blocks, a.trades
    );
    let mut scenario = Scenario::defaults(sim::scenario::devnet_defaults());
    scenario.seed = 2026;
    let opts = Options {
        trades_per_block: a.trades,
        median_trade_usd: 500.0,
        ..Options::new(scenario, a.blocks)
    };
    let mut mined: Vec<(u64, Instant, usize)> = Vec::new();
    let started = Instant::now();
    let summary = sim::run(&net.url, &net.manifest, &opts, |s: &Status| {
        mined.push((s.block.number, s.mined_at, s.block.txs.len()))
    })
    .await?;
    let elapsed = started.elapsed().as_secs_f64();
    // The setup block (wrapping, approvals) is not simulated traffic.
    let sim_txs: usize = mined.iter().skip(1).map(|m| m.2).sum();
    let sim_secs = mined
        .last()
        .map_or(elapsed, |l| (l.1 - mined[0].1).as_secs_f64());
    let sim_rate = sim_txs as f64 / sim_secs;
    let head = mined.last().map_or(0, |l| l.0);
    let deadline = Instant::now() + Duration::from_secs(60);
    while seen.lock().unwrap().last().is_none_or(|s| s.0 < head) {
        if Instant::now() > deadline {
            return Err("the indexer did not reach the simulation's head within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    *stop_watch.lock().unwrap() = true;
    let _ = stop_ix.send(true);
    indexer.await??;
    let seen = seen.lock().unwrap().clone();
    let mut lags: Vec<f64> = mined
        .iter()
        .skip(1)
        .filter_map(|(n, at, _)| {
            let s = seen.iter().find(|s| s.0 == *n)?;
            Some(s.1.saturating_duration_since(*at).as_secs_f64() * 1e3)
        })
        .collect();
    lags.sort_by(f64::total_cmp);

    eprintln!("[2/2] reference: the same traffic as plain router swaps, no agent deciding");
    let per_block = (sim_txs as f64 / (mined.len() - 1).max(1) as f64)
        .round()
        .max(1.0) as usize;
    let reference = plain_swaps(&net.url, &net.manifest, sim_txs, per_block).await?;

    let (cores, cpu) = machine();
    let rows = vec![
        (
            format!(
                "simulated transactions mined per second ({sim_txs} in {} blocks)",
                mined.len() - 1
            ),
            format!("{sim_rate:.0}"),
            format!("≥ {TX_TARGET:.0}"),
            sim_rate / TX_TARGET,
            sim_rate >= TX_TARGET,
        ),
        (
            format!("reference: plain router swaps mined per second ({per_block} a block)"),
            format!("{reference:.0}"),
            "–".into(),
            f64::NAN,
            true,
        ),
        (
            "simulation / reference".into(),
            format!("{:.3}", sim_rate / reference),
            "–".into(),
            f64::NAN,
            true,
        ),
        (
            format!("live indexer lag p50 ({} blocks, poll 10 ms)", lags.len()),
            format!("{:.1} ms", pct(&lags, 0.5)),
            "–".into(),
            f64::NAN,
            true,
        ),
        (
            "live indexer lag p99".into(),
            format!("{:.1} ms", pct(&lags, 0.99)),
            format!("< {LAG_TARGET_MS:.0} ms"),
            pct(&lags, 0.99) / LAG_TARGET_MS,
            pct(&lags, 0.99) < LAG_TARGET_MS,
        ),
    ];
    let mut md = format!(
        "Simulation benchmark, {} — {cores} × {cpu}, {}; `cargo xtask bench simulate` (seed 2026, {} blocks, {} noise trades a block, arbitrage and liquidity providers on; {} noise trades, {} arbitrages, {} liquidity moves).\n\n| figure | value | target | ratio to target | |\n|---|---:|---|---:|---|\n",
        date(),
        anvil_version(),
        a.blocks,
        a.trades,
        summary.trades,
        summary.arbitrages,
        summary.liquidity.adds + summary.liquidity.removes,
    );
    for (f, v, t, r, met) in &rows {
        let ratio = if r.is_nan() {
            "–".into()
        } else {
            format!("{r:.3}")
        };
        let mark = if t == "–" {
            ""
        } else if *met {
            "met"
        } else {
            "MISSED"
        };
        md.push_str(&format!("| {f} | {v} | {t} | {ratio} | {mark} |\n"));
    }
    if a.json {
        let j: Vec<_> = rows
            .iter()
            .map(|(f, v, t, r, met)| serde_json::json!({"figure": f, "value": v, "target": t, "ratio": if r.is_nan() { None } else { Some(*r) }, "met": met}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        println!("{md}");
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../benchmarks/simulate.md");
    std::fs::write(&out, md)?;
    eprintln!("wrote benchmarks/simulate.md");
    Ok(())
}

/// Sends `n` plain USDC↔DAI router swaps from the noise traders' accounts,
/// `per_block` a block, mining each block; transactions mined per second.
async fn plain_swaps(
    url: &str,
    m: &tidepool_sdk::manifest::Manifest,
    n: usize,
    per_block: usize,
) -> Res<f64> {
    let mut chain = Chain::connect(url, &TRADERS).await?;
    let router = Router { m };
    let (usdc, dai) = (
        m.token("USDC").ok_or("no USDC")?,
        m.token("DAI").ok_or("no DAI")?,
    );
    let mut time = chain.head().await?.1;
    chain.automine(false).await?;
    let started = Instant::now();
    let mut done = 0;
    let mut i = 0usize;
    while done < n {
        let mut orders = Vec::new();
        for _ in 0..per_block.min(n - done) {
            let who = TRADERS[i % TRADERS.len()];
            let (from, to) = if i.is_multiple_of(2) {
                (usdc, dai)
            } else {
                (dai, usdc)
            };
            let me = chain.address(who);
            orders.push((
                who,
                router.exact_in_tokens(
                    units(100.0, from.decimals),
                    U256::ZERO,
                    vec![from.address, to.address],
                    me,
                ),
            ));
            i += 1;
        }
        done += orders.len();
        let sent = chain.send(orders).await?;
        time += 12;
        let (_, txs) = chain.mine(time).await?;
        if txs.len() != sent.len() {
            return Err(format!("a block held {} of {} swaps", txs.len(), sent.len()).into());
        }
    }
    let secs = started.elapsed().as_secs_f64();
    chain.automine(true).await?;
    Ok(n as f64 / secs)
}
