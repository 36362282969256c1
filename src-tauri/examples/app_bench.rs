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
//! `benchmarks/app.md`. Usage:
//!
//! ```text
//! cargo run --release -p tidepool-app --example app_bench -- \
//!     --app target/release/tidepool-app [--json] [--minutes N] [--launches N]
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tidepool_sdk::devnet::{Devnet, Options};

/// Targets from the issue.
const START_TARGET_MS: f64 = 1500.0;
const QUOTE_TARGET_MS: f64 = 10.0;
const SIZE_TARGET_MB: f64 = 25.0;

/// Quote calls before the measured ones, and measured ones.
const QUOTE_WARMUP: usize = 20;
const QUOTE_RUNS: usize = 300;

/// The tabs cycled during the memory run.
const TABS: &[&str] = &[
    "nav-swap",
    "nav-pools",
    "nav-liquidity",
    "nav-history",
    "nav-wallet",
    "nav-settings",
];

/// Command-line options.
struct Args {
    app: PathBuf,
    json: bool,
    minutes: u64,
    launches: usize,
}

fn parse_args() -> Result<Args> {
    let mut app = None;
    let mut json = false;
    let mut minutes = 5;
    let mut launches = 5;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--app" => app = Some(PathBuf::from(value("--app")?)),
            "--json" => json = true,
            "--minutes" => {
                minutes = value("--minutes")?
                    .parse()
                    .context("--minutes takes a whole number")?;
            }
            "--launches" => {
                launches = value("--launches")?
                    .parse()
                    .context("--launches takes a whole number")?;
            }
            "-h" | "--help" => {
                println!(
                    "app_bench --app <path of the release tidepool-app> [--json] [--minutes N] [--launches N]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other:?} (see --help)"),
        }
    }
    let app = app.context("--app <path of the release tidepool-app> is required")?;
    let app = app
        .canonicalize()
        .with_context(|| format!("no app binary at {}", app.display()))?;
    if launches == 0 {
        bail!("--launches must be at least 1");
    }
    Ok(Args {
        app,
        json,
        minutes,
        launches,
    })
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn now_epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

// ---------------------------------------------------------------- processes

/// Signals a process by id (our children and their descendants only).
fn signal(pid: u32, sig: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, sig) };
    }
}

fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry, but its state is Z.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| stat_fields(&s).map(|(state, _)| state != 'Z'))
        .unwrap_or(false)
}

/// State and parent pid from a /proc/<pid>/stat line (the name may hold spaces
/// and parentheses, so fields are read after the last ')').
fn stat_fields(stat: &str) -> Option<(char, u32)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut f = rest.split_whitespace();
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Every live descendant of `root`, parents before children.
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(e.path().join("stat"))
                && let Some((_, ppid)) = stat_fields(&stat)
            {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for &c in children.get(&p).map_or(&[][..], Vec::as_slice) {
            out.push(c);
            todo.push(c);
        }
    }
    out
}

/// A process's short name (`comm`, at most 15 characters).
fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Resident memory in KiB (VmRSS), if the process is still there.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A child process, stopped on drop with its whole process tree (tauri-driver
/// → WebKitWebDriver → the app → WebKit's processes): SIGTERM, then SIGKILL
/// for whatever is left after a grace period.
struct Proc {
    child: Child,
    name: &'static str,
}

impl Proc {
    fn spawn(name: &'static str, cmd: &mut Command) -> Result<Self> {
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        Ok(Self { child, name })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let tree = descendants(self.pid());
        signal(self.pid(), libc::SIGTERM);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) && !self.exited() {
            std::thread::sleep(Duration::from_millis(20));
        }
        if !self.exited() {
            eprintln!("{} did not stop on SIGTERM; killing it", self.name);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Descendants the process did not take down with it.
        let left: Vec<u32> = tree.into_iter().filter(|&p| alive(p)).collect();
        for &p in &left {
            signal(p, libc::SIGTERM);
        }
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(2) && left.iter().any(|&p| alive(p)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        for &p in &left {
            if alive(p) {
                signal(p, libc::SIGKILL);
            }
        }
    }
}

/// Starts Xvfb on the first free display from :90; returns it and its name.
fn xvfb() -> Result<(Proc, String)> {
    for n in 90..200 {
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        let sock = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if lock.exists() || sock.exists() {
            continue;
        }
        let mut p = Proc::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .context("Xvfb (Debian package xvfb; cargo xtask setup installs it)")?;
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if sock.exists() {
                return Ok((p, format!(":{n}")));
            }
            if p.exited() {
                break; // lost a race for this display: try the next
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    bail!("no free X display for Xvfb")
}

/// The tauri-driver binary: `$TAURI_DRIVER`, else on PATH or in ~/.cargo/bin.
fn tauri_driver() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return Ok(p.into());
    }
    let mut dirs: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
        .context("tauri-driver is not installed (cargo xtask setup runs `cargo install tauri-driver --version ^2 --locked`)")
}

/// Waits until something listens on a loopback port.
fn wait_listening(port: u16, what: &str) -> Result<()> {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if t.elapsed() > Duration::from_secs(20) {
            bail!("{what} does not listen on port {port} after 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

// ---------------------------------------------------------------- sessions

/// What every launch shares: the display, the devnet and the app binary.
struct Bench {
    app: PathBuf,
    display: String,
    devnet: Devnet,
    manifest: PathBuf,
    usdc: String,
    logs: PathBuf,
    _work: tempfile::TempDir,
}

/// One launched app: its tauri-driver (which owns the app's process tree),
/// the WebDriver session and the app's fresh home directory.
struct Session {
    c: Client,
    driver: Proc,
    _home: tempfile::TempDir,
}

/// The cold start of one launch, in ms from the new-session request.
#[derive(Clone, Copy)]
struct Start {
    /// The new-session request returned (the app's window exists).
    session: f64,
    /// The page's time origin (its navigation started).
    origin: f64,
    /// `#app[data-ready='true']` seen.
    ready: f64,
    /// The status bar's connection `connected` seen.
    connected: f64,
    /// Both seen: the figure.
    interactive: f64,
}

/// Resolves once the app is ready and connected, with page-side timestamps
/// (epoch ms): a MutationObserver plus a 5 ms poll, so WebDriver's own
/// latency does not count.
const WAIT_INTERACTIVE_JS: &str = r##"
const done = arguments[arguments.length - 1];
const now = () => performance.timeOrigin + performance.now();
const t = { origin: performance.timeOrigin, href: location.href };
let finished = false;
const check = () => {
  if (finished) return;
  const at = now();
  if (t.ready === undefined && document.querySelector("#app[data-ready='true']")) t.ready = at;
  if (t.connected === undefined && document.querySelector("[data-testid='status-connection'][data-state='connected']")) t.connected = at;
  if ((t.ready !== undefined && t.connected !== undefined) || at - t.origin > 60000) {
    finished = true;
    observer.disconnect();
    done(t);
  }
};
const poll = () => {
  check();
  if (!finished) setTimeout(poll, 5);
};
const observer = new MutationObserver(check);
observer.observe(document, { subtree: true, childList: true, attributes: true });
poll();
"##;

/// Calls `swap_quote` for each amount in turn; resolves with the durations
/// (ms) of the calls that succeeded, the failure count and the first error.
///
/// WebKit coarsens `performance.now()` (to 1 ms outside cross-origin isolated
/// pages). With `precise`, each call follows a random idle of 2–3 ms (a
/// `setTimeout`, so nothing spins), which starts it at a random phase of a
/// clock tick: each reading is then the duration rounded up or down to a
/// whole tick, with the probability of its fraction, so the readings' mean is
/// the mean duration and a percentile is within a tick. The tick is measured
/// first. Then, for comparison, the same calls run back to back as one block
/// (no idle between calls), whose mean needs no sub-tick precision.
const QUOTES_JS: &str = r#"
const [tokenOut, amounts, precise, done] = arguments;
(async () => {
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const quote = (amount) => invoke("swap_quote", { req: { tokenIn: "ETH", tokenOut, amount, kind: "exactIn" } });
  const now = () => performance.now();
  const idle = (ms) => new Promise((r) => setTimeout(r, ms));
  let resolution = null;
  if (precise) {
    // The smallest step of the clock over a few ticks.
    let prev = now(), min = Infinity, steps = 0;
    while (steps < 20) { const t = now(); if (t !== prev) { min = Math.min(min, t - prev); prev = t; steps++; } }
    resolution = min;
  }
  const times = [];
  let failures = 0, firstError = null, sample = null;
  for (const amount of amounts) {
    if (precise) await idle(2 + Math.random());
    const start = now();
    try {
      const q = await quote(amount);
      const dt = now() - start;
      if (!q || typeof q.amountOut !== "string" || !(BigInt(q.amountOut) > 0n)) {
        throw new Error("unexpected quote: " + JSON.stringify(q));
      }
      times.push(dt);
      if (sample === null) sample = { amountIn: q.amountIn, amountOut: q.amountOut, hops: q.route.length };
    } catch (e) {
      failures += 1;
      if (firstError === null) firstError = typeof e === "string" ? e : JSON.stringify(e) || String(e);
    }
  }
  let blockMean = null;
  if (precise && failures === 0) {
    const t0 = now();
    for (const amount of amounts) await quote(amount);
    blockMean = (now() - t0) / amounts.length;
  }
  done({ times, failures, firstError, sample, resolution, blockMean });
})().catch((e) => done({ times: [], failures: amounts.length, firstError: String(e), sample: null }));
"#;

/// What the quote calls gave.
struct Quotes {
    /// Duration of each call, ms.
    times: Vec<f64>,
    /// The first quote (amounts and hops), for the report.
    sample: Value,
    /// The page clock's resolution, ms (precise runs).
    resolution: f64,
    /// Mean of the same calls timed back to back as one block, ms (precise runs).
    block_mean: f64,
}

impl Bench {
    /// Starts tauri-driver with a fresh home and the devnet's environment, and
    /// waits until it and WebKitWebDriver listen (not part of any figure).
    fn driver(&self, name: &str) -> Result<(Proc, u16, tempfile::TempDir)> {
        let home = tempfile::tempdir()?;
        let h = home.path();
        std::fs::create_dir_all(h.join("runtime"))?;
        let port = free_port()?;
        let native = free_port()?;
        let log = std::fs::File::create(self.logs.join(format!("{name}.log")))
            .context("creating the app's log file")?;
        let driver = Proc::spawn(
            "tauri-driver",
            Command::new(tauri_driver()?)
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native.to_string(),
                ])
                .env("DISPLAY", &self.display)
                .env("HOME", h)
                .env("XDG_CONFIG_HOME", h.join("config"))
                .env("XDG_DATA_HOME", h.join("data"))
                .env("XDG_CACHE_HOME", h.join("cache"))
                .env("XDG_DOWNLOAD_DIR", h.join("downloads"))
                .env("XDG_RUNTIME_DIR", h.join("runtime"))
                .env("LIBGL_ALWAYS_SOFTWARE", "1")
                .env("TIDEPOOL_LOG", "info")
                .env("TIDEPOOL_RPC", &self.devnet.url)
                .env("TIDEPOOL_CHAIN_ID", "31337")
                .env("TIDEPOOL_MANIFEST", &self.manifest)
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log),
        )?;
        wait_listening(port, "tauri-driver")?;
        wait_listening(native, "WebKitWebDriver")?;
        Ok((driver, port, home))
    }

    /// Launches the app (a new WebDriver session) and waits until it is
    /// interactive; returns the session and its cold-start timings.
    async fn launch(&self, name: &str) -> Result<(Session, Start)> {
        let (driver, port, home) = self.driver(name)?;
        let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
            "browserName": "wry",
            "tauri:options": { "application": self.app }
        }))?;
        let url = format!("http://127.0.0.1:{port}");
        let t0 = Instant::now();
        let t0_epoch = now_epoch_ms();
        let log = self.logs.join(format!("{name}.log"));
        let c = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::native().capabilities(caps).connect(&url),
        )
        .await
        .map_err(|_| {
            anyhow!(
                "no WebDriver session after 60 s: the app did not start (see {})",
                log.display()
            )
        })?
        .with_context(|| format!("no WebDriver session (see {})", log.display()))?;
        let session_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let session = Session {
            c,
            driver,
            _home: home,
        };
        session
            .c
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(120)),
                None,
                None,
            ))
            .await?;
        // The script is lost if the page navigates while it runs: retry.
        let t = loop {
            match session.c.execute_async(WAIT_INTERACTIVE_JS, vec![]).await {
                Ok(v) if v.get("ready").is_some() && v.get("connected").is_some() => break v,
                Ok(v) if t0.elapsed() > Duration::from_secs(60) => {
                    bail!("{name}: the app was not ready and connected within 60 s: {v}")
                }
                Err(e) if t0.elapsed() > Duration::from_secs(60) => {
                    bail!("{name}: the app was not ready and connected within 60 s: {e}")
                }
                _ => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        let at = |k: &str| t.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN) - t0_epoch;
        let (ready, connected) = (at("ready"), at("connected"));
        Ok((
            session,
            Start {
                session: session_ms,
                origin: at("origin"),
                ready,
                connected,
                interactive: ready.max(connected),
            },
        ))
    }

    /// Quotes ETH → USDC for each amount through the page (see [`QUOTES_JS`]);
    /// fails on any failed call.
    async fn quotes(&self, s: &Session, amounts: &[String], precise: bool) -> Result<Quotes> {
        let v =
            s.c.execute_async(
                QUOTES_JS,
                vec![json!(self.usdc), json!(amounts), json!(precise)],
            )
            .await
            .context("running the quote calls in the page")?;
        let failures = v.get("failures").and_then(Value::as_u64).unwrap_or(0);
        if failures > 0 {
            bail!(
                "{failures} of {} swap_quote calls failed; the first: {}",
                amounts.len(),
                v.get("firstError").unwrap_or(&Value::Null)
            );
        }
        let times: Vec<f64> = v
            .get("times")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        if times.len() != amounts.len() {
            bail!("{} timings for {} quotes: {v}", times.len(), amounts.len());
        }
        let num = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        Ok(Quotes {
            times,
            sample: v.get("sample").cloned().unwrap_or(Value::Null),
            resolution: num("resolution"),
            block_mean: num("blockMean"),
        })
    }
}

impl Session {
    /// The app's process: the descendant of tauri-driver running the binary.
    fn app_pid(&self, app: &Path) -> Result<u32> {
        descendants(self.driver.pid())
            .into_iter()
            .find(|&p| {
                std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|exe| exe == app)
                    || comm(p) == "tidepool-app"
            })
            .context("the app's process is not among tauri-driver's descendants")
    }

    /// Clicks an element by test id, waiting up to 10 s for it.
    async fn click(&self, id: &str) -> Result<()> {
        let e = self
            .c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("[data-testid='{id}']")))
            .await
            .with_context(|| format!("no element {id}"))?;
        e.click()
            .await
            .with_context(|| format!("cannot click {id}"))?;
        Ok(())
    }

    /// Ends the WebDriver session (closing the app), then stops tauri-driver.
    async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.c.close()).await;
        drop(self.driver);
    }
}

/// Memory of the app's process tree, in KiB.
struct Memory {
    app: u64,
    webkit: u64,
    other: u64,
    /// "name ×count" of the descendants.
    processes: Vec<String>,
}

impl Memory {
    fn total(&self) -> u64 {
        self.app + self.webkit + self.other
    }

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

// ---------------------------------------------------------------- figures

fn median(v: &[f64]) -> f64 {
    percentile(v, 50.0)
}

/// Nearest-rank percentile.
fn percentile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Deterministic amounts from 0.001 to 2 ETH (wei), log-uniform.
fn amounts(n: usize) -> Vec<String> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let milli_eth = 10f64.powf(u * 2000f64.log10()); // 1 .. 2000
            let wei = (milli_eth * 1e15) as u128;
            wei.max(1_000_000_000_000_000).to_string()
        })
        .collect()
}

fn cmd_out(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}

fn meminfo_total_gib() -> f64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0 / 1024.0)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// One row of the table.
struct Row {
    figure: String,
    result: String,
    target: String,
    ratio: String,
}

fn row(figure: impl Into<String>, result: impl Into<String>, target: &str, ratio: &str) -> Row {
    Row {
        figure: figure.into(),
        result: result.into(),
        target: target.into(),
        ratio: ratio.into(),
    }
}

fn ratio(v: f64, target: f64) -> String {
    format!("{:.3}", v / target)
}

fn text_table(rows: &[Row]) -> String {
    let heads = ["figure", "result", "target", "ratio"];
    let cells = |r: &Row| {
        [
            r.figure.clone(),
            r.result.clone(),
            r.target.clone(),
            r.ratio.clone(),
        ]
    };
    let mut w = heads.map(|h| h.chars().count());
    for r in rows {
        for (i, c) in cells(r).iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |c: [String; 4]| {
        let pad = |s: &str, n: usize| format!("{s}{}", " ".repeat(n - s.chars().count()));
        format!(
            "{} | {} | {} | {}\n",
            pad(&c[0], w[0]),
            pad(&c[1], w[1]),
            pad(&c[2], w[2]),
            c[3]
        )
    };
    let mut out = line(heads.map(str::to_string));
    out.push_str(&format!(
        "{}-+-{}-+-{}-+-{}\n",
        "-".repeat(w[0]),
        "-".repeat(w[1]),
        "-".repeat(w[2]),
        "-".repeat(w[3])
    ));
    for r in rows {
        out.push_str(&line(cells(r)));
    }
    out
}

fn md_table(rows: &[Row]) -> String {
    let mut out = String::from("| figure | result | target | ratio |\n|---|---:|---|---:|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            r.figure, r.result, r.target, r.ratio
        );
    }
    out
}

// ---------------------------------------------------------------- the run

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let log = |msg: &str| {
        if !args.json {
            eprintln!("{msg}");
        }
    };
    let load_start = loadavg();

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

    let (_x, display) = xvfb()?;
    log("starting the devnet…");
    let devnet = Devnet::start(&Options {
        port: 0,
        anvil: Some(root().join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")),
        ..Options::default()
    })
    .await
    .context("starting the devnet")?;
    let work = tempfile::tempdir()?;
    let manifest = work.path().join("31337.json");
    devnet.manifest.save(&manifest)?;
    let usdc = devnet
        .manifest
        .tokens
        .iter()
        .find(|t| t.symbol == "USDC")
        .context("the devnet has no USDC")?
        .address
        .to_checksum(None);
    let bench = Bench {
        app: args.app.clone(),
        display,
        devnet,
        manifest,
        usdc,
        logs,
        _work: work,
    };

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
    let (quote_ms, sample, resolution) = (&q.times, &q.sample, q.resolution);
    session.close().await;

    // 4. Memory after N minutes of use.
    let (session, _) = bench.launch("memory").await?;
    let app_pid = session.app_pid(&bench.app)?;
    let rss_start = Memory::read(app_pid)?;
    let use_for = Duration::from_secs(args.minutes * 60);
    log(&format!(
        "memory: {} min of use (tabs, a dev account, a quote per second)…",
        args.minutes
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
        let amount = &all[(ticks as usize) % all.len()];
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
    let load_end = loadavg();

    // Figures.
    let interactive: Vec<f64> = starts.iter().map(|s| s.interactive).collect();
    let start_med = median(&interactive);
    let start_min = interactive.iter().copied().fold(f64::INFINITY, f64::min);
    let med = |f: fn(&Start) -> f64| median(&starts.iter().map(f).collect::<Vec<_>>());
    let (p50, p95, p99) = (
        percentile(quote_ms, 50.0),
        percentile(quote_ms, 95.0),
        percentile(quote_ms, 99.0),
    );
    let qmax = quote_ms.iter().copied().fold(0.0, f64::max);
    let qmean = quote_ms.iter().sum::<f64>() / quote_ms.len() as f64;
    let mb = size as f64 / 1e6;
    let mibs = size as f64 / (1024.0 * 1024.0);
    let n = args.launches;
    let minutes = args.minutes;

    let each = interactive
        .iter()
        .map(|v| format!("{v:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
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
                med(|s| s.session),
                med(|s| s.origin),
                med(|s| s.ready),
                med(|s| s.connected)
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
    let mut rows = rows;
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

    let date = cmd_out("date", &["-u", "+%F"]);
    let machine = format!(
        "{} × {}, {:.1} GiB RAM, {}",
        cmd_out("nproc", &[]),
        cpu_model(),
        meminfo_total_gib(),
        cmd_out("uname", &["-sr"])
    );
    let mut md = String::new();
    let _ = writeln!(md, "# Desktop app benchmark\n");
    let _ = writeln!(
        md,
        "Measured {date} on {machine}, by `cargo xtask bench app` (load average {load_start} at the start, {load_end} at the end).\n"
    );
    md.push_str(&md_table(&rows));
    let _ = write!(
        md,
        r#"
Ratios: result ÷ target (target < 1); memory has no target.

How it is measured (`src-tauri/examples/app_bench.rs`), on the release binary
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
    let md_path = root().join("benchmarks/app.md");
    std::fs::write(&md_path, &md).with_context(|| format!("writing {}", md_path.display()))?;

    if args.json {
        let out = json!({
            "date": date,
            "machine": machine,
            "load_average": { "start": load_start, "end": load_end },
            "start_ms": {
                "launches": interactive,
                "median": start_med,
                "min": start_min,
                "target": START_TARGET_MS,
                "ratio": start_med / START_TARGET_MS,
                "median_session": med(|s| s.session),
                "median_origin": med(|s| s.origin),
                "median_ready": med(|s| s.ready),
                "median_connected": med(|s| s.connected),
            },
            "quote_ms": {
                "runs": QUOTE_RUNS,
                "p50": p50, "p95": p95, "p99": p99, "max": qmax, "mean": qmean,
                "block_mean": q.block_mean,
                "clock_resolution": q.resolution,
                "target": QUOTE_TARGET_MS,
                "ratio": p99 / QUOTE_TARGET_MS,
            },
            "binary": {
                "bytes": size, "mb": mb, "mib": mibs,
                "target_mb": SIZE_TARGET_MB,
                "ratio": mb / SIZE_TARGET_MB,
            },
            "memory_mib": {
                "minutes": minutes,
                "app": mib(mem.app),
                "webkit": mib(mem.webkit),
                "other": mib(mem.other),
                "total": mib(mem.total()),
                "processes": mem.processes,
                "total_by_minute": series.iter().map(|(m, k)| json!([m, mib(*k)])).collect::<Vec<_>>(),
            },
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("\nDesktop app benchmark, {date}, {machine}\n");
        print!("{}", text_table(&rows));
        println!("\nwritten to {}", md_path.display());
    }
    Ok(())
}
