//! The storage seam: one SQL interface over the two backends the indexer
//! writes to, an embedded SQLite file (the default) and a PostgreSQL server.
//!
//! The ingestion logic (`crate::write`, `crate::derived`, `crate::pricing`,
//! `crate::store`) is written once against [`Sql`]; the SQL text is shared
//! too. It is written in the dialect both engines accept (`ON CONFLICT … DO
//! UPDATE`, `CAST(… AS DOUBLE PRECISION)`, `NULLS LAST`), with SQLite's
//! `?N` parameters and `main.` schema; the PostgreSQL adapter rewrites those
//! two (`$N`, `public.`) once per statement and keeps the prepared statement.
//!
//! Values cross the seam as [`Val`]: uint256 amounts are `TEXT` in SQLite and
//! `NUMERIC(78,0)` in PostgreSQL, and both read back as decimal text.

use alloy::primitives::U256;
use tidepool_sdk::alloy;

use crate::error::{Error, Result};

mod lite;
mod location;
pub mod numeric;
mod pg;
pub mod pg_schema;
mod pg_sql;
mod pg_values;

pub use lite::LiteTx;
pub use location::Location;
pub use pg::{PgConn, PgTx};
pub use pg_sql::{redact, translate};

/// One value bound to or read from a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Real(f64),
    /// Text; PostgreSQL NUMERIC values read back as their decimal text.
    Text(String),
    /// A uint256 amount (`TEXT` in SQLite, `NUMERIC` in PostgreSQL).
    U256(U256),
    /// A boolean (PostgreSQL's `boolean`; SQLite has 0 and 1).
    Bool(bool),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Self::Int(v.into())
    }
}
impl From<u8> for Val {
    fn from(v: u8) -> Self {
        Self::Int(v.into())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Self::Real(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl From<U256> for Val {
    fn from(v: U256) -> Self {
        Self::U256(v)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// `&[Val]` from a list of values of any type with `Into<Val>`.
#[macro_export]
macro_rules! args {
    ($($e:expr),* $(,)?) => {
        &[$($crate::db::Val::from($e)),*] as &[$crate::db::Val]
    };
}

/// A type a column value can be read as.
pub trait FromVal: Sized {
    /// Converts, or says what was found instead.
    fn from_val(v: &Val) -> Option<Self>;
    /// The name used in errors.
    const WANTED: &'static str;
}

impl FromVal for i64 {
    const WANTED: &'static str = "an integer";
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Int(i) => Some(*i),
            Val::Bool(b) => Some(i64::from(*b)),
            // PostgreSQL's sum() over BIGINT is NUMERIC.
            Val::Text(t) => t.parse().ok(),
            _ => None,
        }
    }
}
impl FromVal for i32 {
    const WANTED: &'static str = "a 32-bit integer";
    fn from_val(v: &Val) -> Option<Self> {
        i64::from_val(v).and_then(|i| i.try_into().ok())
    }
}
impl FromVal for u8 {
    const WANTED: &'static str = "an integer 0..=255";
    fn from_val(v: &Val) -> Option<Self> {
        i64::from_val(v).and_then(|i| i.try_into().ok())
    }
}
impl FromVal for f64 {
    const WANTED: &'static str = "a number";
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Real(f) => Some(*f),
            Val::Int(i) => Some(*i as f64),
            Val::Text(t) => t.parse().ok(),
            _ => None,
        }
    }
}
impl FromVal for bool {
    const WANTED: &'static str = "a boolean";
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Bool(b) => Some(*b),
            Val::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}
impl FromVal for String {
    const WANTED: &'static str = "text";
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Text(t) => Some(t.clone()),
            Val::U256(u) => Some(u.to_string()),
            Val::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }
}
impl FromVal for U256 {
    const WANTED: &'static str = "a uint256";
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::U256(u) => Some(*u),
            Val::Text(t) => t.parse().ok(),
            Val::Int(i) => u64::try_from(*i).ok().map(U256::from),
            _ => None,
        }
    }
}
impl<T: FromVal> FromVal for Option<T> {
    const WANTED: &'static str = T::WANTED;
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Null => Some(None),
            v => T::from_val(v).map(Some),
        }
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Val>);

impl Row {
    /// Column `i` as `T`.
    pub fn get<T: FromVal>(&self, i: usize) -> Result<T> {
        let Some(v) = self.0.get(i) else {
            return Err(Error::Value {
                column: i,
                wanted: T::WANTED,
                found: format!("no such column (the row has {})", self.0.len()),
            });
        };
        T::from_val(v).ok_or_else(|| Error::Value {
            column: i,
            wanted: T::WANTED,
            found: format!("{v:?}"),
        })
    }
}

/// The statements every backend runs: the ingestion path is written against
/// this, once.
pub trait Sql {
    /// Runs a statement that returns no rows; the rows it changed.
    fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64>;
    /// Every row a query returns.
    fn query(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>>;
    /// Several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<()>;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, args: &[Val]) -> Result<Option<Row>> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// The first row; a query that returns none is an error.
    fn query_one(&mut self, sql: &str, args: &[Val]) -> Result<Row> {
        self.query_opt(sql, args)?.ok_or(Error::NoRow)
    }
}

/// An open database: the SQLite file or the PostgreSQL connection.
pub enum Db {
    /// An embedded SQLite file.
    Lite(rusqlite::Connection),
    /// A PostgreSQL server.
    Pg(PgConn),
}

/// A write transaction: rolled back when dropped without [`Tx::commit`].
pub enum Tx<'a> {
    /// SQLite.
    Lite(LiteTx<'a>),
    /// PostgreSQL.
    Pg(PgTx<'a>),
}

impl Db {
    /// Begins a write transaction.
    pub fn begin(&mut self) -> Result<Tx<'_>> {
        Ok(match self {
            Self::Lite(c) => Tx::Lite(LiteTx::begin(c)?),
            Self::Pg(c) => Tx::Pg(PgTx::begin(c)?),
        })
    }

    /// The SQLite connection, when this is one.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Self::Lite(c) => Some(c),
            Self::Pg(_) => None,
        }
    }

    /// Rows of a read that needs no transaction (and no `&mut`).
    pub fn read(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        match self {
            Self::Lite(c) => lite::query(c, sql, args),
            Self::Pg(c) => c.query(sql, args),
        }
    }

    /// Streams the rows of a read to `f`, one at a time (nothing is held
    /// but the current row: exports of millions of rows).
    pub fn each(
        &self,
        sql: &str,
        args: &[Val],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        match self {
            Self::Lite(c) => lite::each(c, sql, args, f),
            Self::Pg(c) => c.each(sql, args, f),
        }
    }

    /// The first row of [`Db::read`], if any.
    pub fn read_opt(&self, sql: &str, args: &[Val]) -> Result<Option<Row>> {
        Ok(self.read(sql, args)?.into_iter().next())
    }

    /// Whether this is a PostgreSQL server.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Pg(_))
    }

    /// The column names and every row of one statement given at run time
    /// (`tidepool query sql`; not cached, no parameters), read-only: SQLite
    /// refuses a statement that would write before it runs
    /// (`SQLITE_READONLY`); PostgreSQL runs it in a read-only transaction,
    /// always rolled back (a write fails with SQLSTATE 25006).
    pub fn read_columns(&self, sql: &str) -> Result<(Vec<String>, Vec<Row>)> {
        match self {
            Self::Lite(c) => lite::read_columns(c, sql),
            Self::Pg(c) => c.read_columns(sql),
        }
    }
}

impl Sql for &rusqlite::Connection {
    fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        lite::execute(self, sql, args)
    }
    fn query(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        lite::query(self, sql, args)
    }
    fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }
}

impl Sql for Db {
    fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        match self {
            Self::Lite(c) => lite::execute(c, sql, args),
            Self::Pg(c) => c.execute(sql, args),
        }
    }
    fn query(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        match self {
            Self::Lite(c) => lite::query(c, sql, args),
            Self::Pg(c) => c.query(sql, args),
        }
    }
    fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Self::Lite(c) => Ok(c.execute_batch(sql)?),
            Self::Pg(c) => c.batch(sql),
        }
    }
}

impl Tx<'_> {
    /// Inserts one row with a statement prepared once for the transaction.
    /// PostgreSQL sends appended rows in pipelined runs, before the next
    /// other statement or the commit, so what a later read sees is the same.
    pub fn append(&mut self, sql: &'static str, args: Vec<Val>) -> Result<()> {
        match self {
            Self::Lite(t) => t.append(sql, &args),
            Self::Pg(t) => t.append(sql, args),
        }
    }

    /// Commits.
    pub fn commit(self) -> Result<()> {
        match self {
            Self::Lite(t) => t.commit(),
            Self::Pg(t) => t.commit(),
        }
    }
}

impl Sql for Tx<'_> {
    fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        match self {
            Self::Lite(t) => lite::execute(t.conn(), sql, args),
            Self::Pg(t) => t.execute(sql, args),
        }
    }
    fn query(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        match self {
            Self::Lite(t) => lite::query(t.conn(), sql, args),
            Self::Pg(t) => t.query(sql, args),
        }
    }
    fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Self::Lite(t) => Ok(t.conn().execute_batch(sql)?),
            Self::Pg(t) => t.batch(sql),
        }
    }
}
