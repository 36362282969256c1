//! One chain's view of a store that holds several.
//!
//! Every row carries its `chain_id`, but every read — the queries, the HTTP
//! API, GraphQL, exports, and the write path's own look-ups — is about one
//! chain. Rather than repeat `chain_id = ?` in each of them (and get a join
//! wrong once), a connection is *scoped*: temporary views named like the
//! tables show only that chain's rows. SQLite resolves an unqualified name in
//! the `temp` schema first, and flattens these views into the statements that
//! use them, so `SELECT … FROM swaps WHERE pair = ?1` reads `main.swaps` by
//! its `(chain_id, pair, timestamp)` index. Writes name `main.` tables and
//! take the chain from `scope_chain()`, a deterministic function the scope
//! installs; a write that forgot `main.` fails (a view cannot be written).

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::db::{Db, Sql, pg_schema};
use crate::error::{Error, Result};
use crate::schema::{ACCOUNT_TRADES, DATA_TABLES};

/// The tables a scope shadows: the data tables and `chains`.
fn shadowed() -> impl Iterator<Item = &'static str> {
    DATA_TABLES.iter().copied().chain(["chains"])
}

/// Scopes `conn` to `chain`'s rows (replacing an earlier scope).
pub fn enter(conn: &Connection, chain: u64) -> Result<()> {
    let id = i64::try_from(chain)
        .map_err(|_| Error::Config(format!("chain id {chain} is larger than 2^63")))?;
    let mut sql = String::from("DROP VIEW IF EXISTS temp.account_trades;");
    for t in shadowed() {
        sql.push_str(&format!(
            "DROP VIEW IF EXISTS temp.{t}; CREATE TEMP VIEW {t} AS SELECT * FROM main.{t} WHERE chain_id = {id};"
        ));
    }
    sql.push_str(&format!("CREATE TEMP {ACCOUNT_TRADES};"));
    conn.execute_batch(&sql)?;
    conn.create_scalar_function(
        "scope_chain",
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |_| Ok(id),
    )?;
    Ok(())
}

/// Scopes a store's connection to `chain`: [`enter`] on SQLite; on
/// PostgreSQL the same temporary views (in `pg_temp`, searched first), and
/// `scope_chain()` reads the session setting `tidepool.chain`.
pub fn enter_db(db: &mut Db, chain: u64) -> Result<()> {
    let id = i64::try_from(chain)
        .map_err(|_| Error::Config(format!("chain id {chain} is larger than 2^63")))?;
    match db {
        Db::Lite(conn) => enter(conn, chain),
        Db::Pg(_) => {
            let mut sql = format!(
                "SELECT set_config('tidepool.chain', '{id}', false); DROP VIEW IF EXISTS pg_temp.account_trades;"
            );
            for t in shadowed() {
                sql.push_str(&format!(
                    "DROP VIEW IF EXISTS pg_temp.{t}; CREATE TEMP VIEW {t} AS SELECT * FROM public.{t} WHERE chain_id = {id};"
                ));
            }
            sql.push_str(&format!("CREATE TEMP {};", pg_schema::ddl(ACCOUNT_TRADES)));
            db.batch(&sql)
        }
    }
}

/// Scopes a reader to the chain `wanted` resolves to (see [`resolve`]) and
/// makes it read-only; returns the chain.
pub fn read_db(db: &mut Db, wanted: Option<u64>) -> Result<Option<u64>> {
    match db {
        Db::Lite(conn) => read(conn, wanted),
        Db::Pg(_) => {
            let chain = resolve_from(chains_db(db)?, wanted)?;
            let entered = match chain {
                // A pooled reader scoped before is read-only: views are made
                // in a read-write moment.
                Some(c) => db
                    .batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
                    .and_then(|()| enter_db(db, c)),
                None => Ok(()),
            };
            // From here on nothing is written, whether the views were made
            // or not.
            db.batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
            entered?;
            Ok(chain)
        }
    }
}

/// The chains a store holds, in order.
pub fn chains_db(db: &Db) -> Result<Vec<u64>> {
    db.read("SELECT chain_id FROM main.chains ORDER BY chain_id", &[])?
        .iter()
        .map(|r| r.get::<i64>(0).map(|c| c as u64))
        .collect()
}

/// Scopes a read-only connection to the chain `wanted` resolves to (see
/// [`resolve`]); returns it. A connection of a store that holds no chain yet
/// stays unscoped.
pub fn read(conn: &Connection, wanted: Option<u64>) -> Result<Option<u64>> {
    let chain = resolve(conn, wanted)?;
    if let Some(c) = chain {
        // Temporary views are writes to `temp`, which `query_only` forbids.
        conn.pragma_update(None, "query_only", "OFF")?;
        let entered = enter(conn, c);
        conn.pragma_update(None, "query_only", "ON")?;
        entered?;
    }
    Ok(chain)
}

/// The chains a store holds, in order.
pub fn chains(conn: &Connection) -> Result<Vec<u64>> {
    let mut stmt = conn.prepare("SELECT chain_id FROM main.chains ORDER BY chain_id")?;
    let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|c| c as u64)
        .collect())
}

/// The chain a read is about: `wanted` if the store holds it, else the only
/// chain it holds; `None` (nothing to scope) for a store that holds none yet.
pub fn resolve(conn: &Connection, wanted: Option<u64>) -> Result<Option<u64>> {
    resolve_from(chains(conn)?, wanted)
}

/// [`resolve`] among the chains `held`.
pub fn resolve_from(held: Vec<u64>, wanted: Option<u64>) -> Result<Option<u64>> {
    match (wanted, held.as_slice()) {
        // A store created a moment ago, its first chain not recorded yet:
        // every table is empty, whichever chain is asked for.
        (_, []) => Ok(None),
        (Some(c), _) if held.contains(&c) => Ok(Some(c)),
        (Some(c), _) => Err(Error::UnknownChain { chain_id: c, held }),
        (None, [one]) => Ok(Some(*one)),
        (None, _) => Err(Error::ChainNeeded { held }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_scope_shows_one_chains_rows_and_names_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db")).unwrap();
        let c = store.sqlite().expect("a SQLite store");
        c.execute_batch(
            "INSERT INTO chains (chain_id, factory, genesis_hash, start_block) VALUES (1, '0xf1', '0xg1', 0), (5, '0xf5', '0xg5', 0);
             INSERT INTO tokens (chain_id, address, symbol) VALUES (1, '0xaa', 'ONE'), (5, '0xaa', 'FIVE');",
        )
        .unwrap();
        let read = |c: &Connection| -> Vec<String> {
            c.prepare("SELECT symbol FROM tokens")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(read(c).len(), 2, "unscoped: every chain");
        enter(c, 5).unwrap();
        assert_eq!(read(c), ["FIVE"]);
        let f: String = c
            .query_row("SELECT factory FROM chains", [], |r| r.get(0))
            .unwrap();
        assert_eq!(f, "0xf5");
        enter(c, 1).unwrap();
        assert_eq!(read(c), ["ONE"]);
        let err = c
            .execute(
                "INSERT INTO tokens (chain_id, address) VALUES (1, '0xbb')",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("view"), "{err}");
        c.execute(
            "INSERT INTO main.tokens (chain_id, address, symbol) VALUES (scope_chain(), '0xbb', 'TWO')",
            [],
        )
        .unwrap();
        assert_eq!(read(c).len(), 2);
        assert_eq!(resolve(c, Some(5)).unwrap(), Some(5));
        assert_eq!(
            resolve(c, None).unwrap_err().to_string(),
            Error::ChainNeeded { held: vec![1, 5] }.to_string()
        );
        assert!(matches!(
            resolve(c, Some(7)),
            Err(Error::UnknownChain { chain_id: 7, .. })
        ));
    }
}
