//! The indexer against a real anvil: every row equal to the chain's own logs
//! after backfill and after live follow (new pairs included), reorgs of depth
//! 1 and more, an anvil restart, an RPC outage, and bad configuration.

mod common;

use std::time::Duration;

use alloy::providers::Provider;
use common::*;
use tidepool_indexer::db::Sql;
use tidepool_indexer::ingest::Indexer;
use tidepool_sdk::alloy;

on_both_backends!(
    backfill_then_follow_match_the_chain,
    reorg_of_depth_one,
    reorg_of_depth_five,
    a_chain_that_gets_shorter_and_stays_shorter,
    anvil_restart_rebuilds_the_index,
    rpc_outage_loses_nothing,
    follows_over_a_websocket_subscription,
);

async fn backfill_then_follow_match_the_chain(b: Backend) {
    let net = net().await;
    let stores = Stores::new(b);
    let db = stores.store("index");
    swaps(&net, 25, 7).await;
    let h = head(&net.trader).await;
    let s = index_to(&net.devnet.url, &net.m, &db, h).await;
    assert_eq!(s.checkpoint, Some(h));
    let truth = ground_truth(&net.trader, net.m.factory, h).await;
    assert!(truth.iter().filter(|r| r.starts_with("swaps")).count() >= 25);
    assert_eq!(raw_rows(&db), truth, "backfill");

    // Follow: more swaps and a pool created while the indexer runs.
    let (stop, handle) = follow(config(&net.devnet.url, &net.m, &db));
    swaps(&net, 10, 8).await;
    new_pool(&net, "NEW").await;
    swaps(&net, 10, 9).await;
    let h = head(&net.trader).await;
    wait_for_checkpoint(&db, h).await;
    stop.send(true).unwrap();
    handle.await.unwrap();
    let truth = ground_truth(&net.trader, net.m.factory, h).await;
    assert_eq!(truth.iter().filter(|r| r.starts_with("pairs")).count(), 9);
    assert_eq!(raw_rows(&db), truth, "after live follow");

    // The derived tables equal a clean run's over the same chain.
    let clean = stores.store("clean");
    index_to(&net.devnet.url, &net.m, &clean, h).await;
    assert_eq!(dump(&db), dump(&clean));
    // The forward merge equals a full recompute of every bucket from the raw rows.
    let merged = dump(&db);
    {
        let mut c = open(&db);
        tidepool_indexer::scope::enter_db(&mut c, 31337).unwrap();
        let mut tx = c.begin().unwrap();
        let mut touched = std::collections::BTreeSet::new();
        for q in [
            "SELECT pair, timestamp FROM swaps",
            "SELECT pair, timestamp FROM syncs",
        ] {
            for r in tx.query(q, &[]).unwrap() {
                touched.insert((r.get::<String>(0).unwrap(), r.get::<i64>(1).unwrap()));
            }
        }
        tidepool_indexer::derived::refresh(&mut tx, &touched).unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(
        dump(&db),
        merged,
        "merged derived rows differ from a recompute"
    );
    // Pricing folded over the events batch by batch equals pricing them all
    // again from the first (what a change of pricing settings does).
    {
        let mut c = open(&db);
        tidepool_indexer::scope::enter_db(&mut c, 31337).unwrap();
        let mut tx = c.begin().unwrap();
        let cfg = tidepool_indexer::pricing::PricingConfig::from_manifest(&net.m);
        let n = tidepool_indexer::pricing::reprice_all(&mut tx, &cfg).unwrap();
        assert!(n > 40, "{n} events re-priced");
        tidepool_indexer::derived::rebuild_all(&mut tx).unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(dump(&db), merged, "re-pricing from the start differs");
    // The devnet's ETH is worth about $3,000 and its pools are deep enough to
    // track volume.
    let eth: f64 = one(
        &db,
        "SELECT eth_price FROM syncs ORDER BY block_number DESC, log_index DESC LIMIT 1",
    );
    let tracked: f64 = one(&db, "SELECT coalesce(sum(tracked_usd), 0.0) FROM swaps");
    let untracked: f64 = one(&db, "SELECT coalesce(sum(untracked_usd), 0.0) FROM swaps");
    assert!((eth / 3000.0 - 1.0).abs() < 0.05, "ETH at ${eth}");
    assert!(
        tracked > 0.0 && untracked >= tracked * 0.5,
        "tracked {tracked}, untracked {untracked}"
    );
    // Candles and daily volume add up to the swaps.
    let n_swaps: i64 = one(&db, "SELECT count(*) FROM swaps");
    let n_candle: i64 = one(&db, "SELECT sum(swaps) FROM candles WHERE interval = 60");
    assert_eq!(n_swaps, n_candle);
    let tokens: i64 = one(
        &db,
        "SELECT count(*) FROM tokens WHERE symbol IS NOT NULL AND decimals IS NOT NULL",
    );
    assert_eq!(tokens, 7);
}

/// Reorgs with anvil's snapshot/revert: the database equals a clean run on the final chain.
async fn reorg(b: Backend, depth: u64) {
    let net = net().await;
    let stores = Stores::new(b);
    let db = stores.store("index");
    swaps(&net, 5, 11).await;
    let (stop, handle) = follow(config(&net.devnet.url, &net.m, &db));
    let snap: alloy::primitives::U256 = net
        .trader
        .provider
        .raw_request("evm_snapshot".into(), ())
        .await
        .unwrap();
    swaps(&net, depth as usize, 12).await; // the blocks that will be orphaned
    let orphaned_head = head(&net.trader).await;
    wait_for_checkpoint(&db, orphaned_head).await;
    let reverted: bool = net
        .trader
        .provider
        .raw_request("evm_revert".into(), (snap,))
        .await
        .unwrap();
    assert!(reverted);
    // A different history at the same heights, and one block more.
    swaps(&net, depth as usize + 1, 13).await;
    let h = head(&net.trader).await;
    assert!(h > orphaned_head);
    wait_for_checkpoint(&db, h).await;
    stop.send(true).unwrap();
    let summary = handle.await.unwrap();
    assert!(summary.reorgs >= 1, "the reorg was noticed");
    assert_eq!(
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, h).await
    );
    let clean = stores.store("clean");
    index_to(&net.devnet.url, &net.m, &clean, h).await;
    assert_eq!(dump(&db), dump(&clean));
}

async fn reorg_of_depth_one(b: Backend) {
    reorg(b, 1).await;
}

async fn reorg_of_depth_five(b: Backend) {
    reorg(b, 5).await;
}

/// A log range past the head is the chain getting shorter, not an outage:
/// it is answered at once (`None`), not retried until blocks come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_past_the_head_are_answered_not_retried() {
    let net = net().await;
    swaps(&net, 2, 5).await;
    let (_stop, rx) = tokio::sync::watch::channel(false);
    let client = tidepool_sdk::chain::Client::connect(&net.devnet.url)
        .await
        .unwrap();
    let node = tidepool_indexer::rpc::Node::new(client, rx);
    let h = head(&net.trader).await;
    let topics = tidepool_indexer::events::pair_topics();
    let within = node.logs(&[], &topics, 1, h).await.unwrap();
    assert!(within.is_some_and(|l| !l.is_empty()));
    for (a, b) in [(h + 1, h + 1), (h + 1, h + 50)] {
        let past = tokio::time::timeout(Duration::from_secs(5), node.logs(&[], &topics, a, b))
            .await
            .expect("answered at once")
            .unwrap();
        assert!(past.is_none(), "[{a}, {b}] past head {h}");
    }
}

/// The chain loses its latest blocks and stays shorter (no new block comes):
/// the index rolls back to the new head all the same.
async fn a_chain_that_gets_shorter_and_stays_shorter(b: Backend) {
    let net = net().await;
    let stores = Stores::new(b);
    let db = stores.store("index");
    swaps(&net, 6, 21).await;
    let (stop, handle) = follow(config(&net.devnet.url, &net.m, &db));
    let top = head(&net.trader).await;
    wait_for_checkpoint(&db, top).await;
    net.trader
        .provider
        .raw_request::<_, ()>("anvil_rollback".into(), (3u64,))
        .await
        .unwrap();
    let h = head(&net.trader).await;
    assert_eq!(h, top - 3);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while checkpoint(&db) != Some(h) {
        assert!(
            !handle.is_finished(),
            "the indexer stopped (checkpoint {:?})",
            checkpoint(&db)
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "the index stayed at {:?} on a chain of {h} blocks",
            checkpoint(&db)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    let summary = handle.await.unwrap();
    assert_eq!(summary.reorgs, 1);
    assert_eq!(
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, h).await
    );
}

async fn anvil_restart_rebuilds_the_index(b: Backend) {
    let first = net().await;
    let port: u16 = first
        .devnet
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let stores = Stores::new(b);
    let db = stores.store("index");
    swaps(&first, 12, 21).await;
    let (stop, handle) = follow(config(&first.devnet.url, &first.m, &db));
    wait_for_checkpoint(&db, head(&first.trader).await).await;
    let old = raw_rows(&db);
    first.devnet.stop().await.unwrap();
    // A new chain on the same port: same addresses (same deployer, same nonces), new genesis.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = net_on(port).await;
    assert_eq!(second.m.factory, first.m.factory);
    swaps(&second, 3, 22).await;
    let h = head(&second.trader).await;
    let truth = ground_truth(&second.trader, second.m.factory, h).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while raw_rows(&db) != truth {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the index was not rebuilt for the new chain"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    let summary = handle.await.unwrap();
    assert!(summary.resets >= 1);
    assert_ne!(old, truth);
    let genesis = second.trader.genesis_hash().await.unwrap();
    let stored: String = one(&db, "SELECT genesis_hash FROM chains");
    assert_eq!(stored, format!("{genesis:#x}"));
}

async fn rpc_outage_loses_nothing(b: Backend) {
    let net = net().await;
    let upstream: std::net::SocketAddr = net
        .devnet
        .url
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let proxy = Proxy::start(upstream).await;
    let url = format!("http://{}", proxy.addr);
    let stores = Stores::new(b);
    let db = stores.store("index");
    swaps(&net, 5, 31).await;
    let (stop, handle) = follow(config(&url, &net.m, &db));
    wait_for_checkpoint(&db, head(&net.trader).await).await;
    proxy.set_down(true);
    swaps(&net, 8, 32).await; // mined while the indexer cannot reach the node
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        proxy.refused() > 0,
        "the indexer kept calling during the outage"
    );
    let during = checkpoint(&db);
    proxy.set_down(false);
    let h = head(&net.trader).await;
    assert!(
        during < Some(h),
        "nothing could be indexed during the outage"
    );
    wait_for_checkpoint(&db, h).await;
    stop.send(true).unwrap();
    handle.await.unwrap();
    assert_eq!(
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, h).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_configuration_gets_one_clear_error() {
    let net = net().await;
    let dir = tempfile::tempdir().unwrap();
    let (_s, rx) = tokio::sync::watch::channel(false);
    let open = |cfg| {
        let rx = rx.clone();
        async move {
            Indexer::open(cfg, rx)
                .await
                .err()
                .expect("refused")
                .to_string()
        }
    };
    // Not a contract.
    let mut cfg = config(&net.devnet.url, &net.m, &dir.path().join("a.db"));
    cfg.factory = tidepool_sdk::signer::dev_address(5);
    assert!(
        open(cfg)
            .await
            .contains("no contract at the factory address")
    );
    // A contract, but not a factory.
    let mut cfg = config(&net.devnet.url, &net.m, &dir.path().join("a.db"));
    cfg.factory = net.m.router;
    assert!(open(cfg).await.contains("not a Uniswap-V2-style factory"));
    // Unreachable RPC.
    let port = tidepool_testkit::free_port();
    let cfg = config(
        &format!("http://127.0.0.1:{port}"),
        &net.m,
        &dir.path().join("a.db"),
    );
    assert!(open(cfg).await.contains("cannot reach the RPC endpoint"));
    // Unwritable path: a directory where the file should be.
    let cfg = config(&net.devnet.url, &net.m, dir.path());
    assert!(open(cfg).await.contains("cannot open the database"));
    // A database of another factory.
    let db = dir.path().join("b.db");
    index_to(&net.devnet.url, &net.m, &db, head(&net.trader).await).await;
    let mut other = net.m.clone();
    other.factory = net.m.pair_extension.unwrap(); // any other contract: refused before it is called a factory
    let mut cfg = config(&net.devnet.url, &other, &db);
    cfg.factory = alloy::primitives::Address::repeat_byte(0x11);
    let err = open(cfg).await;
    assert!(err.contains("no contract at the factory address"), "{err}");
    let c = rusqlite::Connection::open(&db).unwrap();
    // The store already follows another factory on this chain.
    c.execute(
        "UPDATE chains SET factory = '0x1111111111111111111111111111111111111111'",
        [],
    )
    .unwrap();
    drop(c);
    let err = open(config(&net.devnet.url, &net.m, &db)).await;
    assert!(
        err.contains("indexes factory 0x1111111111111111111111111111111111111111 on chain 31337"),
        "{err}"
    );
}

/// A TCP proxy that can go down: it then cuts every open connection and
/// refuses new ones, as a stopped node would.
struct Proxy {
    addr: std::net::SocketAddr,
    down: tokio::sync::watch::Sender<bool>,
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Proxy {
    async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (down, rx) = tokio::sync::watch::channel(false);
        let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = refused.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if *rx.borrow() {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    drop(inbound);
                    continue;
                }
                let mut rx = rx.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = rx.wait_for(|d| *d) => {} // cut: both streams are dropped
                    }
                });
            }
        });
        Self {
            addr,
            down,
            refused,
        }
    }

    fn set_down(&self, down: bool) {
        self.down.send(down).unwrap();
    }

    fn refused(&self) -> usize {
        self.refused.load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn follows_over_a_websocket_subscription(b: Backend) {
    let net = net().await;
    let ws = net.devnet.url.replace("http://", "ws://");
    let stores = Stores::new(b);
    let db = stores.store("index");
    let mut cfg = config(&ws, &net.m, &db);
    // A poll interval so long that only the new-head subscription can keep up.
    cfg.poll_interval = Duration::from_secs(60);
    let (stop, handle) = follow(cfg);
    wait_for_checkpoint(&db, head(&net.trader).await).await;
    swaps(&net, 6, 51).await;
    let h = head(&net.trader).await;
    wait_for_checkpoint(&db, h).await;
    stop.send(true).unwrap();
    handle.await.unwrap();
    assert_eq!(
        raw_rows(&db),
        ground_truth(&net.trader, net.m.factory, h).await
    );
}
