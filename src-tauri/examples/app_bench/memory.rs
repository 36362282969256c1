//! Resident memory after minutes of use: a fresh launch driven through the
//! tabs with a quote every second ([`run`]), then the VmRSS of the app and its
//! descendants from /proc ([`Memory`]).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use tidepool_testkit::procs::{comm, descendants};

use crate::setup::Bench;

/// The tabs cycled during the memory run.
const TABS: &[&str] = &[
    "nav-swap",
    "nav-pools",
    "nav-liquidity",
    "nav-history",
    "nav-wallet",
    "nav-settings",
];

/// Resident memory in KiB (VmRSS), if the process is still there.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// KiB to MiB.
pub(crate) fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Memory of the app's process tree, in KiB.
pub(crate) struct Memory {
    /// The app process.
    pub(crate) app: u64,
    /// Its WebKit descendants.
    pub(crate) webkit: u64,
    /// Its other descendants.
    pub(crate) other: u64,
    /// "name ×count" of the descendants.
    pub(crate) processes: Vec<String>,
}

impl Memory {
    /// The whole tree.
    pub(crate) fn total(&self) -> u64 {
        self.app + self.webkit + self.other
    }

    /// Reads the tree of `app_pid` now; fails if the app has exited.
    fn read(app_pid: u32) -> Result<Self> {
        let app = rss_kib(app_pid).context("the app exited")?;
        let (mut webkit, mut other) = (0, 0);
        let mut names: Vec<(String, usize)> = Vec::new();
        for p in descendants(app_pid) {
            let Some(kib) = rss_kib(p) else { continue };
            let name = comm(p);
            if name.starts_with("WebKit") {
                webkit += kib;
            } else {
                other += kib;
            }
            match names.iter_mut().find(|(n, _)| *n == name) {
                Some((_, k)) => *k += 1,
                None => names.push((name, 1)),
            }
        }
        let processes = names
            .into_iter()
            .map(|(n, k)| if k == 1 { n } else { format!("{n} ×{k}") })
            .collect();
        Ok(Self {
            app,
            webkit,
            other,
            processes,
        })
    }
}

/// What the memory run gave.
pub(crate) struct MemoryRun {
    /// The tree's memory at the end.
    pub(crate) mem: Memory,
    /// (minute, total KiB) at the start and after each whole minute.
    pub(crate) series: Vec<(u64, u64)>,
    /// Tabs clicked.
    pub(crate) clicks: u64,
    /// Quotes requested.
    pub(crate) quotes: u64,
}

/// Launches the app afresh and uses it for `minutes`: every second a tab is
/// clicked (dev account 1 selected on the first wallet visit) and a quote
/// requested for the next of `amounts`; the memory is read every minute and
/// at the end. `log` prints progress.
pub(crate) async fn run(
    bench: &Bench,
    minutes: u64,
    amounts: &[String],
    log: &dyn Fn(&str),
) -> Result<MemoryRun> {
    let (session, _) = bench.launch("memory").await?;
    let app_pid = session.app_pid(&bench.app)?;
    let rss_start = Memory::read(app_pid)?;
    let use_for = Duration::from_secs(minutes * 60);
    log(&format!(
        "memory: {minutes} min of use (tabs, a dev account, a quote per second)…"
    ));
    let mut series = vec![(0u64, rss_start.total())];
    let (mut ticks, mut clicks, mut quotes) = (0u64, 0u64, 0u64);
    let mut used_dev = false;
    let t = Instant::now();
    while t.elapsed() < use_for {
        let tick_at = Duration::from_secs(ticks);
        if let Some(wait) = tick_at.checked_sub(t.elapsed()) {
            tokio::time::sleep(wait).await;
        }
        let tab = TABS[(ticks as usize) % TABS.len()];
        session.click(tab).await?;
        clicks += 1;
        if tab == "nav-wallet" && !used_dev {
            session.click("wallet-dev-use-1").await?;
            used_dev = true;
        }
        let amount = &amounts[(ticks as usize) % amounts.len()];
        bench
            .quotes(&session, std::slice::from_ref(amount), false)
            .await
            .with_context(|| format!("quote {} of the memory run", quotes + 1))?;
        quotes += 1;
        ticks += 1;
        if ticks % 60 == 0 {
            let m = Memory::read(app_pid)?;
            series.push((ticks / 60, m.total()));
            log(&format!(
                "  {} min: total {:.1} MiB (app {:.1}, WebKit {:.1})",
                ticks / 60,
                mib(m.total()),
                mib(m.app),
                mib(m.webkit)
            ));
        }
    }
    let mem = Memory::read(app_pid)?;
    session.close().await;
    Ok(MemoryRun {
        mem,
        series,
        clicks,
        quotes,
    })
}
