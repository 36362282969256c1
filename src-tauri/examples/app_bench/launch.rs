//! Launching: tauri-driver (with WebKitWebDriver) in a fresh home with the
//! devnet's environment, through the test kit, and [`Session`], one launched
//! app behind its WebDriver session.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::{Client, Locator};
use tidepool_testkit::gui::{Driver, DriverConfig};
use tidepool_testkit::procs::{comm, descendants};

use crate::setup::Bench;

impl Bench {
    /// Starts tauri-driver with a fresh home and the devnet's environment, and
    /// waits until it and WebKitWebDriver listen (not part of any figure).
    pub(crate) fn driver(&self, name: &str) -> Result<(Driver, tempfile::TempDir)> {
        let home = tempfile::tempdir()?;
        let log = std::fs::File::create(self.logs.join(format!("{name}.log")))
            .context("creating the app's log file")?;
        let driver = Driver::start(DriverConfig {
            display: &self.display,
            home: home.path(),
            env: &[
                ("TIDEPOOL_RPC", self.devnet.url.clone()),
                ("TIDEPOOL_CHAIN_ID", "31337".into()),
                ("TIDEPOOL_MANIFEST", self.manifest.display().to_string()),
            ],
            log: Some(log),
        })?;
        Ok((driver, home))
    }
}

/// One launched app: its tauri-driver (which owns the app's process tree),
/// the WebDriver session and the app's fresh home directory.
pub(crate) struct Session {
    /// The WebDriver client.
    pub(crate) c: Client,
    /// tauri-driver, stopped with the app's whole tree on drop.
    pub(crate) driver: Driver,
    /// The app's home, removed on drop.
    pub(crate) _home: tempfile::TempDir,
}

impl Session {
    /// The app's process: the descendant of tauri-driver running the binary.
    pub(crate) fn app_pid(&self, app: &Path) -> Result<u32> {
        descendants(self.driver.proc.pid())
            .into_iter()
            .find(|&p| {
                std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|exe| exe == app)
                    || comm(p) == "tidepool-app"
            })
            .context("the app's process is not among tauri-driver's descendants")
    }

    /// Clicks an element by test id, waiting up to 10 s for it.
    pub(crate) async fn click(&self, id: &str) -> Result<()> {
        let e = self
            .c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("[data-testid='{id}']")))
            .await
            .with_context(|| format!("no element {id}"))?;
        e.click()
            .await
            .with_context(|| format!("cannot click {id}"))?;
        Ok(())
    }

    /// Ends the WebDriver session (closing the app), then stops tauri-driver.
    pub(crate) async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.c.close()).await;
        drop(self.driver);
    }
}
