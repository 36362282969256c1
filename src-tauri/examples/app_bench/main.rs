//! `cargo xtask bench app`: the desktop app's figures, measured on the
//! release binary in a real window (Xvfb + tauri-driver + WebKitWebDriver)
//! against a seeded anvil devnet, and printed with their ratio to the targets.
//!
//! 1. **Cold start to interactive window**: from the WebDriver new-session
//!    request (which launches the app) to `#app[data-ready='true']` and the
//!    status bar's connection `connected`, timed in the page; 5 launches, each
//!    with a fresh data directory.
//! 2. **Quote refresh latency**: `swap_quote` invoked from the page through
//!    Tauri's IPC (`__TAURI_INTERNALS__.invoke`), timed with
//!    `performance.now()` around each call: the round trip the UI waits for.
//! 3. **Release binary size**.
//! 4. **Resident memory after N minutes of use** (default 5): tabs cycled, a
//!    dev account selected and a quote requested every second, then the VmRSS
//!    of the app and of its WebKit child processes.
//!
//! The table is printed (or JSON with `--json`) and written to
//! `benchmarks/app.md`. With `--market-pools N`, only the quote round trip
//! with N more pools on the devnet (see `market`), to `benchmarks/app-market.md`.
//! Usage:
//!
//! ```text
//! cargo run --release -p tidepool-app --example app_bench -- \
//!     --app target/release/tidepool-app [--json] [--minutes N] [--launches N] [--market-pools N]
//! ```
//!
//! The modules: `args` (the command line), `launch` (tauri-driver and
//! WebDriver sessions, over the test kit's launcher), `setup` (the devnet
//! every launch shares), one per measurement (`start`, `quotes`, `memory`), and the report
//! (`figures`, `report`, `table`, `machine`).

mod args;
mod figures;
mod launch;
mod machine;
mod market;
mod memory;
mod quotes;
mod report;
mod setup;
mod start;
mod table;

use anyhow::{Context, Result, anyhow};

use crate::quotes::{QUOTE_RUNS, QUOTE_WARMUP, amounts};
use crate::report::Results;
use crate::setup::Bench;
use tidepool_testkit::gui::Xvfb;
use tidepool_testkit::workspace_root as root;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = args::parse_args()?;
    let log = |msg: &str| {
        if !args.json {
            eprintln!("{msg}");
        }
    };
    let load_start = machine::loadavg();

    // 3. Size first: it needs nothing running.
    let size = std::fs::metadata(&args.app)
        .with_context(|| format!("cannot read {}", args.app.display()))?
        .len();

    let logs = root().join("target/app-bench");
    std::fs::create_dir_all(&logs)?;
    log(&format!(
        "app {} ({size} bytes); app logs in {}",
        args.app.display(),
        logs.display()
    ));

    let x = Xvfb::start()?;
    log("starting the devnet…");
    let bench = Bench::setup(
        args.app.clone(),
        x.display.clone(),
        logs,
        args.market_pools > 0,
    )
    .await?;
    if args.market_pools > 0 {
        log(&format!("seeding {} pools…", args.market_pools));
        let m = market::seed(
            &bench.devnet.url,
            bench.devnet.manifest.factory,
            args.market_pools,
        )
        .await?;
        return market::run(&bench, &m, args.json).await;
    }

    // 1. Cold starts; the last session stays open for the quotes.
    let mut starts = Vec::new();
    let mut last = None;
    for i in 1..=args.launches {
        let (s, st) = bench.launch(&format!("launch-{i}")).await?;
        log(&format!(
            "launch {i}: interactive at {:.0} ms (session {:.0} ms, page origin {:.0} ms, ready {:.0} ms, connected {:.0} ms)",
            st.interactive, st.session, st.origin, st.ready, st.connected
        ));
        starts.push(st);
        if i < args.launches {
            s.close().await;
        } else {
            last = Some(s);
        }
    }
    let session = last.ok_or_else(|| anyhow!("no launch"))?;

    // 2. Quote latency.
    log(&format!(
        "quotes: {QUOTE_WARMUP} warm-up + {QUOTE_RUNS} measured…"
    ));
    let all = amounts(QUOTE_WARMUP + QUOTE_RUNS);
    bench.quotes(&session, &all[..QUOTE_WARMUP], false).await?;
    let q = bench.quotes(&session, &all[QUOTE_WARMUP..], true).await?;
    session.close().await;

    // 4. Memory after N minutes of use.
    let memory = memory::run(&bench, args.minutes, &all, &log).await?;
    let load_end = machine::loadavg();

    // Figures.
    report::write(
        &Results {
            launches: args.launches,
            minutes: args.minutes,
            size,
            starts,
            quotes: q,
            memory,
            load_start,
            load_end,
        },
        args.json,
    )
}
