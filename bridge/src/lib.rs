//! The browser-wallet bridge: Tidepool's way to a wallet that lives only in a
//! browser extension.
//!
//! [`BrowserBridge::start`] serves a small page on `127.0.0.1` with a
//! per-session random token in its URL ([`BrowserBridge::url`]). The page has
//! a strict Content-Security-Policy and no third-party code; it finds the
//! browser's wallets through EIP-6963 (falling back to `window.ethereum`),
//! lets the person pick one, then relays every request Tidepool queues to it
//! and posts back the result or the wallet's error.
//!
//! The bridge is an [`Eip1193`] wallet, so
//! [`WalletSigner::connect`](tidepool_sdk::wallet::WalletSigner::connect)
//! takes it like any other:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use tidepool_bridge::{BridgeOptions, BrowserBridge};
//! use tidepool_sdk::wallet::WalletSigner;
//!
//! let bridge = BrowserBridge::start(BridgeOptions::default()).await?;
//! println!("open {} in the browser that has your wallet", bridge.url());
//! let wallet = bridge.wait_connected(Duration::from_secs(300)).await?;
//! println!("connected to {}", wallet.name);
//! let signer = WalletSigner::connect(Arc::new(bridge.clone()), None).await?;
//! # let _ = signer; Ok(()) }
//! ```
//!
//! Each request waits at most [`BridgeOptions::request_timeout`] for the
//! page's answer ([`RequestError::TimedOut`] then); a request is answered
//! once; the API refuses anything without the token, from another origin or
//! to another host. The token is never logged.

mod error;
mod page;
mod server;
mod state;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tidepool_sdk::wallet::{BoxFuture, Eip1193, RequestError};
use tokio::task::JoinHandle;
use tracing::{info, warn};

pub use error::BridgeError;
pub use state::{BridgeStatus, PendingRequest, WalletInfo};

use state::{Shared, ceil_secs};

/// How to start the bridge.
#[derive(Debug, Clone)]
pub struct BridgeOptions {
    /// The loopback port; `None` or `Some(0)`: a free one.
    pub port: Option<u16>,
    /// How long a request waits for the page's answer (the person approving
    /// in the wallet included).
    pub request_timeout: Duration,
}

impl Default for BridgeOptions {
    /// A free port and two minutes per request.
    fn default() -> Self {
        Self {
            port: None,
            request_timeout: Duration::from_secs(120),
        }
    }
}

/// Stops the server when the last handle goes.
struct Server {
    shared: Arc<Shared>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.close();
    }
}

/// A running bridge: the loopback server and its page. Clones share the
/// server, which stops when [`BrowserBridge::shutdown`] is called or the last
/// clone is dropped; requests still waiting then fail with
/// [`RequestError::Closed`].
#[derive(Clone)]
pub struct BrowserBridge {
    shared: Arc<Shared>,
    server: Arc<Server>,
    port: u16,
}

impl std::fmt::Debug for BrowserBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it holds the token.
        f.debug_struct("BrowserBridge")
            .field("origin", &self.shared.origin)
            .finish_non_exhaustive()
    }
}

impl BrowserBridge {
    /// Binds `127.0.0.1` (only), makes a fresh token and serves the page.
    /// Needs a Tokio runtime.
    pub async fn start(opts: BridgeOptions) -> Result<Self, BridgeError> {
        let want = opts.port.unwrap_or(0);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", want))
            .await
            .map_err(|source| BridgeError::Bind { port: want, source })?;
        let port = listener
            .local_addr()
            .map_err(|source| BridgeError::Bind { port: want, source })?
            .port();
        let shared = Arc::new(Shared::new(port, opts.request_timeout));
        let app = server::router(shared.clone());
        let stop = shared.clone();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.wait_closed().await })
                .await;
            if let Err(e) = served {
                warn!("the browser-wallet bridge's server stopped: {e}");
            }
        });
        info!(
            origin = %shared.origin,
            "the browser-wallet bridge is listening (the page's URL holds a secret token)"
        );
        Ok(Self {
            server: Arc::new(Server {
                shared: shared.clone(),
                task: Mutex::new(Some(task)),
            }),
            shared,
            port,
        })
    }

    /// The page's URL, token included: `http://127.0.0.1:PORT/?token=…`.
    /// Show it to the person (or open it); do not log it.
    pub fn url(&self) -> String {
        format!("{}/?token={}", self.shared.origin, self.shared.token)
    }

    /// The origin the page and its API are served from, `http://127.0.0.1:PORT`
    /// (no secret in it).
    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    /// The port the bridge listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The header the page sends its token in (for clients other than the
    /// page, such as tests).
    pub const TOKEN_HEADER: &'static str = server::TOKEN_HEADER;

    /// The token of this session (for clients other than the page, such as
    /// tests). Do not log it.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A snapshot: is the page open, which wallet, which requests wait.
    pub fn status(&self) -> BridgeStatus {
        self.shared.status()
    }

    /// The wallet picked in the page, if any yet.
    pub fn wallet(&self) -> Option<WalletInfo> {
        self.shared.wallet()
    }

    /// Waits until the person has picked a wallet in the page and it shared
    /// its accounts; returns it at once if that happened already.
    pub async fn wait_connected(&self, timeout: Duration) -> Result<WalletInfo, BridgeError> {
        match tokio::time::timeout(timeout, self.shared.wait_wallet()).await {
            Ok(Some(w)) => Ok(w),
            Ok(None) => Err(BridgeError::Closed),
            Err(_) => Err(BridgeError::TimedOut {
                secs: ceil_secs(timeout),
            }),
        }
    }

    /// [`Eip1193::request`] with its own time limit instead of
    /// [`BridgeOptions::request_timeout`].
    pub async fn request_with_timeout(
        &self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, RequestError> {
        let (id, answer) = self.shared.enqueue(method, params, timeout)?;
        let forget = Forget {
            shared: &self.shared,
            id: &id,
        };
        let outcome = match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(RequestError::Closed(
                "the browser-wallet bridge was shut down".into(),
            )),
            Err(_) => {
                warn!(
                    %method,
                    secs = ceil_secs(timeout),
                    "the browser wallet did not answer in time; a later answer will be refused"
                );
                Err(RequestError::TimedOut {
                    secs: ceil_secs(timeout),
                })
            }
        };
        drop(forget);
        outcome
    }

    /// Stops the server now (for every clone) and waits for it to finish;
    /// waiting requests fail with [`RequestError::Closed`].
    pub async fn shutdown(&self) {
        self.shared.close();
        let task = self
            .server
            .task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

/// Takes a request off the books however its wait ends (answered, timed
/// out, or the caller's future dropped), so no late answer is accepted.
struct Forget<'a> {
    shared: &'a Shared,
    id: &'a str,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.shared.forget(self.id);
    }
}

impl Eip1193 for BrowserBridge {
    fn request<'a>(
        &'a self,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, RequestError>> {
        Box::pin(self.request_with_timeout(method, params, self.shared.default_timeout))
    }

    fn describe(&self) -> String {
        match self.shared.wallet() {
            Some(w) => format!("the browser wallet {}", w.name),
            None => "the browser wallet (not connected yet)".to_string(),
        }
    }
}
