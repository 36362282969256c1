//! What a command needs: settings merged from flags, env and the config file;
//! a connection checked against the expected chain; the manifest; a signer.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::signer::{LoadedSigner, SignerSource};

use crate::Global;
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

    /// Loads the signer the settings name and attaches it to the connection.
    pub fn signer(&mut self, g: &Global) -> Result<LoadedSigner> {
        let source = signer_source(g, &self.file)?;
        let signer = source.load(self.client.chain_id)?;
        self.client = self.client.with_signer(&signer)?;
        Ok(signer)
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

/// The one signer the settings name (it is an error to name several, or none).
pub fn signer_source(g: &Global, file: &FileConfig) -> Result<SignerSource> {
    let mut sources = Vec::new();
    if let Some(n) = g.dev_account.or(file.dev_account) {
        sources.push(SignerSource::DevAccount(n));
    }
    if let Some(path) = g.keystore.clone().or_else(|| file.keystore.clone()) {
        let password = match g.password_file.clone().or_else(|| file.password_file.clone()) {
            Some(p) => read_secret(&p, "password")?,
            None => std::env::var("TIDEPOOL_KEYSTORE_PASSWORD").map_err(|_| {
                anyhow::anyhow!("the keystore needs a password: pass --password-file FILE or set TIDEPOOL_KEYSTORE_PASSWORD")
            })?,
        };
        sources.push(SignerSource::Keystore { path, password });
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
        sources.push(SignerSource::Mnemonic { phrase, index });
    }
    if let Ok(key) = std::env::var("TIDEPOOL_PRIVATE_KEY")
        && !key.trim().is_empty()
    {
        sources.push(SignerSource::PrivateKey(key));
    }
    match sources.len() {
        0 => bail!(
            "no account to send from: pass --dev-account N (devnet), --keystore FILE, --mnemonic-file FILE, or set TIDEPOOL_PRIVATE_KEY"
        ),
        1 => Ok(sources.remove(0)),
        _ => bail!("several accounts are configured ({sources:?}); keep exactly one"),
    }
}

fn read_secret(path: &std::path::Path, what: &str) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}
