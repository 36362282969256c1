//! A fresh database's first backfill writes without the raw tables'
//! secondary indexes that nothing on the write path reads, and builds them
//! once it reaches the head: sorting the finished rows into an index costs a
//! fraction of keeping it up to date row by row (the recipient index takes
//! every insert at a random place), and the gap grows with the table.
//!
//! The state is in the database (`meta.indexes_deferred`), so an indexer
//! killed mid-backfill carries on without them and builds them at the head
//! when it is run again. Until then, readers get the right answers, slower.
//! Indexes the write path does read (a pair's syncs and LP transfers, for
//! prices and candles) are never dropped.

use crate::args;
use crate::db::Sql;
use crate::error::Result;
use crate::schema::INDEXES_V4;
use crate::store::{Store, set_meta};

/// The indexes built at the head: name and `table(columns)`, as the schema
/// creates them (a test compares them with a fresh database's).
pub const DEFERRABLE: &[&str] = &[
    "swaps_pair_time",
    "swaps_recipient_time",
    "swaps_time",
    "mints_pair_time",
    "burns_pair_time",
    "lp_transfers_to",
    "lp_transfers_from",
];

/// A deferrable index's `table(columns)`, as the schema creates it.
fn definition(name: &str) -> &'static str {
    INDEXES_V4
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, on)| on)
}

const FLAG: &str = "indexes_deferred";

impl Store {
    /// Whether the deferrable indexes are dropped (a first backfill running
    /// or interrupted).
    pub fn indexes_deferred(&self) -> Result<bool> {
        Ok(self.meta(FLAG)?.is_some())
    }

    /// Drops the deferrable indexes and records it, in one transaction.
    pub fn defer_indexes(&mut self) -> Result<()> {
        let mut tx = self.db.begin()?;
        for name in DEFERRABLE {
            tx.batch(&format!("DROP INDEX IF EXISTS main.{name}"))?;
        }
        set_meta(&mut tx, FLAG, "1")?;
        tx.commit()?;
        self.committed();
        Ok(())
    }

    /// Builds the deferred indexes and clears the record, in one transaction.
    pub fn build_deferred_indexes(&mut self) -> Result<()> {
        // SQLite names the schema on the index, PostgreSQL on the table.
        let postgres = self.db.is_postgres();
        let mut tx = self.db.begin()?;
        for name in DEFERRABLE {
            let on = definition(name);
            tx.batch(&if postgres {
                format!(
                    "CREATE INDEX IF NOT EXISTS {name} ON public.{}",
                    crate::db::pg_schema::index_on(on)
                )
            } else {
                format!("CREATE INDEX IF NOT EXISTS main.{name} ON {on}")
            })?;
        }
        tx.execute("DELETE FROM main.meta WHERE key = ?1", args![FLAG])?;
        tx.commit()?;
        self.committed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexes(store: &Store) -> Vec<(String, String)> {
        let mut stmt = store
            .sqlite()
            .expect("a SQLite store")
            .prepare(
                "SELECT m.name, m.tbl_name || '(' || group_concat(i.name, ', ') || ')'
                 FROM sqlite_master m, pragma_index_info(m.name) i
                 WHERE m.type = 'index' AND m.sql IS NOT NULL
                 GROUP BY m.name ORDER BY m.name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Each deferrable index is one the schema creates, on the same columns;
    /// dropping and building them gives back exactly the schema's indexes.
    #[test]
    fn deferred_indexes_are_the_schemas_own() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("i.db")).unwrap();
        let schema = indexes(&store);
        for name in DEFERRABLE {
            let on = definition(name).replace(' ', "");
            assert!(!on.is_empty(), "{name} is not in INDEXES_V4");
            assert!(
                schema
                    .iter()
                    .any(|(n, o)| n == name && o.replace(' ', "") == on),
                "{name} ON {on} is not in the schema: {schema:?}"
            );
        }
        store.defer_indexes().unwrap();
        assert!(store.indexes_deferred().unwrap());
        let dropped = indexes(&store);
        assert_eq!(dropped.len(), schema.len() - DEFERRABLE.len());
        store.build_deferred_indexes().unwrap();
        assert!(!store.indexes_deferred().unwrap());
        assert_eq!(indexes(&store), schema);
    }
}
