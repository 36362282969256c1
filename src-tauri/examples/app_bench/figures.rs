//! The figures derived from what was measured ([`Figures`]): medians,
//! percentiles and sizes, and the targets they are compared with.

use crate::report::Results;
use crate::start::Start;

/// Targets from the issue. Cold start to interactive window (median), ms.
pub(crate) const START_TARGET_MS: f64 = 1500.0;
/// Target quote refresh latency (p99), ms.
pub(crate) const QUOTE_TARGET_MS: f64 = 10.0;
/// Target release binary size, MB.
pub(crate) const SIZE_TARGET_MB: f64 = 25.0;

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

/// The figures derived from the results (ms unless said).
pub(crate) struct Figures {
    /// Each launch's time to interactive.
    pub(crate) interactive: Vec<f64>,
    /// Median time to interactive.
    pub(crate) start_med: f64,
    /// Shortest time to interactive.
    pub(crate) start_min: f64,
    /// Median time to the new session's return.
    pub(crate) med_session: f64,
    /// Median time to the page's time origin.
    pub(crate) med_origin: f64,
    /// Median time to `data-ready`.
    pub(crate) med_ready: f64,
    /// Median time to `connected`.
    pub(crate) med_connected: f64,
    /// Quote call duration, 50th percentile.
    pub(crate) p50: f64,
    /// Quote call duration, 95th percentile.
    pub(crate) p95: f64,
    /// Quote call duration, 99th percentile.
    pub(crate) p99: f64,
    /// Longest quote call.
    pub(crate) qmax: f64,
    /// Mean quote call.
    pub(crate) qmean: f64,
    /// The binary size in MB (10^6 bytes).
    pub(crate) mb: f64,
    /// The binary size in MiB.
    pub(crate) mibs: f64,
}

impl Figures {
    /// The figures of `r`.
    pub(crate) fn of(r: &Results) -> Self {
        let interactive: Vec<f64> = r.starts.iter().map(|s| s.interactive).collect();
        let start_med = median(&interactive);
        let start_min = interactive.iter().copied().fold(f64::INFINITY, f64::min);
        let med = |f: fn(&Start) -> f64| median(&r.starts.iter().map(f).collect::<Vec<_>>());
        let quote_ms = &r.quotes.times;
        Self {
            start_med,
            start_min,
            med_session: med(|s| s.session),
            med_origin: med(|s| s.origin),
            med_ready: med(|s| s.ready),
            med_connected: med(|s| s.connected),
            p50: percentile(quote_ms, 50.0),
            p95: percentile(quote_ms, 95.0),
            p99: percentile(quote_ms, 99.0),
            qmax: quote_ms.iter().copied().fold(0.0, f64::max),
            qmean: quote_ms.iter().sum::<f64>() / quote_ms.len() as f64,
            mb: r.size as f64 / 1e6,
            mibs: r.size as f64 / (1024.0 * 1024.0),
            interactive,
        }
    }
}
