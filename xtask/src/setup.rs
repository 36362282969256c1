//! `cargo xtask setup`: installs what the build and tests need, idempotently.
//!
//! - Debian packages listed in [`DEBIAN_PACKAGES`] (installed with apt-get when
//!   running as root, otherwise the exact command is printed);
//! - the pinned npm toolchain (`npm install` of the lock file, skipped when
//!   `node_modules` is current; see [`npm_packages`] for why not `npm ci`);
//! - the project-local `.venv`: slither, pinned by
//!   `contracts/tools/requirements-slither.txt`, and the independent readers
//!   of exported files (pyarrow, DuckDB), pinned by
//!   `indexer/tests/export/requirements-readers.txt` (skipped when installed).

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::proc::Cmd;
use crate::ws;

/// Debian packages the project needs beyond a base Debian 12 image, each with
/// the reason. Later components (Tauri, GUI tests) extend this one list.
pub const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("python3", "slither runs on Python"),
    (
        "postgresql",
        "the indexer's PostgreSQL tests start a private cluster (initdb, postgres, psql)",
    ),
    (
        "python3-venv",
        "`python3 -m venv` for .venv (Debian ships venv/ensurepip separately)",
    ),
    ("build-essential", "the C toolchain -sys crates build with"),
    (
        "pkg-config",
        "how the GTK/WebKit -sys crates find their libraries",
    ),
    (
        "libwebkit2gtk-4.1-dev",
        "the desktop app's webview (Tauri 2 on Linux)",
    ),
    ("libgtk-3-dev", "the desktop app's window toolkit"),
    (
        "libssl-dev",
        "TLS for the WebDriver client of the end-to-end tests",
    ),
    ("libxdo-dev", "Tauri's keyboard/menu support on X11"),
    (
        "libayatana-appindicator3-dev",
        "Tauri's tray support on Linux",
    ),
    ("librsvg2-dev", "SVG icons in GTK"),
    (
        "xvfb",
        "a virtual display: the end-to-end tests run the real app in it",
    ),
    ("xauth", "X authority for xvfb-run"),
    (
        "webkit2gtk-driver",
        "WebKitWebDriver, which tauri-driver drives the app window through",
    ),
    (
        "imagemagick",
        "`import` photographs the native confirmation dialog in the end-to-end test",
    ),
    (
        "xdotool",
        "presses the buttons of the app's native confirmation dialog in the end-to-end test",
    ),
    (
        "chromium",
        "a real browser for the browser-wallet bridge's end-to-end test",
    ),
    (
        "chromium-driver",
        "chromedriver, which the bridge's end-to-end test drives Chromium through",
    ),
];

/// The pinned tauri-driver (the WebDriver bridge of the end-to-end tests).
pub const TAURI_DRIVER_VERSION: &str = "^2";

/// The pinned Python requirements of the slither virtualenv.
pub const SLITHER_REQUIREMENTS: &str = "contracts/tools/requirements-slither.txt";

/// The pinned readers the export test reads Parquet and CSV files with.
pub const READERS_REQUIREMENTS: &str = "indexer/tests/export/requirements-readers.txt";

/// Runs every setup step.
pub fn run() -> Result<()> {
    debian_packages()?;
    npm_packages()?;
    ui_packages()?;
    tauri_driver()?;
    python_venv()?;
    Ok(())
}

/// Installs the UI's npm packages (`ui/`, its own lock file) with `npm ci`
/// unless `ui/node_modules` already matches `ui/package-lock.json`.
pub fn ui_packages() -> Result<()> {
    let ui = ws::root().join("ui");
    let lock = ui.join("package-lock.json");
    let installed = ui.join("node_modules/.package-lock.json");
    if matches!((mtime(&lock), mtime(&installed)), (Some(l), Some(i)) if l <= i) {
        println!("setup: ui npm packages up to date");
        return Ok(());
    }
    println!("setup: npm ci in ui/");
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&ui)
        .run()
}

/// Whether `program` is on PATH.
pub fn has_command(program: &str) -> bool {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .any(|d| d.join(program).is_file())
}

/// The tauri-driver binary, if installed (on PATH or in ~/.cargo/bin).
pub fn find_tauri_driver() -> Option<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
}

/// Installs tauri-driver from crates.io unless present.
fn tauri_driver() -> Result<()> {
    if let Some(p) = find_tauri_driver() {
        println!("setup: tauri-driver present ({})", p.display());
        return Ok(());
    }
    println!("setup: cargo install tauri-driver --version {TAURI_DRIVER_VERSION} --locked");
    Cmd::new("cargo")
        .args([
            "install",
            "tauri-driver",
            "--version",
            TAURI_DRIVER_VERSION,
            "--locked",
        ])
        .run()
}

/// Installs missing Debian packages (as root) or fails with the command to run.
fn debian_packages() -> Result<()> {
    if !Cmd::new("dpkg-query").arg("--version").succeeds() {
        println!("setup: not a Debian system (no dpkg-query); make sure these are installed:");
        for (pkg, why) in DEBIAN_PACKAGES {
            println!("         {pkg}: {why}");
        }
        return Ok(());
    }
    let missing = missing_debian_packages()?;
    if missing.is_empty() {
        println!("setup: Debian packages present");
        return Ok(());
    }
    let list = missing.join(" ");
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        bail!(
            "missing Debian packages: {list}\n  install them with:\n    sudo apt-get update && sudo apt-get install -y --no-install-recommends {list}"
        );
    }
    println!("setup: installing Debian packages: {list}");
    Cmd::new("apt-get")
        .args(["update", "-q"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()?;
    Cmd::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()?;
    let still = missing_debian_packages()?;
    if !still.is_empty() {
        bail!("apt-get did not install: {}", still.join(" "));
    }
    Ok(())
}

/// The packages of [`DEBIAN_PACKAGES`] that dpkg does not report as installed.
fn missing_debian_packages() -> Result<Vec<&'static str>> {
    // Unknown packages make dpkg-query exit 1 and print nothing for them on
    // stdout, so the status is read per line rather than from the exit code.
    let out = Cmd::new("dpkg-query")
        .args(["-W", "-f=${Package} ${db:Status-Abbrev}\n"])
        .args(DEBIAN_PACKAGES.iter().map(|(pkg, _)| pkg))
        .output_raw()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(DEBIAN_PACKAGES
        .iter()
        .map(|(pkg, _)| *pkg)
        .filter(|pkg| !is_installed(&stdout, pkg))
        .collect())
}

/// Whether dpkg-query output (`<package>[:arch] <status>` lines) shows `pkg` installed.
fn is_installed(dpkg_output: &str, pkg: &str) -> bool {
    dpkg_output.lines().any(|line| {
        let mut parts = line.split_whitespace();
        let name = parts.next().unwrap_or("");
        let name = name.split(':').next().unwrap_or(name);
        name == pkg && parts.next().is_some_and(|status| status.starts_with("ii"))
    })
}

/// Installs the npm toolchain with `npm ci` unless node_modules already matches
/// package-lock.json.
///
/// package.json pins Foundry by its linux-amd64 binary packages rather than the
/// `@foundry-rs/<tool>` wrappers: the wrappers list every platform's build as an
/// optional dependency, the registry reachable here does not carry them all
/// (e.g. `@foundry-rs/anvil-darwin-amd64@1.7.1` is a 404), and `npm ci` then
/// rejects the lock file as out of sync.
fn npm_packages() -> Result<()> {
    let root = ws::root();
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let current = matches!((mtime(&lock), mtime(&installed)), (Some(l), Some(i)) if l <= i)
        && ws::require_foundry().is_ok();
    if current {
        println!("setup: npm packages up to date");
        return Ok(());
    }
    if !Cmd::new("npm").arg("--version").succeeds() {
        bail!("npm is not installed: install Node.js 20 or newer (with npm), then rerun");
    }
    println!("setup: npm ci (node_modules is missing or older than package-lock.json)");
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .run()?;
    ws::require_foundry()
}

fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Creates `.venv` and installs the pinned Python requirements (slither, the
/// export test's readers) unless already done.
fn python_venv() -> Result<()> {
    let root = ws::root();
    let venv = ws::venv();
    let mut wanted = String::new();
    for req in [SLITHER_REQUIREMENTS, READERS_REQUIREMENTS] {
        wanted.push_str(
            &fs::read_to_string(root.join(req)).with_context(|| format!("cannot read {req}"))?,
        );
    }
    // Written after a successful install: a copy of the requirements installed.
    let stamp = venv.join(".tidepool-requirements.txt");
    let python = venv.join("bin/python");
    let python_ok = Cmd::new(&python).args(["-c", ""]).succeeds();
    if python_ok
        && venv.join("bin/slither").is_file()
        && fs::read_to_string(&stamp).is_ok_and(|have| have == wanted)
    {
        println!("setup: .venv up to date (slither, pyarrow, duckdb)");
        return Ok(());
    }
    if !python_ok {
        if venv.exists() {
            println!("setup: .venv is broken (its python does not run); recreating it");
            fs::remove_dir_all(&venv).context("cannot remove .venv")?;
        }
        println!("setup: creating .venv");
        Cmd::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .run()
            .context(
                "cannot create the Python virtualenv (on Debian: apt-get install python3-venv)",
            )?;
    }
    println!("setup: installing into .venv ({SLITHER_REQUIREMENTS}, {READERS_REQUIREMENTS})");
    Cmd::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "-q",
            "-r",
        ])
        .arg(root.join(SLITHER_REQUIREMENTS))
        .arg("-r")
        .arg(root.join(READERS_REQUIREMENTS))
        .run()?;
    fs::write(&stamp, wanted).context("cannot write the .venv stamp")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_parsing() {
        let out = "python3 ii \npython3-venv:amd64 un \nlibfoo rc \n";
        assert!(is_installed(out, "python3"));
        assert!(!is_installed(out, "python3-venv"));
        assert!(!is_installed(out, "libfoo"));
        assert!(!is_installed(out, "absent"));
    }
}
