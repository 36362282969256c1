//! The desktop app's web side (`ui/`): TypeScript strict typecheck, the Vitest
//! unit tests and the production build (`ui/dist`, which the app embeds).

use anyhow::Result;

use crate::proc::Cmd;
use crate::ws;

fn npm(script: &str) -> Cmd {
    Cmd::new("npm")
        .args(["run", "--silent", script])
        .current_dir(ws::root().join("ui"))
}

/// Builds `ui/dist`.
pub fn build() -> Result<()> {
    npm("build").run()
}

/// Typecheck, unit tests, build.
pub fn check() -> Result<()> {
    npm("typecheck").run()?;
    npm("test").run()?;
    build()
}
