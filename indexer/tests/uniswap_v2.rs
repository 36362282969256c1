//! The indexer works against any Uniswap-V2-interface factory: here the
//! official Uniswap V2 bytecode (npm @uniswap/v2-core build artifacts),
//! deployed on anvil and traded directly through its pairs.

mod common;

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use common::*;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TestToken, TidepoolFactory, TidepoolPair};
use tidepool_sdk::deploy::{call_tx, deploy_code, send};
use tidepool_sdk::math;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexes_the_official_uniswap_v2_factory() {
    let net = net().await;
    let c = &net.trader;
    let me = c.sender().unwrap();
    let (factory, deploy_block) = deploy_code(
        c,
        tidepool_testkit::uniswap::creation_code(
            "v2-core/build/UniswapV2Factory.json",
            &alloy::sol_types::SolValue::abi_encode(&me),
        ),
    )
    .await
    .unwrap();
    let (a, b) = (
        net.m.token("DAI").unwrap().address,
        net.m.token("TIDE").unwrap().address,
    );
    let e18 = U256::from(10u64).pow(U256::from(18u8));
    send(
        c,
        call_tx(
            factory,
            TidepoolFactory::createPairCall {
                tokenA: a,
                tokenB: b,
            }
            .abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    let pair = TidepoolFactory::new(factory, &c.provider)
        .getPair(a, b)
        .call()
        .await
        .unwrap();
    assert_ne!(pair, Address::ZERO);
    let p = TidepoolPair::new(pair, &c.provider);
    let (t0, t1) = (
        p.token0().call().await.unwrap(),
        p.token1().call().await.unwrap(),
    );
    let transfer = |token: Address, amount: U256| {
        call_tx(
            token,
            TestToken::transferCall { to: pair, amount }.abi_encode(),
            U256::ZERO,
        )
    };
    // Mint, swap both ways, burn: every V2 event.
    send(c, transfer(t0, e18 * U256::from(5000u64)))
        .await
        .unwrap();
    send(c, transfer(t1, e18 * U256::from(2000u64)))
        .await
        .unwrap();
    send(
        c,
        call_tx(
            pair,
            TidepoolPair::mintCall { to: me }.abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    for (i, zero_for_one) in [true, false, true].into_iter().enumerate() {
        let r = p.getReserves().call().await.unwrap();
        let (r0, r1) = (U256::from(r._reserve0), U256::from(r._reserve1));
        let amount_in = e18 * U256::from(10u64 + i as u64);
        let (tin, rin, rout) = if zero_for_one {
            (t0, r0, r1)
        } else {
            (t1, r1, r0)
        };
        let out = math::get_amount_out(amount_in, rin, rout).unwrap();
        send(c, transfer(tin, amount_in)).await.unwrap();
        let (o0, o1) = if zero_for_one {
            (U256::ZERO, out)
        } else {
            (out, U256::ZERO)
        };
        let swap = TidepoolPair::swapCall {
            amount0Out: o0,
            amount1Out: o1,
            to: me,
            data: Bytes::new(),
        };
        send(c, call_tx(pair, swap.abi_encode(), U256::ZERO))
            .await
            .unwrap();
    }
    let lp = p.balanceOf(me).call().await.unwrap();
    send(
        c,
        call_tx(
            pair,
            TidepoolPair::transferCall {
                to: pair,
                amount: lp / U256::from(3u8),
            }
            .abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    send(
        c,
        call_tx(
            pair,
            TidepoolPair::burnCall { to: me }.abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();

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
