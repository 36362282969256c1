//! Where things are: the workspace root, the pinned tool binaries and the
//! forge artifacts. Every path is derived from the workspace root, never
//! hard-coded, so the repository works wherever it is cloned.

use std::env;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The workspace root (the directory holding the root `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` when set (relative to the
/// root), else `target`.
pub fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| root().join("target"), |d| root().join(d))
}

/// A Foundry binary installed by npm (`@foundry-rs/<tool>`).
///
/// npm 11 does not run the packages' postinstall scripts, so the
/// `node_modules/.bin` shims are not usable: the native binary is called directly.
pub fn foundry_tool(tool: &str) -> PathBuf {
    foundry_bin_dir(tool).join(tool)
}

/// The directory holding the native binary of a Foundry tool.
pub fn foundry_bin_dir(tool: &str) -> PathBuf {
    root()
        .join("node_modules/@foundry-rs")
        .join(format!("{tool}-linux-amd64"))
        .join("bin")
}

/// `forge`.
pub fn forge() -> PathBuf {
    foundry_tool("forge")
}

/// `anvil`.
pub fn anvil() -> PathBuf {
    foundry_tool("anvil")
}

/// `cast`.
pub fn cast() -> PathBuf {
    foundry_tool("cast")
}

/// Fails with a pointer to `cargo xtask setup` if a Foundry binary is missing.
pub fn require_foundry() -> Result<()> {
    for tool in ["forge", "anvil", "cast"] {
        let path = foundry_tool(tool);
        if !path.is_file() {
            bail!(
                "{} is missing; run `cargo xtask setup` (it installs the pinned toolchain with `npm ci`)",
                rel(&path)
            );
        }
    }
    Ok(())
}

/// The project-local Python virtual environment (holds slither).
pub fn venv() -> PathBuf {
    root().join(".venv")
}

/// forge's artifact directory: `$FOUNDRY_OUT` when set (relative to the root),
/// else `out`, as in foundry.toml.
pub fn artifacts_dir() -> PathBuf {
    match env::var_os("FOUNDRY_OUT") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("out"),
    }
}

/// Reads and parses a JSON file.
pub fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", rel(path)))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", rel(path)))
}

/// forge's cache directory: `$FOUNDRY_CACHE_PATH` when set, else `cache`.
pub fn cache_dir() -> PathBuf {
    match env::var_os("FOUNDRY_CACHE_PATH") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("cache"),
    }
}

/// The forge artifact of contract `name` defined in `contracts/src/**/<file>`.
///
/// Usually `out/<file>/<name>.json`, but with several compiler profiles
/// (foundry.toml `additional_compiler_profiles`) forge may place artifacts
/// elsewhere and leave stale ones behind, so the candidates are taken from
/// forge's cache and the most recently written one wins.
pub fn artifact(file: &str, name: &str) -> Result<Value> {
    let out = artifacts_dir();
    let mut candidates = vec![out.join(file).join(format!("{name}.json"))];
    candidates.extend(
        cached_artifact_paths(file, name)
            .into_iter()
            .map(|p| out.join(p)),
    );
    let newest = candidates
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max_by_key(|(mtime, _)| *mtime);
    match newest {
        Some((_, path)) => read_json(&path),
        None => bail!(
            "no artifact for {name} ({file}) in {}: run `forge build` first",
            rel(&out)
        ),
    }
}

/// The artifact paths (relative to the artifacts dir) that forge's cache lists
/// for contract `name` of `contracts/src/**/<file>`, over all versions and profiles.
fn cached_artifact_paths(file: &str, name: &str) -> Vec<String> {
    let Ok(cache) = read_json(&cache_dir().join("solidity-files-cache.json")) else {
        return Vec::new();
    };
    let Some(files) = cache["files"].as_object() else {
        return Vec::new();
    };
    let suffix = format!("/{file}");
    files
        .iter()
        .filter(|(source, _)| source.starts_with("contracts/src/") && source.ends_with(&suffix))
        .filter_map(|(_, entry)| entry["artifacts"][name].as_object())
        .flat_map(|versions| versions.values())
        .filter_map(Value::as_object)
        .flat_map(|profiles| profiles.values())
        .filter_map(|artifact| artifact["path"].as_str().map(str::to_string))
        .collect()
}

/// `path` relative to the workspace root, for messages (never prints machine paths
/// that do not matter to the reader).
pub fn rel(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
