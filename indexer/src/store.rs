//! The SQLite store: opening (WAL, migrations), the checkpoint, and the one
//! write path — a batch of raw rows, their derived analytics and the new
//! checkpoint in a single transaction, so a crash at any moment leaves the
//! database at a batch boundary (nothing lost, nothing doubled).

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

use crate::checkpointer::{Checkpointer, WRITER_AUTOCHECKPOINT_PAGES};
use crate::derived;
use crate::error::{Error, Result};
use crate::pricing::{self, PricingConfig};
use crate::schema::{MIGRATIONS, REBUILD_CANDLES, latest_version};

/// A read-write connection to the index.
pub struct Store {
    /// The connection (public for queries in the same process).
    pub conn: Connection,
    /// How events are priced as they are written (`meta.pricing`).
    pub pricing: PricingConfig,
    /// WAL checkpoints on a thread of their own (none for an in-memory database).
    checkpointer: Option<Checkpointer>,
}

/// The checkpoint: the last block whose events are all in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Block number.
    pub number: u64,
    /// Its hash as seen when it was indexed.
    pub hash: String,
}

fn open_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// The writer connection's page cache, KiB.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// Pragmas every connection uses: WAL (readers never block the writer), and
/// a busy timeout so a reader and the writer wait for each other briefly.
fn tune(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| open_err(path, e))?;
        }
        let conn = Connection::open(path).map_err(|e| open_err(path, e))?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(|e| open_err(path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The writer's page cache (SQLite's default is 2 MiB): index pages of
        // a growing table stay in memory instead of being re-read and
        // re-written through the OS on every batch.
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        tune(&conn)?;
        let checkpointer = if mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)?;
            Some(Checkpointer::start(path).map_err(|e| open_err(path, e))?)
        } else {
            None
        };
        let mut store = Self {
            conn,
            pricing: PricingConfig::default(),
            checkpointer,
        };
        store.migrate()?;
        if let Some(json) = store.meta("pricing")? {
            store.pricing = serde_json::from_str(&json).unwrap_or_default();
        }
        Ok(store)
    }

    /// Tells the background checkpointer a write transaction was committed.
    pub fn committed(&self) {
        if let Some(c) = &self.checkpointer {
            c.committed();
        }
    }

    /// Opens an existing database read-only (queries, the HTTP API).
    pub fn open_read_only(path: &Path) -> Result<Connection> {
        if !path.is_file() {
            return Err(Error::NoDatabase {
                path: path.display().to_string(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_err(path, e))?;
        tune(&conn)?;
        conn.pragma_update(None, "query_only", "ON")?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != latest_version() {
            return Err(Error::Mismatch(format!(
                "{} has schema version {version}, this tidepool reads version {}; run `tidepool index` once to migrate it",
                path.display(),
                latest_version()
            )));
        }
        Ok(conn)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: u32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > latest_version() {
            return Err(Error::Mismatch(format!(
                "the database has schema version {version}, newer than this tidepool's {}; use a newer tidepool",
                latest_version()
            )));
        }
        let tx = self.conn.transaction()?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        }
        // Rebuilt with today's code once every table has today's columns.
        if version > 0 && version < REBUILD_CANDLES {
            derived::rebuild_all(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Prices events with `cfg` from now on; when it differs from the pricing
    /// the index was written with, every stored event is priced again and the
    /// derived rows rebuilt, in one transaction. Returns the events re-priced.
    pub fn set_pricing(&mut self, cfg: &PricingConfig) -> Result<u64> {
        let json = cfg.to_json();
        if self.meta("pricing")?.as_deref() == Some(json.as_str()) {
            self.pricing = cfg.clone();
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        let n = pricing::reprice_all(&tx, cfg)?;
        if n > 0 {
            derived::rebuild_all(&tx)?;
        }
        set_meta(&tx, "pricing", &json)?;
        tx.commit()?;
        self.pricing = cfg.clone();
        Ok(n)
    }

    /// A value from `meta`.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// The checkpoint, if anything was indexed yet.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        let number = self.meta("checkpoint_block")?;
        let hash = self.meta("checkpoint_hash")?;
        Ok(match (number, hash) {
            (Some(n), Some(hash)) => Some(Checkpoint {
                number: n
                    .parse()
                    .map_err(|_| Error::Mismatch("corrupt checkpoint".into()))?,
                hash,
            }),
            _ => None,
        })
    }

    /// Binds this database to one chain and factory on first use, and refuses
    /// another one later (`reset` = rebuild instead: the chain was reset).
    pub fn bind(
        &mut self,
        chain_id: u64,
        genesis: &str,
        factory: &str,
        start_block: u64,
    ) -> Result<Binding> {
        let stored = (
            self.meta("chain_id")?,
            self.meta("genesis_hash")?,
            self.meta("factory")?,
        );
        match stored {
            (None, _, _) => {
                let tx = self.conn.transaction()?;
                set_meta(&tx, "chain_id", &chain_id.to_string())?;
                set_meta(&tx, "genesis_hash", genesis)?;
                set_meta(&tx, "factory", factory)?;
                set_meta(&tx, "start_block", &start_block.to_string())?;
                tx.commit()?;
                Ok(Binding::New)
            }
            (Some(c), Some(g), Some(f)) => {
                if c != chain_id.to_string() {
                    return Err(Error::OtherChain {
                        indexed: c,
                        chain_id,
                    });
                }
                if f != factory {
                    return Err(Error::OtherFactory {
                        indexed: f,
                        factory: factory.to_string(),
                    });
                }
                if g != genesis {
                    return Ok(Binding::ChainReset);
                }
                Ok(Binding::Same)
            }
            _ => Err(Error::IncompleteMeta),
        }
    }

    /// Deletes every indexed row and the checkpoint, and records the new genesis
    /// (a devnet was restarted: its old history no longer exists).
    pub fn reset(&mut self, genesis: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        for table in [
            "swaps",
            "mints",
            "burns",
            "syncs",
            "lp_transfers",
            "pairs",
            "tokens",
            "blocks",
            "candles",
            "pair_days",
            "token_days",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute(
            "DELETE FROM meta WHERE key IN ('checkpoint_block', 'checkpoint_hash')",
            [],
        )?;
        set_meta(&tx, "genesis_hash", genesis)?;
        tx.commit()?;
        Ok(())
    }
}

/// How a database relates to the chain it is opened against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A new database.
    New,
    /// The same chain as before.
    Same,
    /// Same chain id and factory, different genesis: the chain was reset.
    ChainReset,
}

/// Sets a `meta` value inside a transaction.
pub fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
