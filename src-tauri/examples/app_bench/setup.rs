//! The environment every launch shares ([`Bench`]): the display, the seeded
//! devnet and its manifest, the app binary and where its logs go.

use std::path::PathBuf;

use anyhow::{Context, Result};
use tidepool_devnet::Devnet;
use tidepool_testkit::DevnetFixture;

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
    /// With `prune`, anvil keeps no historical states (a big market would
    /// not fit in memory otherwise).
    pub(crate) async fn setup(
        app: PathBuf,
        display: String,
        logs: PathBuf,
        prune: bool,
    ) -> Result<Self> {
        let DevnetFixture {
            devnet,
            dir,
            manifest_path,
        } = DevnetFixture::try_start_with(tidepool_devnet::Options {
            prune_history: prune,
            ..Default::default()
        })
        .await?;
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
            manifest: manifest_path,
            usdc,
            logs,
            _work: dir,
        })
    }
}
