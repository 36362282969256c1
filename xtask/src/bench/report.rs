//! The gas comparison as a terminal table, Markdown (benchmarks/gas.md) and JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// One operation's result.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What was measured.
    pub operation: String,
    /// Uniswap V2's gas.
    pub uniswap_v2: u64,
    /// Tidepool's gas.
    pub tidepool: u64,
    /// The floor's gas: the same operation by a contract doing only what
    /// V2's interface forces (contracts/bench/Floor.sol).
    pub floor: u64,
    /// Tidepool / Uniswap V2.
    pub ratio: f64,
    /// Tidepool's gas above the floor / Uniswap V2's gas above the floor.
    pub overhead_ratio: f64,
    /// The ratio to stay under, if any.
    pub target: Option<f64>,
    /// Whether the target is met (`None` without a target).
    pub pass: Option<bool>,
}

impl Row {
    /// A row from the two measurements.
    pub fn new(
        operation: &str,
        uniswap_v2: u64,
        tidepool: u64,
        floor: u64,
        target: Option<f64>,
    ) -> Self {
        let ratio = tidepool as f64 / uniswap_v2 as f64;
        let over = |g: u64| g as f64 - floor as f64;
        Row {
            operation: operation.to_string(),
            uniswap_v2,
            tidepool,
            floor,
            ratio,
            overhead_ratio: over(tidepool) / over(uniswap_v2),
            target,
            pass: target.map(|t| ratio <= t),
        }
    }

    fn cells(&self) -> [String; COLUMNS] {
        let over = |g: u64| (g as i64 - self.floor as i64).to_string();
        [
            self.operation.clone(),
            self.uniswap_v2.to_string(),
            self.tidepool.to_string(),
            format!("{:.3}", self.ratio),
            self.floor.to_string(),
            over(self.uniswap_v2),
            over(self.tidepool),
            format!("{:.3}", self.overhead_ratio),
            self.target.map_or("–".into(), |t| format!("≤ {t:.2}")),
            match self.pass {
                Some(true) => "PASS".into(),
                Some(false) => "MISS".into(),
                None => "–".into(),
            },
        ]
    }
}

/// The whole benchmark result.
#[derive(Debug, Serialize)]
pub struct Report {
    /// UTC date of the run (YYYY-MM-DD).
    pub date: String,
    /// `anvil --version`, first line.
    pub anvil: String,
    /// One row per operation.
    pub rows: Vec<Row>,
}

const COLUMNS: usize = 10;
const HEADER: [&str; COLUMNS] = [
    "operation",
    "Uniswap V2 gas",
    "Tidepool gas",
    "ratio",
    "floor gas",
    "V2 over floor",
    "Tidepool over floor",
    "overhead ratio",
    "target",
    "",
];
const RIGHT_ALIGNED: [bool; COLUMNS] = [
    false, true, true, true, true, true, true, true, false, false,
];

impl Report {
    /// A plain-text table for the terminal.
    pub fn table(&self) -> String {
        let rows: Vec<[String; COLUMNS]> = self.rows.iter().map(Row::cells).collect();
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([HEADER[i].len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..COLUMNS).map(width).collect();
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| pad(c, widths[i], RIGHT_ALIGNED[i]))
                .collect();
            parts.join("  ").trim_end().to_string()
        };
        let mut out = vec![line(&HEADER.map(String::from))];
        out.extend(rows.iter().map(|r| line(r)));
        out.join("\n")
    }

    /// The Markdown page written to benchmarks/gas.md.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        md.push_str("# Gas: Tidepool vs Uniswap V2\n\n");
        md.push_str(&format!(
            "Measured {} on {} (`--hardfork cancun`) with `cargo xtask bench gas`.\n\n",
            self.date, self.anvil
        ));
        md.push_str(&format!("| {} |\n", HEADER.join(" | ")));
        md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for row in &self.rows {
            md.push_str(&format!("| {} |\n", row.cells().join(" | ")));
        }
        md.push_str(
            "\nHow it is measured: receipt `gasUsed` (so including the 21,000 base cost and \
             calldata) of transactions on a local anvil, from the same account, trading the same \
             ERC-20 contract (contracts/src/devnet/TestToken.sol, same instances) through pools of \
             the same sizes. Uniswap V2 is its official bytecode from npm (@uniswap/v2-core 1.0.1, \
             @uniswap/v2-periphery 1.1.0-beta.0). Each block is 12 s after the previous one, so every \
             trade pays the price-oracle update as on a live chain. Every operation except pair \
             creation is run once to warm storage and the repeat is measured (steady state: the \
             recipient already holds the output token, approvals are set). Pair creation is the first \
             liquidity of a fresh token pair on a factory that already has pairs. Targets are ratios \
             Tidepool/V2 to stay at or under.\n\n\
             The floor is the same operation on the same chain and tokens by contracts/bench/Floor.sol: \
             an exchange that does only what V2's interface forces (the token transfers, reading the \
             pair's balances, the reserve and price-accumulator writes, the LP token's writes, the \
             pools list and the events) and nothing else — no K check, no slippage, deadline, fee or \
             lock. \"Over floor\" is each implementation's gas above it; the overhead ratio is \
             Tidepool's over V2's: the share of V2's avoidable cost that Tidepool still pays.\n",
        );
        md
    }
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.chars().count()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_date(days: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }

    #[test]
    fn pass_means_at_or_under_target() {
        assert_eq!(Row::new("x", 1000, 800, 500, Some(0.80)).pass, Some(true));
        assert_eq!(
            Row::new("x", 100_000, 80_001, 50_000, Some(0.80)).pass,
            Some(false)
        );
        assert_eq!(Row::new("x", 1000, 900, 500, None).pass, None);
    }

    #[test]
    fn table_and_markdown_have_every_row() {
        let report = Report {
            date: "2026-01-01".into(),
            anvil: "anvil Version: 1.7.1".into(),
            rows: vec![Row::new("swap", 100_000, 75_000, 50_000, Some(0.8))],
        };
        assert!(report.table().contains("0.750"));
        assert!(report.markdown().contains(
            "| swap | 100000 | 75000 | 0.750 | 50000 | 50000 | 25000 | 0.500 | ≤ 0.80 | PASS |"
        ));
    }
}
