//! The devnet market simulation against real devnets: one seed gives the same
//! transactions in the same blocks, another seed others; after a 10% jump of
//! the reference price of ETH, the arbitrageur brings every WETH pool back
//! within the fee and 0.5% of it, and without the arbitrageur the pools stay
//! where they were.

use tidepool_devnet::sim::{self, Options, Scenario};
use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::bindings::TidepoolPair;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_testkit::start_devnet;

async fn hashes(seed: u64, blocks: u64) -> Vec<Vec<String>> {
    let net = start_devnet(0).await;
    let mut s = Scenario::defaults(sim::scenario::devnet_defaults());
    s.seed = seed;
    let summary = sim::run(
        &net.url,
        &net.manifest,
        &Options::new(s, blocks),
        |_: &sim::Status| {},
    )
    .await
    .unwrap();
    if blocks >= 100 {
        assert!(
            summary.liquidity.adds > 0,
            "liquidity providers added in {blocks} blocks"
        );
    }
    assert_eq!(
        summary.blocks.len() as u64,
        blocks + 1,
        "the approvals' block and one per simulated block"
    );
    assert!(
        summary.trades > blocks,
        "{} noise trades in {blocks} blocks",
        summary.trades
    );
    // Each block holds exactly the transactions sent for it, in order, and every one succeeded.
    let c = Client::connect(&net.url).await.unwrap();
    for b in &summary.blocks {
        let block = c
            .provider
            .get_block_by_number(b.number.into())
            .await
            .unwrap()
            .unwrap();
        let mined: Vec<_> = block.transactions.hashes().collect();
        assert_eq!(mined, b.txs, "block {}", b.number);
        for h in &b.txs {
            let r = c
                .provider
                .get_transaction_receipt(*h)
                .await
                .unwrap()
                .unwrap();
            assert!(r.status(), "{h:#x} in block {} reverted", b.number);
        }
    }
    summary
        .blocks
        .iter()
        .map(|b| b.txs.iter().map(|h| format!("{h:#x}")).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_seed_gives_the_same_transactions_in_the_same_blocks() {
    let a = hashes(7, 200).await;
    let b = hashes(7, 200).await;
    assert_eq!(a, b);
    let c = hashes(8, 200).await;
    assert_ne!(a[1..], c[1..], "another seed trades otherwise");
}

/// WETH priced in USDC by each WETH pool: (pool symbol, USD per ETH).
async fn weth_prices(url: &str, m: &Manifest) -> Vec<(String, f64)> {
    let c = Client::connect(url).await.unwrap();
    let mut out = Vec::new();
    for (a, b, _) in tidepool_devnet::POOLS {
        let other = match (*a, *b) {
            ("WETH", o) | (o, "WETH") => o,
            _ => continue,
        };
        let (weth, t) = (m.token("WETH").unwrap(), m.token(other).unwrap());
        let pair = TidepoolPair::new(m.pair(weth.address, t.address), &c.provider);
        let r = pair.getReserves().call().await.unwrap();
        let t0: Address = pair.token0().call().await.unwrap();
        let (rw, ro) = if t0 == weth.address {
            (r._reserve0, r._reserve1)
        } else {
            (r._reserve1, r._reserve0)
        };
        let f = |x: U256, d: u8| x.to_string().parse::<f64>().unwrap() / 10f64.powi(i32::from(d));
        let other_usd = tidepool_devnet::TOKENS
            .iter()
            .find(|x| x.1 == other)
            .unwrap()
            .3 as f64;
        out.push((
            other.to_string(),
            f(U256::from(ro), t.decimals) / f(U256::from(rw), weth.decimals) * other_usd,
        ));
    }
    out
}

async fn after_jump(arbitrage: bool) -> (f64, Vec<(String, f64)>) {
    let net = start_devnet(0).await;
    // Prices that stand still, ETH 10% above where the pools are.
    let mut s = Scenario::defaults(sim::scenario::devnet_defaults());
    for t in &mut s.tokens {
        (t.volatility, t.jumps_per_day) = (0.0, 0.0);
    }
    s.tokens[0].price = 3300.0;
    let opts = Options {
        trades_per_block: 1e-9,
        arbitrage,
        providers: false,
        ..Options::new(s, 5)
    };
    let summary = sim::run(&net.url, &net.manifest, &opts, |_: &sim::Status| {})
        .await
        .unwrap();
    assert_eq!(summary.trades, 0);
    (
        summary.arbitrages as f64,
        weth_prices(&net.url, &net.manifest).await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrage_pulls_the_pools_to_a_jumped_reference() {
    let (arbs, prices) = after_jump(true).await;
    assert!(arbs >= 3.0, "{arbs} arbitrage trades");
    assert!(prices.len() >= 3);
    for (pool, p) in &prices {
        assert!(
            (p / 3300.0 - 1.0).abs() < 0.003 + 0.005,
            "WETH/{pool} at ${p}, reference $3,300"
        );
    }
    let (arbs, prices) = after_jump(false).await;
    assert_eq!(arbs, 0.0);
    for (pool, p) in &prices {
        assert!(
            (p / 3000.0 - 1.0).abs() < 0.001,
            "WETH/{pool} at ${p} without arbitrage"
        );
    }
}
