//! The results table (Markdown, printed and written to benchmarks/indexer.md)
//! and the machine it was measured on.

use std::time::{SystemTime, UNIX_EPOCH};

/// One line of the table.
pub struct Row {
    /// What is measured.
    pub figure: String,
    /// The measured value, formatted.
    pub value: String,
    /// The target or reference, formatted ("–" if none).
    pub target: String,
    /// Value relative to the target (`None` if not applicable).
    pub ratio: Option<f64>,
    /// Whether the target is met (`None` for reference figures).
    pub met: Option<bool>,
}

impl Row {
    /// A figure without a target.
    pub fn info(figure: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            figure: figure.into(),
            value: value.into(),
            target: "–".into(),
            ratio: None,
            met: None,
        }
    }

    /// The row as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "figure": self.figure,
            "value": self.value,
            "target": self.target,
            "ratio": self.ratio,
            "met": self.met,
        })
    }
}

/// A Markdown table of `rows`.
pub fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| figure | value | target / reference | ratio | |\n|---|---:|---|---:|---|\n",
    );
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.figure,
            r.value,
            r.target,
            r.ratio.map_or("–".into(), |x| format!("{x:.3}")),
            match r.met {
                Some(true) => "met",
                Some(false) => "MISSED",
                None => "",
            }
        ));
    }
    s
}

/// Today's UTC date as YYYY-MM-DD.
pub fn date() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // H. Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `nproc` and the CPU model.
pub fn machine() -> (usize, String) {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    (cpus, model)
}

/// anvil's version line.
pub fn anvil_version() -> String {
    tidepool_testkit::try_anvil()
        .ok()
        .and_then(|a| std::process::Command::new(a).arg("--version").output().ok())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "anvil (unknown version)".into())
}

/// p-th percentile of sorted values (nearest rank).
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The 1-minute load average (other work on the machine skews the figures).
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}
