//! The SQLite file's migrations: each version's DDL in order inside one
//! transaction (`PRAGMA user_version` records the version reached), with the
//! data moves some of them need. A PostgreSQL store starts at the latest
//! version (`crate::db::pg_schema`).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::derived;
use crate::error::{Error, Result};
use crate::schema::{
    ACCOUNT_TRADES, CHAIN_IDS, DATA_TABLES, INDEXES_V4, MIGRATIONS, REBUILD_CANDLES, TABLES_V4,
    columns, latest_version,
};
use crate::scope;

/// Brings the file to the latest version (refusing a newer one).
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > latest_version() {
        return Err(Error::Mismatch(format!(
            "the database has schema version {version}, newer than this tidepool's {}; use a newer tidepool",
            latest_version()
        )));
    }
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        if i + 1 == CHAIN_IDS as usize {
            to_chain_ids(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
    }
    // Rebuilt with today's code once every table has today's columns.
    if version > 0 && version < REBUILD_CANDLES {
        for chain in scope::chains(&tx)? {
            scope::enter(&tx, chain)?;
            derived::rebuild_all(&mut &*tx)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Migration 4: every data table rebuilt with `chain_id` leading its key,
/// its rows tagged with the chain `meta` recorded, and the per-chain `meta`
/// keys moved into `chains`.
fn to_chain_ids(tx: &Transaction<'_>) -> Result<()> {
    let meta = |k: &str| -> Result<Option<String>> {
        Ok(tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
            .optional()?)
    };
    let chain: Option<i64> = meta("chain_id")?.and_then(|c| c.parse().ok());
    tx.execute_batch("DROP VIEW IF EXISTS account_trades")?;
    for t in DATA_TABLES {
        tx.execute_batch(&format!("ALTER TABLE {t} RENAME TO {t}_v3"))?;
    }
    tx.execute_batch(TABLES_V4)?;
    for t in DATA_TABLES {
        let cols = columns(tx, &format!("{t}_v3"))?;
        if let Some(c) = chain {
            let cols = cols.join(", ");
            tx.execute(
                &format!("INSERT INTO {t} (chain_id, {cols}) SELECT ?1, {cols} FROM {t}_v3"),
                [c],
            )?;
        }
        tx.execute_batch(&format!("DROP TABLE {t}_v3"))?;
    }
    for (name, on) in INDEXES_V4 {
        tx.execute_batch(&format!("CREATE INDEX {name} ON {on}"))?;
    }
    tx.execute_batch(&format!("CREATE {ACCOUNT_TRADES}"))?;
    if let (Some(c), Some(f), Some(g)) = (chain, meta("factory")?, meta("genesis_hash")?) {
        tx.execute(
            "INSERT INTO chains (chain_id, factory, genesis_hash, start_block, checkpoint_block, checkpoint_hash, pricing)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c,
                f,
                g,
                meta("start_block")?.and_then(|b| b.parse::<i64>().ok()).unwrap_or(0),
                meta("checkpoint_block")?.and_then(|b| b.parse::<i64>().ok()),
                meta("checkpoint_hash")?,
                meta("pricing")?
            ],
        )?;
    }
    // Every index exists again, the deferred ones included.
    tx.execute_batch(
        "DELETE FROM meta WHERE key IN ('chain_id', 'factory', 'genesis_hash', 'start_block',
             'checkpoint_block', 'checkpoint_hash', 'pricing', 'indexes_deferred')",
    )?;
    Ok(())
}
