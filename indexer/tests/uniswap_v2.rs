//! The indexer works against any Uniswap-V2-interface factory: here the
//! official Uniswap V2 bytecode (npm @uniswap/v2-core build artifacts),
//! deployed on anvil and traded directly through its pairs.

mod common;

use alloy::providers::Provider;
use common::*;
use tidepool_sdk::alloy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexes_the_official_uniswap_v2_factory() {
    let net = net().await;
    let c = &net.trader;
    let (a, b) = (
        net.m.token("DAI").unwrap().address,
        net.m.token("TIDE").unwrap().address,
    );
    let (factory, deploy_block) = uniswap_market(c, a, b).await;
    let head = c.provider.get_block_number().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v2.db");
    let mut m = net.m.clone();
    m.factory = factory;
    m.deploy_block = deploy_block;
    let s = index_to(&net.devnet.url, &m, &db, head).await;
    assert_eq!(s.checkpoint, Some(head));
    let truth = ground_truth(c, factory, head).await;
    for kind in ["pairs", "mints", "burns", "lp_transfers"] {
        assert!(
            truth.iter().any(|r| r.starts_with(kind)),
            "no {kind} on chain"
        );
    }
    assert_eq!(truth.iter().filter(|r| r.starts_with("swaps")).count(), 3);
    assert_eq!(raw_rows(&db), truth);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let symbols: Vec<String> = conn
        .prepare("SELECT symbol FROM tokens ORDER BY symbol")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(symbols, ["DAI", "TIDE"]);
    let candles: i64 = conn
        .query_row(
            "SELECT sum(swaps) FROM candles WHERE interval = 3600",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(candles, 3);
}
