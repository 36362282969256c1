//! `tidepool export`: a table of the index into a Parquet or CSV file, with a
//! progress line on a terminal.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use tidepool_indexer::export::{self, ExportRequest, FileFormat, Table};
use tidepool_indexer::query::params::{parse_interval, parse_time};
use tidepool_indexer::store::Store;

use crate::Global;
use crate::index::DEFAULT_DB;

fn table(s: &str) -> Result<Table, String> {
    s.parse()
        .map_err(|e: tidepool_indexer::Error| e.to_string())
}

fn file_format(s: &str) -> Result<FileFormat, String> {
    s.parse()
        .map_err(|e: tidepool_indexer::Error| e.to_string())
}

/// `tidepool export TABLE --format parquet|csv --out FILE|DIR [filters]`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// swaps, mints, burns, syncs, pairs, tokens, candles, pair-days or token-days.
    #[arg(value_parser = table)]
    table: Table,
    /// parquet (typed columns, Snappy) or csv (header row, RFC 3339 UTC times).
    #[arg(long, value_parser = file_format)]
    format: FileFormat,
    /// The file to write (replaced only once the export is complete), or an
    /// existing directory to write <table>.<format> into.
    #[arg(long)]
    out: PathBuf,
    /// The index (written by `tidepool index`): a SQLite file, or a
    /// postgres://user:password@host:port/database URL.
    #[arg(long, env = "TIDEPOOL_DB", default_value = DEFAULT_DB)]
    db: tidepool_indexer::db::Location,
    /// The chain to export (required when the database holds several).
    #[arg(long)]
    chain: Option<u64>,
    /// Only this pair (address).
    #[arg(long)]
    pair: Option<String>,
    /// Only pairs trading this token (address or symbol).
    #[arg(long)]
    token: Option<String>,
    /// Candles only: only this interval (seconds or 1m, 5m, 1h, 1d).
    #[arg(long, value_parser = parse_interval)]
    interval: Option<i64>,
    /// From this time (inclusive): unix seconds or RFC 3339.
    #[arg(long, value_parser = parse_time)]
    from: Option<i64>,
    /// Up to this time (exclusive).
    #[arg(long, value_parser = parse_time)]
    to: Option<i64>,
}

/// Runs `tidepool export`.
pub fn run(g: &Global, a: ExportArgs) -> Result<()> {
    let conn = Store::open_reader(&a.db, a.chain)?;
    let req = ExportRequest {
        chain: a.chain,
        pair: a.pair,
        token: a.token,
        interval: a.interval,
        from: a.from,
        to: a.to,
        ..ExportRequest::new(a.table, a.format, a.out)
    };
    let tty = std::io::stderr().is_terminal() && !g.json;
    let name = req.table.name();
    let done = export::export(&conn, &req, &mut |done, total| {
        if tty {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            eprint!("\rexporting {name}: {done} / {total} rows ({pct}%)   ");
            let _ = std::io::stderr().flush();
        }
    })?;
    if tty {
        eprintln!();
    }
    if g.json {
        println!(
            "{}",
            serde_json::json!({"table": name, "path": done.path, "rows": done.rows, "bytes": done.bytes})
        );
    } else {
        println!(
            "wrote {} {name} rows to {} ({} bytes)",
            done.rows,
            done.path.display(),
            done.bytes
        );
    }
    Ok(())
}
