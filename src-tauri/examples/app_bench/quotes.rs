//! Quote refresh latency: `swap_quote` ETH → USDC called from the page
//! through Tauri's IPC and timed there ([`Quotes`]), on deterministic amounts.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::launch::Session;
use crate::setup::Bench;

/// Quote calls before the measured ones (warm-up).
pub(crate) const QUOTE_WARMUP: usize = 20;
/// Measured quote calls.
pub(crate) const QUOTE_RUNS: usize = 300;

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
const [tokenIn, tokenOut, amounts, precise, done] = arguments;
(async () => {
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const quote = (amount) => invoke("swap_quote", { req: { tokenIn, tokenOut, amount, kind: "exactIn" } });
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
pub(crate) struct Quotes {
    /// Duration of each call, ms.
    pub(crate) times: Vec<f64>,
    /// The first quote (amounts and hops), for the report.
    pub(crate) sample: Value,
    /// The page clock's resolution, ms (precise runs).
    pub(crate) resolution: f64,
    /// Mean of the same calls timed back to back as one block, ms (precise runs).
    pub(crate) block_mean: f64,
}

impl Bench {
    /// Quotes ETH → USDC for each amount through the page (see [`QUOTES_JS`]);
    /// fails on any failed call.
    pub(crate) async fn quotes(
        &self,
        s: &Session,
        amounts: &[String],
        precise: bool,
    ) -> Result<Quotes> {
        let pair = ("ETH".to_string(), self.usdc.clone());
        self.quotes_between(s, &pair, amounts, precise).await
    }

    /// Quotes `pair.0` → `pair.1` (exact in) for each amount through the page.
    pub(crate) async fn quotes_between(
        &self,
        s: &Session,
        pair: &(String, String),
        amounts: &[String],
        precise: bool,
    ) -> Result<Quotes> {
        let v =
            s.c.execute_async(
                QUOTES_JS,
                vec![json!(pair.0), json!(pair.1), json!(amounts), json!(precise)],
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

/// Deterministic amounts from 0.001 to 2 ETH (wei), log-uniform.
pub(crate) fn amounts(n: usize) -> Vec<String> {
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
