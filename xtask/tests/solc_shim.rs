//! The solc shim (contracts/tools/solc) speaks native solc's protocol to forge:
//! `--version` in solc's format, standard JSON on stdin/stdout, imports
//! resolved from the base and include paths, compiler errors passed through
//! in the output JSON, and a non-zero exit when it cannot do its job.
//!
//! Needs the npm toolchain (`cargo xtask setup`, which `cargo xtask test` runs first).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn shim(args: &[&str], stdin: &str) -> Output {
    let shim = root().join("contracts/tools/solc");
    assert!(
        root().join("node_modules/solc").is_dir(),
        "node_modules/solc is missing: run `cargo xtask setup`"
    );
    let mut child = Command::new(&shim)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run contracts/tools/solc");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn compile(input: &Value, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--standard-json");
    let out = shim(&all, &input.to_string());
    assert!(
        out.status.success(),
        "shim failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("standard JSON output")
}

fn request(sources: Value, remappings: &[&str]) -> Value {
    json!({
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "remappings": remappings,
            "outputSelection": { "*": { "*": ["abi"] } }
        }
    })
}

#[test]
fn version_is_in_native_solc_format() {
    let out = shim(&["--version"], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("solc, the solidity compiler commandline interface")
    );
    let version = lines.next().unwrap();
    assert!(
        version.starts_with("Version: 0.8.37+commit.") && version.ends_with(".Linux.g++"),
        "unexpected version line: {version}"
    );
}

#[test]
fn resolves_imports_through_include_paths_and_remappings() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("lib/dep")).unwrap();
    std::fs::write(
        dir.join("lib/dep/Dep.sol"),
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nlibrary Dep { function one() internal pure returns (uint256) { return 1; } }\n",
    )
    .unwrap();
    let sources = json!({
        "Main.sol": { "content": "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nimport {Dep} from \"dep/Dep.sol\";\ncontract Main { function f() external pure returns (uint256) { return Dep.one(); } }\n" }
    });
    let base = dir.to_str().unwrap();
    // Through an include path…
    let out = compile(
        &request(sources.clone(), &[]),
        &[
            "--base-path",
            base,
            "--include-path",
            &format!("{base}/lib"),
        ],
    );
    assert!(
        out["errors"]
            .as_array()
            .is_none_or(|e| e.iter().all(|e| e["severity"] != "error")),
        "{out}"
    );
    assert!(out["contracts"]["Main.sol"]["Main"]["abi"].is_array());
    // …and through a remapping applied by the compiler: the import becomes the
    // source unit lib/dep/Dep.sol, read from under the base path.
    let out = compile(
        &request(sources, &["dep/=lib/dep/"]),
        &["--base-path", base],
    );
    assert!(out["sources"]["lib/dep/Dep.sol"].is_object(), "{out}");
    assert!(
        out["contracts"]["Main.sol"]["Main"]["abi"].is_array(),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compiler_errors_pass_through_in_the_json() {
    let sources = json!({ "Bad.sol": { "content": "pragma solidity ^0.8.0;\ncontract Bad { function f( }\n" } });
    let out = compile(&request(sources, &[]), &[]);
    let errors = out["errors"].as_array().expect("errors reported");
    let err = errors
        .iter()
        .find(|e| e["severity"] == "error")
        .expect("an error");
    assert_eq!(err["type"], "ParserError");
    assert!(
        err["formattedMessage"]
            .as_str()
            .unwrap()
            .contains("Bad.sol:2")
    );
}

#[test]
fn missing_import_is_reported_by_the_compiler() {
    let sources = json!({ "A.sol": { "content": "pragma solidity ^0.8.0;\nimport \"nowhere/X.sol\";\ncontract A {}\n" } });
    let dir = tempdir();
    let out = compile(
        &request(sources, &[]),
        &["--base-path", dir.to_str().unwrap()],
    );
    let text = out["errors"].to_string();
    assert!(
        text.contains("File not found") && text.contains("nowhere/X.sol"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fails_on_what_it_cannot_do() {
    let out = shim(&["--optimize"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported argument '--optimize'"));
    let out = shim(&[], "");
    assert!(!out.status.success());
}

#[test]
fn malformed_input_is_a_json_error_like_native_solc() {
    let out = shim(&["--standard-json"], "this is not JSON");
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("JSON even for bad input");
    assert_eq!(parsed["errors"][0]["type"], "JSONError", "{parsed}");
    assert_eq!(parsed["errors"][0]["severity"], "error");
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tidepool-solc-shim-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
