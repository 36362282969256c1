//! forge invocations shared by `test`, `snapshot`, `check-abi` and `bench`.

use anyhow::Result;

use crate::proc::Cmd;
use crate::ws;

/// The gas snapshot file (forge's default location), committed.
pub const SNAPSHOT_FILE: &str = ".gas-snapshot";

/// Tests left out of the gas snapshot. Invariant campaigns depend on call
/// sequences and are not a gas measurement; every other test is included
/// (fuzz tests are deterministic: foundry.toml fixes the fuzz seed).
pub const SNAPSHOT_NO_MATCH_TEST: &str = "^(invariant|statefulFuzz)";

/// Allowed gas deviation from `.gas-snapshot`, in percent.
pub const SNAPSHOT_TOLERANCE_PCT: &str = "1";

/// A `forge` command.
pub fn forge() -> Cmd {
    Cmd::new(ws::forge())
}

/// `forge fmt --check`.
pub fn fmt_check() -> Result<()> {
    forge().args(["fmt", "--check"]).run()
}

/// `forge build` of everything (sources, tests, scripts).
pub fn build_all() -> Result<()> {
    forge().arg("build").run()
}

/// `forge build contracts/src`: just the contracts (what check-abi and the
/// benchmark need), so that tests being edited cannot break them.
pub fn build_src() -> Result<()> {
    forge().args(["build", "contracts/src"]).run()
}

/// `forge test`, with `FOUNDRY_PROFILE=deep` for the long fuzz/invariant campaigns.
pub fn test(deep: bool) -> Result<()> {
    let cmd = forge().args(["test"]);
    if deep {
        cmd.env("FOUNDRY_PROFILE", "deep").run()
    } else {
        cmd.run()
    }
}

/// `forge snapshot` over the deterministic tests, in the default profile:
/// `check` compares against `.gas-snapshot` (with the tolerance), otherwise the
/// file is rewritten.
pub fn snapshot(check: bool) -> Result<()> {
    let cmd = forge()
        .args(["snapshot", "--snap", SNAPSHOT_FILE])
        .args(["--no-match-test", SNAPSHOT_NO_MATCH_TEST])
        .env("FOUNDRY_PROFILE", "default");
    if check {
        if !ws::root().join(SNAPSHOT_FILE).is_file() {
            anyhow::bail!("{SNAPSHOT_FILE} is missing: create it with `cargo xtask snapshot`");
        }
        cmd.args(["--check", "--tolerance", SNAPSHOT_TOLERANCE_PCT])
            .run()
            .map_err(|e| {
                e.context(format!(
                    "gas differs from {SNAPSHOT_FILE} by more than {SNAPSHOT_TOLERANCE_PCT}% (or tests were \
                     added/removed); if intended, regenerate it with `cargo xtask snapshot` and commit it"
                ))
            })
    } else {
        cmd.run()
    }
}
