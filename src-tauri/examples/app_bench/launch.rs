//! Launching: the Xvfb display, tauri-driver (with WebKitWebDriver) in a
//! fresh home, and [`Session`], one launched app behind its WebDriver session.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, Locator};

use crate::procs::{Proc, comm, descendants};
use crate::setup::Bench;

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts Xvfb on the first free display from :90; returns it and its name.
pub(crate) fn xvfb() -> Result<(Proc, String)> {
    for n in 90..200 {
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        let sock = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if lock.exists() || sock.exists() {
            continue;
        }
        let mut p = Proc::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .context("Xvfb (Debian package xvfb; cargo xtask setup installs it)")?;
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if sock.exists() {
                return Ok((p, format!(":{n}")));
            }
            if p.exited() {
                break; // lost a race for this display: try the next
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    bail!("no free X display for Xvfb")
}

/// The tauri-driver binary: `$TAURI_DRIVER`, else on PATH or in ~/.cargo/bin.
fn tauri_driver() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return Ok(p.into());
    }
    let mut dirs: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
        .context("tauri-driver is not installed (cargo xtask setup runs `cargo install tauri-driver --version ^2 --locked`)")
}

/// Waits until something listens on a loopback port.
fn wait_listening(port: u16, what: &str) -> Result<()> {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if t.elapsed() > Duration::from_secs(20) {
            bail!("{what} does not listen on port {port} after 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

impl Bench {
    /// Starts tauri-driver with a fresh home and the devnet's environment, and
    /// waits until it and WebKitWebDriver listen (not part of any figure).
    pub(crate) fn driver(&self, name: &str) -> Result<(Proc, u16, tempfile::TempDir)> {
        let home = tempfile::tempdir()?;
        let h = home.path();
        std::fs::create_dir_all(h.join("runtime"))?;
        let port = free_port()?;
        let native = free_port()?;
        let log = std::fs::File::create(self.logs.join(format!("{name}.log")))
            .context("creating the app's log file")?;
        let driver = Proc::spawn(
            "tauri-driver",
            Command::new(tauri_driver()?)
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native.to_string(),
                ])
                .env("DISPLAY", &self.display)
                .env("HOME", h)
                .env("XDG_CONFIG_HOME", h.join("config"))
                .env("XDG_DATA_HOME", h.join("data"))
                .env("XDG_CACHE_HOME", h.join("cache"))
                .env("XDG_DOWNLOAD_DIR", h.join("downloads"))
                .env("XDG_RUNTIME_DIR", h.join("runtime"))
                .env("LIBGL_ALWAYS_SOFTWARE", "1")
                .env("TIDEPOOL_LOG", "info")
                .env("TIDEPOOL_RPC", &self.devnet.url)
                .env("TIDEPOOL_CHAIN_ID", "31337")
                .env("TIDEPOOL_MANIFEST", &self.manifest)
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log),
        )?;
        wait_listening(port, "tauri-driver")?;
        wait_listening(native, "WebKitWebDriver")?;
        Ok((driver, port, home))
    }
}

/// One launched app: its tauri-driver (which owns the app's process tree),
/// the WebDriver session and the app's fresh home directory.
pub(crate) struct Session {
    /// The WebDriver client.
    pub(crate) c: Client,
    /// tauri-driver, stopped with the app's whole tree on drop.
    pub(crate) driver: Proc,
    /// The app's home, removed on drop.
    pub(crate) _home: tempfile::TempDir,
}

impl Session {
    /// The app's process: the descendant of tauri-driver running the binary.
    pub(crate) fn app_pid(&self, app: &Path) -> Result<u32> {
        descendants(self.driver.pid())
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
