//! What a command needs: settings merged from flags, env and the config file;
//! a connection checked against the expected chain; the manifest; a signer.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use tidepool_flows::market::Market;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;

use crate::Global;
use crate::account::{self, Account};
use crate::config::{self, FileConfig};

/// Settings and connections for one command.
pub struct Ctx {
    /// The config file's values (below flags and env).
    pub file: FileConfig,
    /// The connection (with a signer once [`Ctx::signer`] was called).
    pub client: Client,
    /// The manifest.
    pub manifest: Manifest,
    /// JSON output.
    pub json: bool,
}

impl Ctx {
    /// Connects to the endpoint and loads the manifest, checking that they agree.
    pub async fn new(g: &Global) -> Result<Self> {
        let file = FileConfig::load(g.config.as_deref())?;
        let client = connect(g, &file).await?;
        let path = g
            .manifest
            .clone()
            .or_else(|| file.manifest.clone())
            .unwrap_or_else(|| Manifest::default_path(&PathBuf::from("."), client.chain_id));
        let manifest = Manifest::load(&path)?;
        client.check_manifest(&manifest).await?;
        Ok(Self {
            file,
            client,
            manifest,
            json: g.json,
        })
    }

    /// Attaches the one account the settings name (a local key, an
    /// external signer or a browser wallet) to the connection.
    pub async fn signer(&mut self, g: &Global) -> Result<Account> {
        let fees = crate::fees::choice(g, &self.file)?;
        let store = crate::fees::store(g, &self.file)?;
        self.client = self.client.clone().with_fees(fees).with_journal(store);
        let (client, account) = account::attach(g, &self.file, &self.client).await?;
        self.client = client;
        Ok(account)
    }

    /// The market of the deployment (every pool, current), from the cache in
    /// the data directory when it fits.
    pub async fn market(&self, g: &Global) -> Result<Market> {
        let dir = crate::fees::data_dir(g, &self.file);
        Ok(Market::open(&self.client, &self.manifest, Some(&dir)).await?)
    }

    /// Slippage in basis points.
    pub fn slippage_bps(&self, flag: Option<f64>) -> Result<u32> {
        config::slippage_bps(
            flag.or(self.file.slippage)
                .unwrap_or(config::DEFAULT_SLIPPAGE_PCT),
        )
    }

    /// Deadline in seconds.
    pub fn deadline(&self, flag: Option<u64>) -> u64 {
        flag.or(self.file.deadline)
            .unwrap_or(config::DEFAULT_DEADLINE_SECS)
    }

    /// Most hops of a route.
    pub fn max_hops(&self, flag: Option<usize>) -> usize {
        flag.or(self.file.max_hops).unwrap_or(3)
    }
}

/// Connects to the configured endpoint and checks the chain id when one is set.
pub async fn connect(g: &Global, file: &FileConfig) -> Result<Client> {
    let url = g
        .rpc
        .clone()
        .or_else(|| file.rpc.clone())
        .unwrap_or_else(|| config::DEFAULT_RPC.into());
    let client = Client::connect(&url).await?;
    if let Some(expected) = g.chain_id.or(file.chain_id) {
        client.expect_chain(expected)?;
    }
    Ok(client)
}

pub(crate) fn read_secret(path: &std::path::Path, what: &str) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}
