//! `cargo xtask`: Tidepool's build, test and benchmark tasks.
//!
//! - `dev [--port N]`: a trading-ready local devnet (anvil + Tidepool + tokens + pools);
//! - `setup`: install the toolchain (Debian packages, npm, slither), idempotently;
//! - `package`: the desktop app as a Debian package (`.deb`), built offline;
//! - `test [--deep]`: every check CI runs (`.ci/run`);
//! - `snapshot`: regenerate `.gas-snapshot`;
//! - `artifacts [--check]`: refresh (or check) the sdk's committed forge artifacts;
//! - `check-abi`: compare our ABIs with Uniswap V2's;
//! - `bench gas [--json]`: gas against Uniswap V2, written to benchmarks/gas.md;
//! - `bench route [--json]`: the sdk's route search over 1,000 random pools;
//! - `bench indexer [--json] [--fresh] [--swaps N]`: indexer backfill, live lag and
//!   query latency on a cached anvil chain, written to benchmarks/indexer.md;
//! - `bench market [--json] [--fresh] [--pools N]`: the market state on a
//!   generated 100,000-pool chain, written to benchmarks/market.md;
//! - `bench simulate [--json] [--blocks N] [--trades-per-block X]`: the market
//!   simulation's mined tx/s and the live indexer's lag, written to benchmarks/simulate.md;
//! - `bench app [--json] [--minutes N] [--market-pools N]`: the desktop app's cold start, quote
//!   latency, binary size and memory after use, written to benchmarks/app.md.

mod abi;
mod anvil;
mod artifacts;
mod bench;
mod cast;
mod dev;
mod forge;
mod package;
mod proc;
mod setup;
mod slither;
mod test;
mod ui;
mod ws;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Tidepool's build, test and benchmark tasks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a local devnet with Tidepool deployed, tokens, pools and funded dev
    /// accounts, and the desktop app on it.
    Dev {
        /// Loopback port for anvil's JSON-RPC.
        #[arg(long, default_value_t = 8545)]
        port: u16,
        /// Run the desktop app in a virtual display (Xvfb): no screen needed.
        #[arg(long)]
        headless: bool,
        /// Only the devnet (with its index and HTTP API), no desktop app.
        #[arg(long)]
        no_app: bool,
        /// More `tidepool devnet` options, after `--` (e.g. `-- --state chain.json`).
        #[arg(last = true)]
        extra: Vec<String>,
    },
    /// Install what the build needs (Debian packages, npm toolchain, slither); idempotent.
    Setup,
    /// Build the desktop app as a Debian package (target/release/bundle/deb/*.deb), offline.
    Package,
    /// Run every check: Rust fmt/clippy/tests, forge fmt/build/test, ABI, gas snapshot, slither.
    Test {
        /// Long fuzz and invariant campaigns (FOUNDRY_PROFILE=deep).
        #[arg(long)]
        deep: bool,
        /// Run every step even after a failure, then list the failed ones.
        #[arg(long)]
        keep_going: bool,
    },
    /// Regenerate ui/src/bindings.ts from the app's commands (tauri-specta).
    Bindings,
    /// Regenerate .gas-snapshot (after an intended gas change).
    Snapshot,
    /// Build the contracts and refresh sdk/artifacts (what the sdk's bindings are generated from).
    Artifacts {
        /// Only compare the committed artifacts with forge's current build.
        #[arg(long)]
        check: bool,
    },
    /// Check that our ABIs keep Uniswap V2's functions and events exactly.
    CheckAbi {
        /// Use the existing artifacts instead of running `forge build contracts/src` first.
        #[arg(long)]
        no_build: bool,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        bench: Bench,
    },
}

#[derive(Subcommand)]
enum Bench {
    /// Route search over 1,000 random pools: routes/s and latency percentiles (target p99 < 10 ms).
    Route {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Indexer backfill vs the getLogs/SQLite ceilings, live lag and query latency
    /// on ≥ 1M swaps; writes benchmarks/indexer.md.
    Indexer {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Regenerate the cached chain (target/bench-cache/indexer-chain-v1.*).
        #[arg(long)]
        fresh: bool,
        /// Swaps on the generated chain (default 100,000; fewer for a quick run).
        #[arg(long)]
        swaps: Option<u64>,
        /// More benchmark options, after `--` (e.g. `-- --blocks 200 --runs 50`).
        #[arg(last = true)]
        extra: Vec<String>,
    },
    /// The market state on a generated chain of 100,000 pools: cold load, warm
    /// start from the cache, per-block refresh, route search; writes benchmarks/market.md.
    Market {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Regenerate the cached chain (target/bench-cache/market-<pools>.*).
        #[arg(long)]
        fresh: bool,
        /// Pools on the generated chain (default 100,000; fewer for a quick run).
        #[arg(long)]
        pools: Option<u64>,
    },
    /// The desktop app (release build, under Xvfb): cold start, quote latency,
    /// binary size and memory after minutes of use; writes benchmarks/app.md.
    App {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Minutes of use before memory is read (default 5; less for a quick run).
        #[arg(long)]
        minutes: Option<u64>,
        /// Instead: only the quote round trip with N more pools on the devnet
        /// (e.g. 100000); writes benchmarks/app-market.md.
        #[arg(long)]
        market_pools: Option<u64>,
    },
    /// The devnet's market simulation: transactions mined per second and the
    /// live indexer's lag while it runs (targets ≥ 500 tx/s, p99 < 100 ms);
    /// writes benchmarks/simulate.md.
    Simulate {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Simulated blocks (default 300).
        #[arg(long)]
        blocks: Option<u64>,
        /// Noise trades per block on average (default 60).
        #[arg(long)]
        trades_per_block: Option<f64>,
    },
    /// Gas of Tidepool vs Uniswap V2 per operation; writes benchmarks/gas.md.
    Gas {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Use the existing artifacts instead of running `forge build contracts/src` first.
        #[arg(long)]
        no_build: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The chain of contexts, outermost first; no backtrace noise.
            eprintln!("\nerror: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Dev {
            port,
            headless,
            no_app,
            extra,
        } => dev::run(dev::Options {
            port,
            headless,
            no_app,
            extra,
        }),
        Command::Setup => setup::run(),
        Command::Package => package::run(),
        Command::Bindings => proc::cargo()
            .args([
                "run",
                "--quiet",
                "--locked",
                "-p",
                "tidepool-app",
                "--",
                "--export-bindings",
                "ui/src/bindings.ts",
            ])
            .run(),
        Command::Test { deep, keep_going } => test::run(test::Options { deep, keep_going }),
        Command::Snapshot => {
            ws::require_foundry()?;
            forge::snapshot(false)
        }
        Command::Artifacts { check } => {
            ws::require_foundry()?;
            if !check {
                forge::build_src()?;
            }
            artifacts::run(check)
        }
        Command::CheckAbi { no_build } => {
            ws::require_foundry()?;
            if !no_build {
                forge::build_src()?;
            }
            abi::check()
        }
        Command::Bench {
            bench: Bench::Gas { json, no_build },
        } => bench::gas(bench::Options { json, no_build }),
        Command::Bench {
            bench: Bench::Route { json },
        } => {
            let mut cmd = proc::cargo().args([
                "run",
                "--quiet",
                "--release",
                "--locked",
                "-p",
                "tidepool-sdk",
                "--example",
                "route_bench",
            ]);
            if json {
                cmd = cmd.args(["--", "--json"]);
            }
            cmd.run()
        }
        Command::Bench {
            bench:
                Bench::Indexer {
                    json,
                    fresh,
                    swaps,
                    extra,
                },
        } => {
            let mut args: Vec<String> = Vec::new();
            if json {
                args.push("--json".into());
            }
            if fresh {
                args.push("--fresh".into());
            }
            if let Some(n) = swaps {
                args.extend(["--swaps".into(), n.to_string()]);
            }
            args.extend(extra);
            let mut cmd = proc::cargo().args([
                "run",
                "--release",
                "--locked",
                "-p",
                "tidepool-indexer",
                "--features",
                "http",
                "--example",
                "indexer_bench",
            ]);
            if !args.is_empty() {
                cmd = cmd.arg("--").args(args);
            }
            cmd.run()
        }
        Command::Bench {
            bench:
                Bench::App {
                    json,
                    minutes,
                    market_pools,
                },
        } => bench_app(json, minutes, market_pools),
        Command::Bench {
            bench:
                Bench::Simulate {
                    json,
                    blocks,
                    trades_per_block,
                },
        } => {
            let mut args: Vec<String> = Vec::new();
            if json {
                args.push("--json".into());
            }
            if let Some(n) = blocks {
                args.extend(["--blocks".into(), n.to_string()]);
            }
            if let Some(x) = trades_per_block {
                args.extend(["--trades-per-block".into(), x.to_string()]);
            }
            let mut cmd = proc::cargo().args([
                "run",
                "--release",
                "--locked",
                "-p",
                "tidepool-indexer",
                "--example",
                "simulate_bench",
            ]);
            if !args.is_empty() {
                cmd = cmd.arg("--").args(args);
            }
            cmd.run()
        }
        Command::Bench {
            bench: Bench::Market { json, fresh, pools },
        } => {
            ws::require_foundry()?;
            forge::build_bench()?;
            let mut args: Vec<String> = Vec::new();
            if json {
                args.push("--json".into());
            }
            if fresh {
                args.push("--fresh".into());
            }
            if let Some(n) = pools {
                args.extend(["--pools".into(), n.to_string()]);
            }
            let mut cmd = proc::cargo().args([
                "run",
                "--release",
                "--locked",
                "-p",
                "tidepool-flows",
                "--example",
                "market_bench",
            ]);
            if !args.is_empty() {
                cmd = cmd.arg("--").args(args);
            }
            cmd.run()
        }
    }
}

/// `bench app`: builds the UI (if needed) and the release app, then runs the
/// benchmark example against that binary.
fn bench_app(json: bool, minutes: Option<u64>, market_pools: Option<u64>) -> Result<()> {
    let root = ws::root();
    if !root.join("ui/dist/index.html").is_file() {
        ui::build()?;
    }
    proc::cargo()
        .args(["build", "--release", "--locked", "-p", "tidepool-app"])
        .run()?;
    let app = ws::target_dir().join("release/tidepool-app");
    let mut cmd = proc::cargo()
        .args([
            "run",
            "--release",
            "--locked",
            "-p",
            "tidepool-app",
            "--example",
            "app_bench",
            "--",
            "--app",
        ])
        .arg(&app);
    if json {
        cmd = cmd.arg("--json");
    }
    if let Some(n) = market_pools {
        // The market's seeder (contracts/bench/MarketSeeder.sol).
        forge::build_bench()?;
        cmd = cmd.args(["--market-pools".to_string(), n.to_string()]);
    }
    if let Some(n) = minutes {
        cmd = cmd.args(["--minutes".to_string(), n.to_string()]);
    }
    cmd.run()
}
