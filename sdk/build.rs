//! Fails the build when the committed artifacts in `artifacts/` (what the
//! `sol!` bindings are generated from) were built from other contract sources
//! than the ones in this checkout, so `cargo build` never silently uses
//! outdated contracts. `cargo xtask artifacts` rebuilds them; the test command
//! also compares them byte for byte with a fresh forge build.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let sdk = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = sdk
        .parent()
        .expect("the sdk is one level below the workspace root");
    println!("cargo:rerun-if-changed=artifacts");
    let contracts = root.join("contracts/src");
    if !contracts.is_dir() {
        // Built outside the repository (e.g. vendored): nothing to compare with.
        return;
    }
    println!("cargo:rerun-if-changed={}", contracts.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("foundry.toml").display()
    );
    let mut inputs = vec![root.join("foundry.toml")];
    collect(&contracts, &mut inputs);
    inputs.sort();
    let recorded_text = fs::read_to_string(sdk.join("artifacts/SOURCES")).unwrap_or_default();
    let recorded: Vec<&str> = recorded_text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    let current: Vec<String> = inputs
        .iter()
        .map(|path| {
            let bytes = fs::read(path).expect("readable contract source");
            let rel = path.strip_prefix(root).unwrap_or(path).display();
            format!("{} {rel}", alloy_primitives::keccak256(&bytes))
        })
        .collect();
    // Files whose line is new, changed or gone, by path.
    let mut changed: Vec<&str> = current
        .iter()
        .map(String::as_str)
        .filter(|l| !recorded.contains(l))
        .chain(
            recorded
                .iter()
                .copied()
                .filter(|l| !current.iter().any(|c| c == l)),
        )
        .filter_map(|l| l.split_once(' ').map(|(_, path)| path))
        .collect();
    changed.sort_unstable();
    changed.dedup();
    if !changed.is_empty() {
        panic!(
            "\n\nsdk/artifacts is out of date with the contracts (changed: {}).\n\
             Run `cargo xtask artifacts` (it builds the contracts with forge and refreshes\n\
             the ABIs and bytecode the bindings are generated from), then build again.\n\n",
            changed.join(", ")
        );
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable contracts directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sol") {
            out.push(path);
        }
    }
}
