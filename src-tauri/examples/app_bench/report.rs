//! The report: what was measured ([`Results`]) and its figures, printed as a
//! table (or JSON with `--json`) and written to `benchmarks/app.md`.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::figures::{Figures, QUOTE_TARGET_MS, SIZE_TARGET_MB, START_TARGET_MS};
use crate::machine::{cmd_out, cpu_model, meminfo_total_gib};
use crate::memory::{MemoryRun, mib};
use crate::quotes::{QUOTE_RUNS, QUOTE_WARMUP, Quotes};
use crate::start::Start;
use crate::table::{Row, md_table, ratio, row, text_table};
use tidepool_testkit::workspace_root as root;

/// Everything measured.
pub(crate) struct Results {
    /// Cold-start launches (`--launches`).
    pub(crate) launches: usize,
    /// Minutes of use before the memory reading (`--minutes`).
    pub(crate) minutes: u64,
    /// The release binary's size, bytes.
    pub(crate) size: u64,
    /// Each launch's cold start.
    pub(crate) starts: Vec<Start>,
    /// The measured quote calls.
    pub(crate) quotes: Quotes,
    /// The memory run.
    pub(crate) memory: MemoryRun,
    /// The load average before the run.
    pub(crate) load_start: String,
    /// The load average after the run.
    pub(crate) load_end: String,
}

/// The table's rows.
fn rows(r: &Results, f: &Figures) -> Vec<Row> {
    let (n, minutes, size) = (r.launches, r.minutes, r.size);
    let (q, mem, series) = (&r.quotes, &r.memory.mem, &r.memory.series);
    let Figures {
        start_med,
        start_min,
        p50,
        p95,
        p99,
        qmax,
        qmean,
        mb,
        mibs,
        ..
    } = *f;
    let each = f
        .interactive
        .iter()
        .map(|v| format!("{v:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows = vec![
        row(
            format!("cold start to interactive window, median of {n} launches"),
            format!("{start_med:.0} ms"),
            "< 1500 ms",
            &ratio(start_med, START_TARGET_MS),
        ),
        row(
            "  each launch; min",
            format!("{each} ms; min {start_min:.0} ms"),
            "–",
            "–",
        ),
        row(
            "  where the time goes (medians)",
            format!(
                "session created {:.0} ms, page origin {:.0} ms, ready {:.0} ms, connected {:.0} ms",
                f.med_session, f.med_origin, f.med_ready, f.med_connected
            ),
            "–",
            "–",
        ),
        row(
            format!("quote refresh latency p99 ({QUOTE_RUNS} calls, IPC + quote)"),
            format!("{p99:.1} ms"),
            "< 10 ms",
            &ratio(p99, QUOTE_TARGET_MS),
        ),
        row(
            "  p50 / p95 / max",
            format!("{p50:.1} / {p95:.1} / {qmax:.1} ms"),
            "–",
            "–",
        ),
        row(
            "  mean; the same calls back to back (no idle between)",
            format!(
                "{qmean:.2} ms; {:.2} ms (page clock ticks {:.3} ms: percentiles within a tick)",
                q.block_mean, q.resolution
            ),
            "–",
            "–",
        ),
        row(
            "release binary size",
            format!("{mb:.2} MB ({mibs:.2} MiB, {size} bytes)"),
            "< 25 MB",
            &ratio(mb, SIZE_TARGET_MB),
        ),
        row(
            format!("resident memory after {minutes} min of use: total"),
            format!("{:.1} MiB", mib(mem.total())),
            "–",
            "–",
        ),
        row(
            "  app process",
            format!("{:.1} MiB", mib(mem.app)),
            "–",
            "–",
        ),
        row(
            "  WebKit processes",
            format!(
                "{:.1} MiB ({})",
                mib(mem.webkit),
                if mem.processes.is_empty() {
                    "none found".to_string()
                } else {
                    mem.processes.join(", ")
                }
            ),
            "–",
            "–",
        ),
        row(
            "  total over time (min: MiB)",
            series
                .iter()
                .map(|(m, k)| format!("{m}: {:.1}", mib(*k)))
                .collect::<Vec<_>>()
                .join(", "),
            "–",
            "–",
        ),
    ];
    if mem.other > 0 {
        rows.insert(
            9,
            row(
                "  other descendants",
                format!("{:.1} MiB", mib(mem.other)),
                "–",
                "–",
            ),
        );
    }
    rows
}

/// The content of `benchmarks/app.md`: the table and how it is measured.
fn markdown(r: &Results, rows: &[Row], date: &str, machine: &str) -> String {
    let (n, minutes) = (r.launches, r.minutes);
    let (load_start, load_end) = (&r.load_start, &r.load_end);
    let (sample, resolution) = (&r.quotes.sample, r.quotes.resolution);
    let (clicks, quotes) = (r.memory.clicks, r.memory.quotes);
    let mut md = String::new();
    let _ = writeln!(md, "# Desktop app benchmark\n");
    let _ = writeln!(
        md,
        "Measured {date} on {machine}, by `cargo xtask bench app` (load average {load_start} at the start, {load_end} at the end).\n"
    );
    md.push_str(&md_table(rows));
    let _ = write!(
        md,
        r#"
Ratios: result ÷ target (target < 1); memory has no target.

How it is measured (`src-tauri/examples/app_bench/`), on the release binary
(`cargo build --release -p tidepool-app`) in a 1280×900 Xvfb screen through
tauri-driver and WebKitWebDriver, against a seeded anvil devnet on loopback
(`TIDEPOOL_RPC`, `TIDEPOOL_CHAIN_ID`, `TIDEPOOL_MANIFEST`):

- **Cold start.** {n} launches, each a new WebDriver session (which starts the
  app) with a fresh, empty home and XDG directories; tauri-driver and
  WebKitWebDriver are already listening. From sending the new-session request
  to the page showing `#app[data-ready='true']` (first status received) and
  the status bar's connection `connected`, whichever comes last; the moments
  are taken in the page (a MutationObserver and a 5 ms poll, page clock) so
  WebDriver's own latency does not count. "Page origin" is the page's
  `performance.timeOrigin` (its navigation started).
- **Quote latency.** In the last launch's page, `swap_quote` ETH → USDC
  (exact in, amounts 0.001–2 ETH log-uniform) through
  `window.__TAURI_INTERNALS__.invoke`, one call at a time, each timed with
  `performance.now()`: the IPC round trip plus the quote (block number, route
  on the cached pool graph, plan) as the Swap screen waits for it.
  {QUOTE_WARMUP} warm-up calls, then {QUOTE_RUNS} measured; every call must
  succeed (e.g. {sample}). WebKit coarsens `performance.now()` to
  {resolution:.3} ms, so each call follows a random idle of 2–3 ms (a
  `setTimeout`: nothing spins), which starts it at a random phase of a tick;
  each reading is then the duration rounded up or down to a whole tick with
  the probability of its fraction: the mean is exact, a percentile within a
  tick. For comparison, the same calls back to back as one block (no idle
  between calls), whose mean needs no sub-tick precision.
- **Size.** The bytes of `target/release/tidepool-app` (MB = 10^6 bytes).
- **Memory.** A fresh launch used for {minutes} min: every second a tab is
  clicked (swap, pools, liquidity, history, wallet, settings in turn; dev
  account 1 selected on the first wallet visit) and a quote requested. Then
  VmRSS from `/proc/<pid>/status` of the app process and of its descendants
  (WebKit's web and network processes). Shared pages count in each process.
- Clicks {clicks}, quotes {quotes} during the memory run.
"#
    );
    md
}

/// The figures as JSON (`--json`).
fn to_json(r: &Results, f: &Figures, date: &str, machine: &str) -> Value {
    let mem = &r.memory.mem;
    json!({
        "date": date,
        "machine": machine,
        "load_average": { "start": r.load_start, "end": r.load_end },
        "start_ms": {
            "launches": f.interactive,
            "median": f.start_med,
            "min": f.start_min,
            "target": START_TARGET_MS,
            "ratio": f.start_med / START_TARGET_MS,
            "median_session": f.med_session,
            "median_origin": f.med_origin,
            "median_ready": f.med_ready,
            "median_connected": f.med_connected,
        },
        "quote_ms": {
            "runs": QUOTE_RUNS,
            "p50": f.p50, "p95": f.p95, "p99": f.p99, "max": f.qmax, "mean": f.qmean,
            "block_mean": r.quotes.block_mean,
            "clock_resolution": r.quotes.resolution,
            "target": QUOTE_TARGET_MS,
            "ratio": f.p99 / QUOTE_TARGET_MS,
        },
        "binary": {
            "bytes": r.size, "mb": f.mb, "mib": f.mibs,
            "target_mb": SIZE_TARGET_MB,
            "ratio": f.mb / SIZE_TARGET_MB,
        },
        "memory_mib": {
            "minutes": r.minutes,
            "app": mib(mem.app),
            "webkit": mib(mem.webkit),
            "other": mib(mem.other),
            "total": mib(mem.total()),
            "processes": mem.processes,
            "total_by_minute": r.memory.series.iter().map(|(m, k)| json!([m, mib(*k)])).collect::<Vec<_>>(),
        },
    })
}

/// Writes `benchmarks/app.md`, then prints the table, or the JSON with
/// `as_json`.
pub(crate) fn write(r: &Results, as_json: bool) -> Result<()> {
    let f = Figures::of(r);
    let rows = rows(r, &f);
    let date = cmd_out("date", &["-u", "+%F"]);
    let machine = format!(
        "{} × {}, {:.1} GiB RAM, {}",
        cmd_out("nproc", &[]),
        cpu_model(),
        meminfo_total_gib(),
        cmd_out("uname", &["-sr"])
    );
    let md = markdown(r, &rows, &date, &machine);
    let md_path = root().join("benchmarks/app.md");
    std::fs::write(&md_path, &md).with_context(|| format!("writing {}", md_path.display()))?;

    if as_json {
        let out = to_json(r, &f, &date, &machine);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("\nDesktop app benchmark, {date}, {machine}\n");
        print!("{}", text_table(&rows));
        println!("\nwritten to {}", md_path.display());
    }
    Ok(())
}
