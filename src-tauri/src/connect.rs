//! Wallets the person already uses, connected to the app: an external
//! JSON-RPC signer (Frame's protocol, `http://127.0.0.1:1248` by default) or
//! a browser wallet reached through the bridge page. While one is connected
//! it is the account the app plans and sends for; every transaction and
//! permit is confirmed in the wallet itself. The local wallet (keystore and
//! dev accounts) stays as it is and takes over again on disconnect.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use specta::Type;
use tidepool_bridge::{BridgeOptions, BrowserBridge};
use tidepool_sdk::Address;
use tidepool_sdk::wallet::{JsonRpcWallet, WalletSigner};
use tracing::{info, warn};

use crate::core::Core;
use crate::error::AppResult;
use crate::wallet::WalletState;

/// Frame's local JSON-RPC endpoint: the default of the external-signer form.
pub const FRAME_URL: &str = "http://127.0.0.1:1248";

/// How long the bridge waits for the person to open the page and pick a wallet.
const BROWSER_CONNECT_WITHIN: Duration = Duration::from_secs(600);

/// A connected wallet as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RemoteView {
    /// An external JSON-RPC signer.
    #[serde(rename_all = "camelCase")]
    External {
        /// Its URL.
        url: String,
        /// The account.
        address: String,
    },
    /// A browser wallet through the bridge page.
    #[serde(rename_all = "camelCase")]
    Browser {
        /// The page to open in the browser that has the wallet (it carries
        /// the session's token, so it is shown only in this window).
        url: String,
        /// The wallet's name once the person picked one in the page.
        wallet: Option<String>,
        /// The account, once connected.
        address: Option<String>,
        /// Whether the page is open (it polls the app).
        page_open: bool,
    },
}

/// The connected wallet: one owner, [`Core`]'s `remote` slot.
pub(crate) enum Remote {
    External {
        url: String,
        signer: WalletSigner,
    },
    Browser {
        bridge: BrowserBridge,
        signer: Option<WalletSigner>,
    },
}

impl Remote {
    /// The signer, once the wallet shared an account.
    pub(crate) fn signer(&self) -> Option<&WalletSigner> {
        match self {
            Self::External { signer, .. } => Some(signer),
            Self::Browser { signer, .. } => signer.as_ref(),
        }
    }

    /// The account, once known.
    pub(crate) fn address(&self) -> Option<Address> {
        self.signer().map(WalletSigner::address)
    }

    pub(crate) fn view(&self) -> RemoteView {
        match self {
            Self::External { url, signer } => RemoteView::External {
                url: url.clone(),
                address: signer.address().to_checksum(None),
            },
            Self::Browser { bridge, signer } => {
                let status = bridge.status();
                RemoteView::Browser {
                    url: bridge.url(),
                    wallet: status.wallet.map(|w| w.name),
                    address: signer.as_ref().map(|s| s.address().to_checksum(None)),
                    page_open: status.page_open,
                }
            }
        }
    }
}

impl Core {
    /// Connects the external signer at `url` and takes its first account
    /// (the wallet may ask the person first). Refused when the wallet is on
    /// another chain than the connected node.
    pub async fn wallet_connect_external(&self, url: &str) -> AppResult<WalletState> {
        self.user_action();
        let url = url.trim();
        let live = self.live()?;
        let wallet = JsonRpcWallet::connect(url).await?;
        let signer = WalletSigner::connect(Arc::new(wallet), None).await?;
        signer.check_chain(live.client.chain_id).await?;
        info!(url, account = %signer.address(), "external signer connected");
        self.set_remote(Some(Remote::External {
            url: url.to_string(),
            signer,
        }));
        self.wallet_state()
    }

    /// Starts the browser-wallet page; the account follows once the person
    /// opened the page and picked a wallet (the state is pushed then).
    pub async fn wallet_connect_browser(self: &Arc<Self>) -> AppResult<WalletState> {
        self.user_action();
        let bridge = BrowserBridge::start(BridgeOptions::default())
            .await
            .map_err(|e| crate::error::AppError::internal(e.to_string()))?;
        self.set_remote(Some(Remote::Browser {
            bridge: bridge.clone(),
            signer: None,
        }));
        let core = self.clone();
        tokio::spawn(async move {
            let attached = async {
                bridge.wait_connected(BROWSER_CONNECT_WITHIN).await.ok()?;
                match WalletSigner::connect(Arc::new(bridge.clone()), None).await {
                    Ok(s) => Some(s),
                    Err(e) => {
                        warn!(error = %e, "the browser wallet shared no account");
                        None
                    }
                }
            }
            .await;
            let Some(signer) = attached else { return };
            let mut slot = core.remote();
            // Still the same bridge (not disconnected or replaced meanwhile)?
            if let Some(Remote::Browser {
                bridge: b,
                signer: s,
            }) = slot.as_mut()
                && b.url() == bridge.url()
            {
                info!(account = %signer.address(), "browser wallet connected");
                *s = Some(signer);
                drop(slot);
                core.emit_wallet();
            }
        });
        self.wallet_state()
    }

    /// Asks the connected wallet to switch to the node's chain (the person
    /// confirms in the wallet).
    pub async fn wallet_switch_chain(&self) -> AppResult<WalletState> {
        let live = self.live()?;
        let signer = self.remote().as_ref().and_then(|r| r.signer().cloned());
        let Some(signer) = signer else {
            return Err(crate::error::AppError::wallet(
                "no external or browser wallet is connected",
            ));
        };
        signer.switch_chain(live.client.chain_id).await?;
        self.wallet_state()
    }

    /// Disconnects the external or browser wallet (the bridge page closes);
    /// the local wallet's active account is used again.
    pub fn wallet_disconnect(&self) -> AppResult<WalletState> {
        self.user_action();
        self.set_remote(None);
        self.wallet_state()
    }

    fn set_remote(&self, remote: Option<Remote>) {
        let old = std::mem::replace(&mut *self.remote(), remote);
        if let Some(Remote::Browser { bridge, .. }) = old {
            // Closes the page's session and ends the wait for a wallet.
            tauri::async_runtime::spawn(async move { bridge.shutdown().await });
        }
        self.quotes.clear();
        self.emit_wallet();
    }
}
