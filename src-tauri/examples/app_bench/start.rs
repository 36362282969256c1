//! Cold start: launches the app through a new WebDriver session and times,
//! in the page, until it is ready and connected ([`Start`]).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use fantoccini::wd::TimeoutConfiguration;
use serde_json::Value;

use crate::launch::Session;
use crate::setup::Bench;

fn now_epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The cold start of one launch, in ms from the new-session request.
#[derive(Clone, Copy)]
pub(crate) struct Start {
    /// The new-session request returned (the app's window exists).
    pub(crate) session: f64,
    /// The page's time origin (its navigation started).
    pub(crate) origin: f64,
    /// `#app[data-ready='true']` seen.
    pub(crate) ready: f64,
    /// The status bar's connection `connected` seen.
    pub(crate) connected: f64,
    /// Both seen: the figure.
    pub(crate) interactive: f64,
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

impl Bench {
    /// Launches the app (a new WebDriver session) and waits until it is
    /// interactive; returns the session and its cold-start timings.
    pub(crate) async fn launch(&self, name: &str) -> Result<(Session, Start)> {
        let (driver, home) = self.driver(name)?;
        let t0 = Instant::now();
        let t0_epoch = now_epoch_ms();
        let log = self.logs.join(format!("{name}.log"));
        let c = driver
            .session(&self.app, Duration::from_secs(60))
            .await
            .with_context(|| format!("the app did not start (see {})", log.display()))?;
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
}
