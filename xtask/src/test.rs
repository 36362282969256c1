//! `cargo xtask test`: every check CI runs, in order, stopping at the first
//! failure with the name of the step, then a summary with each step's time.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::proc::cargo;
use crate::{abi, artifacts, forge, setup, slither, ui};

/// Options of `cargo xtask test`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Run forge tests with `FOUNDRY_PROFILE=deep` (long fuzz/invariant campaigns).
    pub deep: bool,
    /// Run every step even after a failure (for local triage; CI stops at the first).
    pub keep_going: bool,
}

/// Runs the whole test suite.
pub fn run(opts: Options) -> Result<()> {
    let mut p = Pipeline {
        keep_going: opts.keep_going,
        ..Pipeline::default()
    };
    p.step("setup", setup::run)?;
    // The UI first: its build (ui/dist) is embedded in the app the Rust
    // steps compile.
    p.step("ui: typecheck, unit tests, build", ui::check)?;
    p.step("cargo fmt --check", || {
        cargo().args(["fmt", "--all", "--check"]).run()
    })?;
    p.step("cargo clippy", || {
        ci_cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ])
            .run()
    })?;
    p.step("rust tests", rust_tests)?;
    p.step("forge fmt --check", forge::fmt_check)?;
    p.step("forge build", forge::build_all)?;
    // Right after the build: cheap, and independent of the tests' outcome.
    p.step("check-abi", abi::check)?;
    p.step("sdk artifacts", || artifacts::run(true))?;
    let test_name = if opts.deep {
        "forge test (deep)"
    } else {
        "forge test"
    };
    let mut counts = None;
    p.step(test_name, || {
        counts = Some(forge::test(opts.deep)?);
        Ok(())
    })?;
    p.step("gas snapshot", || forge::snapshot(true))?;
    p.step("slither", slither::run)?;
    p.finish()?;
    // The closing line, in the plain form CI reads: the contract tests' totals.
    if let Some(c) = counts {
        println!(
            "contracts: {} passed, {} failed, {} skipped",
            c.passed, c.failed, c.skipped
        );
    }
    Ok(())
}

/// The workspace's Rust tests: nextest when installed, else `cargo test`.
fn rust_tests() -> Result<()> {
    if cargo().args(["nextest", "--version"]).succeeds() {
        // --no-tests=warn: a workspace state with no tests at all is not an error.
        ci_cargo()
            .args([
                "nextest",
                "run",
                "--workspace",
                "--locked",
                "--no-tests=warn",
            ])
            .run()
    } else {
        println!("cargo-nextest is not installed; using `cargo test`");
        ci_cargo().args(["test", "--workspace", "--locked"]).run()
    }
}

/// `cargo` for the build-heavy steps. On CI (`CI` set) a fresh clone builds
/// once, so incremental state is only disk (4.5 GB of a clean run's target/):
/// it is turned off there unless the caller chose otherwise.
fn ci_cargo() -> crate::proc::Cmd {
    let cmd = cargo();
    if std::env::var_os("CI").is_some() && std::env::var_os("CARGO_INCREMENTAL").is_none() {
        cmd.env("CARGO_INCREMENTAL", "0")
    } else {
        cmd
    }
}

/// Steps run so far and how long each took.
#[derive(Default)]
struct Pipeline {
    done: Vec<(String, Duration, bool)>,
    started: Option<Instant>,
    keep_going: bool,
}

impl Pipeline {
    /// Runs one step; on failure prints the summary and names the step.
    fn step(&mut self, name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
        self.started.get_or_insert_with(Instant::now);
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        self.done
            .push((name.to_string(), start.elapsed(), result.is_ok()));
        if let Err(err) = result {
            let err = err.context(format!("step `{name}` failed"));
            if self.keep_going {
                eprintln!("\n{name}: FAILED: {err:#}");
                return Ok(());
            }
            self.summary();
            return Err(err);
        }
        Ok(())
    }

    /// Prints the summary; fails if any step failed (possible with `keep_going`).
    fn finish(&self) -> Result<()> {
        self.summary();
        let failed: Vec<&str> = self
            .done
            .iter()
            .filter(|(_, _, ok)| !ok)
            .map(|(name, ..)| name.as_str())
            .collect();
        if !failed.is_empty() {
            anyhow::bail!("failed steps: {}", failed.join(", "));
        }
        println!("all checks passed");
        Ok(())
    }

    fn summary(&self) {
        let width = self.done.iter().map(|(n, ..)| n.len()).max().unwrap_or(0);
        println!("\nsummary:");
        for (name, time, ok) in &self.done {
            let status = if *ok { "ok" } else { "FAILED" };
            println!(
                "  {name:<width$}  {status:<6}  {:>7.1} s",
                time.as_secs_f64()
            );
        }
        if let Some(start) = self.started {
            println!(
                "  {:<width$}  {:<6}  {:>7.1} s",
                "total",
                "",
                start.elapsed().as_secs_f64()
            );
        }
    }
}
