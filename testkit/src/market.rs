//! A big market for benchmarks: contracts/bench/MarketSeeder.sol deploys T
//! tokens and creates a seeded pool for every pair of them through a real
//! Tidepool factory, hundreds per transaction. Used by `cargo xtask bench
//! market` (on its own cached chain) and `cargo xtask bench app --market-pools N`
//! (on the app's devnet).

use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::Value;
use tidepool_sdk::alloy::dyn_abi::{DynSolValue, JsonAbiExt};
use tidepool_sdk::alloy::eips::BlockNumberOrTag;
use tidepool_sdk::alloy::json_abi::JsonAbi;
use tidepool_sdk::alloy::network::TransactionBuilder;
use tidepool_sdk::alloy::primitives::{Address, Bytes, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, deploy_code, send};

/// Pools created per transaction (about 1.3M gas each: the chain needs a
/// block gas limit of about 1e9, anvil's `--gas-limit`).
pub const POOLS_PER_TX: usize = 400;

/// The seeder's ABI and creation code from forge's output (`forge build contracts/bench`).
pub struct Seeder {
    abi: JsonAbi,
    code: Bytes,
}

impl Seeder {
    /// Reads out/MarketSeeder.sol/MarketSeeder.json.
    pub fn load() -> Result<Self> {
        let path = crate::workspace_root().join("out/MarketSeeder.sol/MarketSeeder.json");
        let text = std::fs::read(&path).with_context(|| {
            format!(
                "{} (`forge build contracts/bench` makes it; the xtask benches run it)",
                path.display()
            )
        })?;
        let v: Value = serde_json::from_slice(&text)?;
        let abi: JsonAbi = serde_json::from_value(v["abi"].clone())?;
        let hex = v["bytecode"]["object"]
            .as_str()
            .context("MarketSeeder.json has no bytecode")?;
        Ok(Self {
            abi,
            code: hex.parse()?,
        })
    }

    /// Calldata of `name(args)`.
    pub fn call(&self, name: &str, args: &[DynSolValue]) -> Result<Vec<u8>> {
        let f = self
            .abi
            .function(name)
            .and_then(|f| f.first())
            .with_context(|| format!("MarketSeeder has no {name}"))?;
        Ok(f.abi_encode_input(args)?)
    }

    /// Deploys a seeder for `factory` from `c` (a signing client) and
    /// creates `pools` seeded pools (and the tokens they need), as many per
    /// transaction as the block gas limit allows; returns the seeder's
    /// address (it can also swap: `swapMany`; `tokens(i)` are its tokens).
    pub async fn seed(&self, c: &Client, factory: Address, pools: usize) -> Result<Address> {
        let mut code = self.code.to_vec();
        code.extend(DynSolValue::Address(factory).abi_encode());
        let (seeder, _) = deploy_code(c, code.into())
            .await
            .context("deploying the seeder")?;
        // As many per transaction as half the chain's block gas limit allows:
        // blocks fuller than EIP-1559's target (half) raise the base fee by up
        // to 12.5% each, which over thousands of blocks would price the
        // deployer out.
        let block_gas = c
            .provider
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .context("reading the block gas limit")?
            .context("no latest block")?
            .header
            .gas_limit;
        let fit = |each: u64, most: usize| {
            usize::try_from(block_gas * 45 / 100 / each)
                .unwrap_or(most)
                .clamp(1, most)
        };
        let gas = (block_gas / 2).min(900_000_000);
        let (tokens_per_tx, pools_per_tx) = (fit(1_300_000, 100), fit(1_400_000, POOLS_PER_TX));
        let tokens = token_count(pools);
        for chunk in (0..tokens).collect::<Vec<_>>().chunks(tokens_per_tx) {
            let data = self.call("makeTokens", &[DynSolValue::from(U256::from(chunk.len()))])?;
            send(c, call_tx(seeder, data, U256::ZERO).with_gas_limit(gas))
                .await
                .context("making tokens")?;
        }
        let started = Instant::now();
        let mut made = 0;
        while made < pools {
            let n = pools_per_tx.min(pools - made);
            let data = self.call("seed", &[DynSolValue::from(U256::from(n))])?;
            send(c, call_tx(seeder, data, U256::ZERO).with_gas_limit(gas))
                .await
                .context("seeding pools")?;
            made += n;
            if made % 10_000 < pools_per_tx {
                eprintln!("  {made} pools ({:.0} s)", started.elapsed().as_secs_f64());
            }
        }
        Ok(seeder)
    }
}

/// Tokens needed for at least `pools` pools (every pair of them).
pub fn token_count(pools: usize) -> usize {
    (2..)
        .find(|t| t * (t - 1) / 2 >= pools)
        .expect("some count")
}
