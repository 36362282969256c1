//! The command line: `--app PATH [--json] [--minutes N] [--launches N]`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

/// Command-line options.
pub(crate) struct Args {
    /// The release app binary (canonical path).
    pub(crate) app: PathBuf,
    /// Print JSON instead of the table, and no progress.
    pub(crate) json: bool,
    /// Minutes of use before the memory reading.
    pub(crate) minutes: u64,
    /// Cold-start launches.
    pub(crate) launches: usize,
    /// With N > 0: only the quote round trip, with N more pools on the devnet.
    pub(crate) market_pools: usize,
}

/// Parses the process's arguments; `--help` prints the usage and exits.
pub(crate) fn parse_args() -> Result<Args> {
    let mut app = None;
    let mut json = false;
    let mut minutes = 5;
    let mut launches = 5;
    let mut market_pools = 0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--app" => app = Some(PathBuf::from(value("--app")?)),
            "--json" => json = true,
            "--minutes" => {
                minutes = value("--minutes")?
                    .parse()
                    .context("--minutes takes a whole number")?;
            }
            "--launches" => {
                launches = value("--launches")?
                    .parse()
                    .context("--launches takes a whole number")?;
            }
            "--market-pools" => {
                market_pools = value("--market-pools")?
                    .parse()
                    .context("--market-pools takes a whole number")?;
            }
            "-h" | "--help" => {
                println!(
                    "app_bench --app <path of the release tidepool-app> [--json] [--minutes N] [--launches N] [--market-pools N]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other:?} (see --help)"),
        }
    }
    let app = app.context("--app <path of the release tidepool-app> is required")?;
    let app = app
        .canonicalize()
        .with_context(|| format!("no app binary at {}", app.display()))?;
    if launches == 0 {
        bail!("--launches must be at least 1");
    }
    Ok(Args {
        app,
        json,
        minutes,
        launches,
        market_pools,
    })
}
