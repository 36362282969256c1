//! Indexer benchmark: backfill throughput against the ceilings measured in the
//! same run (raw eth_getLogs pull, raw batched SQLite insert), live lag, and
//! query latency on a database of ≥ 1,000,000 swaps. Prints the figures with
//! their targets and ratios (never asserts) and, at full size, writes
//! benchmarks/indexer.md.
//!
//! `cargo xtask bench indexer [--json] [--fresh] [--swaps N] [-- --blocks N …]`,
//! i.e. `cargo run --release -p tidepool-indexer --example indexer_bench -- …`
//!
//! The chain (anvil, ≥ 100,000 swaps over 21 pairs) is cached in
//! `target/bench-cache/indexer-chain-v1.{json,state}`; `--fresh` rebuilds it.

#[path = "indexer_bench/ceilings.rs"]
mod ceilings;
#[path = "indexer_bench/chain.rs"]
mod chain;
#[path = "indexer_bench/graphql.rs"]
mod graphql;
#[path = "indexer_bench/indexer.rs"]
mod indexer;
#[path = "indexer_bench/queries.rs"]
mod queries;
#[path = "indexer_bench/report.rs"]
mod report;
#[path = "indexer_bench/rpc.rs"]
mod rpc;
#[path = "indexer_bench/stages.rs"]
mod stages;
#[path = "indexer_bench/swaps.rs"]
mod swaps;

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use chain::Res;
use report::Row;

const USAGE: &str =
    "indexer_bench [--json] [--fresh] [--swaps N] [--blocks N] [--query-swaps N] [--runs N]
  --json            print JSON instead of the table
  --fresh           regenerate the cached chain
  --swaps N         swaps on the generated chain (default 100000)
  --blocks N        live-lag blocks (default 1000)
  --query-swaps N   swaps in the query-latency database (default 1000000)
  --runs N          timed runs per query (default 300)";

struct Args {
    json: bool,
    fresh: bool,
    swaps: u64,
    blocks: usize,
    query_swaps: u64,
    runs: usize,
}

impl Args {
    fn parse() -> Res<Self> {
        let mut a = Args {
            json: false,
            fresh: false,
            swaps: 100_000,
            blocks: 1_000,
            query_swaps: 1_000_000,
            runs: 300,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut num = |name: &str| -> Res<u64> {
                it.next()
                    .and_then(|v| v.replace('_', "").parse().ok())
                    .ok_or_else(|| format!("{name} needs a number\n{USAGE}").into())
            };
            match arg.as_str() {
                "--json" => a.json = true,
                "--fresh" => a.fresh = true,
                "--swaps" => a.swaps = num("--swaps")?.max(1),
                "--blocks" => a.blocks = num("--blocks")?.max(1) as usize,
                "--query-swaps" => a.query_swaps = num("--query-swaps")?,
                "--runs" => a.runs = num("--runs")?.max(10) as usize,
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other}\n{USAGE}").into()),
            }
        }
        Ok(a)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

async fn run() -> Res<()> {
    let args = Args::parse()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?;
    let cache = root.join("target/bench-cache");
    let mut rows = Vec::new();
    let mut out = serde_json::Map::new();

    eprintln!("[1/6] chain with {} swaps", args.swaps);
    let loaded = chain::ensure(&cache, args.swaps, args.fresh).await?;
    let meta = loaded.meta.clone();
    let url = loaded.anvil.url.clone();
    let work = tempfile::Builder::new()
        .prefix("indexer-bench-")
        .tempdir_in(&cache)?;
    let dir = work.path();
    let blocks = meta.head - meta.deploy_block + 1;
    let how = if loaded.generated {
        format!("generated in {:.1} s", meta.generate_secs)
    } else {
        format!("cached (generated in {:.1} s)", meta.generate_secs)
    };
    rows.push(Row::info(
        "chain",
        format!(
            "{} swaps, {} pairs, {blocks} blocks; {how}; state {}, loaded in {:.1} s",
            meta.swaps,
            meta.pairs.len(),
            mb(loaded.state_bytes),
            loaded.load_secs
        ),
    ));
    out.insert("swaps".into(), json!(meta.swaps));
    out.insert("pairs".into(), json!(meta.pairs.len()));
    out.insert("blocks".into(), json!(blocks));
    out.insert("generate_secs".into(), json!(meta.generate_secs));
    out.insert("generated_this_run".into(), json!(loaded.generated));
    out.insert("state_bytes".into(), json!(loaded.state_bytes));
    out.insert("state_load_secs".into(), json!(loaded.load_secs));

    let load_before = report::loadavg();
    let (ceiling, evs) = stages::ceilings(&meta, &url, dir, &mut rows, &mut out).await?;
    let (index, sqlite_rate) =
        stages::backfill(&meta, &url, dir, ceiling, &evs, &mut rows, &mut out).await?;
    // A private PostgreSQL cluster (initdb, a free loopback port), stopped
    // by its PID when the run ends.
    let pg = tidepool_testkit::postgres::PgCluster::start()?;
    let pg_index = stages::backfill_postgres(
        &meta,
        &url,
        &pg,
        (ceiling, sqlite_rate),
        &evs,
        &mut rows,
        &mut out,
    )
    .await?;
    drop(evs);
    for (at, what) in [
        (
            tidepool_indexer::db::Location::File(index.clone()),
            "SQLite",
        ),
        (pg_index, "PostgreSQL"),
    ] {
        stages::live(
            &loaded.anvil,
            &meta,
            &at,
            what,
            args.blocks,
            &mut rows,
            &mut out,
        )
        .await?;
    }
    drop(loaded);
    stages::queries(
        &index,
        dir,
        &pg,
        args.query_swaps,
        args.runs,
        &mut rows,
        &mut out,
    )?;
    stages::export(&dir.join("big.sqlite"), dir, &mut rows, &mut out)?;
    let load = format!(
        "load average {load_before} at the start, {} at the end",
        report::loadavg()
    );
    let (cpus, model) = report::machine();
    let date = report::date();
    let anvil = report::anvil_version();
    out.insert("date".into(), json!(date));
    out.insert("nproc".into(), json!(cpus));
    out.insert("cpu".into(), json!(model));
    out.insert("anvil".into(), json!(anvil));
    out.insert("load".into(), json!(load));
    out.insert("rows".into(), rows.iter().map(Row::json).collect());
    let table = report::table(&rows);
    let md = format!(
        "# Indexer benchmark\n\nMeasured {date} on {cpus} × {model} with {anvil}, by `cargo xtask bench indexer` ({load}).\n\n{table}\n{}",
        include_str!("indexer_bench/method.md")
    );
    // Only runs at the sizes replace the published figures.
    let full = args.swaps >= 100_000
        && args.blocks >= 1_000
        && args.query_swaps >= 1_000_000
        && args.runs >= 200;
    let written = if full {
        std::fs::create_dir_all(root.join("benchmarks"))?;
        std::fs::write(root.join("benchmarks/indexer.md"), md)?;
        "Written to benchmarks/indexer.md."
    } else {
        "Reduced size: benchmarks/indexer.md left as it is."
    };
    out.insert("written".into(), json!(full));
    if args.json {
        println!("{}", serde_json::Value::from(out));
    } else {
        println!("Measured {date} on {cpus} × {model} with {anvil} ({load})\n\n{table}");
        println!(
            "Ratios: backfill events/s ÷ the combined ceiling; latencies p99 ÷ target. {written}"
        );
    }
    Ok(())
}
