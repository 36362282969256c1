//! Several chains in one store: a Tidepool devnet (chain 31337) and a second
//! anvil (chain 5151) carrying the official Uniswap V2 factory, followed side
//! by side by one run into one SQLite file. Each chain's rows match its own
//! node; reads name their chain; a reset of one chain rebuilds only its rows.

mod common;

use std::time::Duration;

use alloy::primitives::{Address, U256};
use alloy::sol_types::{SolCall, SolConstructor};
use common::*;
use tidepool_indexer::Error;
use tidepool_indexer::config::Config;
use tidepool_indexer::db::Location;
use tidepool_indexer::query::{self, PairsParams};
use tidepool_indexer::sources;
use tidepool_indexer::store::Store;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, deploy_code, send};
use tidepool_testkit::foreign::ForeignChain;

const OTHER: u64 = 5151;

/// A test token minted to the client's account.
async fn token(c: &Client, symbol: &str) -> Address {
    let args = TestToken::constructorCall {
        name_: symbol.to_string(),
        symbol_: symbol.to_string(),
        decimals_: 18,
    }
    .abi_encode();
    let mut code = TestToken::BYTECODE.to_vec();
    code.extend(args);
    let (address, _) = deploy_code(c, code.into()).await.unwrap();
    let mint = TestToken::mintCall {
        to: c.sender().unwrap(),
        amount: U256::from(10u64).pow(U256::from(24u8)),
    };
    send(c, call_tx(address, mint.abi_encode(), U256::ZERO))
        .await
        .unwrap();
    address
}

async fn index_all(cfgs: Vec<Config>) -> Vec<(u64, tidepool_indexer::ingest::Summary)> {
    let (_stop, rx) = tokio::sync::watch::channel(false);
    let mut ixs = sources::open_all(cfgs, rx).await.expect("the sources open");
    sources::run_all(&mut ixs, &|_, _| {})
        .await
        .expect("they run")
}

fn port_of(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().parse().unwrap()
}

on_both_backends!(two_chains_in_one_store_each_match_their_node_and_reset_alone);

async fn two_chains_in_one_store_each_match_their_node_and_reset_alone(backend: Backend) {
    let a = net().await;
    swaps(&a, 8, 51).await;
    let other = ForeignChain::start(OTHER).await;
    let b = &other.client;
    let (x, y) = (token(b, "XEN").await, token(b, "YEN").await);
    let (b_factory, b_deployed) = uniswap_market(b, x, y).await;
    let stores = Stores::new(backend);
    let db = stores.store("chains");

    let (ha, hb) = (head(&a.trader).await, head(b).await);
    let mut cfg_a = config(&a.devnet.url, &a.m, &db);
    cfg_a.to_block = Some(ha);
    let mut cfg_b = Config::new(other.url.clone(), b_factory, db.clone());
    cfg_b.from_block = b_deployed;
    cfg_b.to_block = Some(hb);
    let done = index_all(vec![cfg_a.clone(), cfg_b.clone()]).await;
    assert_eq!(
        done.iter()
            .map(|(c, s)| (*c, s.checkpoint))
            .collect::<Vec<_>>(),
        [(31337, Some(ha)), (OTHER, Some(hb))]
    );
    let truth_a = ground_truth(&a.trader, a.m.factory, ha).await;
    let truth_b = ground_truth(b, b_factory, hb).await;
    assert_eq!(truth_b.iter().filter(|r| r.starts_with("swaps")).count(), 3);
    assert_eq!(raw_rows_on(&db, 31337), truth_a, "chain 31337");
    assert_eq!(raw_rows_on(&db, OTHER), truth_b, "chain {OTHER}");
    assert_eq!(
        raw_rows(&db).len(),
        truth_a.len() + truth_b.len(),
        "every row belongs to one chain"
    );

    // Reads name their chain; the store holds two, so one must be named.
    reads_name_their_chain(&db, &truth_a);

    // A second source on a chain already listed is refused before anything
    // is written for it.
    let before = dump(&db);
    let (_stop, rx) = tokio::sync::watch::channel(false);
    let err = sources::open_all(vec![cfg_b.clone(), cfg_b.clone()], rx)
        .await
        .err()
        .expect("refused");
    assert!(matches!(err, Error::DuplicateChain(OTHER)), "{err}");
    assert_eq!(dump(&db), before);

    // The devnet restarts (same chain id and addresses, new genesis): its
    // rows are rebuilt; the other chain's stay exactly as they were.
    let untouched = dump_chain(&db, OTHER);
    assert!(untouched.iter().any(|l| l.starts_with("swaps")));
    let port = port_of(&a.devnet.url);
    a.devnet.stop().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let a2 = net_on(port).await;
    swaps(&a2, 3, 52).await;
    let ha2 = head(&a2.trader).await;
    let mut cfg_a2 = config(&a2.devnet.url, &a2.m, &db);
    cfg_a2.to_block = Some(ha2);
    let done = index_all(vec![cfg_a2, cfg_b]).await;
    assert_eq!(done[0].1.resets, 1, "{done:?}");
    assert_eq!(done[1].1.resets, 0);
    assert_eq!(
        raw_rows_on(&db, 31337),
        ground_truth(&a2.trader, a2.m.factory, ha2).await
    );
    assert_eq!(dump_chain(&db, OTHER), untouched);
    assert_eq!(raw_rows_on(&db, OTHER), truth_b);
}

/// The query layer reads one chain of a store that holds two.
fn reads_name_their_chain(db: &Location, truth_a: &[String]) {
    let pairs_on = |chain| {
        let c = Store::open_reader(db, Some(chain)).unwrap();
        query::pairs(&c, &PairsParams::default()).unwrap()
    };
    let (pa, pb) = (pairs_on(31337), pairs_on(OTHER));
    assert_eq!(
        pa.len(),
        truth_a.iter().filter(|r| r.starts_with("pairs")).count(),
        "the devnet's pools"
    );
    assert_eq!(pb.len(), 1);
    assert_eq!(pb[0].swaps, 3);
    let mut symbols = [pb[0].symbol0.clone(), pb[0].symbol1.clone()];
    symbols.sort();
    assert_eq!(symbols, [Some("XEN".into()), Some("YEN".into())]);
    match Store::open_reader(db, None) {
        Err(e @ Error::ChainNeeded { .. }) => {
            assert!(e.to_string().contains("5151, 31337"), "{e}")
        }
        other => panic!("expected ChainNeeded, got {:?}", other.err()),
    }
    assert!(matches!(
        Store::open_reader(db, Some(1)),
        Err(Error::UnknownChain { chain_id: 1, .. })
    ));
}
