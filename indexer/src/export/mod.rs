//! `tidepool export`: a table of the index streamed into a Parquet or CSV file
//! that DuckDB, pandas/pyarrow and Polars read without options.
//!
//! - Rows are read in a stable order and written in batches of
//!   [`BATCH_ROWS`], so memory stays bounded however many rows there are.
//! - Columns are typed ([`Kind`]): integers, UTC timestamps, text, uint256 as
//!   exact decimal strings, floats; every file starts with `chain_id`.
//! - The file is written under a temporary name beside the target and renamed
//!   into place only when complete: a failed export leaves no partial file
//!   (and an earlier file of the same name untouched).

mod sink;
mod tables;

use std::path::{Path, PathBuf};

use crate::db::{Db, Val as Value};

use crate::error::{Error, Result};
use crate::query::params::{self, Range};
pub use tables::{Column, Kind, Table};

/// Rows per batch (a Parquet record batch; progress is reported per batch).
pub const BATCH_ROWS: usize = 65_536;

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Apache Parquet (Snappy-compressed, typed columns).
    Parquet,
    /// Comma-separated values with a header row (RFC 4180 quoting; times in
    /// RFC 3339 UTC).
    Csv,
}

impl FileFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Parquet => "parquet",
            FileFormat::Csv => "csv",
        }
    }
}

impl std::str::FromStr for FileFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "parquet" => Ok(FileFormat::Parquet),
            "csv" => Ok(FileFormat::Csv),
            _ => Err(Error::BadQuery(format!(
                "the export format must be parquet or csv, got {s:?}"
            ))),
        }
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The table.
    pub table: Table,
    /// The format.
    pub format: FileFormat,
    /// A file, or an existing directory (the file is then `<table>.<ext>` in it).
    pub out: PathBuf,
    /// Only this chain: the database must index it (it indexes one chain).
    pub chain: Option<u64>,
    /// Only this pair (address).
    pub pair: Option<String>,
    /// Only pairs trading this token (address or symbol).
    pub token: Option<String>,
    /// Candles only: only this interval (seconds).
    pub interval: Option<i64>,
    /// From this time (inclusive, unix seconds).
    pub from: Option<i64>,
    /// Up to this time (exclusive, unix seconds).
    pub to: Option<i64>,
}

impl ExportRequest {
    /// The whole of `table`, unfiltered.
    pub fn new(table: Table, format: FileFormat, out: impl Into<PathBuf>) -> Self {
        Self {
            table,
            format,
            out: out.into(),
            chain: None,
            pair: None,
            token: None,
            interval: None,
            from: None,
            to: None,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// Data rows written (without a CSV header).
    pub rows: u64,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Exports `req.table` from the index `conn` (a reader: `Store::open_reader`).
/// `progress(done, total)` is called after each batch.
pub fn export(
    conn: &Db,
    req: &ExportRequest,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Exported> {
    let chain_id = chain_id(conn, req.chain)?;
    let (sql, args) = query(conn, req)?;
    let path = target(&req.out, req.table, req.format)?;
    let total = conn
        .read_opt(&format!("SELECT count(*) FROM ({sql}) AS t"), &args)?
        .map_or(Ok(0), |r| r.get::<i64>(0))?
        .max(0) as u64;
    let columns = req.table.columns();
    let (tmp, file) = Partial::create(&path)?;
    let mut sink = sink::Sink::new(req.format, &columns, file)?;
    let mut done = 0u64;
    conn.each(
        &format!("{sql} ORDER BY {}", req.table.spec().order),
        &args,
        &mut |row| {
            sink.push(chain_id, row)?;
            done += 1;
            if sink.buffered() >= BATCH_ROWS {
                sink.flush()?;
                progress(done, total);
            }
            Ok(())
        },
    )?;
    sink.finish()?;
    progress(done, total);
    let bytes = tmp.commit()?;
    Ok(Exported {
        path,
        rows: done,
        bytes,
    })
}

/// The chain the connection is scoped to (`Store::open_read_only`), checked
/// against `--chain`.
fn chain_id(conn: &Db, wanted: Option<u64>) -> Result<i64> {
    let no_chain = || {
        Error::Mismatch("the database records no chain: run `tidepool index` on it first".into())
    };
    let indexed: i64 = conn
        .read_opt("SELECT chain_id FROM chains", &[])
        .map_err(|_| no_chain())?
        .ok_or_else(no_chain)?
        .get(0)?;
    match wanted {
        Some(w) if i64::try_from(w).ok() != Some(indexed) => Err(Error::BadQuery(format!(
            "--chain {w}: this database indexes chain {indexed} (as opened); pass --chain {indexed} or open it for chain {w}"
        ))),
        _ => Ok(indexed),
    }
}

/// The table's SELECT with the request's filters, and their arguments.
fn query(conn: &Db, req: &ExportRequest) -> Result<(String, Vec<Value>)> {
    let spec = req.table.spec();
    let name = req.table.name();
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut add = |cond: &str, v: Value, args: &mut Vec<Value>| {
        args.push(v);
        conds.push(cond.replace("?1", &format!("?{}", args.len())));
    };
    if let Some(p) = &req.pair {
        let cond = spec.pair.ok_or_else(|| {
            Error::BadQuery(format!(
                "--pair does not apply to {name} (rows of tokens, not pairs): use --token"
            ))
        })?;
        add(
            cond,
            Value::Text(params::pair(conn, "--pair", p)?),
            &mut args,
        );
    }
    if let Some(t) = &req.token {
        let cond = spec
            .token
            .ok_or_else(|| Error::BadQuery(format!("--token does not apply to {name}")))?;
        add(
            cond,
            Value::Text(params::token(conn, "--token", t)?),
            &mut args,
        );
    }
    if let Some(i) = req.interval {
        if req.table != Table::Candles {
            return Err(Error::BadQuery(format!(
                "--interval applies to candles only, not {name}"
            )));
        }
        add(
            "interval = ?1",
            Value::Int(params::check_interval(i)?),
            &mut args,
        );
    }
    if req.from.is_some() || req.to.is_some() {
        let column = spec.time.ok_or_else(|| {
            Error::BadQuery(format!(
                "--from/--to do not apply to {name} (its rows have no time): leave them out"
            ))
        })?;
        let range = Range::new(req.from, req.to)?;
        add(
            &format!("{column} >= ?1"),
            Value::Int(range.from),
            &mut args,
        );
        add(&format!("{column} < ?1"), Value::Int(range.to), &mut args);
    }
    let mut sql = spec.select.to_string();
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    Ok((sql, args))
}

/// The file to write: `out` itself, or `<table>.<ext>` in `out` when it is a
/// directory. Its directory must exist.
fn target(out: &Path, table: Table, format: FileFormat) -> Result<PathBuf> {
    let path = if out.is_dir() {
        out.join(format!("{}.{}", table.name(), format.extension()))
    } else {
        out.to_path_buf()
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(Error::BadQuery(format!(
            "--out {}: the directory {} does not exist; create it or choose another path",
            out.display(),
            parent.display()
        )));
    }
    if path.file_name().is_none() {
        return Err(Error::BadQuery(format!(
            "--out {}: not a file name; pass a file or an existing directory",
            out.display()
        )));
    }
    Ok(path)
}

/// A file being written under a temporary name beside its target; removed
/// unless committed.
struct Partial {
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Partial {
    /// The temporary file, created, and its writer.
    fn create(path: &Path) -> Result<(Self, sink::Out)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| write_err(path, &e))?;
        let partial = Self {
            tmp,
            path: path.to_path_buf(),
            committed: false,
        };
        Ok((partial, sink::Out::new(file, path.to_path_buf())))
    }

    /// Syncs and renames the file into place; returns its size.
    fn commit(mut self) -> Result<u64> {
        let f = std::fs::File::open(&self.tmp).map_err(|e| write_err(&self.path, &e))?;
        f.sync_all().map_err(|e| write_err(&self.path, &e))?;
        let bytes = f.metadata().map_err(|e| write_err(&self.path, &e))?.len();
        std::fs::rename(&self.tmp, &self.path).map_err(|e| write_err(&self.path, &e))?;
        self.committed = true;
        Ok(bytes)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn write_err(path: &Path, e: &std::io::Error) -> Error {
    Error::Export {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}
