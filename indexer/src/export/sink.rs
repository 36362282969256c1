//! The two file writers behind one interface: rows go in one at a time,
//! leave in batches (Parquet record batches through arrow-rs's writer, CSV
//! records through the `csv` crate).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Row;
use arrow_array::builder::{
    Float64Builder, Int64Builder, StringBuilder, TimestampMillisecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{BATCH_ROWS, Column, FileFormat, Kind};
use crate::error::{Error, Result};

/// Rows per Parquet row group: a few batches, so the writer's buffer stays
/// bounded while row groups stay large enough to scan fast.
const ROW_GROUP_ROWS: usize = 4 * BATCH_ROWS;

/// The file being written, with the path its errors name.
pub(super) struct Out {
    file: BufWriter<File>,
    path: PathBuf,
}

impl Out {
    pub(super) fn new(file: File, path: PathBuf) -> Self {
        Self {
            file: BufWriter::with_capacity(1 << 20, file),
            path,
        }
    }
}

fn err(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    Error::Export {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// A writer of one table's rows.
pub(super) enum Sink {
    Parquet(Box<ParquetSink>),
    Csv(Box<CsvSink>),
}

impl Sink {
    pub(super) fn new(format: FileFormat, columns: &[Column], out: Out) -> Result<Self> {
        Ok(match format {
            FileFormat::Parquet => Sink::Parquet(Box::new(ParquetSink::new(columns, out)?)),
            FileFormat::Csv => Sink::Csv(Box::new(CsvSink::new(columns, out)?)),
        })
    }

    /// Adds one row: `chain_id`, then the row's columns in order.
    pub(super) fn push(&mut self, chain_id: i64, row: &Row) -> Result<()> {
        match self {
            Sink::Parquet(s) => s.push(chain_id, row),
            Sink::Csv(s) => s.push(chain_id, row),
        }
    }

    /// Rows added since the last flush.
    pub(super) fn buffered(&self) -> usize {
        match self {
            Sink::Parquet(s) => s.rows,
            Sink::Csv(s) => s.rows,
        }
    }

    /// Writes the buffered rows out.
    pub(super) fn flush(&mut self) -> Result<()> {
        match self {
            Sink::Parquet(s) => s.flush(),
            Sink::Csv(s) => s.flush(),
        }
    }

    /// Writes the rest and the file's footer.
    pub(super) fn finish(self) -> Result<()> {
        match self {
            Sink::Parquet(s) => s.finish(),
            Sink::Csv(mut s) => s.flush(),
        }
    }
}

enum Builder {
    Int(Int64Builder),
    Time(TimestampMillisecondBuilder),
    Text(StringBuilder),
    Real(Float64Builder),
}

pub(super) struct ParquetSink {
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    writer: ArrowWriter<BufWriter<File>>,
    path: PathBuf,
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Int => DataType::Int64,
        // Milliseconds: Parquet has no second-resolution timestamp, and a
        // writer that casts seconds leaves readers a bare INT64.
        Kind::Time => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        Kind::Text | Kind::Uint => DataType::Utf8,
        Kind::Real => DataType::Float64,
    }
}

fn builder(kind: Kind) -> Builder {
    match kind {
        Kind::Int => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
        Kind::Time => Builder::Time(
            TimestampMillisecondBuilder::with_capacity(BATCH_ROWS).with_timezone("UTC"),
        ),
        Kind::Text | Kind::Uint => {
            Builder::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 48))
        }
        Kind::Real => Builder::Real(Float64Builder::with_capacity(BATCH_ROWS)),
    }
}

impl ParquetSink {
    fn new(columns: &[Column], out: Out) -> Result<Self> {
        let fields: Vec<Field> = columns
            .iter()
            .map(|c| Field::new(c.name, data_type(c.kind), c.nullable))
            .collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("tidepool {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(out.file, schema.clone(), Some(props))
            .map_err(|e| err(&out.path, e))?;
        Ok(Self {
            builders: columns.iter().map(|c| builder(c.kind)).collect(),
            schema,
            rows: 0,
            writer,
            path: out.path,
        })
    }

    fn push(&mut self, chain_id: i64, row: &Row) -> Result<()> {
        for (i, b) in self.builders.iter_mut().enumerate() {
            // Column 0 is chain_id; the row's column i − 1 follows.
            match b {
                Builder::Int(b) if i == 0 => b.append_value(chain_id),
                Builder::Int(b) => b.append_option(row.get::<Option<i64>>(i - 1)?),
                Builder::Time(b) => b.append_option(
                    row.get::<Option<i64>>(i - 1)?
                        .map(|t| t.saturating_mul(1000)),
                ),
                Builder::Text(b) => b.append_option(row.get::<Option<String>>(i - 1)?),
                Builder::Real(b) => b.append_option(row.get::<Option<f64>>(i - 1)?),
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Int(b) => Arc::new(b.finish()),
                    Builder::Time(b) => Arc::new(b.finish()),
                    Builder::Text(b) => Arc::new(b.finish()),
                    Builder::Real(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        let batch =
            RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| err(&self.path, e))?;
        self.writer.write(&batch).map_err(|e| err(&self.path, e))?;
        self.rows = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(|e| err(&self.path, e))?;
        file.into_inner()
            .map_err(|e| err(&self.path, e.error()))?
            .flush()
            .map_err(|e| err(&self.path, e))
    }
}

pub(super) struct CsvSink {
    kinds: Vec<Kind>,
    writer: csv::Writer<BufWriter<File>>,
    record: Vec<String>,
    rows: usize,
    path: PathBuf,
}

impl CsvSink {
    fn new(columns: &[Column], out: Out) -> Result<Self> {
        let mut writer = csv::Writer::from_writer(out.file);
        writer
            .write_record(columns.iter().map(|c| c.name))
            .map_err(|e| err(&out.path, e))?;
        Ok(Self {
            kinds: columns.iter().map(|c| c.kind).collect(),
            writer,
            record: Vec::with_capacity(columns.len()),
            rows: 0,
            path: out.path,
        })
    }

    fn push(&mut self, chain_id: i64, row: &Row) -> Result<()> {
        self.record.clear();
        self.record.push(chain_id.to_string());
        for (i, kind) in self.kinds.iter().enumerate().skip(1) {
            let field = match kind {
                Kind::Int => row.get::<Option<i64>>(i - 1)?.map(|v| v.to_string()),
                Kind::Time => row.get::<Option<i64>>(i - 1)?.map(utc),
                Kind::Text | Kind::Uint => row.get::<Option<String>>(i - 1)?,
                Kind::Real => row.get::<Option<f64>>(i - 1)?.map(|v| v.to_string()),
            };
            self.record.push(field.unwrap_or_default());
        }
        self.writer
            .write_record(&self.record)
            .map_err(|e| err(&self.path, e))?;
        self.rows += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.rows = 0;
        self.writer.flush().map_err(|e| err(&self.path, e))
    }
}

/// Unix seconds as RFC 3339 UTC (`2026-12-03T10:00:00Z`), what CSV readers
/// detect as a timestamp.
fn utc(t: i64) -> String {
    match chrono::DateTime::from_timestamp(t, 0) {
        Some(d) => d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => t.to_string(),
    }
}
