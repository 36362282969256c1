//! [`super::Sql`] over PostgreSQL (tokio-postgres).
//!
//! The ingestion path is synchronous and runs on the caller's thread, as it
//! does with SQLite. Each connection's protocol task runs on a runtime of its
//! own thread, and calls wait for their replies with a plain executor: that
//! works inside or outside a tokio runtime, of either flavour, which the
//! blocking `postgres` crate does not (it nests a runtime).
//!
//! Statements are prepared once per connection (keyed by their SQL text), and
//! rows appended in a transaction go out pipelined: one round trip per run of
//! inserts instead of one per row.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::future::Future;
use std::sync::Mutex;

use bytes::BytesMut;
use futures::future::try_join_all;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, Config, NoTls, Statement};

use super::{Row, Val, numeric};
use crate::error::{Error, Result};

/// Rows appended before they are sent (bounds the memory a batch holds).
const PIPELINE: usize = 4096;

fn wait<F: Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

/// A PostgreSQL connection.
pub struct PgConn {
    client: Client,
    statements: Mutex<HashMap<String, Statement>>,
    /// Where it is, without the password (for messages).
    pub name: String,
}

/// `postgres://user@host:port/db` of a connection string, password left out.
pub fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (auth, host) = match rest.rsplit_once('@') {
                Some((auth, host)) => (Some(auth), host),
                None => (None, rest),
            };
            let user = auth.map(|a| a.split(':').next().unwrap_or_default());
            match user {
                Some(u) => format!("{scheme}://{u}@{host}"),
                None => format!("{scheme}://{host}"),
            }
        }
        None => "(a PostgreSQL connection string)".into(),
    }
}

impl PgConn {
    /// Connects to `url` (`postgres://user:password@host:port/db`).
    pub fn connect(url: &str) -> Result<Self> {
        let name = redact(url);
        let open = |reason: String| Error::Open {
            path: name.clone(),
            reason,
        };
        let mut config: Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| open(e.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.application_name("tidepool");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("tidepool-postgres".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = sender.send(Err(e.to_string()));
                        return;
                    }
                };
                rt.block_on(async move {
                    match config.connect(NoTls).await {
                        Ok((client, connection)) => {
                            let _ = sender.send(Ok(client));
                            if let Err(e) = connection.await {
                                tracing::warn!("the PostgreSQL connection ended: {e}");
                            }
                        }
                        Err(e) => {
                            let _ = sender.send(Err(words(&e)));
                        }
                    }
                });
            })
            .map_err(|e| open(e.to_string()))?;
        let client = receiver
            .recv()
            .map_err(|e| open(e.to_string()))?
            .map_err(open)?;
        Ok(Self {
            client,
            statements: Mutex::new(HashMap::new()),
            name,
        })
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        let cached = self
            .statements
            .lock()
            .map_err(|_| Error::Config("the statement cache was poisoned".into()))?
            .get(sql)
            .cloned();
        if let Some(s) = cached {
            return Ok(s);
        }
        let s = wait(self.client.prepare(&translate(sql)))?;
        if let Ok(mut m) = self.statements.lock() {
            m.insert(sql.to_string(), s.clone());
        }
        Ok(s)
    }

    pub(super) fn execute(&self, sql: &str, args: &[Val]) -> Result<u64> {
        let s = self.statement(sql)?;
        Ok(wait(self.client.execute(&s, &refs(args)))?)
    }

    pub(super) fn query(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        let rows = wait(self.client.query(&s, &refs(args)))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Val>(i).map_err(Error::from))
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        Ok(wait(self.client.batch_execute(&translate(sql)))?)
    }

    /// Streams a query's rows to `f` as they arrive.
    pub(super) fn each(
        &self,
        sql: &str,
        args: &[Val],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        use futures::StreamExt;
        let s = self.statement(sql)?;
        let stream = wait(self.client.query_raw(&s, args.iter()))?;
        let mut stream = Box::pin(stream);
        let mut n = 0;
        while let Some(r) = wait(stream.next()) {
            let r = r?;
            let row = Row((0..r.len())
                .map(|i| r.try_get::<_, Val>(i).map_err(Error::from))
                .collect::<Result<_>>()?);
            f(&row)?;
            n += 1;
        }
        Ok(n)
    }

    /// Loads `rows` into `table (columns)` with `COPY … FROM STDIN` (text
    /// format): the bulk path, for copying a store (an order of magnitude
    /// faster than inserts). Returns the rows sent.
    pub fn copy_in(
        &self,
        table: &str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Val>>,
    ) -> Result<u64> {
        use futures::SinkExt;
        let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
        let mut sink = Box::pin(wait(
            self.client.copy_in::<_, bytes::Bytes>(&translate(&sql)),
        )?);
        let (mut buf, mut n) = (String::new(), 0u64);
        for row in rows {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                copy_text(v, &mut buf);
            }
            buf.push('\n');
            n += 1;
            if buf.len() >= 1 << 20 {
                wait(sink.send(bytes::Bytes::from(std::mem::take(&mut buf))))?;
            }
        }
        if !buf.is_empty() {
            wait(sink.send(bytes::Bytes::from(buf)))?;
        }
        wait(sink.as_mut().finish())?;
        Ok(n)
    }

    /// [`super::Db::read_columns`]: the statement as written (PostgreSQL's
    /// own dialect, nothing translated), in a read-only transaction that is
    /// rolled back whatever happens.
    pub(super) fn read_columns(&self, sql: &str) -> Result<(Vec<String>, Vec<Row>)> {
        let s = wait(self.client.prepare(sql))?;
        let columns = s.columns().iter().map(|c| c.name().to_string()).collect();
        if let Some(c) = s.columns().iter().find(|c| !readable(c.type_())) {
            return Err(Error::BadQuery(format!(
                "column {:?} is of type {}, which is not shown here: CAST it AS TEXT",
                c.name(),
                c.type_()
            )));
        }
        wait(self.client.batch_execute("BEGIN READ ONLY"))?;
        let rows = wait(self.client.query(&s, &[]));
        let ended = wait(self.client.batch_execute("ROLLBACK"));
        let rows = rows?;
        ended?;
        let rows = rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Val>(i).map_err(Error::from))
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect::<Result<_>>()?;
        Ok((columns, rows))
    }
}

/// One value in COPY's text format.
fn copy_text(v: &Val, out: &mut String) {
    match v {
        Val::Null => out.push_str("\\N"),
        Val::Int(i) => out.push_str(&i.to_string()),
        // Rust's shortest round-trip decimal, which float8in reads back exactly.
        Val::Real(f) if f.is_finite() => out.push_str(&f.to_string()),
        Val::Real(f) if f.is_nan() => out.push_str("NaN"),
        Val::Real(f) => out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
        Val::U256(u) => out.push_str(&u.to_string()),
        Val::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Val::Text(t) => {
            for c in t.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// The column types [`Val`] reads.
fn readable(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::INT8
            | Type::INT4
            | Type::INT2
            | Type::FLOAT8
            | Type::FLOAT4
            | Type::BOOL
            | Type::NUMERIC
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::VOID
            | Type::BYTEA
    )
}

impl PgConn {
    /// A token that cancels the statement this connection is running, from
    /// another thread or task (`CancelToken::cancel_query`).
    pub fn cancel_token(&self) -> tokio_postgres::CancelToken {
        self.client.cancel_token()
    }
}

/// An error in words: the server's message, or the client's with its cause
/// (`error connecting to server: Connection refused (os error 111)`).
fn words(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(&format!(": {c}"));
        cause = c.source();
    }
    out
}

/// Rows per multi-row insert (21 columns × 128 rows stays far below the
/// protocol's 65,535 parameters).
const ROWS_PER_INSERT: usize = 128;

/// `INSERT … VALUES (…)` of one row as the same insert of `rows` rows, the
/// parameters of row j numbered after row j − 1's; `None` when the
/// statement is not of that shape.
fn multi_row(sql: &str, rows: usize) -> Option<String> {
    let at = sql.rfind("VALUES")? + "VALUES".len();
    let tuple = sql[at..].trim();
    if !(tuple.starts_with('(') && tuple.ends_with(')')) {
        return None;
    }
    let numbers: Vec<usize> = tuple
        .split('?')
        .skip(1)
        .map(|p| {
            p.bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'))
        })
        .collect();
    let width = *numbers.iter().max()?;
    if numbers.contains(&0) {
        return None;
    }
    let mut out = String::from(&sql[..at]);
    for j in 0..rows {
        out.push_str(if j == 0 { " " } else { ", " });
        let mut rest = tuple;
        while let Some(q) = rest.find('?') {
            out.push_str(&rest[..q]);
            let digits = rest[q + 1..].bytes().take_while(u8::is_ascii_digit).count();
            let k: usize = rest[q + 1..q + 1 + digits].parse().ok()?;
            out.push_str(&format!("?{}", k + j * width));
            rest = &rest[q + 1 + digits..];
        }
        out.push_str(rest);
    }
    Some(out)
}

fn refs(args: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

/// A PostgreSQL write transaction.
pub struct PgTx<'a> {
    conn: &'a PgConn,
    /// Appended rows not sent yet, per insert statement.
    pending: Vec<(&'static str, Vec<Vec<Val>>)>,
    /// Rows in `pending`.
    queued: usize,
    open: bool,
}

impl<'a> PgTx<'a> {
    pub(super) fn begin(conn: &'a PgConn) -> Result<Self> {
        conn.batch("BEGIN")?;
        Ok(Self {
            conn,
            pending: Vec::new(),
            queued: 0,
            open: true,
        })
    }

    /// Sends the appended rows: [`ROWS_PER_INSERT`] rows per statement
    /// (one parse and plan for many rows), the rest one by one, all
    /// pipelined in one round trip. Rows of different tables may go in
    /// another order than appended: within the transaction nothing reads
    /// them before this returns.
    fn flush(&mut self) -> Result<()> {
        if self.queued == 0 {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.queued = 0;
        let mut calls: Vec<(Statement, Vec<&(dyn ToSql + Sync)>)> = Vec::new();
        for (sql, rows) in &pending {
            let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
            if let Some(multi) = multi_row(sql, ROWS_PER_INSERT) {
                let s = self.conn.statement(&multi)?;
                for chunk in chunks.by_ref() {
                    calls.push((s.clone(), chunk.iter().flat_map(|r| refs(r)).collect()));
                }
            }
            let single = self.conn.statement(sql)?;
            let rest = if multi_row(sql, ROWS_PER_INSERT).is_some() {
                chunks.remainder()
            } else {
                rows.as_slice()
            };
            for r in rest {
                calls.push((single.clone(), refs(r)));
            }
        }
        let client = &self.conn.client;
        wait(try_join_all(
            calls.iter().map(|(s, p)| client.execute(s, p)),
        ))?;
        Ok(())
    }

    pub(super) fn append(&mut self, sql: &'static str, args: Vec<Val>) -> Result<()> {
        match self
            .pending
            .iter_mut()
            .find(|(s, _)| std::ptr::eq(*s, sql) || *s == sql)
        {
            Some((_, rows)) => rows.push(args),
            None => self.pending.push((sql, vec![args])),
        }
        self.queued += 1;
        if self.queued >= PIPELINE {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn execute(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        self.flush()?;
        self.conn.execute(sql, args)
    }

    pub(super) fn query(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        self.flush()?;
        self.conn.query(sql, args)
    }

    pub(super) fn batch(&mut self, sql: &str) -> Result<()> {
        self.flush()?;
        self.conn.batch(sql)
    }

    pub(super) fn commit(mut self) -> Result<()> {
        self.flush()?;
        self.open = false;
        self.conn.batch("COMMIT")
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // An error aborted the transaction; nothing of it stays.
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}

/// The shared SQL in PostgreSQL's spelling: `?N` and `?` parameters become
/// `$N`, the `main.` schema `public.` and `temp.` `pg_temp.`; string literals
/// are left alone.
pub fn translate(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut i, mut next, mut start) = (0, 1, 0);
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            let end = sql[i + 1..].find('\'').map_or(b.len(), |j| i + j + 2);
            out.push_str(&sql[start..end]);
            (i, start) = (end, end);
            continue;
        }
        let word_start = i == 0 || !ident(b[i - 1]);
        if c == b'?' {
            out.push_str(&sql[start..i]);
            let digits = sql[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push('$');
                out.push_str(&sql[i + 1..i + 1 + digits]);
            } else {
                out.push_str(&format!("${next}"));
                next += 1;
            }
            i += 1 + digits;
            start = i;
            continue;
        }
        let schema = [("main.", "public."), ("temp.", "pg_temp.")]
            .into_iter()
            .find(|(from, _)| word_start && sql[i..].starts_with(from));
        if let Some((from, to)) = schema {
            out.push_str(&sql[start..i]);
            out.push_str(to);
            i += from.len();
            start = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&sql[start.min(b.len())..]);
    out
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Val {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        let text_like = matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
        );
        match self {
            Val::Null => return Ok(IsNull::Yes),
            Val::Int(i) => match *ty {
                Type::INT8 => {
                    i.to_sql(ty, out)?;
                }
                Type::INT4 => {
                    i32::try_from(*i)?.to_sql(ty, out)?;
                }
                Type::INT2 => {
                    i16::try_from(*i)?.to_sql(ty, out)?;
                }
                Type::FLOAT8 => {
                    (*i as f64).to_sql(ty, out)?;
                }
                Type::BOOL => {
                    (*i != 0).to_sql(ty, out)?;
                }
                Type::NUMERIC => numeric_into(&i.to_string(), out)?,
                _ if text_like => out.extend_from_slice(i.to_string().as_bytes()),
                _ => return Err(mismatch("an integer", ty)),
            },
            Val::Real(f) => match *ty {
                Type::FLOAT8 => {
                    f.to_sql(ty, out)?;
                }
                Type::FLOAT4 => {
                    (*f as f32).to_sql(ty, out)?;
                }
                Type::NUMERIC if f.is_finite() => numeric_into(&format!("{f}"), out)?,
                _ => return Err(mismatch("a double", ty)),
            },
            Val::Text(t) => match *ty {
                Type::NUMERIC => numeric_into(t, out)?,
                Type::INT8 => {
                    t.parse::<i64>()?.to_sql(ty, out)?;
                }
                _ if text_like => out.extend_from_slice(t.as_bytes()),
                _ => return Err(mismatch("text", ty)),
            },
            Val::U256(u) => match *ty {
                Type::NUMERIC => numeric_into(&u.to_string(), out)?,
                _ if text_like => out.extend_from_slice(u.to_string().as_bytes()),
                _ => return Err(mismatch("a uint256", ty)),
            },
            Val::Bool(b) => match *ty {
                Type::BOOL => {
                    b.to_sql(ty, out)?;
                }
                Type::INT8 | Type::INT4 => return Val::Int(i64::from(*b)).to_sql(ty, out),
                _ => return Err(mismatch("a boolean", ty)),
            },
        };
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn numeric_into(text: &str, out: &mut BytesMut) -> std::result::Result<(), BoxError> {
    let mut v = Vec::new();
    numeric::encode(text, &mut v)?;
    out.extend_from_slice(&v);
    Ok(())
}

fn mismatch(what: &str, ty: &Type) -> BoxError {
    format!("cannot bind {what} to a parameter of type {ty}").into()
}

impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Val::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Val::Int(i16::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Val::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Val::Real(f32::from_sql(ty, raw)?.into()),
            Type::BOOL => Val::Bool(bool::from_sql(ty, raw)?),
            Type::NUMERIC => Val::Text(numeric::decode(raw)?),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                Val::Text(String::from_utf8(raw.to_vec())?)
            }
            Type::VOID => Val::Null,
            Type::BYTEA => Val::Text(format!("0x{}", tidepool_sdk::alloy::hex::encode(raw))),
            _ => return Err(format!("unsupported column type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_dialect_becomes_postgresqls() {
        assert_eq!(
            translate("INSERT INTO main.t (a, b) VALUES (scope_chain(), ?1, ?12)"),
            "INSERT INTO public.t (a, b) VALUES (scope_chain(), $1, $12)"
        );
        assert_eq!(
            translate("SELECT x FROM t WHERE a >= ? AND b = '?main.' LIMIT ? OFFSET ?"),
            "SELECT x FROM t WHERE a >= $1 AND b = '?main.' LIMIT $2 OFFSET $3"
        );
        assert_eq!(
            translate("CREATE TEMP VIEW temp.swaps AS SELECT * FROM main.swaps, domain.x"),
            "CREATE TEMP VIEW pg_temp.swaps AS SELECT * FROM public.swaps, domain.x"
        );
    }

    #[test]
    fn one_row_inserts_become_many_row_inserts() {
        let sql = "INSERT INTO main.t (chain_id, a, b) VALUES (scope_chain(), ?1, ?2)";
        assert_eq!(
            multi_row(sql, 3).unwrap(),
            "INSERT INTO main.t (chain_id, a, b) VALUES (scope_chain(), ?1, ?2), (scope_chain(), ?3, ?4), (scope_chain(), ?5, ?6)"
        );
        assert_eq!(multi_row("UPDATE t SET a = ?1", 2), None);
        assert_eq!(multi_row("INSERT INTO t VALUES (?, ?)", 2), None);
    }

    #[test]
    fn passwords_stay_out_of_names() {
        assert_eq!(
            redact("postgres://tidepool:s3cret@127.0.0.1:5432/index"),
            "postgres://tidepool@127.0.0.1:5432/index"
        );
        assert_eq!(redact("postgresql://h/db"), "postgresql://h/db");
        assert!(!redact("host=x password=y").contains("password"));
    }
}
