//! The account a command sends from: exactly one source among a local key
//! (Anvil dev account, keystore, mnemonic, private key), an external JSON-RPC
//! signer (Frame's protocol) and a browser wallet reached through the bridge
//! page (`--browser-wallet`). Wallets that keep their own key confirm every
//! request themselves.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use tidepool_bridge::{BridgeOptions, BrowserBridge};
use tidepool_sdk::Address;
use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::SignerSource;
use tidepool_sdk::wallet::{Eip1193, JsonRpcWallet, WalletSigner};

use crate::Global;
use crate::config::FileConfig;
use crate::context::read_secret;

/// Where the account comes from.
#[derive(Debug)]
pub enum Source {
    /// A key Tidepool holds.
    Local(SignerSource),
    /// An external JSON-RPC signer at this URL, optionally one of its accounts.
    External {
        /// The signer's URL.
        url: String,
        /// The account asked for.
        from: Option<Address>,
    },
    /// A browser wallet reached through the bridge page on this port (0: any).
    Browser {
        /// The page's loopback port.
        port: u16,
        /// The account asked for.
        from: Option<Address>,
    },
}

/// How long `--browser-wallet` waits for the person to open the page and
/// pick a wallet.
const CONNECT_WITHIN: Duration = Duration::from_secs(300);

/// The attached account.
pub struct Account {
    /// Its address.
    pub address: Address,
    /// e.g. "dev account 1 (test-only key)" or "the external signer at …".
    pub label: String,
}

fn from_flag(g: &Global) -> Result<Option<Address>> {
    g.from
        .as_deref()
        .map(|s| {
            s.parse().map_err(|_| {
                anyhow::anyhow!("--from `{s}` is not an address (0x followed by 40 hex digits)")
            })
        })
        .transpose()
}

/// The one account source the settings name (it is an error to name
/// several, or none).
pub fn source(g: &Global, file: &FileConfig) -> Result<Source> {
    let mut sources = Vec::new();
    if let Some(n) = g.dev_account.or(file.dev_account) {
        sources.push(Source::Local(SignerSource::DevAccount(n)));
    }
    if let Some(path) = g.keystore.clone().or_else(|| file.keystore.clone()) {
        let password = match g.password_file.clone().or_else(|| file.password_file.clone()) {
            Some(p) => read_secret(&p, "password")?,
            None => std::env::var("TIDEPOOL_KEYSTORE_PASSWORD").map_err(|_| {
                anyhow::anyhow!("the keystore needs a password: pass --password-file FILE or set TIDEPOOL_KEYSTORE_PASSWORD")
            })?,
        };
        sources.push(Source::Local(SignerSource::Keystore { path, password }));
    }
    let mnemonic = match g
        .mnemonic_file
        .clone()
        .or_else(|| file.mnemonic_file.clone())
    {
        Some(p) => Some(read_secret(&p, "mnemonic")?),
        None => std::env::var("TIDEPOOL_MNEMONIC")
            .ok()
            .filter(|m| !m.trim().is_empty()),
    };
    if let Some(phrase) = mnemonic {
        let index = g.mnemonic_index.or(file.mnemonic_index).unwrap_or(0);
        sources.push(Source::Local(SignerSource::Mnemonic { phrase, index }));
    }
    if let Ok(key) = std::env::var("TIDEPOOL_PRIVATE_KEY")
        && !key.trim().is_empty()
    {
        sources.push(Source::Local(SignerSource::PrivateKey(key)));
    }
    if let Some(url) = g
        .external_signer
        .clone()
        .or_else(|| file.external_signer.clone())
    {
        sources.push(Source::External {
            url,
            from: from_flag(g)?,
        });
    }
    if g.browser_wallet {
        sources.push(Source::Browser {
            port: g.browser_port.unwrap_or(0),
            from: from_flag(g)?,
        });
    } else if g.browser_port.is_some() {
        bail!("--browser-port sets the page of --browser-wallet; add --browser-wallet");
    }
    if g.from.is_some() && !sources.iter().any(|s| !matches!(s, Source::Local(_))) {
        bail!(
            "--from picks an account of an external signer or a browser wallet; with a local key the key decides the account"
        );
    }
    match sources.len() {
        0 => bail!(
            "no account to send from: pass --dev-account N (devnet), --keystore FILE, --mnemonic-file FILE, --external-signer URL (e.g. Frame at http://127.0.0.1:1248), or set TIDEPOOL_PRIVATE_KEY"
        ),
        1 => Ok(sources.remove(0)),
        _ => bail!("several accounts are configured ({sources:?}); keep exactly one"),
    }
}

/// Attaches the configured account to `client`.
pub async fn attach(g: &Global, file: &FileConfig, client: &Client) -> Result<(Client, Account)> {
    match source(g, file)? {
        Source::Local(s) => {
            let signer = s.load(client.chain_id)?;
            let account = Account {
                address: signer.address(),
                label: signer.label.clone(),
            };
            Ok((client.with_signer(&signer)?, account))
        }
        Source::External { url, from } => {
            let wallet = JsonRpcWallet::connect(&url).await?;
            remote(g, client, Arc::new(wallet), from).await
        }
        Source::Browser { port, from } => {
            let bridge = BrowserBridge::start(BridgeOptions {
                port: Some(port),
                ..BridgeOptions::default()
            })
            .await?;
            eprintln!(
                "open this page in the browser that has your wallet, and pick the wallet there:\n  {}",
                bridge.url()
            );
            let info = bridge.wait_connected(CONNECT_WITHIN).await?;
            eprintln!("connected to {} in the browser", info.name);
            remote(g, client, Arc::new(bridge), from).await
        }
    }
}

/// Attaches an account of a wallet that keeps its own key.
async fn remote(
    g: &Global,
    client: &Client,
    wallet: Arc<dyn Eip1193>,
    from: Option<Address>,
) -> Result<(Client, Account)> {
    let signer = WalletSigner::connect(wallet, from).await?;
    if g.switch_chain && signer.chain_id().await? != client.chain_id {
        signer.switch_chain(client.chain_id).await?;
    }
    signer.check_chain(client.chain_id).await?;
    let account = Account {
        address: signer.address(),
        label: signer.describe(),
    };
    Ok((client.with_wallet(signer), account))
}
