//! `tidepool`: run a local Tidepool market and trade on it from scripts.
//!
//! Every command takes `--json`; settings come from flags, `TIDEPOOL_*`
//! environment variables and a TOML config file (see README). Bad input gets
//! one line saying what is wrong and what to do, a non-zero exit code, and no
//! transaction is sent.

mod account;
mod approvals;
mod attach;
mod config;
mod context;
mod devnet;
mod export;
mod fees;
mod hint;
mod index;
mod liquidity;
mod output;
mod progress;
mod query;
mod read;
mod simulate;
mod swap;
mod tokens;
mod tx;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Options every command shares.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// JSON-RPC endpoint [default: http://127.0.0.1:8545].
    #[arg(long, global = true, env = "TIDEPOOL_RPC")]
    pub rpc: Option<String>,
    /// Deployment manifest [default: deployments/<chain-id>.json].
    #[arg(long, global = true, env = "TIDEPOOL_MANIFEST")]
    pub manifest: Option<PathBuf>,
    /// The chain id the endpoint must be on [default: the manifest's].
    #[arg(long, global = true, env = "TIDEPOOL_CHAIN_ID")]
    pub chain_id: Option<u64>,
    /// Config file [default: ./tidepool.toml when present].
    #[arg(long, global = true, env = "TIDEPOOL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Send from Anvil's dev account N (test-only keys; chain id 31337 only).
    #[arg(long, global = true, env = "TIDEPOOL_DEV_ACCOUNT")]
    pub dev_account: Option<u32>,
    /// Send from this encrypted keystore (V3 JSON).
    #[arg(long, global = true, env = "TIDEPOOL_KEYSTORE")]
    pub keystore: Option<PathBuf>,
    /// File holding the keystore's password (or set TIDEPOOL_KEYSTORE_PASSWORD).
    #[arg(long, global = true, env = "TIDEPOOL_PASSWORD_FILE")]
    pub password_file: Option<PathBuf>,
    /// File holding a BIP-39 mnemonic to send from (or set TIDEPOOL_MNEMONIC).
    #[arg(long, global = true, env = "TIDEPOOL_MNEMONIC_FILE")]
    pub mnemonic_file: Option<PathBuf>,
    /// Account index of the mnemonic [default: 0].
    #[arg(long, global = true, env = "TIDEPOOL_MNEMONIC_INDEX")]
    pub mnemonic_index: Option<u32>,
    /// Send through an external JSON-RPC signer that keeps its own keys and
    /// asks you to confirm, e.g. Frame at http://127.0.0.1:1248.
    #[arg(long, global = true, env = "TIDEPOOL_EXTERNAL_SIGNER")]
    pub external_signer: Option<String>,
    /// Send through a wallet in your browser (MetaMask, Rabby, …): prints a
    /// local page's address to open there, then waits for you to pick the wallet.
    #[arg(long, global = true, env = "TIDEPOOL_BROWSER_WALLET")]
    pub browser_wallet: bool,
    /// The loopback port of the browser-wallet page [default: a free one].
    #[arg(long, global = true, env = "TIDEPOOL_BROWSER_PORT")]
    pub browser_port: Option<u16>,
    /// Which account of the external signer or browser wallet [default: its
    /// first]; given before the command (`tidepool --from ADDR swap …`), as
    /// `query`'s own --from is a time.
    #[arg(long, env = "TIDEPOOL_FROM")]
    pub from: Option<String>,
    /// When the wallet is on another chain, ask it to switch (you confirm in the wallet).
    #[arg(long, global = true)]
    pub switch_chain: bool,
    /// Where Tidepool keeps the transactions it sent [default:
    /// $XDG_DATA_HOME/tidepool, else ~/.local/share/tidepool].
    #[arg(long, global = true, env = "TIDEPOOL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Fee preset: slow, normal or fast (tips from recent blocks) [default: normal].
    #[arg(long, global = true, value_enum, env = "TIDEPOOL_SPEED")]
    pub speed: Option<fees::SpeedArg>,
    /// Max fee per gas in gwei (base fee + tip), instead of the preset's.
    #[arg(long, global = true)]
    pub max_fee: Option<String>,
    /// Priority fee (tip) per gas in gwei, instead of the preset's.
    #[arg(long, global = true)]
    pub priority_fee: Option<String>,
    /// Trade this token although it is on none of your token lists (after
    /// checking its address); remembered for the chain. Repeatable.
    #[arg(long = "trust-token", global = true)]
    pub trust_token: Vec<String>,
    /// Never pay more than this per gas, in gwei: a transaction above it is not sent.
    #[arg(long, global = true, env = "TIDEPOOL_FEE_CAP")]
    pub fee_cap: Option<String>,
}

#[derive(Parser)]
#[command(
    name = "tidepool",
    version,
    about = "Tidepool: a local Uniswap-V2-compatible exchange, from the command line"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start anvil with Tidepool deployed, tokens, pools and funded dev accounts; runs until Ctrl-C.
    Devnet(devnet::DevnetArgs),
    /// Deploy WETH, the factory and the router to --rpc and write the manifest.
    Deploy(devnet::DeployArgs),
    /// Write a manifest for a Uniswap-V2-compatible deployment already on the
    /// chain (Uniswap's own, a fork, or a preset), after checking it.
    Attach(attach::AttachArgs),
    /// The deployment's tokens, and token lists.
    Tokens {
        #[command(subcommand)]
        command: Option<read::TokensCommand>,
    },
    /// Every pool with its reserves and price.
    Pools(read::PoolsArgs),
    /// ETH, token and LP balances of an account.
    Balances(read::BalancesArgs),
    /// The best route and amounts for a swap, without sending anything.
    Quote(swap::QuoteArgs),
    /// Swap along the best route: quote, check, approve if needed, simulate, send.
    Swap(swap::SwapArgs),
    /// Let the router (or --spender) move a token.
    Approve(swap::ApproveArgs),
    /// Mirror every pool event of the factory into a SQLite file (backfill, then follow).
    Index(index::IndexArgs),
    /// Add or remove liquidity, list positions.
    Liquidity {
        #[command(subcommand)]
        command: liquidity::LiquidityCommand,
    },
    /// Analytics from the index database: pairs, swaps, candles, volume, tvl, account, sql.
    Query {
        #[command(subcommand)]
        command: query::QueryCommand,
    },
    /// Serve the index database as a read-only HTTP JSON API (default 127.0.0.1:8546).
    Serve(query::ServeArgs),
    /// Write a table of the index database to a Parquet or CSV file.
    Export(export::ExportArgs),
    /// Make a running devnet's market move: reference prices, noise traders, an arbitrageur.
    Simulate(simulate::SimulateArgs),
    /// The transactions Tidepool sent: list, status, speed up, cancel.
    Tx {
        #[command(subcommand)]
        command: tx::TxCommand,
    },
    /// What an account let others spend, and revoking it.
    Approvals(approvals::ApprovalsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = cli.global.json;
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let message = hint::render(&err);
            if json {
                println!("{}", serde_json::json!({ "error": message }));
            }
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("TIDEPOOL_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let g = cli.global;
    match cli.command {
        Command::Devnet(a) => devnet::devnet(&g, a).await,
        Command::Deploy(a) => devnet::deploy(&g, a).await,
        Command::Attach(a) => attach::run(&g, a).await,
        Command::Tokens { command } => read::tokens_cmd(&g, command).await,
        Command::Pools(a) => read::pools(&g, a).await,
        Command::Balances(a) => read::balances(&g, a).await,
        Command::Quote(a) => swap::quote(&g, a).await,
        Command::Swap(a) => swap::swap(&g, a).await,
        Command::Approve(a) => swap::approve(&g, a).await,
        Command::Liquidity { command } => liquidity::run(&g, command).await,
        Command::Index(a) => index::run(&g, a).await,
        Command::Query { command } => query::run(&g, command).await,
        Command::Serve(a) => query::serve(&g, a).await,
        Command::Export(a) => export::run(&g, a),
        Command::Simulate(a) => simulate::run(&g, a).await,
        Command::Tx { command } => tx::run(&g, command).await,
        Command::Approvals(a) => approvals::run(&g, a).await,
    }
}
