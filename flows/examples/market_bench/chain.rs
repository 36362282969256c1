//! The benchmark's market: anvil with Tidepool and contracts/bench/MarketSeeder.sol,
//! which deploys T tokens and creates a seeded pool for every pair of them
//! through the real factory, many per transaction. The chain is dumped once
//! to `target/bench-cache/market-<pools>.state` and reloaded on later runs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tidepool_sdk::alloy::primitives::Address;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::deploy_core;
use tidepool_sdk::signer::{ANVIL_CHAIN_ID, SignerSource};

/// Errors of the benchmark: anything, with its message.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const VERSION: u32 = 1;
/// Block gas limit of the benchmark chain.
const GAS_LIMIT: &str = "1000000000";

/// What is on the cached chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    version: u32,
    /// Pools.
    pub pools: usize,
    /// Tidepool's factory.
    pub factory: Address,
    /// The seeder (it also swaps).
    pub seeder: Address,
    /// Head after generation.
    pub head: u64,
    /// Seconds the generation took.
    pub generate_secs: f64,
}

pub use tidepool_testkit::market::Seeder;

/// A running anvil, killed on drop.
pub struct Anvil {
    child: Child,
    /// JSON-RPC URL.
    pub url: String,
}

impl Anvil {
    async fn start(log: &Path, extra: &[&str]) -> Res<Self> {
        let port = tidepool_testkit::ports::try_free_port()?;
        let child = Command::new(tidepool_testkit::try_anvil()?)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--chain-id",
                &ANVIL_CHAIN_ID.to_string(),
                "--accounts",
                "10",
            ])
            .args([
                "--hardfork",
                "cancun",
                "--prune-history",
                "--gas-limit",
                GAS_LIMIT,
            ])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(log)?)
            .spawn()?;
        let mut me = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(900);
        loop {
            if let Some(status) = me.child.try_wait()? {
                return Err(format!("anvil exited ({status}): see {}", log.display()).into());
            }
            if let Ok(c) = Client::connect(&me.url).await
                && c.chain_time().await.is_ok()
            {
                return Ok(me);
            }
            if Instant::now() > deadline {
                return Err("anvil did not answer within 15 minutes".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGTERM (anvil writes `--dump-state` then) and waits.
    pub async fn stop(mut self) -> Res<()> {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        while self.child.try_wait()?.is_none() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The cached chain of `pools` pools (generated when missing or `fresh`):
/// the running anvil, what is on it, and the seconds anvil took to load it.
pub async fn ensure(
    dir: &Path,
    pools: usize,
    fresh: bool,
    seeder: &Seeder,
) -> Res<(Anvil, Meta, f64)> {
    std::fs::create_dir_all(dir)?;
    let meta_path = dir.join(format!("market-{pools}.json"));
    let state_path: PathBuf = dir.join(format!("market-{pools}.state"));
    let log = dir.join("market-anvil.log");
    let cached = std::fs::read(&meta_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
        .filter(|m| m.version == VERSION && state_path.is_file());
    let meta = match cached {
        Some(m) if !fresh => m,
        _ => {
            let started = Instant::now();
            let anvil = Anvil::start(
                &log,
                &["--dump-state", state_path.to_str().unwrap_or_default()],
            )
            .await?;
            let mut meta = generate(&anvil, pools, seeder).await?;
            eprintln!("  dumping the state …");
            anvil.stop().await?;
            meta.generate_secs = started.elapsed().as_secs_f64();
            std::fs::write(&meta_path, serde_json::to_vec_pretty(&meta)?)?;
            meta
        }
    };
    let started = Instant::now();
    let anvil = Anvil::start(
        &log,
        &["--load-state", state_path.to_str().unwrap_or_default()],
    )
    .await?;
    Ok((anvil, meta, started.elapsed().as_secs_f64()))
}

async fn generate(anvil: &Anvil, pools: usize, seeder: &Seeder) -> Res<Meta> {
    let base = Client::connect(&anvil.url).await?;
    let deployer = SignerSource::DevAccount(0).load(base.chain_id)?;
    let c = base.with_signer(&deployer)?;
    let m = deploy_core(&c, deployer.address())
        .await
        .map_err(|e| format!("deploying Tidepool: {e}"))?;
    let seed_addr = seeder.seed(&c, m.factory, pools).await?;
    let number = tidepool_sdk::alloy::providers::Provider::get_block_number(&c.provider).await?;
    Ok(Meta {
        version: VERSION,
        pools,
        factory: m.factory,
        seeder: seed_addr,
        head: number,
        generate_secs: 0.0,
    })
}
