//! A trading-ready local devnet: anvil (the npm-installed binary) on a
//! loopback port, Tidepool deployed, a realistic token set, pools seeded at
//! consistent prices and Anvil's dev accounts funded with every token.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use alloy::primitives::{Address, U256};
use alloy::sol_types::{SolCall, SolConstructor};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};
use tracing::info;

use tidepool_sdk::bindings::{TestToken, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, deploy_code, deploy_core, send};
use tidepool_sdk::manifest::{Manifest, TokenInfo};
use tidepool_sdk::signer::{ANVIL_CHAIN_ID, DEV_ACCOUNTS, SignerSource, dev_address};

pub mod sim;

/// Why the devnet could not start or stop.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No anvil binary was found anywhere it is looked for.
    #[error("anvil not found")]
    AnvilNotFound,
    /// The anvil binary named explicitly does not exist.
    #[error("no anvil binary at {0}")]
    NoAnvilAt(PathBuf),
    /// anvil could not be started, exited, or did not answer.
    #[error("anvil: {0}")]
    Anvil(String),
    /// A process or socket operation failed.
    #[error("{what}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The market simulation cannot go on (a setting or the deployment).
    #[error("simulation: {0}")]
    Simulation(String),
    /// Deploying, seeding or reading the chain failed.
    #[error(transparent)]
    Sdk(#[from] tidepool_sdk::Error),
}

/// The devnet's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A devnet token: name, symbol, decimals, price in whole dollars.
pub const TOKENS: &[(&str, &str, u8, u64)] = &[
    ("USD Coin", "USDC", 6, 1),
    ("Tether USD", "USDT", 6, 1),
    ("Dai Stablecoin", "DAI", 18, 1),
    ("Wrapped Bitcoin", "WBTC", 8, 60_000),
    ("Tidepool Token", "TIDE", 18, 2),
];

/// The price of ETH in dollars on the devnet.
pub const ETH_USD: u64 = 3000;

/// The devnet's pools: two symbols and the dollar depth of each side.
pub const POOLS: &[(&str, &str, u64)] = &[
    ("WETH", "USDC", 3_000_000),
    ("WETH", "DAI", 1_500_000),
    ("USDC", "USDT", 2_000_000),
    ("USDC", "DAI", 2_000_000),
    ("WBTC", "WETH", 3_000_000),
    ("WBTC", "USDC", 1_000_000),
    ("TIDE", "WETH", 500_000),
    ("TIDE", "USDC", 250_000),
];

/// Dollars of every token minted to each dev account 1–9.
pub const DEV_FUNDING_USD: u64 = 10_000_000;
/// Dollars of every token minted to the deployer (dev account 0), who seeds the pools.
pub const DEPLOYER_FUNDING_USD: u64 = 100_000_000;

/// How to start the devnet.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Loopback port; 0 picks a free one.
    pub port: u16,
    /// The anvil binary; found next to the project (`node_modules`) or on PATH when unset.
    pub anvil: Option<PathBuf>,
    /// Persist the chain to this file and reload it on the next start.
    pub state: Option<PathBuf>,
    /// Seconds between blocks (unset: a block per transaction).
    pub block_time: Option<u64>,
    /// Keep no historical states (anvil's `--prune-history`): for chains too
    /// big to keep a state per block in memory, e.g. a benchmark's market.
    pub prune_history: bool,
}

/// A running devnet. Dropping it kills anvil; [`Devnet::stop`] shuts it down
/// gracefully (anvil writes its `--state` file then).
pub struct Devnet {
    child: Child,
    /// The RPC URL.
    pub url: String,
    /// What was deployed.
    pub manifest: Manifest,
    /// Whether the chain was reloaded from a state file rather than deployed anew.
    pub reloaded: bool,
    /// Time from start to a seeded, ready market.
    pub startup: Duration,
}

impl Devnet {
    /// Starts anvil, then deploys and seeds (or reloads) the market.
    pub async fn start(opts: &Options) -> Result<Self> {
        let started = Instant::now();
        let anvil = find_anvil(opts.anvil.as_deref())?;
        let (child, url) = spawn_anvil(&anvil, opts).await?;
        let mut devnet = Self {
            child,
            url,
            manifest: placeholder(),
            reloaded: false,
            startup: Duration::ZERO,
        };
        let client = Client::connect(&devnet.url).await?;
        let saved = opts.state.as_ref().map(|s| state_manifest_path(s));
        let reloaded = match &saved {
            Some(path) if path.is_file() => reload(&client, path).await?,
            _ => None,
        };
        devnet.manifest = match reloaded {
            Some(m) => {
                devnet.reloaded = true;
                m
            }
            None => seed(&client).await?,
        };
        if let Some(path) = saved {
            devnet.manifest.save(&path)?;
        }
        devnet.startup = started.elapsed();
        info!(url = %devnet.url, secs = devnet.startup.as_secs_f64(), "devnet ready");
        Ok(devnet)
    }

    /// Anvil's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Waits until anvil exits by itself.
    pub async fn wait(&mut self) -> Result<()> {
        self.child
            .wait()
            .await
            .map_err(|e| Error::Anvil(format!("waiting for anvil: {e}")))?;
        Ok(())
    }

    /// Stops anvil with SIGTERM (it saves `--state` then) and waits up to 10 s.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(pid) = self.child.id() {
            // SAFETY: kill has no memory-safety preconditions; pid is our child's.
            unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        }
        match tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await {
            Ok(_) => Ok(()),
            Err(_) => {
                let _ = self.child.kill().await;
                Err(Error::Anvil(
                    "anvil did not stop within 10 s; killed it".into(),
                ))
            }
        }
    }
}

fn placeholder() -> Manifest {
    Manifest {
        chain_id: ANVIL_CHAIN_ID,
        genesis_hash: Default::default(),
        rpc_url: String::new(),
        deploy_block: 0,
        weth: Address::ZERO,
        factory: Address::ZERO,
        router: Address::ZERO,
        protocol: Default::default(),
        name: None,
        pair_extension: None,
        init_code_hash: Default::default(),
        tokens: vec![],
    }
}

/// The manifest saved beside a state file.
pub fn state_manifest_path(state: &Path) -> PathBuf {
    let mut s = state.as_os_str().to_owned();
    s.push(".manifest.json");
    PathBuf::from(s)
}

/// The anvil binary: `explicit`, else `$TIDEPOOL_ANVIL`, else
/// `node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil` in the current
/// directory or an ancestor (or beside the running executable's workspace), else `anvil` on PATH.
pub fn find_anvil(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(Error::NoAnvilAt(p.to_path_buf()))
        };
    }
    if let Some(p) = std::env::var_os("TIDEPOOL_ANVIL").filter(|p| !p.is_empty()) {
        return find_anvil(Some(Path::new(&p)));
    }
    let rel = Path::new("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    let mut starts: Vec<PathBuf> = std::env::current_dir().into_iter().collect();
    starts.extend(
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(Path::to_path_buf)),
    );
    for start in starts {
        for dir in start.ancestors() {
            let candidate = dir.join(rel);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("anvil");
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Error::AnvilNotFound)
}

fn free_port() -> Result<u16> {
    let io = |source| Error::Io {
        what: "no free loopback port".into(),
        source,
    };
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(io)?;
    Ok(l.local_addr().map_err(io)?.port())
}

/// Starts anvil and waits until it answers; retries on another port if a
/// free port was taken in between.
async fn spawn_anvil(anvil: &Path, opts: &Options) -> Result<(Child, String)> {
    let attempts = if opts.port == 0 { 3 } else { 1 };
    let mut last = String::new();
    for _ in 0..attempts {
        let port = if opts.port == 0 {
            free_port()?
        } else {
            opts.port
        };
        let mut cmd = Command::new(anvil);
        cmd.args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--chain-id",
                &ANVIL_CHAIN_ID.to_string(),
                "--accounts",
                &DEV_ACCOUNTS.to_string(),
            ])
            .args(["--hardfork", "cancun"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(state) = &opts.state {
            cmd.arg("--state").arg(state);
        }
        if let Some(t) = opts.block_time {
            cmd.args(["--block-time", &t.to_string()]);
        }
        if opts.prune_history {
            cmd.arg("--prune-history");
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::Anvil(format!("cannot start {}: {e}", anvil.display())))?;
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::Anvil(e.to_string()))? {
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    let _ = s.read_to_string(&mut err).await;
                }
                last = format!("anvil exited ({status}) on port {port}: {}", err.trim());
                break;
            }
            if Client::connect(&url).await.is_ok() {
                return Ok((child, url));
            }
            if Instant::now() > deadline {
                let _ = child.kill().await;
                return Err(Error::Anvil(format!(
                    "anvil did not answer on {url} within 20 s"
                )));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Err(Error::Anvil(last))
}

/// Reuses a reloaded chain: the saved manifest must match (factory code present).
async fn reload(client: &Client, saved: &Path) -> Result<Option<Manifest>> {
    let mut m = Manifest::load(saved)?;
    m.genesis_hash = client.genesis_hash().await?;
    m.rpc_url = client.url.clone();
    match client.check_manifest(&m).await {
        Ok(()) => Ok(Some(m)),
        Err(tidepool_sdk::Error::NoCode { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn units(usd: u64, decimals: u8, price: u64) -> U256 {
    U256::from(usd) * U256::from(10u64).pow(U256::from(decimals)) / U256::from(price)
}

/// Deploys Tidepool with dev account 0, creates the tokens, funds every dev
/// account and seeds the pools.
pub async fn seed(client: &Client) -> Result<Manifest> {
    let deployer = SignerSource::DevAccount(0).load(client.chain_id)?;
    let client = client.with_signer(&deployer)?;
    let mut m = deploy_core(&client, deployer.address()).await?;
    for (name, symbol, decimals, price) in TOKENS {
        let args = TestToken::constructorCall {
            name_: name.to_string(),
            symbol_: symbol.to_string(),
            decimals_: *decimals,
        }
        .abi_encode();
        let mut code = TestToken::BYTECODE.to_vec();
        code.extend(args);
        let (address, _) = deploy_code(&client, code.into()).await?;
        let mint = |to: Address, usd: u64| {
            TestToken::mintCall {
                to,
                amount: units(usd, *decimals, *price),
            }
            .abi_encode()
        };
        send(
            &client,
            call_tx(
                address,
                mint(deployer.address(), DEPLOYER_FUNDING_USD),
                U256::ZERO,
            ),
        )
        .await?;
        for k in 1..DEV_ACCOUNTS {
            send(
                &client,
                call_tx(address, mint(dev_address(k), DEV_FUNDING_USD), U256::ZERO),
            )
            .await?;
        }
        let approve = TestToken::approveCall {
            spender: m.router,
            amount: U256::MAX,
        }
        .abi_encode();
        send(&client, call_tx(address, approve, U256::ZERO)).await?;
        m.tokens.push(TokenInfo {
            symbol: symbol.to_string(),
            name: name.to_string(),
            decimals: *decimals,
            address,
            oddities: Vec::new(),
        });
    }
    let price = |sym: &str| {
        TOKENS
            .iter()
            .find(|t| t.1 == sym)
            .map_or((18, ETH_USD), |t| (t.2, t.3))
    };
    for (a, b, usd) in POOLS {
        let (da, pa) = price(a);
        let (db, pb) = price(b);
        let (amount_a, amount_b) = (units(*usd, da, pa), units(*usd, db, pb));
        let addr = |s: &str| m.token(s).map(|t| t.address).expect("seeded token");
        let data = if *a == "WETH" || *b == "WETH" {
            let (token, amount, eth) = if *a == "WETH" {
                (addr(b), amount_b, amount_a)
            } else {
                (addr(a), amount_a, amount_b)
            };
            let call = TidepoolRouter::addLiquidityETHCall {
                token,
                amountTokenDesired: amount,
                amountTokenMin: U256::ZERO,
                amountETHMin: U256::ZERO,
                to: deployer.address(),
                deadline: U256::MAX,
            };
            send(&client, call_tx(m.router, call.abi_encode(), eth)).await?;
            continue;
        } else {
            TidepoolRouter::addLiquidityCall {
                tokenA: addr(a),
                tokenB: addr(b),
                amountADesired: amount_a,
                amountBDesired: amount_b,
                amountAMin: U256::ZERO,
                amountBMin: U256::ZERO,
                to: deployer.address(),
                deadline: U256::MAX,
            }
            .abi_encode()
        };
        send(&client, call_tx(m.router, data, U256::ZERO)).await?;
    }
    Ok(m)
}
