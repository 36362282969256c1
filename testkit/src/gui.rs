//! The desktop app in a real window: Xvfb on a free display, tauri-driver
//! (with Debian's WebKitWebDriver) on free ports in a fresh home, and a
//! WebDriver session that launches an app binary.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::{Client, ClientBuilder};

use crate::ports::{try_free_port, wait_listening};
use crate::procs::Proc;

/// Xvfb on a display of its own, stopped on drop.
pub struct Xvfb {
    /// The display's name (`:90`, …), for `DISPLAY`.
    pub display: String,
    _proc: Proc,
}

impl Xvfb {
    /// Starts Xvfb on the first free display from `:90`.
    pub fn start() -> Result<Self> {
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
                    return Ok(Self {
                        display: format!(":{n}"),
                        _proc: p,
                    });
                }
                if p.exited() {
                    break; // lost a race for this display: try the next
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        bail!("no free X display for Xvfb")
    }
}

/// The tauri-driver binary: `$TAURI_DRIVER`, else on PATH or in ~/.cargo/bin.
pub fn tauri_driver() -> Result<PathBuf> {
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

/// How to start tauri-driver.
pub struct DriverConfig<'a> {
    /// The X display (an [`Xvfb`]'s).
    pub display: &'a str,
    /// The app's home: `HOME` and the XDG directories point into it.
    pub home: &'a Path,
    /// More environment for the driver and so the app (`TIDEPOOL_RPC`, …).
    pub env: &'a [(&'a str, String)],
    /// Where the driver's and the app's output goes; `None`: stdout is
    /// dropped, stderr inherited.
    pub log: Option<File>,
}

/// tauri-driver (and WebKitWebDriver behind it) listening on free loopback
/// ports; stopped with the app's whole process tree on drop.
pub struct Driver {
    /// The tauri-driver process.
    pub proc: Proc,
    /// The WebDriver port.
    pub port: u16,
    /// WebKitWebDriver's port.
    pub native_port: u16,
}

impl Driver {
    /// Starts tauri-driver with a clean XDG home in `cfg.home` and waits until
    /// it and WebKitWebDriver listen.
    pub fn start(cfg: DriverConfig<'_>) -> Result<Self> {
        let h = cfg.home;
        std::fs::create_dir_all(h.join("runtime"))?;
        let port = try_free_port()?;
        let native_port = try_free_port()?;
        let mut cmd = Command::new(tauri_driver()?);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", cfg.display)
        .env("HOME", h)
        .env("XDG_CONFIG_HOME", h.join("config"))
        .env("XDG_DATA_HOME", h.join("data"))
        .env("XDG_CACHE_HOME", h.join("cache"))
        .env("XDG_DOWNLOAD_DIR", h.join("downloads"))
        .env("XDG_RUNTIME_DIR", h.join("runtime"))
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env("TIDEPOOL_LOG", "info")
        .stdin(Stdio::null());
        for (k, v) in cfg.env {
            cmd.env(k, v);
        }
        match cfg.log {
            Some(log) => cmd.stdout(log.try_clone()?).stderr(log),
            None => cmd.stdout(Stdio::null()).stderr(Stdio::inherit()),
        };
        let proc = Proc::spawn("tauri-driver", &mut cmd)?;
        let timeout = Duration::from_secs(20);
        wait_listening(port, "tauri-driver", timeout)?;
        wait_listening(native_port, "WebKitWebDriver", timeout)?;
        Ok(Self {
            proc,
            port,
            native_port,
        })
    }

    /// The WebDriver URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Opens a WebDriver session that launches `app`, retrying until `timeout`.
    pub async fn session(&self, app: &Path, timeout: Duration) -> Result<Client> {
        let caps: serde_json::Map<String, serde_json::Value> =
            serde_json::from_value(serde_json::json!({
                "browserName": "wry",
                "tauri:options": { "application": app }
            }))?;
        let url = self.url();
        let t = Instant::now();
        loop {
            let left = timeout.saturating_sub(t.elapsed());
            let mut builder = ClientBuilder::native();
            builder.capabilities(caps.clone());
            match tokio::time::timeout(left, builder.connect(&url)).await {
                Ok(Ok(c)) => return Ok(c),
                Ok(Err(e)) if t.elapsed() < timeout => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Ok(Err(e)) => return Err(anyhow!("no WebDriver session: {e}")),
                Err(_) => bail!("no WebDriver session after {timeout:?}"),
            }
        }
    }
}
