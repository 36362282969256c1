//! The `cast` calls the benchmark makes to its throw-away anvil.

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::anvil::Anvil;
use crate::cast;

/// Anvil's first dev account's private key (public, test-only).
pub const DEV_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/// The address of [`DEV_KEY`].
pub const DEV_ADDRESS: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
/// Seconds between consecutive blocks, as on mainnet.
const BLOCK_TIME: u64 = 12;

/// Sends transactions from the dev account, one block each, every block
/// [`BLOCK_TIME`] seconds after the previous one.
pub struct Chain {
    url: String,
    timestamp: u64,
}

/// A mined, successful transaction.
pub struct Receipt {
    /// `gasUsed` of the receipt.
    pub gas_used: u64,
    /// The created contract, for deployments.
    pub contract_address: Option<String>,
}

impl Chain {
    /// Connects to `anvil`, starting the block clock at its latest block.
    pub fn new(anvil: &Anvil) -> Result<Self> {
        let url = anvil.url().to_string();
        let ts = cast::cmd("block", &url)
            .args(["latest", "--field", "timestamp"])
            .read()?;
        let timestamp = ts
            .parse()
            .with_context(|| format!("unexpected block timestamp `{ts}`"))?;
        Ok(Chain { url, timestamp })
    }

    /// Calls `to.sig(args)` in a transaction, optionally with ETH `value` (wei).
    pub fn send(
        &mut self,
        to: &str,
        sig: &str,
        args: &[String],
        value: Option<&str>,
    ) -> Result<Receipt> {
        let mut tail = Vec::new();
        if let Some(value) = value {
            tail.extend(["--value".to_string(), value.to_string()]);
        }
        tail.extend([to.to_string(), sig.to_string()]);
        tail.extend(args.iter().cloned());
        self.transact(tail)
    }

    /// Deploys `bytecode` (hex), with constructor `ctor` = (signature, args), and
    /// returns the new contract's address.
    pub fn deploy(&mut self, bytecode: &str, ctor: Option<(&str, &[String])>) -> Result<String> {
        let mut tail = vec!["--create".to_string(), bytecode.to_string()];
        if let Some((sig, args)) = ctor {
            tail.push(sig.to_string());
            tail.extend(args.iter().cloned());
        }
        self.transact(tail)?
            .contract_address
            .context("deployment receipt has no contractAddress")
    }

    /// Reads `to.sig(args)` with `eth_call`; `sig` includes the return types,
    /// e.g. `getPair(address,address)(address)`.
    pub fn call(&self, to: &str, sig: &str, args: &[String]) -> Result<String> {
        cast::call(&self.url, to, sig, args)
    }

    /// `cast send <tail>` from the dev account, in the next block.
    fn transact(&mut self, tail: Vec<String>) -> Result<Receipt> {
        // Every block 12 s after the previous one: pairs see time pass and pay
        // for the oracle update, as on a live chain.
        self.timestamp += BLOCK_TIME;
        cast::cmd("rpc", &self.url)
            .args(["evm_setNextBlockTimestamp", &self.timestamp.to_string()])
            .read()?;
        let cmd = cast::cmd("send", &self.url)
            .args(["--private-key", DEV_KEY, "--json"])
            .args(&tail);
        let shown = cmd.shown();
        let out = cmd.read()?;
        let receipt: Value = serde_json::from_str(&out)
            .with_context(|| format!("`{shown}` printed no receipt: {out}"))?;
        if receipt["status"].as_str() != Some("0x1") {
            bail!("`{shown}` reverted: {receipt}");
        }
        let gas_used = receipt["gasUsed"]
            .as_str()
            .and_then(|g| u64::from_str_radix(g.trim_start_matches("0x"), 16).ok())
            .with_context(|| format!("receipt without gasUsed: {receipt}"))?;
        Ok(Receipt {
            gas_used,
            contract_address: receipt["contractAddress"].as_str().map(str::to_string),
        })
    }
}
