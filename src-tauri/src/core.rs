//! The app, independent of the window: it holds one owner for each piece of
//! state — the settings file, the wallet session, the chain as the
//! connection monitor sees it ([`crate::chain`], a `watch` channel the rest
//! subscribes to), the quote store ([`crate::quotes`]), the transaction log
//! ([`crate::txlog`]) and the embedded index's progress — and the event
//! stream to the UI. Tauri commands are thin wrappers over [`Core`]'s
//! methods, so the tests drive the same code against a real anvil without a
//! window.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tidepool_sdk::B256;
use tidepool_sdk::chain::Client;
use tokio::sync::{broadcast, watch};

pub use crate::chain::{ChainState, Head, Live};
use crate::confirm::{Confirmer, Gate};
use crate::connect::Remote;
use crate::error::{AppError, AppResult, ErrorKind};
pub use crate::quotes::KeptQuote;
use crate::quotes::QuoteStore;
use crate::settings::{Settings, SettingsFile};
use crate::txlog::TxLog;
use crate::views::{AppEvent, AppStatus, ConnectionState, IndexProgress};
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

/// The app.
pub struct Core {
    /// Directories.
    pub dirs: Dirs,
    settings: Mutex<SettingsFile>,
    /// Written by the connection monitor only.
    chain: watch::Sender<ChainState>,
    wallet: Mutex<Wallet>,
    /// The external or browser wallet, when one is connected.
    remote: Mutex<Option<Remote>>,
    /// Asks the person before a local key signs (the native dialog).
    confirmer: Mutex<Option<Arc<dyn Confirmer>>>,
    /// Kept quotes and the cached route graph.
    pub(crate) quotes: QuoteStore,
    /// The person's token lists and confirmed tokens (the shared flows owner).
    trust: Mutex<tidepool_flows::tokens::TokenTrust>,
    /// Every pool of the connected deployment (see market.rs).
    pub(crate) market: tokio::sync::Mutex<Option<tidepool_flows::market::Market>>,
    index: Mutex<IndexProgress>,
    txlog: Mutex<TxLog>,
    /// Every transaction the app sent and where it stands (the tracker).
    pub(crate) sent: Arc<tidepool_flows::tracker::TxStore>,
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
        let sent = tidepool_flows::tracker::TxStore::open(&dirs.data.join("sent"))?;
        let trust = tidepool_flows::tokens::TokenTrust::open(&dirs.data);
        Ok(Arc::new(Self {
            dirs,
            settings: Mutex::new(file),
            chain: watch::channel(ChainState::new(conn)).0,
            wallet: Mutex::new(wallet),
            remote: Mutex::new(None),
            confirmer: Mutex::new(None),
            quotes: QuoteStore::default(),
            trust: Mutex::new(trust),
            market: tokio::sync::Mutex::new(None),
            index: Mutex::new(IndexProgress::default()),
            txlog: Mutex::new(txlog),
            sent,
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

    /// The person's token lists and confirmations.
    pub(crate) fn trust(&self) -> MutexGuard<'_, tidepool_flows::tokens::TokenTrust> {
        lock(&self.trust)
    }

    /// The wallet session.
    pub(crate) fn wallet(&self) -> MutexGuard<'_, Wallet> {
        lock(&self.wallet)
    }

    /// Sets what asks the person before a local key signs: the app's native
    /// dialog, or a test's stand-in for the person.
    pub fn set_confirmer(&self, confirmer: Arc<dyn Confirmer>) {
        *lock(&self.confirmer) = Some(confirmer);
    }

    /// The connected external or browser wallet.
    pub(crate) fn remote(&self) -> MutexGuard<'_, Option<Remote>> {
        lock(&self.remote)
    }

    /// The account the app plans and sends for: the connected external or
    /// browser wallet's, else the local wallet's active one.
    pub fn active_address(&self) -> Option<tidepool_sdk::Address> {
        if let Some(r) = self.remote().as_ref() {
            return r.address();
        }
        self.wallet().active_address()
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

    /// The chain as the monitor last published it.
    pub fn chain(&self) -> ChainState {
        self.chain.borrow().clone()
    }

    /// Subscribes to the monitor's chain state (every head, reconnect and reset).
    pub fn watch_chain(&self) -> watch::Receiver<ChainState> {
        self.chain.subscribe()
    }

    /// The connection state.
    pub fn connection(&self) -> ConnectionState {
        self.chain.borrow().connection.clone()
    }

    /// Replaces the connection state (and, with `head`, the latest block);
    /// emits events when they changed. For the connection monitor.
    pub(crate) fn set_connection(&self, state: ConnectionState, head: Option<Head>) {
        let mut before = None;
        self.chain.send_modify(|c| {
            before = Some(c.connection.clone());
            c.connection = state.clone();
            if head.is_some() {
                c.head = head;
            }
        });
        let Some(before) = before else { return };
        let block_changed = before.block_number != state.block_number;
        let mut a = before;
        a.block_number = state.block_number;
        if a != state {
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
        self.chain.borrow().live.clone()
    }

    /// Replaces the working connection. Another chain than the last one
    /// connected (another genesis or deployment) empties the quote store;
    /// returns whether the genesis changed (a reset). For the monitor.
    pub(crate) fn set_live(&self, live: Option<Live>) -> bool {
        let mut change = crate::chain::Change::default();
        self.chain.send_modify(|c| change = c.replace_live(live));
        if change.other_chain {
            self.quotes.clear();
        }
        change.reset
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

    /// A client that signs as the active account (the connected wallet, or
    /// the local one), after checking that the node is on the chain the
    /// settings expect.
    pub(crate) fn signing(&self) -> AppResult<(Live, Client)> {
        // Only a person's action signs (approve, review, send, deposit,
        // withdraw): it postpones the auto-lock.
        self.user_action();
        let live = self.live()?;
        let settings = self.settings();
        let expected = settings.chain_id;
        let fees = tidepool_sdk::fees::FeeChoice {
            speed: settings.fee_speed.into(),
            cap: settings.fee_cap()?,
            ..Default::default()
        };
        if live.client.chain_id != expected {
            return Err(AppError::new(
                ErrorKind::ChainMismatch,
                format!(
                    "the node is on chain {} but Settings expect chain {expected}: sending is blocked until they agree",
                    live.client.chain_id
                ),
            ));
        }
        if let Some(remote) = self.remote().as_ref() {
            let signer = remote.signer().cloned().ok_or_else(|| {
                AppError::wallet(
                    "the browser wallet is not connected yet: open the page shown in Wallet and pick your wallet",
                )
            })?;
            let client = live
                .client
                .with_wallet(signer)
                .with_fees(fees)
                .with_journal(self.sent.clone());
            return Ok((live, client));
        }
        let confirmer = lock(&self.confirmer).clone().ok_or_else(|| {
            AppError::internal("no confirmation dialog is available, so nothing can be signed")
        })?;
        let signer = self.wallet().signer(live.client.chain_id)?;
        let client = live
            .client
            .with_signer(&signer)?
            .with_gate(Arc::new(Gate(confirmer)))
            .with_fees(fees)
            .with_journal(self.sent.clone());
        Ok((live, client))
    }

    /// A read-only client that plans as the active account (the zero address
    /// when none is active: such plans are previews and are never sent).
    pub(crate) fn planning_client(&self, live: &Live) -> Client {
        let mut c = live.client.clone();
        c.from = Some(self.active_address().unwrap_or(tidepool_sdk::Address::ZERO));
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
        let mut state = self.wallet().state(chain)?;
        if let Some(remote) = self.remote().as_ref() {
            state.active = remote.address().map(|a| a.to_checksum(None));
            state.remote = Some(remote.view());
        }
        Ok(state)
    }

    /// Pushes the wallet's state to the UI.
    pub(crate) fn emit_wallet(&self) {
        if let Ok(state) = self.wallet_state() {
            self.emit(AppEvent::Wallet { state });
        }
    }

    /// The latest block (number, time) on the chain of `genesis`, if the
    /// monitor read it within the last second.
    pub(crate) fn fresh_head(&self, genesis: B256) -> Option<(u64, u64)> {
        self.chain.borrow().fresh_head(genesis)
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
