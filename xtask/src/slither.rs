//! Static analysis of `contracts/src` with slither.
//!
//! crytic-compile (slither's front end) normally runs `forge clean` and a full
//! `forge build`, which would wipe the `out/` other commands are using. Instead
//! the contracts are compiled here into a directory of their own (`out-slither/`,
//! `cache-slither/`, sources only, with build info) and slither reads that build
//! with `--foundry-ignore-compile`.
//!
//! Policy: the run fails on any finding. A specific finding that is not a bug is
//! triaged where it is, with `// slither-disable-next-line <detector> -- <reason>`
//! above the flagged line. Detectors that cannot apply to this codebase at all
//! are excluded in `slither.config.json`; JSON has no comments, so the reasons
//! are here:
//!
//! - `naming-convention`: the Uniswap V2 interface fixes names such as `WETH()`,
//!   `DOMAIN_SEPARATOR()`, `MINIMUM_LIQUIDITY()` and `PERMIT_TYPEHASH()`; they are
//!   kept exactly for compatibility.
//! - `assembly`: inline assembly is a deliberate, reviewed gas technique here
//!   (CREATE2 address derivation, reserve reads); the detector only reports
//!   that assembly exists (informational).
//! - `timestamp`: V2's price oracle is defined on `block.timestamp`; slither
//!   taints every comparison in a function that also touches the timestamp,
//!   so it flags reserve and liquidity checks that have nothing to do with time.
//! - `calls-loop`: multi-hop routing calls one pair per hop by design; each call
//!   reverts the whole swap on failure, which is the intended behaviour.
//!
//! Results in `node_modules/` (solady) and `contracts/test/` are filtered out.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::forge::forge;
use crate::proc::Cmd;
use crate::ws;

/// forge's artifact directory for the slither build.
pub const OUT_DIR: &str = "out-slither";
/// forge's cache directory for the slither build.
pub const CACHE_DIR: &str = "cache-slither";
/// slither's configuration (filters and excluded detectors), committed.
pub const CONFIG: &str = "slither.config.json";

/// Builds `contracts/src` with build info into [`OUT_DIR`] and runs slither on it.
pub fn run() -> Result<()> {
    let slither = ws::venv().join("bin/slither");
    if !slither.is_file() {
        bail!("slither is not installed in .venv: run `cargo xtask setup`");
    }
    if build_is_current() {
        println!("slither: {OUT_DIR} is newer than the sources; not rebuilding");
    } else {
        // --force: a fresh build writes only current build-info files; an
        // incremental one would leave stale ones that crytic-compile also loads.
        let started = SystemTime::now();
        forge()
            .args(["build", "--build-info", "--force", "contracts/src"])
            .env("FOUNDRY_OUT", OUT_DIR)
            .env("FOUNDRY_CACHE_PATH", CACHE_DIR)
            .run()?;
        // Dated when the build started: a source saved during the build is newer.
        fs::File::create(stamp())
            .and_then(|f| f.set_modified(started))
            .context("cannot write the slither build stamp")?;
    }
    // crytic-compile still asks `forge config` for the project layout.
    let mut path = vec![ws::foundry_bin_dir("forge")];
    path.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    Cmd::new(slither)
        .arg(".")
        .args(["--config-file", CONFIG])
        .args([
            "--foundry-ignore-compile",
            "--foundry-out-directory",
            OUT_DIR,
        ])
        .args(["--fail-pedantic", "--warn-unused-ignores"])
        .env("PATH", env::join_paths(path)?)
        .env("FOUNDRY_OUT", OUT_DIR)
        .env("FOUNDRY_CACHE_PATH", CACHE_DIR)
        .run()
        .map_err(|e| {
            e.context(
                "slither reported findings: fix them, or triage each with \
                 `// slither-disable-next-line <detector> -- <reason>` above the line",
            )
        })
}

/// Marks a successful slither build; its mtime is when that build started.
fn stamp() -> PathBuf {
    ws::root().join(OUT_DIR).join(".xtask-build-started")
}

/// Whether the slither build is newer than everything it was built from:
/// `contracts/src`, foundry.toml and the npm dependencies (via package-lock.json).
fn build_is_current() -> bool {
    let root = ws::root();
    let Some(built) = newest_mtime(&stamp()) else {
        return false;
    };
    let inputs = [
        root.join("contracts/src"),
        root.join("foundry.toml"),
        root.join("package-lock.json"),
    ];
    inputs
        .iter()
        .all(|input| newest_mtime(input).is_some_and(|changed| changed < built))
}

/// The newest modification time of a file, or of any file or directory under a directory.
fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = fs::metadata(path).ok()?;
    let own = meta.modified().ok()?;
    if !meta.is_dir() {
        return Some(own);
    }
    fs::read_dir(path)
        .ok()?
        .filter_map(|entry| newest_mtime(&entry.ok()?.path()))
        .chain([own])
        .max()
}
