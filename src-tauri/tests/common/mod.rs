//! The app's core on a real anvil devnet (started here on a free loopback
//! port, deployed and seeded by the sdk), with its files in a temporary
//! directory: the same code the window's commands call.

#![allow(dead_code)]

pub mod chart;
pub mod dialog;
pub mod gui;
pub mod window;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tidepool_app::confirm::{Confirmation, Confirmer};
use tidepool_app::core::{Core, Dirs};
use tidepool_app::error::AppResult;
use tidepool_app::settings::{Settings, SettingsFile};
use tidepool_app::txflow::Notify;
use tidepool_app::views::{ExecuteSwap, QuoteRequest, SwapQuote, TradeKind, TxResult, TxStatus};
use tidepool_devnet::Devnet;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::signer;
use tidepool_sdk::wallet::BoxFuture;
use tidepool_sdk::{Address, U256};
use tidepool_testkit::DevnetFixture;

/// The person at the native confirmation dialog, for tests that drive the
/// core without a window (the end-to-end test presses the real dialog's
/// buttons): records every confirmation shown and answers with `accept`.
#[derive(Default)]
pub struct Person {
    pub accept: std::sync::atomic::AtomicBool,
    pub shown: Mutex<Vec<Confirmation>>,
}

impl Confirmer for Person {
    fn confirm(&self, c: Confirmation) -> BoxFuture<'_, bool> {
        self.shown.lock().unwrap().push(c);
        let ok = self.accept.load(std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move { ok })
    }
}

impl Person {
    /// One who accepts every confirmation.
    pub fn accepting() -> Arc<Self> {
        let p = Self::default();
        p.accept.store(true, std::sync::atomic::Ordering::SeqCst);
        Arc::new(p)
    }

    /// The confirmations shown so far.
    pub fn shown(&self) -> Vec<Confirmation> {
        self.shown.lock().unwrap().clone()
    }
}

pub struct App {
    pub core: Arc<Core>,
    pub person: Arc<Person>,
    pub devnet: Option<Devnet>,
    pub dir: tempfile::TempDir,
    pub manifest_path: PathBuf,
}

pub async fn devnet(port: u16) -> Devnet {
    tidepool_testkit::start_devnet(port).await
}

impl App {
    /// A devnet and the app's core connected to it.
    pub async fn start() -> Self {
        let DevnetFixture {
            devnet,
            dir,
            manifest_path,
        } = DevnetFixture::start().await;
        let dirs = Dirs {
            config: dir.path().join("config"),
            data: dir.path().join("data"),
            downloads: dir.path().join("downloads"),
        };
        SettingsFile {
            settings: Settings {
                rpc_url: devnet.url.clone(),
                manifest_path: Some(manifest_path.display().to_string()),
                ..Settings::default()
            },
            imported: vec![],
        }
        .save(&dirs.config.join("settings.json"))
        .unwrap();
        let core = Core::new(dirs).expect("core opens");
        let person = Person::accepting();
        core.set_confirmer(person.clone());
        tidepool_app::network::start(&core);
        let app = Self {
            core,
            person,
            devnet: Some(devnet),
            dir,
            manifest_path,
        };
        app.wait("connected", |c| c.live_opt().is_some()).await;
        app
    }

    pub fn url(&self) -> String {
        self.devnet.as_ref().unwrap().url.clone()
    }

    /// Waits up to 20 s for `cond`.
    pub async fn wait(&self, what: &str, cond: impl Fn(&Core) -> bool) {
        let t = Instant::now();
        while !cond(&self.core) {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "timed out waiting until {what}: {:?}",
                self.core.connection()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn use_dev(&self, n: u32) -> Address {
        let a = signer::dev_address(n);
        self.core
            .wallet_select(&a.to_checksum(None))
            .expect("dev account selects");
        a
    }

    pub fn token(&self, symbol: &str) -> String {
        if symbol == "ETH" || symbol.starts_with("0x") {
            return symbol.into();
        }
        let m = &self.devnet.as_ref().expect("devnet").manifest;
        m.tokens
            .iter()
            .find(|t| t.symbol == symbol)
            .unwrap_or_else(|| panic!("no {symbol}"))
            .address
            .to_checksum(None)
    }

    pub fn live(&self) -> tidepool_app::core::Live {
        self.core.live_opt().expect("live")
    }

    pub async fn balance(&self, symbol: &str, owner: Address) -> U256 {
        let live = self.live();
        let asset = if symbol == "ETH" {
            Asset::Eth
        } else {
            let t = live
                .manifest
                .tokens
                .iter()
                .find(|t| t.symbol == symbol)
                .unwrap();
            Asset::Token(t.clone())
        };
        market::balance(&live.client, &asset, owner).await.unwrap()
    }

    /// Quotes a swap through the app.
    pub async fn quote(
        &self,
        a: &str,
        b: &str,
        amount: U256,
        kind: TradeKind,
    ) -> AppResult<SwapQuote> {
        self.core
            .swap_quote(self.quote_req(a, b, amount, kind))
            .await
    }

    /// Executes a quote through the app, without status updates.
    pub async fn execute(&self, quote_id: &str, confirm_impact: bool) -> AppResult<TxResult> {
        self.core
            .swap_execute(
                ExecuteSwap {
                    quote_id: quote_id.to_string(),
                    confirm_impact,
                    fee: None,
                },
                &Notify::none(),
            )
            .await
    }

    pub fn quote_req(&self, a: &str, b: &str, amount: U256, kind: TradeKind) -> QuoteRequest {
        QuoteRequest {
            token_in: self.token(a),
            token_out: self.token(b),
            amount: amount.to_string(),
            kind,
        }
    }
}

/// A notifier that records every status.
pub fn recorder() -> (Notify, Arc<Mutex<Vec<TxStatus>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    (Notify::new(move |st| s.lock().unwrap().push(st)), seen)
}

pub fn units(whole: u64, decimals: u8) -> U256 {
    U256::from(whole) * U256::from(10u64).pow(U256::from(decimals))
}

pub fn u(s: &str) -> U256 {
    U256::from_str_radix(s, 10).unwrap()
}
