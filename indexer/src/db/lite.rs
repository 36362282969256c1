//! [`super::Sql`] over SQLite (rusqlite): statements from the connection's
//! cache, values bound and read through [`Val`].

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{CachedStatement, Connection, ToSql, Transaction, TransactionBehavior};

use super::{Row, Val};
use crate::error::Result;

impl ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::Null => ToSqlOutput::Owned(Value::Null),
            Val::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            Val::Real(f) => ToSqlOutput::Owned(Value::Real(*f)),
            Val::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Val::U256(u) => ToSqlOutput::Owned(Value::Text(u.to_string())),
            Val::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
        })
    }
}

fn val(v: ValueRef<'_>) -> Val {
    match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(i) => Val::Int(i),
        ValueRef::Real(f) => Val::Real(f),
        ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Val::Text(format!("0x{}", alloy::hex::encode(b))),
    }
}

use tidepool_sdk::alloy;

pub(super) fn execute(conn: &Connection, sql: &str, args: &[Val]) -> Result<u64> {
    let n = conn
        .prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(args))?;
    Ok(n as u64)
}

pub(super) fn query(conn: &Connection, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql)?;
    rows(&mut stmt, args)
}

fn rows(stmt: &mut rusqlite::Statement<'_>, args: &[Val]) -> Result<Vec<Row>> {
    let width = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(width);
        for i in 0..width {
            row.push(val(r.get_ref(i)?));
        }
        out.push(Row(row));
    }
    Ok(out)
}

pub(super) fn each(
    conn: &Connection,
    sql: &str,
    args: &[Val],
    f: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql)?;
    let width = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row = Row((0..width)
            .map(|i| r.get_ref(i).map(val))
            .collect::<rusqlite::Result<_>>()?);
        f(&row)?;
        n += 1;
    }
    Ok(n)
}

/// A SQLite write transaction (`BEGIN IMMEDIATE`: writers of several chains
/// take turns, none fails half-way on a lock).
pub struct LiteTx<'a> {
    /// Insert statements held for the transaction (dropped before it ends).
    appends: Vec<(&'static str, CachedStatement<'a>)>,
    tx: Option<Transaction<'a>>,
    conn: &'a Connection,
}

impl<'a> LiteTx<'a> {
    pub(super) fn begin(conn: &'a Connection) -> Result<Self> {
        Ok(Self {
            appends: Vec::new(),
            tx: Some(Transaction::new_unchecked(
                conn,
                TransactionBehavior::Immediate,
            )?),
            conn,
        })
    }

    pub(super) fn conn(&self) -> &'a Connection {
        self.conn
    }

    pub(super) fn append(&mut self, sql: &'static str, args: &[Val]) -> Result<()> {
        let i = match self
            .appends
            .iter()
            .position(|(s, _)| std::ptr::eq(*s, sql) || *s == sql)
        {
            Some(i) => i,
            None => {
                self.appends.push((sql, self.conn.prepare_cached(sql)?));
                self.appends.len() - 1
            }
        };
        self.appends[i]
            .1
            .execute(rusqlite::params_from_iter(args))?;
        Ok(())
    }

    pub(super) fn commit(mut self) -> Result<()> {
        self.appends.clear();
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        Ok(())
    }
}

/// [`super::Db::read_columns`]: a statement that would write is refused
/// before it runs, as `SQLITE_READONLY`.
pub(super) fn read_columns(conn: &Connection, sql: &str) -> Result<(Vec<String>, Vec<Row>)> {
    let mut stmt = conn.prepare(sql)?;
    if !stmt.readonly() {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("the statement would write".into()),
        )
        .into());
    }
    let columns = stmt.column_names().into_iter().map(String::from).collect();
    Ok((columns, rows(&mut stmt, &[])?))
}
