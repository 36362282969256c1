//! Query rows as text: [`Table`] (named columns of JSON values, built from
//! any query's typed rows) rendered as an aligned table for people, JSON (an
//! array of objects, keys in column order) or CSV (RFC 4180 quoting, header
//! row, `\n` line ends). Nulls are empty cells in text and CSV.

use std::fmt::Write as _;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::query::fields::fields;

/// Rows as named columns of JSON values (strings for addresses and uint256
/// amounts, numbers for times, counts and prices, null when unknown): the
/// output adapter of the typed queries. Serializes as a JSON array of
/// objects, keys in column order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: &[&str]) -> Self {
        Self {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Typed rows as a table: one column per field, in declaration order.
    pub fn from_rows<R: Serialize + DeserializeOwned>(rows: &[R]) -> Result<Self> {
        let mut t = Self::new(fields::<R>());
        for row in rows {
            let Value::Object(mut m) =
                serde_json::to_value(row).map_err(|e| Error::Config(e.to_string()))?
            else {
                return Err(Error::Config("a query row is not an object".into()));
            };
            t.rows.push(
                t.columns
                    .iter()
                    .map(|c| m.remove(c).unwrap_or(Value::Null))
                    .collect(),
            );
        }
        Ok(t)
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The value in row `row`, column `name` (`Value::Null` when absent).
    pub fn get(&self, row: usize, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match (self.rows.get(row), self.column(name)) {
            (Some(r), Some(c)) => r.get(c).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// The rows as JSON objects (keys in column order when serialized).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

struct Row<'a>(&'a [String], &'a [Value]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for row in &self.rows {
            seq.serialize_element(&Row(&self.columns, row))?;
        }
        seq.end()
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns with a header (numbers right-aligned).
    #[default]
    Table,
    /// A JSON array of objects, pretty-printed.
    Json,
    /// CSV with a header row.
    Csv,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" | "text" => Ok(Self::Table),
            "json" => Ok(Self::Json),
            "csv" => Ok(Self::Csv),
            _ => Err(Error::BadQuery(format!(
                "the format must be table, json or csv, got {s:?}"
            ))),
        }
    }
}

/// Renders `t` in `format` (ends with a newline).
pub fn render(t: &Table, format: Format) -> String {
    match format {
        Format::Table => text(t),
        Format::Json => json(t),
        Format::Csv => csv(t),
    }
}

/// One cell as plain text: strings as they are, numbers in JSON notation, null empty.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Control characters shown as escapes, so one row stays on one line.
fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            '\t' => "\\t".to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// An aligned text table: a header, a rule, one line per row; numbers
/// right-aligned.
pub fn text(t: &Table) -> String {
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|v| printable(&cell(v))).collect())
        .collect();
    let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |parts: Vec<String>| {
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(
        t.columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", printable(c)))
            .collect(),
    );
    line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for (row, values) in cells.iter().zip(&t.rows) {
        line(
            row.iter()
                .zip(&widths)
                .zip(values)
                .map(|((c, w), v)| {
                    if v.is_number() {
                        format!("{c:>w$}")
                    } else {
                        format!("{c:<w$}")
                    }
                })
                .collect(),
        );
    }
    out
}

/// A JSON array of objects, pretty-printed.
pub fn json(t: &Table) -> String {
    let mut s = serde_json::to_string_pretty(t).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One CSV field, quoted when it holds a comma, a quote, a line break or
/// leading/trailing spaces (quotes doubled).
pub fn csv_field(s: &str) -> String {
    let needs = s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV: a header row, then one row per line.
pub fn csv(t: &Table) -> String {
    let mut out = String::new();
    let header: Vec<String> = t.columns.iter().map(|c| csv_field(c)).collect();
    let _ = writeln!(out, "{}", header.join(","));
    for row in &t.rows {
        let fields: Vec<String> = row.iter().map(|v| csv_field(&cell(v))).collect();
        let _ = writeln!(out, "{}", fields.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["name", "n", "note"]);
        t.rows.push(vec![
            Value::from("a,b"),
            Value::from(12),
            Value::from("say \"hi\"\nbye"),
        ]);
        t.rows
            .push(vec![Value::from("c"), Value::from(1.5), Value::Null]);
        t
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(
            csv(&sample()),
            "name,n,note\n\"a,b\",12,\"say \"\"hi\"\"\nbye\"\nc,1.5,\n"
        );
    }

    #[test]
    fn text_aligns() {
        assert_eq!(
            text(&sample()),
            "name  n    note\n----  ---  -------------\na,b    12  say \"hi\"\\nbye\nc     1.5\n"
        );
    }

    #[test]
    fn json_keeps_column_order() {
        assert_eq!(
            serde_json::to_string(&sample()).unwrap(),
            r#"[{"name":"a,b","n":12,"note":"say \"hi\"\nbye"},{"name":"c","n":1.5,"note":null}]"#
        );
        assert!(json(&Table::new(&["x"])).starts_with("[]"));
        assert!("CSV".parse::<Format>().is_ok() && "xml".parse::<Format>().is_err());
    }
}
