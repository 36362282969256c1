//! `cargo xtask dev`: a trading-ready local devnet.
//!
//! Installs what is missing, builds the contracts, starts anvil on
//! 127.0.0.1:`port`, runs `contracts/script/Devnet.s.sol` (Tidepool, five
//! tokens, eight pools, funded dev accounts), writes the deployment manifest
//! `deployments/<chain-id>.json`, prints how to connect, and keeps anvil up
//! until Ctrl-C.

use std::fs;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Map, Value};

use crate::anvil::Anvil;
use crate::{cast, forge, setup, ws};

/// Anvil's chain id.
const CHAIN_ID: u64 = 31337;

/// Options of `cargo xtask dev`.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The loopback port anvil listens on.
    pub port: u16,
}

/// A deployed devnet: the running anvil and the manifest it was described in.
pub struct Devnet {
    /// The node (stopped when dropped).
    pub anvil: Anvil,
    /// The manifest's contents.
    pub manifest: Map<String, Value>,
}

impl Devnet {
    /// An address from the manifest (`factory`, `router`, `weth`, `token.USDC`, …).
    pub fn address(&self, key: &str) -> Result<&str> {
        self.manifest
            .get(key)
            .and_then(Value::as_str)
            .with_context(|| format!("the devnet manifest has no `{key}`"))
    }
}

/// Brings the devnet up and blocks until anvil exits.
pub fn run(opts: Options) -> Result<()> {
    let started = Instant::now();
    setup::run()?;
    forge::forge()
        .args(["build", "contracts/src", "contracts/script"])
        .run()?;
    let manifest = format!("deployments/{CHAIN_ID}.json");
    let devnet = deploy(opts.port, &manifest)?;
    print_summary(&devnet.manifest, devnet.anvil.url(), &manifest, started);
    devnet.anvil.wait()
}

/// Starts anvil on 127.0.0.1:`port`, runs the devnet script against it and
/// writes the manifest to `manifest` (relative to the workspace root).
pub fn deploy(port: u16, manifest: &str) -> Result<Devnet> {
    let anvil = Anvil::start_on(
        port,
        &["--chain-id", &CHAIN_ID.to_string(), "--accounts", "10"],
    )?;
    if let Some(dir) = ws::root().join(manifest).parent() {
        fs::create_dir_all(dir)?;
    }
    let out = forge::forge()
        .args([
            "script",
            "contracts/script/Devnet.s.sol",
            "--broadcast",
            "--slow",
        ])
        .args(["--rpc-url", anvil.url()])
        .env("MANIFEST", manifest)
        .output_raw()?;
    if !out.status.success() {
        anyhow::bail!(
            "the devnet deployment script failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let manifest = complete_manifest(manifest, anvil.url())?;
    Ok(Devnet { anvil, manifest })
}

/// Adds the chain id, genesis hash and RPC URL to the script's manifest.
fn complete_manifest(path: &str, url: &str) -> Result<Map<String, Value>> {
    let full = ws::root().join(path);
    let text = fs::read_to_string(&full).with_context(|| format!("cannot read {path}"))?;
    let mut m: Map<String, Value> =
        serde_json::from_str(&text).with_context(|| format!("{path} is not a JSON object"))?;
    let genesis = cast::cmd("block", url)
        .args(["0", "--field", "hash"])
        .read()?;
    m.insert("chainId".into(), CHAIN_ID.into());
    m.insert("genesisHash".into(), genesis.into());
    m.insert("rpcUrl".into(), url.into());
    fs::write(&full, serde_json::to_string_pretty(&m)? + "\n")?;
    Ok(m)
}

fn print_summary(m: &Map<String, Value>, url: &str, manifest: &str, started: Instant) {
    let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
    println!();
    println!(
        "Tidepool devnet is up ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    println!("  RPC        {url}   (chain id {CHAIN_ID})");
    println!("  factory    {}", get("factory"));
    println!("  router     {}", get("router"));
    println!("  WETH       {}", get("weth"));
    let mut tokens: Vec<_> = m.iter().filter(|(k, _)| k.starts_with("token.")).collect();
    tokens.sort_by(|a, b| a.0.cmp(b.0));
    for (k, v) in tokens {
        println!(
            "  {:<10} {}",
            &k["token.".len()..],
            v.as_str().unwrap_or("?")
        );
    }
    println!(
        "  pools      {}",
        m.get("pairs").map(Value::to_string).unwrap_or_default()
    );
    println!("  manifest   {manifest}");
    println!();
    println!(
        "Anvil's ten dev accounts (test-only keys, printed by `anvil` itself) hold 10,000 ETH and"
    );
    println!("$10M of every token each. Try:");
    println!(
        "  node_modules/@foundry-rs/cast-linux-amd64/bin/cast call {} 'getAmountsOut(uint256,address[])(uint256[])' 1000000000000000000 '[{},{}]' --rpc-url {url}",
        get("router"),
        get("weth"),
        get("token.USDC")
    );
    println!();
    println!("Ctrl-C stops the devnet.");
}
