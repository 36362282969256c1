//! The store: opening (SQLite: WAL, migrations; PostgreSQL: the schema
//! created or its version checked), the chain binding, the checkpoint, and
//! the one write path — a batch of raw rows, their derived analytics and the
//! new checkpoint in a single transaction, so a crash at any moment leaves
//! the database at a batch boundary (nothing lost, nothing doubled).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::args;
use crate::db::{Db, Location, PgConn, Sql, pg_schema};

use crate::checkpointer::{Checkpointer, WRITER_AUTOCHECKPOINT_PAGES};
use crate::derived;
use crate::error::{Error, Result};
use crate::pricing::{self, PricingConfig};
use crate::schema::{DATA_TABLES, latest_version};
use crate::scope;

/// A read-write connection to the index.
pub struct Store {
    /// The database (public for queries in the same process).
    pub db: Db,
    /// How events are priced as they are written (`chains.pricing`).
    pub pricing: PricingConfig,
    /// The chain this connection writes (`Store::bind`), and is scoped to.
    chain: Option<u64>,
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

/// How long a writer waits for another chain's writer to commit.
const WRITER_BUSY: std::time::Duration = std::time::Duration::from_secs(60);

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
    /// Opens (creating if needed) the index at `at`: a SQLite file is
    /// migrated, a PostgreSQL database gets the schema or has its version
    /// checked. Nothing is written to a database that is refused.
    pub fn open_at(at: &Location) -> Result<Self> {
        match at {
            Location::File(path) => Self::open(path),
            Location::Postgres(url) => {
                let conn = PgConn::connect(url)?;
                let name = conn.name.clone();
                let mut db = Db::Pg(conn);
                pg_schema::prepare(&mut db, &name)?;
                // As SQLite's WAL with synchronous=NORMAL: a commit does not
                // wait for its WAL flush. A power loss can drop the last
                // batches, never half of one: the checkpoint is in the same
                // transaction, and the indexer fetches them again.
                db.batch("SET synchronous_commit = off")?;
                Ok(Self {
                    db,
                    pricing: PricingConfig::default(),
                    chain: None,
                    checkpointer: None,
                })
            }
        }
    }

    /// The SQLite connection (`None` on PostgreSQL).
    pub fn sqlite(&self) -> Option<&Connection> {
        self.db.sqlite()
    }

    /// The SQLite connection, to write with (`None` on PostgreSQL).
    pub fn sqlite_mut(&mut self) -> Option<&mut Connection> {
        match &mut self.db {
            Db::Lite(c) => Some(c),
            Db::Pg(_) => None,
        }
    }

    /// Opens (creating if needed) the SQLite file at `path` and migrates it.
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
        // Several writers (one per chain) take turns: each transaction takes
        // the write lock when it begins, so none fails half-way on a lock
        // another took after it read, and waits its turn for a while.
        let mut conn = conn;
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.busy_timeout(WRITER_BUSY)?;
        let checkpointer = if mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)?;
            Some(Checkpointer::start(path).map_err(|e| open_err(path, e))?)
        } else {
            None
        };
        crate::migrate::migrate(&mut conn)?;
        Ok(Self {
            db: Db::Lite(conn),
            pricing: PricingConfig::default(),
            chain: None,
            checkpointer,
        })
    }

    /// Tells the background checkpointer a write transaction was committed.
    pub fn committed(&self) {
        if let Some(c) = &self.checkpointer {
            c.committed();
        }
    }

    /// Opens an existing database read-only (queries, the HTTP API), scoped
    /// to `chain` (`None`: the only chain it holds; `crate::scope::resolve`).
    pub fn open_read_only(path: &Path, chain: Option<u64>) -> Result<Connection> {
        let conn = Self::open_unscoped(path)?;
        scope::read(&conn, chain)?;
        Ok(conn)
    }

    /// Opens an existing index for reading, scoped to `chain` (`None`: the
    /// only chain it holds; `crate::scope::resolve`): a SQLite file
    /// read-only, or a PostgreSQL session whose transactions are read-only.
    pub fn open_reader(at: &Location, chain: Option<u64>) -> Result<Db> {
        let mut db = Self::open_reader_unscoped(at)?;
        scope::read_db(&mut db, chain)?;
        Ok(db)
    }

    /// [`Store::open_reader`] with every chain's rows in view.
    pub fn open_reader_unscoped(at: &Location) -> Result<Db> {
        match at {
            Location::File(path) => Ok(Db::Lite(Self::open_unscoped(path)?)),
            Location::Postgres(url) => {
                let conn = PgConn::connect(url)?;
                let name = conn.name.clone();
                let mut db = Db::Pg(conn);
                pg_schema::check(&db, &name)?;
                // A reader never writes, as SQLite's read-only file handle.
                db.batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
                Ok(db)
            }
        }
    }

    /// Opens an existing database read-only with every chain's rows in view
    /// (SQL over the whole store; [`scope::read`] narrows it to one).
    pub fn open_unscoped(path: &Path) -> Result<Connection> {
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
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != latest_version() {
            return Err(Error::Mismatch(format!(
                "{} has schema version {version}, this tidepool reads version {}; run `tidepool index` once to migrate it",
                path.display(),
                latest_version()
            )));
        }
        conn.pragma_update(None, "query_only", "ON")?;
        Ok(conn)
    }
}

impl Store {
    /// Prices events with `cfg` from now on; when it differs from the pricing
    /// the chain was written with, every stored event of the chain is priced
    /// again and its derived rows rebuilt, in one transaction. Returns the
    /// events re-priced.
    pub fn set_pricing(&mut self, cfg: &PricingConfig) -> Result<u64> {
        if self.chain.is_none() {
            return Err(Error::Mismatch(
                "pricing is per chain: bind the store to its chain first (Store::bind)".into(),
            ));
        }
        let json = cfg.to_json();
        let stored: Option<String> = self
            .db
            .read_opt("SELECT pricing FROM chains", &[])?
            .map(|r| r.get(0))
            .transpose()?
            .flatten();
        if stored.as_deref() == Some(json.as_str()) {
            self.pricing = cfg.clone();
            return Ok(0);
        }
        let mut tx = self.db.begin()?;
        let n = pricing::reprice_all(&mut tx, cfg)?;
        if n > 0 {
            derived::rebuild_all(&mut tx)?;
        }
        tx.execute(
            "UPDATE main.chains SET pricing = ?1 WHERE chain_id = scope_chain()",
            args![json],
        )?;
        tx.commit()?;
        self.pricing = cfg.clone();
        Ok(n)
    }

    /// The pricing the chain was last written with.
    pub fn stored_pricing(&self) -> Result<Option<PricingConfig>> {
        let json: Option<String> = self
            .db
            .read_opt("SELECT pricing FROM chains", &[])?
            .map(|r| r.get(0))
            .transpose()?
            .flatten();
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// A store-wide value from `meta`.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.db
            .read_opt("SELECT value FROM meta WHERE key = ?1", args![key])?
            .map(|r| r.get(0))
            .transpose()
    }

    /// The chain this store writes, once bound.
    pub fn chain(&self) -> Option<u64> {
        self.chain
    }

    /// The chain's checkpoint, if anything was indexed yet.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        if self.chain.is_none() {
            return Ok(None);
        }
        let row: Option<(Option<i64>, Option<String>)> = self
            .db
            .read_opt("SELECT checkpoint_block, checkpoint_hash FROM chains", &[])?
            .map(|r| Ok::<_, Error>((r.get(0)?, r.get(1)?)))
            .transpose()?;
        Ok(match row {
            Some((Some(n), Some(hash))) => Some(Checkpoint {
                number: n as u64,
                hash,
            }),
            _ => None,
        })
    }

    /// Binds this connection to one chain and its factory: records the chain
    /// on first use, refuses another factory for it later, tells a reset
    /// devnet (same id, another genesis) apart, and scopes every later read
    /// and write to the chain.
    pub fn bind(
        &mut self,
        chain_id: u64,
        genesis: &str,
        factory: &str,
        start_block: u64,
    ) -> Result<Binding> {
        let id = i64::try_from(chain_id)
            .map_err(|_| Error::Config(format!("chain id {chain_id} is larger than 2^63")))?;
        let stored: Option<(String, String)> = self
            .db
            .read_opt(
                "SELECT factory, genesis_hash FROM main.chains WHERE chain_id = ?1",
                args![id],
            )?
            .map(|r| Ok::<_, Error>((r.get(0)?, r.get(1)?)))
            .transpose()?;
        let binding = match stored {
            None => {
                self.db.execute(
                    "INSERT INTO main.chains (chain_id, factory, genesis_hash, start_block) VALUES (?1, ?2, ?3, ?4)",
                    args![id, factory, genesis, start_block as i64],
                )?;
                Binding::New
            }
            Some((f, _)) if f != factory => {
                return Err(Error::OtherFactory {
                    chain_id,
                    indexed: f,
                    factory: factory.to_string(),
                });
            }
            Some((_, g)) if g != genesis => Binding::ChainReset,
            Some(_) => Binding::Same,
        };
        scope::enter_db(&mut self.db, chain_id)?;
        self.chain = Some(chain_id);
        self.pricing = self.stored_pricing()?.unwrap_or_default();
        Ok(binding)
    }

    /// Deletes every row of this chain and its checkpoint, and records the
    /// new genesis (a devnet was restarted: its old history no longer
    /// exists). Other chains' rows stay as they are.
    pub fn reset(&mut self, genesis: &str) -> Result<()> {
        let mut tx = self.db.begin()?;
        for table in DATA_TABLES {
            tx.execute(
                &format!("DELETE FROM main.{table} WHERE chain_id = scope_chain()"),
                &[],
            )?;
        }
        tx.execute(
            "UPDATE main.chains SET checkpoint_block = NULL, checkpoint_hash = NULL, genesis_hash = ?1
             WHERE chain_id = scope_chain()",
            args![genesis],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Moves the checkpoint of the scoped chain, inside a write transaction.
pub fn set_checkpoint(tx: &mut dyn Sql, number: u64, hash: &str) -> Result<()> {
    tx.execute(
        "UPDATE main.chains SET checkpoint_block = ?1, checkpoint_hash = ?2 WHERE chain_id = scope_chain()",
        args![number as i64, hash],
    )?;
    Ok(())
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
pub fn set_meta(tx: &mut dyn Sql, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO main.meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )?;
    Ok(())
}
