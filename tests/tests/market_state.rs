//! The market state (sdk::marketstate) against the chain itself: after a full
//! load, random swaps, new pools, a reorg, a cache round trip and an anvil
//! restart, its pairs and reserves equal a direct read of every pool.

use std::collections::BTreeMap;

use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::sol_types::SolCall;
use tidepool_sdk::bindings::{TestToken, TidepoolFactory, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, send};
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::market;
use tidepool_sdk::marketstate::MarketState;
use tidepool_sdk::signer::{SignerSource, dev_address};
use tidepool_testkit::DevnetFixture;

/// Every pool of the factory read one by one: (pair -> tokens and reserves).
async fn truth(c: &Client, factory: Address) -> BTreeMap<Address, (Address, Address, U256, U256)> {
    market::pools(c, factory)
        .await
        .unwrap()
        .into_iter()
        .map(|p| {
            (
                p.pool.pair,
                (
                    p.pool.token0,
                    p.pool.token1,
                    p.pool.reserve0,
                    p.pool.reserve1,
                ),
            )
        })
        .collect()
}

fn mine(s: &MarketState) -> BTreeMap<Address, (Address, Address, U256, U256)> {
    s.pairs()
        .iter()
        .map(|p| {
            (
                p.pair,
                (
                    p.token0,
                    p.token1,
                    U256::from(p.reserve0),
                    U256::from(p.reserve1),
                ),
            )
        })
        .collect()
}

async fn trader(url: &str) -> Client {
    Client::connect(url)
        .await
        .unwrap()
        .with_signer(&SignerSource::DevAccount(1).load(31337).unwrap())
        .unwrap()
}

/// A swap of `amount` whole-unit-ish base units along `path` through the router.
async fn swap(c: &Client, m: &Manifest, path: &[&str], amount: u64) {
    let tokens: Vec<Address> = path.iter().map(|s| m.token(s).unwrap().address).collect();
    let dec = m.token(path[0]).unwrap().decimals;
    let amount_in = U256::from(amount) * U256::from(10u64).pow(U256::from(dec));
    send(
        c,
        call_tx(
            tokens[0],
            TestToken::approveCall {
                spender: m.router,
                amount: amount_in,
            }
            .abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    let call = TidepoolRouter::swapExactTokensForTokensCall {
        amountIn: amount_in,
        amountOutMin: U256::ZERO,
        path: tokens,
        to: dev_address(1),
        deadline: U256::from(u64::MAX),
    };
    if let Err(e) = send(c, call_tx(m.router, call.abi_encode(), U256::ZERO)).await {
        let t = TestToken::new(m.token(path[0]).unwrap().address, &c.provider);
        panic!(
            "swap {path:?}: {e}; balance {} allowance {} from {:?}",
            t.balanceOf(dev_address(1)).call().await.unwrap(),
            t.allowance(dev_address(1), m.router).call().await.unwrap(),
            c.from
        );
    }
}

async fn create_pair(c: &Client, m: &Manifest, a: &str, b: &str) {
    let call = TidepoolFactory::createPairCall {
        tokenA: m.token(a).unwrap().address,
        tokenB: m.token(b).unwrap().address,
    };
    send(c, call_tx(m.factory, call.abi_encode(), U256::ZERO))
        .await
        .unwrap();
}

async fn rpc(c: &Client, method: &'static str, params: serde_json::Value) -> serde_json::Value {
    c.provider
        .raw_request::<_, serde_json::Value>(method.into(), params)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn market_state_follows_swaps_new_pools_reorgs_and_restarts() {
    let fx = DevnetFixture::start().await;
    let m = fx.devnet.manifest.clone();
    let c = trader(fx.url()).await;
    let genesis = c.genesis_hash().await.unwrap();
    let mut s = MarketState::new(c.chain_id, genesis, m.factory);

    // Full load.
    let r = s.refresh(&c).await.unwrap();
    assert!(r.reloaded);
    assert_eq!(s.pairs().len(), tidepool_devnet::POOLS.len());
    assert_eq!(mine(&s), truth(&c, m.factory).await);
    assert_eq!(
        s.refresh(&c).await.unwrap(),
        Default::default(),
        "nothing new: nothing done"
    );

    // Swaps (one and two hops) and a new pool: only what changed is touched.
    swap(&c, &m, &["USDC", "DAI"], 1_000).await;
    swap(&c, &m, &["TIDE", "WETH", "DAI"], 50).await;
    create_pair(&c, &m, "TIDE", "WBTC").await;
    let r = s.refresh(&c).await.unwrap();
    assert_eq!(
        (r.created, r.changed, r.rolled_back, r.reloaded),
        (1, 4, 0, false),
        "{r:?}"
    );
    assert_eq!(mine(&s), truth(&c, m.factory).await);
    let routed = s
        .graph()
        .best_exact_in(
            m.token("TIDE").unwrap().address,
            m.token("DAI").unwrap().address,
            U256::from(10u64).pow(U256::from(18u8)),
            3,
        )
        .unwrap();
    assert!(routed.hops() >= 2);

    // A reorg: snapshot, swap and create a pool on one branch (seen by the
    // state), revert, and build a longer other branch at the same heights.
    let snap = rpc(&c, "evm_snapshot", serde_json::json!([])).await;
    swap(&c, &m, &["WBTC", "USDC"], 1).await;
    create_pair(&c, &m, "TIDE", "DAI").await;
    swap(&c, &m, &["USDC", "USDT"], 5_000).await;
    s.refresh(&c).await.unwrap();
    assert_eq!(s.pairs().len(), tidepool_devnet::POOLS.len() + 2);
    assert_eq!(rpc(&c, "evm_revert", serde_json::json!([snap])).await, true);
    swap(&c, &m, &["DAI", "USDC"], 700).await;
    swap(&c, &m, &["TIDE", "USDC"], 20).await;
    swap(&c, &m, &["USDT", "USDC"], 300).await;
    swap(&c, &m, &["DAI", "WETH"], 400).await;
    let r = s.refresh(&c).await.unwrap();
    assert!(r.rolled_back >= 3 && !r.reloaded, "{r:?}");
    assert_eq!(
        s.pairs().len(),
        tidepool_devnet::POOLS.len() + 1,
        "the orphaned pool is gone"
    );
    assert_eq!(mine(&s), truth(&c, m.factory).await);

    // The disk cache: same state back; a stale one catches up by logs.
    let cache = fx.dir.path().join("market.bin");
    s.save(&cache).unwrap();
    let mut back = MarketState::load(&cache, c.chain_id, genesis, m.factory).unwrap();
    assert_eq!(mine(&back), mine(&s));
    assert_eq!(back.block(), s.block());
    assert!(
        MarketState::load(&cache, c.chain_id, genesis, dev_address(9)).is_none(),
        "another factory's cache is ignored"
    );
    std::fs::write(fx.dir.path().join("bad.bin"), b"TPMKT\0\0\x01garbage").unwrap();
    assert!(
        MarketState::load(
            &fx.dir.path().join("bad.bin"),
            c.chain_id,
            genesis,
            m.factory
        )
        .is_none()
    );
    swap(&c, &m, &["WBTC", "WETH"], 1).await;
    let r = back.refresh(&c).await.unwrap();
    assert_eq!((r.changed, r.reloaded), (1, false), "{r:?}");
    assert_eq!(mine(&back), truth(&c, m.factory).await);

    // An anvil restart: another genesis under the same chain id and factory
    // address. The cache no longer fits; the live state reloads.
    let old_block = back.block();
    drop(fx);
    // Anvil's genesis carries its start time in seconds: two anvils started
    // within one second share it (and the cache would fit; the block hashes
    // after it still tell the chains apart). Start the new one in another second.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let fx2 = DevnetFixture::start().await;
    let c2 = trader(fx2.url()).await;
    let genesis2 = c2.genesis_hash().await.unwrap();
    assert_ne!(genesis2, genesis);
    assert!(MarketState::load(&cache, c2.chain_id, genesis2, m.factory).is_none());
    swap(&c2, &fx2.devnet.manifest, &["USDC", "DAI"], 10).await;
    let r = back.refresh(&c2).await.unwrap();
    assert!(r.reloaded, "{r:?} (was at block {old_block})");
    assert_eq!(mine(&back), truth(&c2, m.factory).await);
    assert_eq!(back.pairs().len(), tidepool_devnet::POOLS.len());
}
