//! The results table (Markdown, printed and written to benchmarks/indexer.md)
//! and the machine it was measured on.

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

pub use tidepool_testkit::bench::{anvil_version, date, machine};

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

/// CPU seconds (user + system) spent by process `pid`, the children it has
/// reaped and, with `live_children`, the children still running (the
/// PostgreSQL postmaster reaps each connection's backend when it ends).
pub fn cpu_secs(pid: u32, live_children: bool) -> f64 {
    // Fields after the command's closing parenthesis: state is the first.
    fn fields(pid: &str) -> Option<Vec<u64>> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        Some(
            rest.split_whitespace()
                .skip(1)
                .map(|f| f.parse().unwrap_or(0))
                .collect(),
        )
    }
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    // After the state: ppid is index 0, utime 10, stime 11, cutime 12, cstime 13.
    let own = fields(&pid.to_string()).map_or(0, |f| f[10] + f[11] + f[12] + f[13]);
    let mut ticks = own;
    if live_children && let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let name = e.file_name();
            let Some(name) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            if let Some(f) = fields(name).filter(|f| f[0] == u64::from(pid)) {
                ticks += f[10] + f[11];
            }
        }
    }
    ticks as f64 / tick
}
