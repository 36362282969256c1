//! A seeded devnet on a free loopback port, with its manifest on disk.

use std::path::PathBuf;

use anyhow::{Context, Result};
use tidepool_devnet::{Devnet, Options};

/// Starts a deployed and seeded devnet on `port` (0: a free one).
pub async fn try_start_devnet(port: u16) -> Result<Devnet> {
    try_start_devnet_with(Options {
        port,
        ..Options::default()
    })
    .await
}

/// [`try_start_devnet`] with other options (the test kit's anvil unless one is given).
pub async fn try_start_devnet_with(mut opts: Options) -> Result<Devnet> {
    if opts.anvil.is_none() {
        opts.anvil = Some(crate::try_anvil()?);
    }
    Devnet::start(&opts).await.context("starting the devnet")
}

/// [`try_start_devnet`], or a panic.
pub async fn start_devnet(port: u16) -> Devnet {
    try_start_devnet(port).await.expect("the devnet starts")
}

/// A devnet on a free port and a temporary directory holding its manifest at
/// `deployments/31337.json` (removed on drop). The fields are public so a
/// test can take them apart (e.g. to stop the devnet and restart it).
pub struct DevnetFixture {
    /// The running devnet.
    pub devnet: Devnet,
    /// The temporary directory.
    pub dir: tempfile::TempDir,
    /// The saved manifest.
    pub manifest_path: PathBuf,
}

impl DevnetFixture {
    /// Starts the devnet and saves its manifest.
    pub async fn try_start() -> Result<Self> {
        Self::try_start_with(Options::default()).await
    }

    /// [`Self::try_start`] with other devnet options.
    pub async fn try_start_with(opts: Options) -> Result<Self> {
        let devnet = try_start_devnet_with(opts).await?;
        let dir = tempfile::tempdir()?;
        let manifest_path = dir
            .path()
            .join(format!("deployments/{}.json", devnet.manifest.chain_id));
        std::fs::create_dir_all(dir.path().join("deployments"))?;
        devnet.manifest.save(&manifest_path)?;
        Ok(Self {
            devnet,
            dir,
            manifest_path,
        })
    }

    /// [`DevnetFixture::try_start`], or a panic.
    pub async fn start() -> Self {
        Self::try_start().await.expect("the devnet fixture starts")
    }

    /// The devnet's RPC URL.
    pub fn url(&self) -> &str {
        &self.devnet.url
    }
}
