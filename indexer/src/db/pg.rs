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
use std::future::Future;
use std::sync::Mutex;

use futures::future::try_join_all;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Statement};

use super::pg_sql::{ROWS_PER_INSERT, multi_row, redact, translate};
use super::pg_values::{copy_text, readable};
use super::{Row, Val};
use crate::error::{Error, Result};

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 512;

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
            .map_err(|e: tokio_postgres::Error| open(crate::error::pg_message(&e)))?;
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
                            let _ = sender.send(Err(crate::error::pg_message(&e)));
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
            // Generated SQL (GraphQL's) varies without end: past the cap the
            // cache starts over, and the server frees the statements dropped.
            if m.len() >= STATEMENT_CACHE {
                m.clear();
            }
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

impl PgConn {
    /// A token that cancels the statement this connection is running, from
    /// another thread or task (`CancelToken::cancel_query`).
    pub fn cancel_token(&self) -> tokio_postgres::CancelToken {
        self.client.cancel_token()
    }
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
    /// (one parse and plan for many rows), what remains in statements of
    /// 64, 32, … 1 rows (at most seven more, each prepared once per
    /// connection), all pipelined in one round trip. Rows of different
    /// tables may go in another order than appended: within the transaction
    /// nothing reads them before this returns.
    fn flush(&mut self) -> Result<()> {
        if self.queued == 0 {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.queued = 0;
        let mut calls: Vec<(Statement, Vec<&(dyn ToSql + Sync)>)> = Vec::new();
        for (sql, rows) in &pending {
            let mut rest = rows.as_slice();
            let mut size = ROWS_PER_INSERT;
            while !rest.is_empty() {
                if size > 1 && rest.len() < size {
                    size /= 2;
                    continue;
                }
                let text = if size == 1 {
                    None
                } else {
                    multi_row(sql, size)
                };
                let Some(text) = text else {
                    // One row left, or not a one-row insert: each row on its own.
                    let single = self.conn.statement(sql)?;
                    calls.extend(rest.iter().map(|r| (single.clone(), refs(r))));
                    break;
                };
                let s = self.conn.statement(&text)?;
                while rest.len() >= size {
                    let (chunk, more) = rest.split_at(size);
                    calls.push((s.clone(), chunk.iter().flat_map(|r| refs(r)).collect()));
                    rest = more;
                }
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
