//! Soak: the devnet's simulated market runs 5,000 blocks with a reorg every
//! 50 (depth 1 to 5, the orphaned transactions re-included or dropped) while
//! the indexer follows it live. At the end its database equals, row for row,
//! a clean index of the final chain, and its raw tables equal the chain's own
//! logs.

mod common;

use std::time::Duration;

use alloy::providers::Provider;
use common::*;
use tidepool_devnet::sim::{self, Options, Reorgs, Scenario};
use tidepool_sdk::alloy;

/// Waits until the live index's checkpoint is the chain's head, hash and all.
async fn caught_up(
    c: &tidepool_sdk::chain::Client,
    db: &std::path::Path,
    indexer: &tokio::task::JoinHandle<tidepool_indexer::ingest::Summary>,
) -> u64 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let head = c
            .provider
            .get_block(alloy::eips::BlockNumberOrTag::Latest.into())
            .await
            .unwrap()
            .unwrap();
        let stored = rusqlite::Connection::open(db).ok().and_then(|conn| {
            conn.query_row("SELECT checkpoint_hash FROM chains", [], |r| {
                r.get::<_, Option<String>>(0)
            })
            .ok()
            .flatten()
        });
        if stored.as_deref() == Some(format!("{:#x}", head.header.hash).as_str()) {
            return head.header.number;
        }
        assert!(
            !indexer.is_finished(),
            "the indexer stopped before reaching the head {} (checkpoint {:?})",
            head.header.number,
            checkpoint(db)
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "the index did not reach the head {} (checkpoint {:?}, stored {stored:?}, head hash {:#x})",
            head.header.number,
            checkpoint(db),
            head.header.hash
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The first lines only in `a` and only in `b` (both sorted).
fn difference(a: &[String], b: &[String]) -> String {
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        x.iter()
            .filter(|l| y.binary_search(l).is_err())
            .take(8)
            .cloned()
            .collect()
    };
    format!(
        "{} lines vs {}\nonly in the first:\n  {}\nonly in the second:\n  {}",
        a.len(),
        b.len(),
        only(a, b).join("\n  "),
        only(b, a).join("\n  ")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_simulated_blocks_with_reorgs_index_like_a_clean_run() {
    let net = net().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let (stop, handle) = follow(config(&net.devnet.url, &net.m, &db));
    let mut scenario = Scenario::defaults(sim::scenario::devnet_defaults());
    scenario.seed = 16;
    let opts = Options {
        reorgs: Some(Reorgs {
            every: 50,
            min_depth: 1,
            max_depth: 5,
        }),
        record: false,
        ..Options::new(scenario, 5_000)
    };
    let summary = sim::run(&net.devnet.url, &net.m, &opts, |_: &sim::Status| {})
        .await
        .unwrap();
    assert_eq!(summary.reorgs.reorgs, 100, "{:?}", summary.reorgs);
    assert!(
        summary.reorgs.reincluded > 0 && summary.reorgs.dropped > 0,
        "both kinds of reorg happened: {:?}",
        summary.reorgs
    );
    assert!(summary.trades > 5_000, "{} trades", summary.trades);
    assert!(
        summary.liquidity.adds > 0 && summary.liquidity.removes > 0,
        "{:?}",
        summary.liquidity
    );
    let head = caught_up(&net.trader, &db, &handle).await;
    stop.send(true).unwrap();
    let live = handle.await.unwrap();
    assert!(live.reorgs >= 10, "the indexer saw {} reorgs", live.reorgs);
    let (rows, truth) = (
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, head).await,
    );
    assert!(
        rows == truth,
        "the live index's raw rows are not the final chain's logs (head {head}):\n{}",
        difference(&rows, &truth)
    );
    let clean = dir.path().join("clean.db");
    index_to(&net.devnet.url, &net.m, &clean, head).await;
    let (a, b) = (dump(&db), dump(&clean));
    assert!(a.len() > 40_000, "{} rows", a.len());
    assert_eq!(
        a, b,
        "the live index equals a clean index of the final chain"
    );
}
