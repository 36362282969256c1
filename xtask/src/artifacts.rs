//! `cargo xtask artifacts [--check]`: the forge artifacts the sdk's bindings are
//! generated from.
//!
//! The sdk's `sol!` bindings read `sdk/artifacts/<Contract>.json` (ABI +
//! creation bytecode, extracted from forge's output). They are committed so
//! that `cargo build` needs neither forge nor a two-minute contract compile;
//! two checks keep them from going stale:
//! - `sdk/artifacts/SOURCES` records a hash of every input of the compile
//!   (`contracts/src/**` and `foundry.toml`); the sdk's build script recomputes
//!   it and fails the build, naming this command, when a contract changed;
//! - `cargo xtask test` runs `artifacts --check` after `forge build`: the
//!   committed files must equal what forge just produced, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::ws;

/// The contracts the sdk binds: (source file under contracts/src, contract name).
pub const CONTRACTS: &[(&str, &str)] = &[
    ("TidepoolFactory.sol", "TidepoolFactory"),
    ("TidepoolPair.sol", "TidepoolPair"),
    ("TidepoolRouter.sol", "TidepoolRouter"),
    ("WETH.sol", "WETH"),
    ("devnet/TestToken.sol", "TestToken"),
    ("devnet/ResetApprovalToken.sol", "ResetApprovalToken"),
    ("devnet/FeeOnTransferToken.sol", "FeeOnTransferToken"),
    ("devnet/MisbehavingTokens.sol", "HostileToken"),
    ("devnet/MisbehavingTokens.sol", "Bytes32Token"),
    ("lens/MarketLens.sol", "PairsReader"),
    ("lens/MarketLens.sol", "ReservesReader"),
    ("lens/MarketLens.sol", "BalancesReader"),
];

/// Where the committed artifacts live.
pub fn dir() -> PathBuf {
    ws::root().join("sdk/artifacts")
}

/// Writes (or, with `check`, compares) the sdk's artifacts from forge's output.
pub fn run(check: bool) -> Result<()> {
    let mut stale = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for (file, name) in CONTRACTS {
        let artifact = read_default_profile(file, name)?;
        let slim = json!({
            "abi": artifact["abi"],
            "bytecode": { "object": artifact["bytecode"]["object"] },
        });
        files.push((
            dir().join(format!("{name}.json")),
            serde_json::to_string_pretty(&slim)? + "\n",
        ));
    }
    files.push((dir().join("SOURCES"), sources_file()?));
    for (path, text) in &files {
        if check {
            if fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                stale.push(ws::rel(path));
            }
        } else {
            fs::create_dir_all(dir())?;
            fs::write(path, text).with_context(|| format!("cannot write {}", ws::rel(path)))?;
        }
    }
    if !stale.is_empty() {
        bail!(
            "the sdk's committed artifacts differ from forge's build: {}\n  run `cargo xtask artifacts` and commit the result",
            stale.join(", ")
        );
    }
    if check {
        println!("sdk artifacts match the contracts ({} files)", files.len());
    } else {
        println!("wrote {} files to {}", files.len(), ws::rel(&dir()));
    }
    Ok(())
}

/// The artifact of `name` built in forge's default compiler profile, or in its
/// only profile (the pair and the factory exist only in the `pair` profile).
/// Deployments use these: the router at 1,000,000 optimizer runs, the pair at 200.
fn read_default_profile(file: &str, name: &str) -> Result<Value> {
    let cache = ws::read_json(&ws::cache_dir().join("solidity-files-cache.json"))
        .context("forge's cache is missing: run `forge build contracts/src` first")?;
    let source = format!("contracts/src/{file}");
    let versions = cache["files"][&source]["artifacts"][name]
        .as_object()
        .with_context(|| format!("forge's cache has no {name} in {source}: run `forge build`"))?;
    let profiles: Vec<&serde_json::Map<String, Value>> =
        versions.values().filter_map(Value::as_object).collect();
    let [profiles] = profiles.as_slice() else {
        bail!("{name} was built with several compiler versions; `forge clean` and build again");
    };
    let entry = profiles
        .get("default")
        .or_else(|| {
            (profiles.len() == 1)
                .then(|| profiles.values().next())
                .flatten()
        })
        .with_context(|| format!("{name} has no default-profile artifact"))?;
    let path = entry["path"]
        .as_str()
        .with_context(|| format!("forge's cache entry for {name} has no path"))?;
    ws::read_json(&ws::artifacts_dir().join(path))
}

/// `SOURCES`: one line per compile input with its keccak-256, then the total.
/// The sdk's build script computes the same text (see `sdk/build.rs`).
fn sources_file() -> Result<String> {
    let root = ws::root();
    let mut inputs = vec![root.join("foundry.toml")];
    collect(&root.join("contracts/src"), &mut inputs)?;
    inputs.sort();
    let mut out = String::from(
        "# Inputs of the compile that produced these artifacts (see xtask/src/artifacts.rs).\n",
    );
    for path in inputs {
        let bytes = fs::read(&path)?;
        let rel = path.strip_prefix(&root).unwrap_or(&path);
        out += &format!(
            "{} {}\n",
            alloy_primitives::keccak256(&bytes),
            rel.display()
        );
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", ws::rel(dir)))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sol") {
            out.push(path);
        }
    }
    Ok(())
}
