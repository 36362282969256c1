//! `cargo xtask bench gas`: Tidepool's gas against Uniswap V2's official
//! bytecode and against the floor of V2's interface (contracts/bench/Floor.sol),
//! operation by operation, on a local anvil.

mod chain;
mod dex;
mod ops;
mod report;

use std::fs;

use anyhow::{Context, Result};

use self::chain::{Chain, DEV_ADDRESS};
use self::dex::{Dex, DexSpec};
use self::ops::{Op, Tokens};
use self::report::{Report, Row};
use crate::anvil::Anvil;
use crate::proc::Cmd;
use crate::{forge, ws};

/// Where the Markdown table is written (quoted by the README).
pub const GAS_MD: &str = "benchmarks/gas.md";

/// Options of `cargo xtask bench gas`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Print the result as JSON on stdout instead of a table.
    pub json: bool,
    /// Use the existing artifacts instead of running `forge build` first.
    pub no_build: bool,
}

/// Runs the gas benchmark, prints the table (or JSON) and writes [`GAS_MD`].
pub fn gas(opts: Options) -> Result<()> {
    ws::require_foundry()?;
    if !opts.no_build {
        forge::build_src()?;
        forge::build_bench()?;
    }
    // Load and check every bytecode before starting anything.
    let specs = [
        DexSpec::uniswap_v2()?,
        DexSpec::tidepool()?,
        DexSpec::floor()?,
    ];
    let token_code = dex::bytecode(&ws::artifact("TestToken.sol", "TestToken")?)?;

    let anvil = Anvil::start()?;
    let mut chain = Chain::new(&anvil)?;
    let tokens = deploy_tokens(&mut chain, &token_code)?;
    let mut gas: Vec<Vec<u64>> = Vec::new();
    for spec in &specs {
        let dex = spec.deploy(&mut chain)?;
        eprintln!(
            "bench: {} deployed (router {}), measuring",
            dex.name, dex.router
        );
        gas.push(measure(&mut chain, &dex, &tokens)?);
    }
    drop(anvil);

    let rows = Op::ALL
        .iter()
        .enumerate()
        .map(|(i, op)| Row::new(op.label(), gas[0][i], gas[1][i], gas[2][i], op.target()))
        .collect();
    let anvil_version = Cmd::new(ws::anvil()).arg("--version").read()?;
    let report = Report {
        date: report::today(),
        anvil: anvil_version
            .lines()
            .next()
            .unwrap_or("anvil")
            .trim()
            .to_string(),
        rows,
    };
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{}", report.table());
    }
    let path = ws::root().join(GAS_MD);
    fs::create_dir_all(path.parent().expect("has a parent"))?;
    fs::write(&path, report.markdown()).with_context(|| format!("cannot write {GAS_MD}"))?;
    eprintln!("bench: wrote {GAS_MD}");
    Ok(())
}

/// Deploys five TestTokens (18 decimals) and mints plenty of each to the dev account.
fn deploy_tokens(chain: &mut Chain, code: &str) -> Result<Tokens> {
    let mut addresses = Vec::new();
    for symbol in ["TKA", "TKB", "TKC", "TKD", "TKE"] {
        let args = [
            format!("Token {symbol}"),
            symbol.to_string(),
            "18".to_string(),
        ];
        let token = chain.deploy(code, Some(("constructor(string,string,uint8)", &args)))?;
        let amount = "1000000000000000000000000000000"; // 1e30
        chain.send(
            &token,
            "mint(address,uint256)",
            &[DEV_ADDRESS.into(), amount.into()],
            None,
        )?;
        addresses.push(token);
    }
    let [a, b, c, d, e] = <[String; 5]>::try_from(addresses).expect("five tokens");
    Ok(Tokens { a, b, c, d, e })
}

/// Prepares pools on `dex` and measures every operation, in [`Op::ALL`] order.
fn measure(chain: &mut Chain, dex: &Dex, tokens: &Tokens) -> Result<Vec<u64>> {
    ops::prepare(chain, dex, tokens).with_context(|| format!("{}: preparing pools", dex.name))?;
    Op::ALL
        .iter()
        .map(|op| op.measure(chain, dex, tokens))
        .collect()
}
