//! `tidepool export` against a real index file (the query tests' fixture:
//! two pairs, swaps beyond 2^64, mints, a burn, derived tables): every table
//! in both formats read back and compared row for row with the database —
//! with the parquet crate's reader, the csv crate's, and independently with
//! pyarrow, DuckDB and Python's csv module from the project's .venv — then the
//! filters, and bad input leaving no file behind.

mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use fixture::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rusqlite::types::ValueRef;
use serde_json::Value;
use tidepool_indexer::Error;
use tidepool_indexer::db::Location;
use tidepool_indexer::export::{self, ExportRequest, Exported, FileFormat, Kind, Table};
use tidepool_indexer::store::Store;

/// A table's rows as comparable strings, with its column names.
#[derive(Debug, PartialEq)]
struct Rows {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn f64_cell(v: f64) -> String {
    format!("f64:{:016x}", v.to_bits())
}

/// The test's own reading of the database: `SELECT *` in the documented order.
fn db_rows(db: &Path, table: Table, filter: &str) -> Rows {
    let (name, order) = match table {
        Table::Swaps => ("swaps", "block_number, log_index"),
        Table::Mints => ("mints", "block_number, log_index"),
        Table::Burns => ("burns", "block_number, log_index"),
        Table::Syncs => ("syncs", "block_number, log_index"),
        Table::Pairs => ("pairs", "pair_index, address"),
        Table::Tokens => ("tokens", "address"),
        Table::Candles => ("candles", "pair, interval, bucket"),
        Table::PairDays => ("pair_days", "pair, day"),
        Table::TokenDays => ("token_days", "token, day"),
    };
    let c = Store::open_read_only(db, None).unwrap();
    let chain: String = c
        .query_row("SELECT chain_id FROM chains", [], |r| r.get::<_, i64>(0))
        .unwrap()
        .to_string();
    let mut stmt = c
        .prepare(&format!("SELECT * FROM {name} {filter} ORDER BY {order}"))
        .unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    // `tokens.unit` is 10^decimals, a convenience for SQL: not exported.
    // `chain_id` leads the file as it leads the row.
    let keep: Vec<usize> = (0..names.len())
        .filter(|&i| names[i] != "unit" && names[i] != "chain_id")
        .collect();
    let mut columns = vec!["chain_id".to_string()];
    columns.extend(keep.iter().map(|&i| names[i].clone()));
    let rows = stmt
        .query_map([], |r| {
            let mut row = vec![chain.clone()];
            for &i in &keep {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => "NULL".into(),
                    ValueRef::Integer(v) => v.to_string(),
                    ValueRef::Real(v) => f64_cell(v),
                    ValueRef::Text(t) => String::from_utf8(t.to_vec()).unwrap(),
                    ValueRef::Blob(_) => panic!("no blobs in the index"),
                });
            }
            Ok(row)
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    // The file's column order is the export's own; compare as a set of
    // named columns in the file's order (see `reorder`).
    Rows { columns, rows }
}

/// `rows` with its columns in the order of `columns` (every one must exist).
fn reorder(rows: &Rows, columns: &[String]) -> Rows {
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| {
            rows.columns
                .iter()
                .position(|x| x == c)
                .unwrap_or_else(|| panic!("the file has a column {c} the database does not"))
        })
        .collect();
    assert_eq!(
        idx.len(),
        rows.columns.len(),
        "the file lacks database columns: file {columns:?}, database {:?}",
        rows.columns
    );
    Rows {
        columns: columns.to_vec(),
        rows: rows
            .rows
            .iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect(),
    }
}

fn parquet_rows(path: &Path) -> (Rows, Vec<DataType>) {
    let file = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
    let schema = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap())
        .unwrap()
        .schema()
        .clone();
    let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let types: Vec<DataType> = schema
        .fields()
        .iter()
        .map(|f| f.data_type().clone())
        .collect();
    let mut rows = Vec::new();
    for b in &batches {
        for i in 0..b.num_rows() {
            let row = b
                .columns()
                .iter()
                .map(|a| {
                    if a.is_null(i) {
                        return "NULL".to_string();
                    }
                    match a.data_type() {
                        DataType::Int64 => a.as_primitive::<Int64Type>().value(i).to_string(),
                        DataType::Timestamp(..) => {
                            let ms = a.as_primitive::<TimestampMillisecondType>().value(i);
                            assert_eq!(ms % 1000, 0, "whole seconds");
                            (ms / 1000).to_string()
                        }
                        DataType::Float64 => f64_cell(a.as_primitive::<Float64Type>().value(i)),
                        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
                        t => panic!("unexpected column type {t}"),
                    }
                })
                .collect();
            rows.push(row);
        }
    }
    (Rows { columns, rows }, types)
}

/// A CSV cell as the database holds it: times back to unix seconds, floats
/// to their bits, empty to NULL.
fn csv_cell(kind: Kind, s: &str) -> String {
    if s.is_empty() {
        return "NULL".into();
    }
    match kind {
        Kind::Time => chrono::DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("{s:?} is not RFC 3339: {e}"))
            .timestamp()
            .to_string(),
        Kind::Real => f64_cell(s.parse().unwrap()),
        Kind::Int | Kind::Text | Kind::Uint => s.to_string(),
    }
}

fn csv_rows(table: Table, path: &Path) -> Rows {
    let mut r = csv::Reader::from_path(path).unwrap();
    let columns: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let kinds: Vec<Kind> = table.columns().iter().map(|c| c.kind).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            rec.iter()
                .zip(&kinds)
                .map(|(s, &k)| csv_cell(k, s))
                .collect()
        })
        .collect();
    Rows { columns, rows }
}

fn req(table: Table, format: FileFormat, out: &Path) -> ExportRequest {
    ExportRequest::new(table, format, out)
}

fn run(
    db: &(impl Into<Location> + Clone),
    r: &ExportRequest,
) -> tidepool_indexer::Result<Exported> {
    let c = Store::open_reader(&db.clone().into(), None).unwrap();
    let mut calls = Vec::new();
    let out = export::export(&c, r, &mut |done, total| calls.push((done, total)));
    if let Ok(e) = &out {
        // The last report is the whole.
        assert_eq!(calls.last(), Some(&(e.rows, e.rows)), "{calls:?}");
    }
    out
}

fn read(table: Table, path: &Path) -> Rows {
    if path.extension().is_some_and(|e| e == "parquet") {
        parquet_rows(path).0
    } else {
        csv_rows(table, path)
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn every_table_in_both_formats_equals_the_database() {
    every_table_in_both_formats(false);
}

/// The same export from the fixture built in PostgreSQL: the files equal
/// the SQLite fixture's rows (the two builds are equal row for row).
#[test]
fn every_table_in_both_formats_equals_the_database_on_postgresql() {
    every_table_in_both_formats(true);
}

fn every_table_in_both_formats(postgres: bool) {
    let f = build();
    let pg = postgres.then(|| fixture::build_on(true));
    let from: Location = pg.as_ref().map_or_else(|| f.at.clone(), |p| p.at.clone());
    let dir = tempfile::tempdir().unwrap();
    for table in Table::ALL {
        let want = db_rows(&f.path, table, "");
        assert!(!want.rows.is_empty(), "the fixture has {table} rows");
        for format in [FileFormat::Parquet, FileFormat::Csv] {
            // A directory as --out: <table>.<ext> inside it.
            let done = run(&from, &req(table, format, dir.path())).unwrap();
            assert_eq!(
                done.path,
                dir.path()
                    .join(format!("{}.{}", table.name(), format.extension()))
            );
            assert_eq!(done.rows as usize, want.rows.len(), "{table} {format:?}");
            assert_eq!(done.bytes, std::fs::metadata(&done.path).unwrap().len());
            let got = read(table, &done.path);
            assert_eq!(got, reorder(&want, &got.columns), "{table} {format:?}");
        }
    }
    // Typed columns, as documented.
    let (_, types) = parquet_rows(&dir.path().join("swaps.parquet"));
    let names: Vec<String> = Table::Swaps
        .columns()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    let at = |n: &str| types[names.iter().position(|x| x == n).unwrap()].clone();
    assert_eq!(at("chain_id"), DataType::Int64);
    assert_eq!(at("block_number"), DataType::Int64);
    assert_eq!(
        at("timestamp"),
        DataType::Timestamp(arrow_schema::TimeUnit::Millisecond, Some("UTC".into()))
    );
    assert_eq!(at("amount0_in"), DataType::Utf8);
    assert_eq!(at("price"), DataType::Float64);
    // Nothing but the files: no temporary left.
    let mut want_files: Vec<String> = Table::ALL
        .iter()
        .flat_map(|t| [format!("{}.csv", t.name()), format!("{}.parquet", t.name())])
        .collect();
    want_files.sort();
    assert_eq!(files_in(dir.path()), want_files);
}

fn venv_python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python")
}

/// A cell as the Python readers print it, in the database's string form.
fn py_cell(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Number(n) => n.as_i64().expect("an integer").to_string(),
        Value::String(s) => s.clone(),
        Value::Object(o) => match (o.get("f64"), o.get("time")) {
            (Some(Value::String(bits)), None) => format!("f64:{bits}"),
            (None, Some(Value::Number(t))) => t.to_string(),
            _ => panic!("unexpected cell {v}"),
        },
        _ => panic!("unexpected cell {v}"),
    }
}

fn py_rows(v: &Value) -> Rows {
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    Rows {
        columns: strs(&v["columns"]),
        rows: v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(py_cell).collect())
            .collect(),
    }
}

#[test]
fn pyarrow_duckdb_and_python_csv_read_the_files_without_options() {
    let python = venv_python();
    assert!(
        python.is_file(),
        "{} is missing: run `cargo xtask setup` (it installs pyarrow and duckdb into .venv)",
        python.display()
    );
    let f = build();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for table in Table::ALL {
        for format in [FileFormat::Parquet, FileFormat::Csv] {
            paths.push((
                table,
                run(&f.path, &req(table, format, dir.path())).unwrap().path,
            ));
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export/read_exports.py");
    let out = Command::new(&python)
        .arg(&script)
        .args(paths.iter().map(|(_, p)| p))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the Python readers failed (run `cargo xtask setup` if pyarrow or duckdb is missing): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (table, path) in &paths {
        let want = db_rows(&f.path, *table, "");
        let by = &seen[path.to_str().unwrap()];
        let readers: &[&str] = if path.extension().unwrap() == "parquet" {
            &["pyarrow", "duckdb"]
        } else {
            &["csv"]
        };
        for reader in readers {
            let mut got = py_rows(&by[reader]);
            if *reader == "csv" {
                let kinds: Vec<Kind> = table.columns().iter().map(|c| c.kind).collect();
                for row in &mut got.rows {
                    for (cell, &k) in row.iter_mut().zip(&kinds) {
                        *cell = csv_cell(k, cell);
                    }
                }
            }
            assert_eq!(
                got,
                reorder(&want, &got.columns),
                "{table} read by {reader}"
            );
        }
        if path.extension().unwrap() == "parquet" {
            let types = by["pyarrow"]["types"].to_string();
            for (c, ty) in table
                .columns()
                .iter()
                .zip(by["pyarrow"]["types"].as_array().unwrap())
            {
                let want = match c.kind {
                    Kind::Int => "int64",
                    Kind::Time => "timestamp[ms, tz=UTC]",
                    Kind::Text | Kind::Uint => "string",
                    Kind::Real => "double",
                };
                assert_eq!(ty.as_str().unwrap(), want, "{table}.{} in {types}", c.name);
            }
            for (c, ty) in table
                .columns()
                .iter()
                .zip(by["duckdb"]["types"].as_array().unwrap())
            {
                let want = match c.kind {
                    Kind::Int => "BIGINT",
                    Kind::Time => "TIMESTAMP WITH TIME ZONE",
                    Kind::Text | Kind::Uint => "VARCHAR",
                    Kind::Real => "DOUBLE",
                };
                assert_eq!(
                    ty.as_str().unwrap(),
                    want,
                    "{table}.{} read by duckdb",
                    c.name
                );
            }
        }
    }
}

#[test]
fn filters_select_the_same_rows_as_sql() {
    filters_select(false);
}

#[test]
fn filters_select_the_same_rows_as_sql_on_postgresql() {
    filters_select(true);
}

fn filters_select(postgres: bool) {
    let f = build();
    let pg = postgres.then(|| fixture::build_on(true));
    let from: Location = pg.as_ref().map_or_else(|| f.at.clone(), |p| p.at.clone());
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(ExportRequest, Table, String)> = {
        let mut v = Vec::new();
        let out = |n: &str| dir.path().join(n);
        let mut r = req(Table::Swaps, FileFormat::Parquet, &out("range.parquet"));
        r.from = Some(D0 + DAY);
        r.to = Some(D0 + 2 * DAY);
        v.push((
            r,
            Table::Swaps,
            format!(
                "WHERE timestamp >= {} AND timestamp < {}",
                D0 + DAY,
                D0 + 2 * DAY
            ),
        ));
        let mut r = req(Table::Swaps, FileFormat::Csv, &out("pair.csv"));
        r.pair = Some(P2.to_uppercase().replacen("0X", "0x", 1));
        v.push((r, Table::Swaps, format!("WHERE pair = '{P2}'")));
        let mut r = req(Table::Mints, FileFormat::Parquet, &out("token.parquet"));
        r.token = Some("TIDE".into());
        v.push((r, Table::Mints, format!("WHERE pair IN (SELECT address FROM pairs WHERE token0 = '{TIDE}' OR token1 = '{TIDE}')")));
        let mut r = req(Table::Candles, FileFormat::Csv, &out("hourly.csv"));
        r.interval = Some(3600);
        r.pair = Some(P1.into());
        v.push((
            r,
            Table::Candles,
            format!("WHERE interval = 3600 AND pair = '{P1}'"),
        ));
        let mut r = req(
            Table::TokenDays,
            FileFormat::Parquet,
            &out("usdc-days.parquet"),
        );
        r.token = Some(USDC.into());
        r.from = Some(D0 + DAY);
        v.push((
            r,
            Table::TokenDays,
            format!("WHERE token = '{USDC}' AND day >= {}", D0 + DAY),
        ));
        let mut r = req(Table::Tokens, FileFormat::Csv, &out("p1-tokens.csv"));
        r.pair = Some(P1.into());
        v.push((
            r,
            Table::Tokens,
            format!("WHERE address IN ('{WETH}', '{USDC}')"),
        ));
        let mut r = req(Table::Syncs, FileFormat::Parquet, &out("chain.parquet"));
        r.chain = Some(31337);
        v.push((r, Table::Syncs, String::new()));
        v
    };
    for (r, table, filter) in &cases {
        let want = db_rows(&f.path, *table, filter);
        assert!(!want.rows.is_empty(), "{filter}: the fixture has rows");
        let total = db_rows(&f.path, *table, "").rows.len();
        let done = run(&from, r).unwrap_or_else(|e| panic!("{r:?}: {e}"));
        assert_eq!(done.rows as usize, want.rows.len(), "{filter}");
        if !filter.is_empty() {
            assert!(want.rows.len() < total, "{filter} filters something out");
        }
        let got = read(*table, &done.path);
        assert_eq!(got, reorder(&want, &got.columns), "{filter}");
    }
    // An empty range: a valid file with the columns and no rows.
    for format in [FileFormat::Parquet, FileFormat::Csv] {
        let mut r = req(
            Table::Swaps,
            format,
            &dir.path().join(format!("empty.{}", format.extension())),
        );
        r.from = Some(D0 - 10 * DAY);
        r.to = Some(D0 - 9 * DAY);
        let done = run(&from, &r).unwrap();
        assert_eq!(done.rows, 0);
        let got = read(Table::Swaps, &done.path);
        assert!(got.rows.is_empty());
        let names: Vec<String> = Table::Swaps
            .columns()
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        assert_eq!(got.columns, names);
    }
}

fn bad(db: &(impl Into<Location> + Clone), r: &ExportRequest) -> String {
    match run(db, r) {
        Err(Error::BadQuery(m)) => m,
        other => panic!("{r:?} should be refused, got {other:?}"),
    }
}

#[test]
fn bad_input_gets_one_clear_error_and_leaves_no_file() {
    let f = build();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // An earlier export of the same name survives a failed one untouched.
    let earlier = p.join("swaps.csv");
    std::fs::write(&earlier, "earlier export\n").unwrap();
    let cases: Vec<(ExportRequest, &str)> = vec![
        (
            req(
                Table::Swaps,
                FileFormat::Csv,
                &p.join("no/such/dir/swaps.csv"),
            ),
            "does not exist",
        ),
        (
            req(
                Table::Swaps,
                FileFormat::Parquet,
                &earlier.join("under-a-file.parquet"),
            ),
            "does not exist",
        ),
        (
            ExportRequest {
                from: Some(D0),
                ..req(Table::Tokens, FileFormat::Csv, &earlier)
            },
            "--from/--to do not apply to tokens",
        ),
        (
            ExportRequest {
                pair: Some(P1.into()),
                ..req(Table::TokenDays, FileFormat::Csv, &earlier)
            },
            "--pair does not apply to token-days",
        ),
        (
            ExportRequest {
                interval: Some(3600),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "--interval applies to candles only",
        ),
        (
            ExportRequest {
                pair: Some("0x1234".into()),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "must be an address",
        ),
        (
            ExportRequest {
                pair: Some(ALICE.into()),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "no pair",
        ),
        (
            ExportRequest {
                token: Some("NOPE".into()),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "no indexed token has the symbol",
        ),
        (
            ExportRequest {
                from: Some(D0 + DAY),
                to: Some(D0),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "is after to",
        ),
        (
            ExportRequest {
                chain: Some(1),
                ..req(Table::Swaps, FileFormat::Csv, &earlier)
            },
            "this database indexes chain 31337",
        ),
    ];
    for (r, says) in &cases {
        let m = bad(&f.path, r);
        assert!(m.contains(says), "{r:?}: {m:?} should say {says:?}");
    }
    assert_eq!(files_in(p), ["swaps.csv"]);
    assert_eq!(
        std::fs::read_to_string(&earlier).unwrap(),
        "earlier export\n"
    );
    // Names on the command line.
    assert_eq!("pair_days".parse::<Table>().unwrap(), Table::PairDays);
    let m = "trades".parse::<Table>().unwrap_err().to_string();
    assert!(m.contains("choose one of swaps, mints"), "{m}");
    let m = "xlsx".parse::<FileFormat>().unwrap_err().to_string();
    assert!(m.contains("parquet or csv"), "{m}");
    // A database that is not there.
    match Store::open_reader(&Location::File(p.join("missing.db")), None) {
        Err(Error::NoDatabase { .. }) => {}
        other => panic!("{:?}", other.err()),
    }
}
