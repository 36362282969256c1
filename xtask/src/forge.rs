//! forge invocations shared by `test`, `snapshot`, `check-abi` and `bench`.

use anyhow::Result;

use crate::proc::Cmd;
use crate::ws;

/// The gas snapshot file (forge's default location), committed.
pub const SNAPSHOT_FILE: &str = ".gas-snapshot";

/// Tests left out of the gas snapshot. Invariant campaigns depend on call
/// sequences and are not a gas measurement; every other test is included
/// (fuzz tests are deterministic: foundry.toml fixes the fuzz seed).
pub const SNAPSHOT_NO_MATCH_TEST: &str = "^(invariant|statefulFuzz)";

/// Allowed gas deviation from `.gas-snapshot`, in percent.
pub const SNAPSHOT_TOLERANCE_PCT: &str = "1";

/// A `forge` command.
pub fn forge() -> Cmd {
    Cmd::new(ws::forge())
}

/// `forge fmt --check`.
pub fn fmt_check() -> Result<()> {
    forge().args(["fmt", "--check"]).run()
}

/// `forge build` of everything (sources, tests, scripts).
pub fn build_all() -> Result<()> {
    forge().arg("build").run()
}

/// `forge build contracts/src`: just the contracts (what check-abi and the
/// benchmark need), so that tests being edited cannot break them.
pub fn build_src() -> Result<()> {
    forge().args(["build", "contracts/src"]).run()
}

/// `forge build contracts/bench`: the gas benchmark's floor contracts.
pub fn build_bench() -> Result<()> {
    forge().args(["build", "contracts/bench"]).run()
}

/// How many forge tests passed, failed and were skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests that were skipped.
    pub skipped: u64,
}

/// `forge test`, with `FOUNDRY_PROFILE=deep` for the long fuzz/invariant
/// campaigns; returns forge's own totals.
pub fn test(deep: bool) -> Result<TestCounts> {
    let mut cmd = forge().args(["test"]);
    if deep {
        cmd = cmd.env("FOUNDRY_PROFILE", "deep");
    }
    let out = cmd.run_tee()?;
    out.lines()
        .rev()
        .find_map(parse_totals)
        .ok_or_else(|| anyhow::anyhow!("forge test printed no totals line: did it run any test?"))
}

/// Parses forge's closing line, `Ran N test suites in …: P tests passed, F failed, S skipped (T total tests)`.
fn parse_totals(line: &str) -> Option<TestCounts> {
    let (_, tail) = line.split_once("): ").or_else(|| line.split_once(": "))?;
    let mut counts = TestCounts::default();
    let mut found = 0;
    for part in tail.split(',') {
        let mut words = part.split_whitespace();
        let n: u64 = words.next()?.parse().ok()?;
        match words.find(|w| matches!(*w, "passed" | "failed" | "skipped"))? {
            "passed" => counts.passed = n,
            "failed" => counts.failed = n,
            _ => counts.skipped = n,
        }
        found += 1;
    }
    (found == 3).then_some(counts)
}

/// `forge snapshot` over the deterministic tests, in the default profile:
/// `check` compares against `.gas-snapshot` (with the tolerance), otherwise the
/// file is rewritten.
pub fn snapshot(check: bool) -> Result<()> {
    let cmd = forge()
        .args(["snapshot", "--snap", SNAPSHOT_FILE])
        .args(["--no-match-test", SNAPSHOT_NO_MATCH_TEST])
        .env("FOUNDRY_PROFILE", "default");
    if check {
        if !ws::root().join(SNAPSHOT_FILE).is_file() {
            anyhow::bail!("{SNAPSHOT_FILE} is missing: create it with `cargo xtask snapshot`");
        }
        cmd.args(["--check", "--tolerance", SNAPSHOT_TOLERANCE_PCT])
            .run()
            .map_err(|e| {
                e.context(format!(
                    "gas differs from {SNAPSHOT_FILE} by more than {SNAPSHOT_TOLERANCE_PCT}% (or tests were \
                     added/removed); if intended, regenerate it with `cargo xtask snapshot` and commit it"
                ))
            })
    } else {
        cmd.run()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forge_totals() {
        let line = "Ran 13 test suites in 10.16s (20.29s CPU time): 172 tests passed, 0 failed, 0 skipped (172 total tests)";
        assert_eq!(
            parse_totals(line),
            Some(TestCounts {
                passed: 172,
                failed: 0,
                skipped: 0
            })
        );
        assert_eq!(
            parse_totals("Suite result: ok. 24 passed; 0 failed; 0 skipped"),
            None
        );
        assert_eq!(parse_totals("Compiler run successful!"), None);
    }
}
