//! Where the anvil binary is.

use std::path::{Path, PathBuf};

/// The pinned anvil's path inside a checkout (installed by `npm ci`).
pub const PINNED: &str = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

/// The workspace root this kit was built in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The anvil binary: `$TIDEPOOL_ANVIL` when set, else the checkout's pinned
/// anvil, else whatever [`tidepool_devnet::find_anvil`] finds (an ancestor's
/// `node_modules`, then PATH).
pub fn try_anvil() -> tidepool_devnet::Result<PathBuf> {
    let explicit = std::env::var_os("TIDEPOOL_ANVIL").filter(|p| !p.is_empty());
    if explicit.is_none() {
        let pinned = workspace_root().join(PINNED);
        if pinned.is_file() {
            return Ok(pinned);
        }
    }
    tidepool_devnet::find_anvil(None)
}

/// [`try_anvil`], or a panic that says how to install it.
pub fn anvil() -> PathBuf {
    try_anvil().unwrap_or_else(|e| {
        panic!("{e}: install the pinned toolchain with `cargo xtask setup` (or set TIDEPOOL_ANVIL)")
    })
}
