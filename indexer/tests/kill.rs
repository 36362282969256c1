//! Exactly once under SIGKILL: the indexer is killed at random moments (at
//! least ten times mid-run), restarted each time, and must end with a
//! database equal to a clean run's. The indexer runs in a child process: this
//! test binary re-executes itself with `TIDEPOOL_KILL_CHILD` set.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use alloy::providers::Provider;
use common::*;
use tidepool_indexer::ingest::Indexer;
use tidepool_sdk::alloy;

/// The child: index what the environment says, in small batches. Ignored: it
/// only runs when the parent test starts it (with `--ignored`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "started by sigkill_at_random_points_then_resume_equals_a_clean_run"]
async fn child() {
    let Ok(spec) = std::env::var("TIDEPOOL_KILL_CHILD") else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let m: tidepool_sdk::manifest::Manifest =
        serde_json::from_value(v["manifest"].clone()).unwrap();
    let db = tidepool_indexer::db::Location::from(v["db"].as_str().unwrap().to_string());
    let mut cfg = config(v["url"].as_str().unwrap(), &m, &db);
    cfg.to_block = v["to"].as_u64();
    cfg.initial_range = 3;
    cfg.max_range = 3;
    cfg.concurrency = 2;
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let mut ix = Indexer::open(cfg, rx).await.unwrap();
    ix.run(|_| {}).await.unwrap();
}

on_both_backends!(sigkill_at_random_points_then_resume_equals_a_clean_run);

async fn sigkill_at_random_points_then_resume_equals_a_clean_run(b: Backend) {
    let net = net().await;
    swaps(&net, 150, 41).await;
    new_pool(&net, "MID").await;
    swaps(&net, 30, 42).await;
    let head = net.trader.provider.get_block_number().await.unwrap();
    let stores = Stores::new(b);
    let db = stores.store("killed");
    let at = match &db {
        tidepool_indexer::db::Location::File(p) => p.display().to_string(),
        tidepool_indexer::db::Location::Postgres(url) => url.clone(),
    };
    let spec =
        serde_json::json!({ "url": net.devnet.url, "manifest": net.m, "db": at, "to": head })
            .to_string();
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(0x5eed);
    let (mut kills, mut attempts) = (0, 0);
    let mut checkpoints = Vec::new();
    while kills < 12 {
        attempts += 1;
        assert!(
            attempts < 200,
            "could not kill the indexer mid-run 12 times"
        );
        let mut child = Command::new(&exe)
            .args(["child", "--exact", "--ignored", "--nocapture"])
            .env("TIDEPOOL_KILL_CHILD", &spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(40 + rng.next() % 400)).await;
        if child.try_wait().unwrap().is_none() {
            // SIGKILL: no chance to finish the batch or clean up.
            child.kill().unwrap();
            child.wait().unwrap();
            if checkpoint(&db).is_some_and(|c| c < head) {
                kills += 1;
                checkpoints.push(checkpoint(&db));
            }
        } else if checkpoint(&db) == Some(head) {
            // It finished before the kill: start over so every kill lands mid-run.
            forget_reader(&db);
            match (&db, &stores.pg) {
                (tidepool_indexer::db::Location::File(p), _) => {
                    std::fs::remove_file(p).unwrap();
                    for ext in ["-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
                    }
                }
                (_, Some(pg)) => {
                    pg.psql("killed", "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                        .unwrap();
                }
                _ => unreachable!("a PostgreSQL store has its cluster"),
            }
        }
    }
    // Progress was made between kills (the checkpoints move), then a final run completes.
    assert!(
        checkpoints.windows(2).any(|w| w[1] > w[0]),
        "{checkpoints:?}"
    );
    let status = Command::new(&exe)
        .args(["child", "--exact", "--ignored"])
        .env("TIDEPOOL_KILL_CHILD", &spec)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(checkpoint(&db), Some(head));
    assert_eq!(
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, head).await
    );
    let clean = stores.store("clean");
    index_to(&net.devnet.url, &net.m, &clean, head).await;
    assert_eq!(dump(&db), dump(&clean));
}
