//! `cargo xtask dev`: the README's run command. Installs what is missing, then
//! runs `tidepool devnet` (anvil on 127.0.0.1:`port` with Tidepool deployed,
//! tokens, pools and funded dev accounts) until Ctrl-C.

use anyhow::Result;

use crate::proc::cargo;
use crate::setup;

/// Options of `cargo xtask dev`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The loopback port anvil listens on.
    pub port: u16,
    /// Extra arguments for `tidepool devnet` (e.g. `--state FILE`).
    pub extra: Vec<String>,
}

/// Builds the CLI and runs the devnet in the foreground.
pub fn run(opts: Options) -> Result<()> {
    setup::run()?;
    cargo()
        .args([
            "run",
            "--quiet",
            "--locked",
            "-p",
            "tidepool-cli",
            "--bin",
            "tidepool",
            "--",
        ])
        .args(["devnet", "--port", &opts.port.to_string()])
        .args(&opts.extra)
        .run()
}
