//! The app's state, independent of the window: settings, the connection, the
//! wallet session, cached quotes, the embedded index and the event stream.
//! Tauri commands are thin wrappers over [`Core`]'s methods, so the tests
//! drive the same code against a real anvil without a window.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tidepool_sdk::B256;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::route::RouteGraph;
use tidepool_sdk::signer::LoadedSigner;
use tokio::sync::{broadcast, watch};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::settings::{Settings, SettingsFile};
use crate::txlog::TxLog;
use crate::views::{AppEvent, AppStatus, ConnectionState, IndexProgress, SwapQuote};
use crate::wallet::Wallet;
use crate::wallet::vault::Vault;

/// Where the app keeps its files.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// Settings and deployments.
    pub config: PathBuf,
    /// The wallet and the index.
    pub data: PathBuf,
    /// Where CSV exports go.
    pub downloads: PathBuf,
}

/// A working connection: the node, the deployment it carries, its genesis.
#[derive(Clone, Debug)]
pub struct Live {
    /// Read-only client.
    pub client: Client,
    /// The deployment.
    pub manifest: Manifest,
    /// The chain's genesis hash (a change means the chain was reset).
    pub genesis: B256,
}

/// A quote kept for approval, simulation and execution.
#[derive(Debug, Clone)]
pub struct KeptQuote {
    /// What the UI was shown.
    pub view: SwapQuote,
    /// The quote behind it (its plan, and the account it pays out to).
    pub quote: tidepool_flows::swap::SwapQuote,
    /// The chain it was made on.
    pub genesis: B256,
}

/// The latest block as the monitor last read it.
#[derive(Debug, Clone, Copy)]
pub struct Head {
    /// The chain's genesis.
    pub genesis: B256,
    /// Block number.
    pub number: u64,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// When it was read.
    pub seen: std::time::Instant,
}

/// How old a head the quote path may use without asking the node (the
/// monitor reads one every 400 ms).
const HEAD_FRESH: std::time::Duration = std::time::Duration::from_millis(1_000);

/// The most quotes kept (older ones are forgotten).
const KEPT_QUOTES: usize = 64;

/// The app.
pub struct Core {
    /// Directories.
    pub dirs: Dirs,
    settings: Mutex<SettingsFile>,
    live: Mutex<Option<Live>>,
    last_chain: Mutex<Option<(B256, Manifest)>>,
    conn: Mutex<ConnectionState>,
    wallet: Mutex<Wallet>,
    quotes: Mutex<VecDeque<KeptQuote>>,
    graph: Mutex<Option<(u64, B256, Arc<RouteGraph>)>>,
    head: Mutex<Option<Head>>,
    index: Mutex<IndexProgress>,
    txlog: Mutex<TxLog>,
    events: broadcast::Sender<AppEvent>,
    /// Bumped when the settings change: the monitor reconnects and the
    /// embedded indexer restarts.
    pub(crate) generation: watch::Sender<u64>,
    /// Set once when the app exits.
    pub(crate) shutdown: watch::Sender<bool>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Core {
    /// Loads the settings (with `TIDEPOOL_*` overrides) and opens the wallet;
    /// nothing connects until the connection monitor starts (`network::start`).
    pub fn new(dirs: Dirs) -> AppResult<Arc<Self>> {
        let mut file = SettingsFile::load(&dirs.config.join("settings.json"))?;
        file.settings = file.settings.clone().with_env();
        let vault = Vault::new(dirs.data.join("wallet"));
        let wallet = Wallet::new(vault, file.settings.auto_lock_mins);
        let conn = ConnectionState {
            connected: false,
            rpc_url: file.settings.rpc_url.clone(),
            chain_id: None,
            expected_chain_id: file.settings.chain_id,
            chain_matches: false,
            block_number: None,
            problem: Some("connecting…".into()),
            resets: 0,
        };
        let txlog = TxLog::open(dirs.data.join("transactions.json"))?;
        Ok(Arc::new(Self {
            dirs,
            settings: Mutex::new(file),
            live: Mutex::new(None),
            last_chain: Mutex::new(None),
            conn: Mutex::new(conn),
            wallet: Mutex::new(wallet),
            quotes: Mutex::new(VecDeque::new()),
            graph: Mutex::new(None),
            head: Mutex::new(None),
            index: Mutex::new(IndexProgress::default()),
            txlog: Mutex::new(txlog),
            events: broadcast::channel(256).0,
            generation: watch::channel(0).0,
            shutdown: watch::channel(false).0,
        }))
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        lock(&self.settings).settings.clone()
    }

    /// The settings file (settings and imported tokens).
    pub(crate) fn settings_file(&self) -> MutexGuard<'_, SettingsFile> {
        lock(&self.settings)
    }

    /// The wallet session.
    pub(crate) fn wallet(&self) -> MutexGuard<'_, Wallet> {
        lock(&self.wallet)
    }

    /// The app's own transaction log.
    pub(crate) fn txlog(&self) -> MutexGuard<'_, TxLog> {
        lock(&self.txlog)
    }

    /// Subscribes to the events the UI is pushed.
    pub fn subscribe(&self) -> broadcast::Receiver<AppEvent> {
        self.events.subscribe()
    }

    /// Pushes an event (dropped when nobody listens).
    pub(crate) fn emit(&self, event: AppEvent) {
        let _ = self.events.send(event);
    }

    /// The connection state.
    pub fn connection(&self) -> ConnectionState {
        lock(&self.conn).clone()
    }

    /// Replaces the connection state; emits an event when it changed.
    pub(crate) fn set_connection(&self, state: ConnectionState) {
        let mut c = lock(&self.conn);
        let block_changed = c.block_number != state.block_number;
        let mut a = c.clone();
        a.block_number = state.block_number;
        let changed = a != state;
        *c = state.clone();
        drop(c);
        if changed {
            self.emit(AppEvent::Connection {
                state: state.clone(),
            });
        }
        if block_changed && let Some(number) = state.block_number {
            self.emit(AppEvent::Block { number });
        }
    }

    /// The working connection, if any.
    pub fn live_opt(&self) -> Option<Live> {
        lock(&self.live).clone()
    }

    /// Replaces the working connection. Another chain than the last one
    /// connected (another genesis or deployment) forgets every quote and the
    /// cached route graph; returns whether the genesis changed (a reset).
    pub(crate) fn set_live(&self, live: Option<Live>) -> bool {
        let mut reset = false;
        if let Some(new) = &live {
            let mut last = lock(&self.last_chain);
            if let Some((genesis, manifest)) = &*last
                && (*genesis != new.genesis || *manifest != new.manifest)
            {
                reset = *genesis != new.genesis;
                lock(&self.quotes).clear();
                *lock(&self.graph) = None;
            }
            *last = Some((new.genesis, new.manifest.clone()));
        }
        *lock(&self.live) = live;
        reset
    }

    /// The working connection, or the reason there is none.
    pub fn live(&self) -> AppResult<Live> {
        self.live_opt().ok_or_else(|| {
            let c = self.connection();
            let kind = if c.connected && !c.chain_matches {
                ErrorKind::ChainMismatch
            } else {
                ErrorKind::Network
            };
            AppError::new(
                kind,
                c.problem
                    .unwrap_or_else(|| format!("not connected to {}", c.rpc_url)),
            )
        })
    }

    /// A client that signs as the active account, after checking that the
    /// node is on the chain the settings expect.
    pub(crate) fn signing(&self) -> AppResult<(Live, Client, LoadedSigner)> {
        let live = self.live()?;
        let expected = self.settings().chain_id;
        if live.client.chain_id != expected {
            return Err(AppError::new(
                ErrorKind::ChainMismatch,
                format!(
                    "the node is on chain {} but Settings expect chain {expected}: sending is blocked until they agree",
                    live.client.chain_id
                ),
            ));
        }
        let signer = self.wallet().signer(live.client.chain_id)?;
        let client = live.client.with_signer(&signer)?;
        Ok((live, client, signer))
    }

    /// A read-only client that plans as the active account (the zero address
    /// when none is active: such plans are previews and are never sent).
    pub(crate) fn planning_client(&self, live: &Live) -> Client {
        let mut c = live.client.clone();
        c.from = Some(
            self.wallet()
                .active_address()
                .unwrap_or(tidepool_sdk::Address::ZERO),
        );
        c
    }

    /// The embedded indexer's progress.
    pub fn index_progress(&self) -> IndexProgress {
        lock(&self.index).clone()
    }

    /// Records the indexer's progress; emits an event when it changed.
    pub(crate) fn set_index_progress(&self, p: IndexProgress) {
        let mut i = lock(&self.index);
        if *i != p {
            *i = p.clone();
            drop(i);
            self.emit(AppEvent::Index { progress: p });
        }
    }

    /// The status bar's contents.
    pub fn status(&self) -> AppResult<AppStatus> {
        Ok(AppStatus {
            connection: self.connection(),
            index: self.index_progress(),
            wallet: self.wallet_state()?,
        })
    }

    /// The wallet's state on the connected chain.
    pub fn wallet_state(&self) -> AppResult<crate::wallet::WalletState> {
        let chain = self.live_opt().map(|l| l.client.chain_id);
        self.wallet().state(chain)
    }

    /// Pushes the wallet's state to the UI.
    pub(crate) fn emit_wallet(&self) {
        if let Ok(state) = self.wallet_state() {
            self.emit(AppEvent::Wallet { state });
        }
    }

    /// Keeps a quote; returns it.
    pub(crate) fn keep_quote(&self, q: KeptQuote) {
        let mut quotes = lock(&self.quotes);
        if quotes.len() == KEPT_QUOTES {
            quotes.pop_front();
        }
        quotes.push_back(q);
    }

    /// A kept quote by id.
    pub(crate) fn quote(&self, id: &str) -> AppResult<KeptQuote> {
        lock(&self.quotes)
            .iter()
            .find(|q| q.view.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::input(
                    "this quote has expired (the chain or the settings changed): get a new quote",
                )
            })
    }

    /// The route graph cached for `block` on the chain of `genesis`.
    pub(crate) fn cached_graph(&self, block: u64, genesis: B256) -> Option<Arc<RouteGraph>> {
        lock(&self.graph)
            .as_ref()
            .filter(|(b, g, _)| *b == block && *g == genesis)
            .map(|(_, _, graph)| graph.clone())
    }

    /// Caches the route graph read at `block`.
    pub(crate) fn cache_graph(&self, block: u64, genesis: B256, graph: Arc<RouteGraph>) {
        *lock(&self.graph) = Some((block, genesis, graph));
    }

    /// Records the latest block the monitor read.
    pub(crate) fn set_head(&self, head: Head) {
        *lock(&self.head) = Some(head);
    }

    /// The latest block (number, time) on the chain of `genesis`, if read
    /// within the last second.
    pub(crate) fn fresh_head(&self, genesis: B256) -> Option<(u64, u64)> {
        lock(&self.head)
            .filter(|h| h.genesis == genesis && h.seen.elapsed() < HEAD_FRESH)
            .map(|h| (h.number, h.timestamp))
    }

    /// Forgets the cached route graph (after the app's own transaction).
    pub(crate) fn forget_graph(&self) {
        *lock(&self.graph) = None;
    }

    /// Stops the background tasks.
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }

    /// The index database for a chain and factory.
    pub fn index_path(&self, chain_id: u64, factory: tidepool_sdk::Address) -> PathBuf {
        let hex = format!("{factory:x}");
        let short: String = hex.trim_start_matches("0x").chars().take(8).collect();
        self.dirs
            .data
            .join(format!("index-{chain_id}-{short}.sqlite"))
    }
}
