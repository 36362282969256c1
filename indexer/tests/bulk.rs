//! A fresh database's first backfill writes without the deferrable secondary
//! indexes and builds them at the head; stopped halfway, it carries on
//! without them and builds them when run again. The rows equal the chain's
//! either way and the finished database has exactly the schema's indexes.

mod common;

use std::path::Path;

use common::*;
use rusqlite::Connection;
use tidepool_indexer::bulk::DEFERRABLE;
use tidepool_indexer::db::Location;
use tidepool_indexer::ingest::Indexer;
use tidepool_indexer::store::Store;

/// Index names and their `table(columns)` in `db` (primary keys aside).
fn indexes(db: &Location) -> Vec<String> {
    let Location::File(db) = db else {
        return reader(db)
            .read(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
                 AND indexname NOT LIKE '%pkey' ORDER BY indexname",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get::<String>(0).unwrap())
            .collect();
    };
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare(
            "SELECT m.name || ' ON ' || m.tbl_name || '(' || group_concat(i.name, ', ') || ')'
             FROM sqlite_master m, pragma_index_info(m.name) i
             WHERE m.type = 'index' AND m.sql IS NOT NULL
             GROUP BY m.name ORDER BY m.name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn deferred_missing(db: &Location) -> bool {
    let now = indexes(db);
    DEFERRABLE.iter().all(|name| {
        !now.iter()
            .any(|i| i.starts_with(&format!("{name} ")) || i.contains(&format!(" {name} ")))
    })
}

on_both_backends!(a_first_backfill_builds_its_secondary_indexes_at_the_head);

async fn a_first_backfill_builds_its_secondary_indexes_at_the_head(b: Backend) {
    let net = net().await;
    let stores = Stores::new(b);
    let schema = {
        let empty = stores.store("empty");
        drop(Store::open_at(&empty).unwrap());
        // The check below can tell: a fresh store has every deferrable index.
        assert!(!deferred_missing(&empty), "{:?}", indexes(&empty));
        indexes(&empty)
    };
    assert!(schema.len() >= DEFERRABLE.len(), "{schema:?}");
    swaps(&net, 30, 11).await;
    let h = head(&net.trader).await;
    let truth = ground_truth(&net.trader, net.m.factory, h).await;

    // Two-block ranges: the backfill spans many, so it defers the indexes.
    let db = stores.store("index");
    let mut cfg = config(&net.devnet.url, &net.m, &db);
    (cfg.initial_range, cfg.max_range) = (2, 2);
    let half = h / 2;
    cfg.to_block = Some(h);
    let (stop, rx) = tokio::sync::watch::channel(false);
    let mut ix = Indexer::open(cfg.clone(), rx).await.unwrap();
    let mut seen = Vec::new();
    ix.run(|p| {
        seen.push((p.checkpoint, deferred_missing(&db)));
        if p.checkpoint >= half {
            stop.send(true).unwrap(); // stopped halfway, as by Ctrl-C
        }
    })
    .await
    .unwrap();
    drop(ix);
    assert!(
        seen.iter().all(|(_, missing)| *missing),
        "indexes dropped through the first backfill: {seen:?}"
    );
    let stopped_at = checkpoint(&db).unwrap();
    assert!(
        stopped_at >= half && stopped_at < h,
        "stopped at {stopped_at} of {h}"
    );
    assert!(deferred_missing(&db), "still deferred after the stop");

    // Run again: it carries on without them and builds them at the head.
    let (_stop, rx) = tokio::sync::watch::channel(false);
    let mut ix = Indexer::open(cfg, rx).await.unwrap();
    let mut during = Vec::new();
    ix.run(|_| during.push(deferred_missing(&db)))
        .await
        .unwrap();
    drop(ix);
    assert!(
        during.iter().any(|m| *m),
        "the second run wrote without them"
    );
    assert_eq!(
        indexes(&db),
        schema,
        "the finished database has the schema's indexes"
    );
    let flag: i64 = one(
        &db,
        "SELECT count(*) FROM meta WHERE key = 'indexes_deferred'",
    );
    assert_eq!(flag, 0);
    assert_eq!(raw_rows(&db), truth);

    // Queries use them again: the pool page's swaps by pair and time.
    if let Location::File(path) = &db {
        query_plan_uses_the_index(path);
    }

    // And everything equals a run that kept its indexes (one wide range:
    // no deferral) over the same chain.
    let kept = stores.store("kept");
    index_to(&net.devnet.url, &net.m, &kept, h).await;
    assert_eq!(dump(&db), dump(&kept));
    assert_eq!(indexes(&kept), schema);
}

/// SQLite's plan for the pool page's swaps reads `swaps_pair_time`.
fn query_plan_uses_the_index(db: &Path) {
    let c = Connection::open(db).unwrap();
    let plan: Vec<String> = c
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM swaps WHERE pair = 'x' ORDER BY timestamp DESC LIMIT 10")
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plan = plan.join(" | ");
    assert!(plan.contains("swaps_pair_time"), "{plan}");
}
