//! The environment every launch shares ([`Bench`]): the display, the seeded
//! devnet and its manifest, the app binary and where its logs go.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tidepool_devnet::{Devnet, Options};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// What every launch shares: the display, the devnet and the app binary.
pub(crate) struct Bench {
    /// The release app binary.
    pub(crate) app: PathBuf,
    /// The X display (Xvfb's).
    pub(crate) display: String,
    /// The seeded anvil devnet.
    pub(crate) devnet: Devnet,
    /// The devnet's manifest, saved for the app (`TIDEPOOL_MANIFEST`).
    pub(crate) manifest: PathBuf,
    /// The devnet's USDC address, the quotes' output token.
    pub(crate) usdc: String,
    /// Where each launch's log goes.
    pub(crate) logs: PathBuf,
    /// Holds the manifest; removed on drop.
    _work: tempfile::TempDir,
}

impl Bench {
    /// Starts the seeded devnet and saves its manifest; `display` is the X
    /// display to launch the app on, `logs` where the launches' logs go.
    pub(crate) async fn setup(app: PathBuf, display: String, logs: PathBuf) -> Result<Self> {
        let devnet = Devnet::start(&Options {
            port: 0,
            anvil: Some(root().join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")),
            ..Options::default()
        })
        .await
        .context("starting the devnet")?;
        let work = tempfile::tempdir()?;
        let manifest = work.path().join("31337.json");
        devnet.manifest.save(&manifest)?;
        let usdc = devnet
            .manifest
            .tokens
            .iter()
            .find(|t| t.symbol == "USDC")
            .context("the devnet has no USDC")?
            .address
            .to_checksum(None);
        Ok(Self {
            app,
            display,
            devnet,
            manifest,
            usdc,
            logs,
            _work: work,
        })
    }
}
