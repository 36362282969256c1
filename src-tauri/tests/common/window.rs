//! The app in a real window on a devnet, for the end-to-end tests.

use tidepool_sdk::chain::Client;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::{Address, U256};

use super::devnet;
use super::gui::Gui;

/// A devnet and the app's home directory.
pub struct Env {
    pub devnet: tidepool_devnet::Devnet,
    pub home: tempfile::TempDir,
    pub manifest: std::path::PathBuf,
}

/// A devnet and a home directory for the app, its manifest saved there.
pub async fn env() -> Env {
    let devnet = devnet(0).await;
    let home = tempfile::tempdir().unwrap();
    let manifest = home.path().join("31337.json");
    devnet.manifest.save(&manifest).unwrap();
    Env {
        devnet,
        home,
        manifest,
    }
}

impl Env {
    /// The app in a window on this devnet, ready and connected.
    pub async fn launch(&self, shots: &str) -> Gui {
        let gui = Gui::launch(
            self.home.path(),
            &[
                ("TIDEPOOL_RPC", self.devnet.url.clone()),
                ("TIDEPOOL_CHAIN_ID", "31337".into()),
                ("TIDEPOOL_MANIFEST", self.manifest.display().to_string()),
            ],
            shots,
        )
        .await;
        gui.c
            .wait()
            .at_most(std::time::Duration::from_secs(30))
            .for_element(fantoccini::Locator::Css("#app[data-ready='true']"))
            .await
            .expect("the app becomes ready");
        gui.wait_attr("status-connection", "data-state", &["connected"], 30)
            .await;
        gui
    }

    /// ETH or a devnet token by symbol.
    pub fn token(&self, symbol: &str) -> Asset {
        if symbol == "ETH" {
            return Asset::Eth;
        }
        Asset::Token(
            self.devnet
                .manifest
                .tokens
                .iter()
                .find(|t| t.symbol == symbol)
                .unwrap()
                .clone(),
        )
    }

    /// `owner`'s balance of `symbol`.
    pub async fn balance(&self, symbol: &str, owner: Address) -> U256 {
        let c = Client::connect(&self.devnet.url).await.unwrap();
        market::balance(&c, &self.token(symbol), owner)
            .await
            .unwrap()
    }

    /// `owner`'s LP tokens of `pair`.
    pub async fn lp(&self, pair: Address, owner: Address) -> U256 {
        let c = Client::connect(&self.devnet.url).await.unwrap();
        market::balance(
            &c,
            &Asset::Token(tidepool_sdk::liquidity::lp_info(pair)),
            owner,
        )
        .await
        .unwrap()
    }
}

/// Picks `symbol` in the token picker opened by `opener`.
pub async fn pick(gui: &Gui, opener: &str, symbol: &str) {
    gui.click(opener).await;
    gui.click(&format!("token-option-{symbol}")).await;
}

/// Polls `f` every 100 ms until it is true, failing after `secs`.
pub async fn wait_until<F: std::future::Future<Output = bool>>(
    what: &str,
    secs: u64,
    f: impl Fn() -> F,
) {
    let t = std::time::Instant::now();
    while !f().await {
        assert!(t.elapsed().as_secs() < secs, "timed out: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
