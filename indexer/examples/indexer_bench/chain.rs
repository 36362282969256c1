//! The benchmark chain: anvil with Tidepool, 7 test tokens, all 21 pairs
//! between them seeded through the router, and N swaps from 9 dev accounts
//! (pre-signed legacy transactions with explicit nonces, 100 per block, mined
//! explicitly, every block 12 s after the previous one). The state is dumped
//! once (per-transaction traces stripped) and reloaded on later runs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::json;
use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::signers::local::PrivateKeySigner;
use tidepool_sdk::alloy::sol_types::{SolCall, SolConstructor};
use tidepool_sdk::bindings::{TestToken, TidepoolFactory, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, deploy_code, deploy_core, send};
use tidepool_sdk::signer::{ANVIL_CHAIN_ID, SignerSource, dev_address, dev_signer};

use crate::rpc::Rpc;
use crate::swaps::SwapGen;

/// Errors of the benchmark: anything, with its message.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Bump when the generated chain changes shape (invalidates caches).
const VERSION: u32 = 1;
/// Test tokens: symbol, decimals, dollar price.
pub const TOKENS: [(&str, u8, f64); 7] = [
    ("BUSD", 18, 1.0),
    ("BUSC", 6, 1.0),
    ("BBTC", 8, 60_000.0),
    ("BETH", 18, 3_000.0),
    ("BTID", 18, 2.0),
    ("BSML", 6, 0.5),
    ("BMID", 18, 10.0),
];
/// Dollar depth of each side of every pool.
pub const POOL_USD: f64 = 2e6;
/// Dollars of every token minted to each dev account.
const FUNDING_USD: f64 = 1e9;
/// Swaps per block.
pub const TX_PER_BLOCK: usize = 100;
/// Seconds between blocks.
pub const BLOCK_SECS: u64 = 12;
/// Dev accounts 1..=SWAPPERS send the swaps.
const SWAPPERS: u32 = 9;

/// What was generated, saved beside the state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// Layout version.
    pub version: u32,
    /// Tidepool's factory.
    pub factory: Address,
    /// Tidepool's router.
    pub router: Address,
    /// The block Tidepool was deployed in (the indexer's start).
    pub deploy_block: u64,
    /// Token addresses, in `TOKENS` order.
    pub tokens: Vec<Address>,
    /// Every pair: address and its two tokens' indices in `tokens`.
    pub pairs: Vec<(Address, usize, usize)>,
    /// Swaps sent after seeding.
    pub swaps: u64,
    /// The head after generation.
    pub head: u64,
    /// Seconds the generation took (setup, swaps, dump).
    pub generate_secs: f64,
}

/// A running anvil (killed on drop).
pub struct Anvil {
    child: Child,
    /// JSON-RPC URL.
    pub url: String,
    /// Raw JSON-RPC.
    pub rpc: Rpc,
}

impl Anvil {
    /// Starts anvil with the common flags plus `extra`, and waits until it answers.
    pub async fn start(log: &Path, extra: &[&str]) -> Res<Self> {
        let anvil = tidepool_testkit::try_anvil()?;
        let port = tidepool_testkit::ports::try_free_port()?;
        let child = Command::new(&anvil)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--chain-id",
                &ANVIL_CHAIN_ID.to_string(),
                "--accounts",
                "10",
            ])
            .args(["--hardfork", "cancun", "--prune-history"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(log)?)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", anvil.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        let mut me = Self {
            child,
            rpc: Rpc::new(&url),
            url,
        };
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            if let Some(status) = me.child.try_wait()? {
                let err = std::fs::read_to_string(log).unwrap_or_default();
                return Err(format!("anvil exited ({status}): {}", err.trim()).into());
            }
            if me.rpc.block_number().await.is_ok() {
                return Ok(me);
            }
            if Instant::now() > deadline {
                return Err("anvil did not answer within 10 minutes".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM (anvil writes `--dump-state` then) and waits for the exit.
    pub async fn stop(mut self) -> Res<()> {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(900);
        while self.child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                return Err("anvil did not exit within 15 minutes of SIGTERM".into());
            }
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

/// How the chain came to be.
pub struct Loaded {
    /// The running chain (automine off).
    pub anvil: Anvil,
    /// What is on it.
    pub meta: Meta,
    /// Whether it was generated in this run.
    pub generated: bool,
    /// Seconds anvil took to load the state file.
    pub load_secs: f64,
    /// Size of the state file.
    pub state_bytes: u64,
}

/// The subgraph's pricing for the bench's tokens: BETH is the wrapped ether,
/// BUSD and BUSC the stablecoins; BBTC is whitelisted beside them.
pub fn pricing(meta: &Meta) -> tidepool_indexer::pricing::PricingConfig {
    let t = |i: usize| meta.tokens[i];
    tidepool_indexer::pricing::PricingConfig {
        weth: Some(t(3)),
        stablecoins: vec![t(0), t(1)],
        whitelist: vec![t(3), t(0), t(1), t(2)],
        ..Default::default()
    }
}

/// `usd` dollars of token `token` in base units.
pub fn units(usd: f64, token: usize) -> U256 {
    let (_, decimals, price) = TOKENS[token];
    U256::from((usd / price * 10f64.powi(i32::from(decimals))) as u128)
}

/// The cached chain of `swaps` swaps, generated first when missing (or `fresh`).
pub async fn ensure(dir: &Path, swaps: u64, fresh: bool) -> Res<Loaded> {
    std::fs::create_dir_all(dir)?;
    let name = if swaps == 100_000 {
        format!("indexer-chain-v{VERSION}")
    } else {
        format!("indexer-chain-v{VERSION}-{swaps}")
    };
    let meta_path = dir.join(format!("{name}.json"));
    let state_path = dir.join(format!("{name}.state"));
    let cached = std::fs::read(&meta_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
        .filter(|m| m.version == VERSION && m.swaps == swaps && state_path.is_file());
    let log = dir.join("anvil.log");
    let (meta, generated) = match cached {
        Some(m) if !fresh => (m, false),
        _ => {
            let raw: PathBuf = dir.join(format!("{name}.raw.json"));
            let started = Instant::now();
            let anvil =
                Anvil::start(&log, &["--dump-state", raw.to_str().unwrap_or_default()]).await?;
            let mut meta = generate(&anvil, swaps).await?;
            eprintln!("  dumping the state …");
            anvil.stop().await?;
            let (before, after) = tidepool_testkit::bench::strip_traces(&raw, &state_path)?;
            std::fs::remove_file(&raw)?;
            meta.generate_secs = started.elapsed().as_secs_f64();
            eprintln!(
                "  state: {:.0} MB dumped, {:.0} MB without traces; generated in {:.1} s",
                before as f64 / 1e6,
                after as f64 / 1e6,
                meta.generate_secs
            );
            std::fs::write(&meta_path, serde_json::to_vec_pretty(&meta)?)?;
            (meta, true)
        }
    };
    let started = Instant::now();
    let state = state_path.to_str().unwrap_or_default();
    let anvil = Anvil::start(&log, &["--load-state", state, "--no-mining"]).await?;
    let load_secs = started.elapsed().as_secs_f64();
    let head = anvil.rpc.block_number().await?;
    if head != meta.head {
        return Err(format!(
            "the reloaded chain's head is {head}, the cache says {}: rerun with --fresh",
            meta.head
        )
        .into());
    }
    Ok(Loaded {
        anvil,
        meta,
        generated,
        load_secs,
        state_bytes: std::fs::metadata(&state_path)?.len(),
    })
}

/// Deploys and seeds, then sends the swaps.
async fn generate(anvil: &Anvil, swaps: u64) -> Res<Meta> {
    let rpc = &anvil.rpc;
    rpc.call("anvil_setBlockTimestampInterval", json!([BLOCK_SECS]))
        .await?;
    let started = Instant::now();
    let base = Client::connect(&anvil.url).await?;
    let deployer = SignerSource::DevAccount(0).load(base.chain_id)?;
    let client = base.with_signer(&deployer)?;
    let m = deploy_core(&client, deployer.address()).await?;
    let mut tokens = Vec::new();
    for (i, (symbol, decimals, _)) in TOKENS.iter().enumerate() {
        let args = TestToken::constructorCall {
            name_: format!("Bench {symbol}"),
            symbol_: symbol.to_string(),
            decimals_: *decimals,
        }
        .abi_encode();
        let mut code = TestToken::BYTECODE.to_vec();
        code.extend(args);
        let (token, _) = deploy_code(&client, code.into()).await?;
        for k in 0..=SWAPPERS {
            let mint = TestToken::mintCall {
                to: dev_address(k),
                amount: units(FUNDING_USD, i),
            };
            send(&client, call_tx(token, mint.abi_encode(), U256::ZERO)).await?;
        }
        tokens.push(token);
    }
    for k in 0..=SWAPPERS {
        let c = base.with_signer(&SignerSource::DevAccount(k).load(base.chain_id)?)?;
        for t in &tokens {
            let approve = TestToken::approveCall {
                spender: m.router,
                amount: U256::MAX,
            };
            send(&c, call_tx(*t, approve.abi_encode(), U256::ZERO)).await?;
        }
    }
    let factory = TidepoolFactory::new(m.factory, &base.provider);
    let mut pairs = Vec::new();
    for a in 0..tokens.len() {
        for b in a + 1..tokens.len() {
            let add = TidepoolRouter::addLiquidityCall {
                tokenA: tokens[a],
                tokenB: tokens[b],
                amountADesired: units(POOL_USD, a),
                amountBDesired: units(POOL_USD, b),
                amountAMin: U256::ZERO,
                amountBMin: U256::ZERO,
                to: deployer.address(),
                deadline: U256::MAX,
            };
            send(&client, call_tx(m.router, add.abi_encode(), U256::ZERO)).await?;
            let pair = factory.getPair(tokens[a], tokens[b]).call().await?;
            pairs.push((pair, a, b));
        }
    }
    eprintln!(
        "  deployed Tidepool, {} tokens and {} pairs in {:.1} s",
        tokens.len(),
        pairs.len(),
        started.elapsed().as_secs_f64()
    );
    let mut meta = Meta {
        version: VERSION,
        factory: m.factory,
        router: m.router,
        deploy_block: m.deploy_block,
        tokens,
        pairs,
        swaps,
        head: 0,
        generate_secs: 0.0,
    };
    rpc.call("evm_setAutomine", json!([false])).await?;
    send_swaps(rpc, &meta, swaps).await?;
    meta.head = rpc.block_number().await?;
    Ok(meta)
}

/// Signs `swaps` swaps on a thread and sends them 100 per block.
async fn send_swaps(rpc: &Rpc, meta: &Meta, swaps: u64) -> Res<()> {
    let mut nonces = Vec::new();
    for k in 1..=SWAPPERS {
        nonces.push(rpc.nonce(dev_address(k)).await?);
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<String>>(64);
    let gen_meta = meta.clone();
    let signer = std::thread::spawn(move || -> Res<()> {
        let signers: Vec<PrivateKeySigner> = (1..=SWAPPERS).map(dev_signer).collect();
        let mut swap_gen = SwapGen::new(0x1de7_b00c, &gen_meta);
        let mut batch = Vec::with_capacity(TX_PER_BLOCK);
        for i in 0..swaps as usize {
            let k = i % signers.len();
            batch.push(swap_gen.swap(&signers[k], nonces[k])?);
            nonces[k] += 1;
            if batch.len() == TX_PER_BLOCK && tx.blocking_send(std::mem::take(&mut batch)).is_err()
            {
                return Ok(());
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        Ok(())
    });
    let started = Instant::now();
    let (mut sent, mut shown) = (0u64, 0u64);
    while let Some(batch) = rx.recv().await {
        rpc.send_raw_batch(&batch).await?;
        rpc.call("evm_mine", json!([])).await?;
        sent += batch.len() as u64;
        if sent * 10 / swaps.max(1) > shown {
            shown = sent * 10 / swaps.max(1);
            eprintln!(
                "  {sent} swaps sent and mined ({:.0}/s)",
                sent as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    signer.join().map_err(|_| "the signing thread panicked")??;
    for _ in 0..100 {
        let status = rpc.call("txpool_status", json!([])).await?;
        if Rpc::quantity(&status["pending"]).unwrap_or(0) == 0 {
            return Ok(());
        }
        rpc.call("evm_mine", json!([])).await?;
    }
    Err("transactions are still pending after 100 extra blocks".into())
}
