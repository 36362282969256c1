//! `cargo xtask dev`: the README's run command. Installs what is missing,
//! builds the UI, the CLI and the desktop app, starts `tidepool devnet`
//! (anvil on 127.0.0.1:`port` with Tidepool deployed, tokens, pools, funded
//! dev accounts, its own index and HTTP API), then opens the app on it.
//! Closing the app stops the devnet; Ctrl-C stops both.
//!
//! Without a display (no `DISPLAY` / `WAYLAND_DISPLAY`) it says so and keeps
//! the devnet running; `--headless` runs the app in a virtual display (Xvfb)
//! instead, e.g. for a remote machine or a smoke check.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::proc::cargo;
use crate::{setup, ui, ws};

/// Options of `cargo xtask dev`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The loopback port anvil listens on.
    pub port: u16,
    /// Run the app under Xvfb (no screen needed).
    pub headless: bool,
    /// Only the devnet, no app.
    pub no_app: bool,
    /// Extra arguments for `tidepool devnet` (e.g. `--state FILE`).
    pub extra: Vec<String>,
}

/// Kills a child on drop.
struct Guard(Child, &'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
        println!("dev: {} stopped", self.1);
    }
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()))
}

/// Builds everything and runs the devnet and the app in the foreground.
pub fn run(opts: Options) -> Result<()> {
    setup::run()?;
    let want_app = !opts.no_app;
    if want_app {
        ui::build()?;
    }
    let mut build = cargo().args(["build", "--locked", "-p", "tidepool-cli"]);
    if want_app {
        build = build.args(["-p", "tidepool-app"]);
    }
    build.run()?;
    let target = ws::root().join("target/debug");
    let manifest = ws::root().join("deployments/31337.json");
    let mut devnet = Command::new(target.join("tidepool"))
        .args(["--json", "devnet", "--port", &opts.port.to_string()])
        .args(&opts.extra)
        .current_dir(ws::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start `tidepool devnet`")?;
    let stdout = devnet.stdout.take().expect("piped");
    let devnet = Guard(devnet, "devnet");
    let mut lines = BufReader::new(stdout).lines();
    let ready = lines
        .next()
        .transpose()?
        .context("`tidepool devnet` exited before it was ready (see above)")?;
    let ready: serde_json::Value =
        serde_json::from_str(&ready).with_context(|| format!("devnet said: {ready}"))?;
    let rpc = ready["rpc"]
        .as_str()
        .unwrap_or("http://127.0.0.1:8545")
        .to_string();
    println!(
        "dev: devnet ready at {rpc} (manifest {})",
        manifest.display()
    );
    if let Some(api) = ready["api"].as_str() {
        println!("dev: index HTTP API at {api}");
    }
    // Keep draining the devnet's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    if !want_app {
        return wait_forever(devnet);
    }
    let app = target.join("tidepool-app");
    let headless = opts.headless || !has_display();
    if headless && !opts.headless {
        println!(
            "\ndev: no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app cannot open a window.\n\
             dev: the devnet keeps running; to run the app in a virtual display instead: cargo xtask dev --headless\n\
             dev: or open it on a machine with a screen: TIDEPOOL_RPC={rpc} TIDEPOOL_MANIFEST={} {}\n\
             dev: Ctrl-C stops the devnet.",
            manifest.display(),
            app.display()
        );
        return wait_forever(devnet);
    }
    let mut cmd = if headless {
        if !setup::has_command("xvfb-run") {
            bail!("--headless needs xvfb-run (Debian package xvfb; cargo xtask setup installs it)");
        }
        let mut c = Command::new("xvfb-run");
        c.args(["-a", "-s", "-screen 0 1280x900x24"]).arg(&app);
        c
    } else {
        Command::new(&app)
    };
    cmd.env("TIDEPOOL_RPC", &rpc)
        .env("TIDEPOOL_CHAIN_ID", "31337")
        .env("TIDEPOOL_MANIFEST", &manifest)
        .stdin(Stdio::null());
    println!(
        "dev: opening the app{}; unlock dev account 1 in Wallet to trade. Close it (or Ctrl-C) to stop.",
        if headless {
            " in a virtual display (Xvfb)"
        } else {
            ""
        }
    );
    let status = cmd.status().context("cannot start the desktop app")?;
    drop(devnet);
    if !status.success() {
        bail!("the desktop app exited with {status}");
    }
    Ok(())
}

fn wait_forever(devnet: Guard) -> Result<()> {
    let mut devnet = devnet;
    let status = devnet.0.wait()?;
    bail!("the devnet exited with {status}")
}
