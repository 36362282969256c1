//! `cargo xtask check-abi`: Tidepool keeps Uniswap V2's interfaces exactly.
//!
//! Every function of the official IUniswapV2Factory, IUniswapV2Pair and
//! IUniswapV2Router02 ABIs must exist in our contract with the same name, input
//! types, output types and state mutability, and every event with the same
//! name, parameter types, indexed flags and anonymity.
//!
//! WETH is checked against WETH9 the same way.
//!
//! One allowance: where Uniswap's interface and its own deployed implementation
//! disagree on mutability (the interfaces declare `factory()`, `WETH()`,
//! `name()`, `MINIMUM_LIQUIDITY()`… `pure`; the contracts' public getters are
//! `view`), matching either is accepted and reported as a note: callers cannot
//! tell the two apart, and such a getter cannot be `pure` in Solidity.

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::ws;

/// One contract to check: Uniswap's interface and implementation artifacts
/// (under node_modules/@uniswap) and our forge artifact.
struct Target {
    interface: &'static str,
    implementation: &'static str,
    ours_file: &'static str,
    ours_name: &'static str,
}

const TARGETS: &[Target] = &[
    Target {
        interface: "v2-core/build/IUniswapV2Factory.json",
        implementation: "v2-core/build/UniswapV2Factory.json",
        ours_file: "TidepoolFactory.sol",
        ours_name: "TidepoolFactory",
    },
    Target {
        interface: "v2-core/build/IUniswapV2Pair.json",
        implementation: "v2-core/build/UniswapV2Pair.json",
        ours_file: "TidepoolPair.sol",
        ours_name: "TidepoolPair",
    },
    Target {
        interface: "v2-periphery/build/IUniswapV2Router02.json",
        implementation: "v2-periphery/build/UniswapV2Router02.json",
        ours_file: "TidepoolRouter.sol",
        ours_name: "TidepoolRouter",
    },
    // Not a V2 interface, but the router's counterpart: wallets and indexers
    // know WETH9's functions and its Deposit/Withdrawal events.
    Target {
        interface: "v2-periphery/build/WETH9.json",
        implementation: "v2-periphery/build/WETH9.json",
        ours_file: "WETH.sol",
        ours_name: "WETH",
    },
];

/// A function as far as compatibility goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    name: String,
    inputs: Vec<String>,
    outputs: Vec<String>,
    mutability: String,
}

impl Function {
    fn signature(&self) -> String {
        format!("{}({})", self.name, self.inputs.join(","))
    }
}

/// An event as far as compatibility goes (parameter names are informational).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    name: String,
    /// (canonical type, indexed) per parameter.
    params: Vec<(String, bool)>,
    names: Vec<String>,
    anonymous: bool,
}

impl Event {
    fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(ty, indexed)| {
                if *indexed {
                    format!("{ty} indexed")
                } else {
                    ty.clone()
                }
            })
            .collect();
        format!("{}({})", self.name, params.join(","))
    }
}

/// The functions and events of an ABI.
#[derive(Debug, Default)]
pub struct Abi {
    functions: Vec<Function>,
    events: Vec<Event>,
}

/// The outcome of comparing one contract.
#[derive(Debug, Default)]
pub struct Report {
    /// Incompatibilities (the check fails if any).
    pub mismatches: Vec<String>,
    /// Accepted differences worth knowing about.
    pub notes: Vec<String>,
}

/// Parses a JSON ABI (an array of entries).
pub fn parse(abi: &Value) -> Result<Abi> {
    let entries = abi.as_array().context("an ABI must be a JSON array")?;
    let mut out = Abi::default();
    for entry in entries {
        let name = || entry["name"].as_str().unwrap_or_default().to_string();
        match entry["type"].as_str().unwrap_or("function") {
            "function" => out.functions.push(Function {
                name: name(),
                inputs: types(&entry["inputs"])?,
                outputs: types(&entry["outputs"])?,
                mutability: mutability(entry),
            }),
            "event" => out.events.push(Event {
                name: name(),
                params: params(&entry["inputs"])?
                    .iter()
                    .map(|p| Ok((canonical_type(p)?, p["indexed"].as_bool().unwrap_or(false))))
                    .collect::<Result<_>>()?,
                names: params(&entry["inputs"])?
                    .iter()
                    .map(|p| p["name"].as_str().unwrap_or_default().to_string())
                    .collect(),
                anonymous: entry["anonymous"].as_bool().unwrap_or(false),
            }),
            _ => {} // constructor, fallback, receive, error
        }
    }
    Ok(out)
}

fn params(list: &Value) -> Result<&[Value]> {
    match list {
        Value::Null => Ok(&[]),
        Value::Array(items) => Ok(items),
        _ => bail!("ABI parameters must be an array"),
    }
}

fn types(list: &Value) -> Result<Vec<String>> {
    params(list)?.iter().map(canonical_type).collect()
}

/// The canonical type of a parameter: tuples spelled out as `(t1,t2)[]`.
fn canonical_type(param: &Value) -> Result<String> {
    let ty = param["type"]
        .as_str()
        .context("ABI parameter without a type")?;
    match ty.strip_prefix("tuple") {
        Some(suffix) => Ok(format!(
            "({}){suffix}",
            types(&param["components"])?.join(",")
        )),
        None => Ok(ty.to_string()),
    }
}

/// `stateMutability`, or its equivalent from the pre-0.5 `constant`/`payable` flags.
fn mutability(entry: &Value) -> String {
    if let Some(m) = entry["stateMutability"].as_str() {
        return m.to_string();
    }
    if entry["constant"].as_bool() == Some(true) {
        "view".into()
    } else if entry["payable"].as_bool() == Some(true) {
        "payable".into()
    } else {
        "nonpayable".into()
    }
}

/// Compares Uniswap's interface (`theirs`, with its implementation `theirs_impl`
/// for the mutability allowance) against `ours`.
pub fn compare(theirs: &Abi, theirs_impl: &Abi, ours: &Abi) -> Report {
    let mut report = Report::default();
    for f in &theirs.functions {
        let sig = f.signature();
        let Some(o) = ours.functions.iter().find(|o| o.signature() == sig) else {
            let same_name: Vec<String> = ours
                .functions
                .iter()
                .filter(|o| o.name == f.name)
                .map(Function::signature)
                .collect();
            report.mismatches.push(if same_name.is_empty() {
                format!("function {sig}: missing")
            } else {
                format!(
                    "function {sig}: missing (ours has {})",
                    same_name.join(", ")
                )
            });
            continue;
        };
        if o.outputs != f.outputs {
            report.mismatches.push(format!(
                "function {sig}: returns ({}), V2 returns ({})",
                o.outputs.join(","),
                f.outputs.join(",")
            ));
        }
        if o.mutability != f.mutability {
            let impl_mutability = theirs_impl
                .functions
                .iter()
                .find(|i| i.signature() == sig)
                .map(|i| i.mutability.as_str());
            if impl_mutability == Some(o.mutability.as_str()) {
                report.notes.push(format!(
                    "function {sig}: {} like Uniswap's implementation (its interface says {})",
                    o.mutability, f.mutability
                ));
            } else {
                report.mismatches.push(format!(
                    "function {sig}: {}, V2 has {}",
                    o.mutability, f.mutability
                ));
            }
        }
    }
    for e in &theirs.events {
        let sig = e.signature();
        let candidates: Vec<&Event> = ours.events.iter().filter(|o| o.name == e.name).collect();
        let Some(o) = candidates.iter().find(|o| o.params == e.params) else {
            let ours_sigs: Vec<String> = candidates.iter().map(|o| o.signature()).collect();
            report.mismatches.push(if ours_sigs.is_empty() {
                format!("event {sig}: missing")
            } else {
                format!("event {sig}: differs (ours: {})", ours_sigs.join(", "))
            });
            continue;
        };
        if o.anonymous != e.anonymous {
            report.mismatches.push(format!(
                "event {sig}: anonymous = {}, V2 has {}",
                o.anonymous, e.anonymous
            ));
        }
        if o.names != e.names {
            report.notes.push(format!(
                "event {sig}: parameter names ({}) differ from V2's ({}); decoders keyed by name may care",
                o.names.join(","),
                e.names.join(",")
            ));
        }
    }
    report
}

/// Loads the `abi` array of a JSON artifact.
fn load_abi(path: &std::path::Path) -> Result<Abi> {
    let json = ws::read_json(path)?;
    parse(&json["abi"]).with_context(|| format!("bad ABI in {}", ws::rel(path)))
}

/// Checks every target; prints each mismatch and note; fails if any mismatch.
pub fn check() -> Result<()> {
    let uniswap = ws::root().join("node_modules/@uniswap");
    let mut failures = 0;
    for t in TARGETS {
        let theirs = load_abi(&uniswap.join(t.interface))?;
        let theirs_impl = load_abi(&uniswap.join(t.implementation))?;
        let ours_json = ws::artifact(t.ours_file, t.ours_name)?;
        let ours =
            parse(&ours_json["abi"]).with_context(|| format!("bad ABI of {}", t.ours_name))?;
        let report = compare(&theirs, &theirs_impl, &ours);
        let iface = t.interface.rsplit('/').next().unwrap_or(t.interface);
        let status = if report.mismatches.is_empty() {
            "ok"
        } else {
            "MISMATCH"
        };
        println!(
            "check-abi: {iface} ({} functions, {} events) vs {}: {status}",
            theirs.functions.len(),
            theirs.events.len(),
            t.ours_name
        );
        for m in &report.mismatches {
            println!("  mismatch: {m}");
        }
        for n in &report.notes {
            println!("  note: {n}");
        }
        failures += report.mismatches.len();
    }
    if failures > 0 {
        bail!("{failures} ABI mismatch(es) with Uniswap V2 (listed above)");
    }
    Ok(())
}

#[cfg(test)]
mod tests;
