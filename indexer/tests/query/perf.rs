//! The latency targets on 1,000,000 swaps: p99 < 20 ms for the 24 h volume of
//! every pair, 30 days of 1 h candles of a pair, and one account's history.
//! Ignored by default (building the data takes a while): run with
//! `cargo test --release -p tidepool-indexer --test query -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use tidepool_indexer::query::{Params, Query};
use tidepool_indexer::store::Store;

const N: i64 = 1_000_000;
const START: i64 = 1_795_910_400;
const SPAN: i64 = 30 * 86_400;
const HOT: &str = "0x0000000000000000000000000000000000001000";
const ALICE: &str = "0xa11cea11cea11cea11cea11cea11cea11cea11ce";

fn populate(store: &Store) {
    let candles: String = [60, 300, 3600, 86_400]
        .map(|i| {
            format!(
                "INSERT INTO candles SELECT pair, {i}, timestamp - timestamp % {i}, min(price), max(price),
                    min(price), max(price), CAST(sum(CAST(amount0_in AS INTEGER)) AS TEXT),
                    CAST(sum(CAST(amount1_out AS INTEGER)) AS TEXT), count(*)
                 FROM swaps GROUP BY pair, timestamp - timestamp % {i};"
            )
        })
        .concat();
    store
        .sqlite()
        .expect("a SQLite store")
        .execute_batch(&format!(
            "BEGIN;
             WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 8)
             INSERT INTO tokens SELECT printf('0x%040x', 256 + i), 'T' || i, 'T' || i, 18, 1e18 FROM k;
             WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 7)
             INSERT INTO pairs SELECT printf('0x%040x', 4096 + i), printf('0x%040x', 256 + i),
                 printf('0x%040x', 257 + i), i, 1, i, '0x', {START} FROM k;
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {N} - 1)
             INSERT INTO swaps SELECT i / 4, i % 4 * 2 + 1, printf('0x%064x', i),
                 printf('0x%040x', 4096 + CASE WHEN i % 2 = 0 THEN 0 ELSE 1 + i % 7 END),
                 '0x7777777777777777777777777777777777777777',
                 CASE WHEN i % 50 = 0 THEN '{ALICE}' ELSE printf('0x%040x', 65536 + i % 20000) END,
                 CAST(1000000000 + i AS TEXT), '0', '0', CAST(3000000000 + i AS TEXT),
                 NULL, NULL, 3000.0 + i % 100, {START} + i * {SPAN} / {N} FROM n;
             INSERT INTO syncs SELECT block_number, log_index - 1, pair, '1000', '3000', timestamp
                 FROM swaps WHERE block_number % 3 = 0;
             {candles}
             INSERT INTO pair_days SELECT pair, timestamp - timestamp % 86400, '0', '0', '0', '0', count(*),
                 '0', '0' FROM swaps GROUP BY pair, timestamp - timestamp % 86400;
             COMMIT;"
        ))
        .unwrap();
}

fn p99(c: &tidepool_indexer::db::Db, name: &str, q: Query, rows: usize) -> Duration {
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let table = q.run(c).unwrap();
            let e = t.elapsed();
            assert_eq!(table.rows.len(), rows, "{name}");
            e
        })
        .collect();
    times.sort();
    let p = times[197];
    eprintln!("{name}: p50 {:?}, p99 {p:?}", times[100]);
    p
}

#[test]
#[ignore = "builds 1,000,000 swaps; run in release with --ignored"]
fn p99_latency_on_a_million_swaps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.db");
    let t = Instant::now();
    populate(&Store::open(&path).unwrap());
    eprintln!("built {N} swaps in {:?}", t.elapsed());
    let c = Store::open_reader(&path.clone().into(), None).unwrap();
    let end = START + SPAN;
    let volume = Query::Volume(Params {
        at: Some(end - 1234),
        ..Params::default()
    });
    let candles = Query::Candles(Params {
        pair: Some(HOT.into()),
        interval: Some(3600),
        from: Some(end - SPAN),
        to: Some(end),
        ..Params::default()
    });
    let account = Query::Account(Params {
        account: Some(ALICE.into()),
        ..Params::default()
    });
    let swaps = Query::Swaps(Params {
        pair: Some(HOT.into()),
        ..Params::default()
    });
    let pairs = Query::Pairs(Params {
        at: Some(end - 1234),
        ..Params::default()
    });
    let by_token = Query::Swaps(Params {
        token: Some("T1".into()),
        ..Params::default()
    });
    let ninety = Query::Candles(Params {
        pair: Some(HOT.into()),
        interval: Some(5400),
        from: Some(end - SPAN),
        to: Some(end),
        ..Params::default()
    });
    let page = Query::Account(Params {
        account: Some(ALICE.into()),
        offset: Some(5000),
        ..Params::default()
    });
    let slowest = [
        p99(&c, "24h volume of every pair", volume, 8),
        p99(&c, "1h candles, 30 days", candles, 720),
        p99(&c, "account history (100)", account, 100),
        p99(&c, "swaps of a pair (100)", swaps, 100),
        p99(&c, "pairs", pairs, 8),
        p99(&c, "swaps of a token (100)", by_token, 100),
        p99(&c, "90 min candles from 5 min ones, 30 days", ninety, 480),
        p99(&c, "account history page 50", page, 100),
    ]
    .into_iter()
    .max()
    .unwrap();
    if !cfg!(debug_assertions) {
        assert!(slowest < Duration::from_millis(20), "p99 {slowest:?}");
    }
}
