//! Swaps and liquidity through the app's commands on a real devnet: balances
//! must move by exactly the quoted amounts, and failed checks send nothing.

mod common;

use common::*;
use tidepool_app::error::ErrorKind;
use tidepool_app::txflow::Notify;
use tidepool_app::views::{AddRequest, ExecuteSwap, RemoveRequest, TradeKind, TxStage};
use tidepool_sdk::U256;
use tidepool_sdk::alloy::providers::Provider;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swap_exact_in_and_exact_out_move_balances_by_the_quote() {
    let app = App::start().await;
    let me = app.use_dev(1);

    // ETH → USDC, exact in: USDC up by exactly the quoted output.
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    assert!(!q.needs_approval);
    assert_eq!(q.route.len(), 1);
    let q_first_pair = q.route[0].pair.clone();
    assert_eq!(q.amount_in, units(1, 18).to_string());
    assert!(u(&q.limit) < u(&q.amount_out) && u(&q.limit) > U256::ZERO);
    assert!(
        q.price_impact_bps < 100,
        "1 ETH in a $3M pool: {}",
        q.price_impact_bps
    );
    assert_eq!(u(&q.lp_fee), units(3, 15)); // 0.3% of 1 ETH
    let sim = app.core.swap_simulate(&q.id, None).await.unwrap();
    let usdc_change = sim.changes.iter().find(|c| c.symbol == "USDC").unwrap();
    assert_eq!(usdc_change.delta, q.amount_out);
    let (usdc0, eth0) = (app.balance("USDC", me).await, app.balance("ETH", me).await);
    let (notify, seen) = recorder();
    let r = app
        .core
        .swap_execute(
            ExecuteSwap {
                quote_id: q.id.clone(),
                confirm_impact: false,
                fee: None,
            },
            &notify,
        )
        .await
        .unwrap();
    let (usdc1, eth1) = (app.balance("USDC", me).await, app.balance("ETH", me).await);
    assert_eq!(usdc1 - usdc0, u(&q.amount_out));
    assert!(eth0 - eth1 > units(1, 18), "1 ETH plus gas");
    let stages: Vec<TxStage> = seen.lock().unwrap().iter().map(|s| s.stage).collect();
    assert_eq!(
        stages,
        [
            TxStage::Checking,
            TxStage::Signing,
            TxStage::Sent,
            TxStage::Mined
        ]
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.symbol == "USDC" && c.delta == q.amount_out)
    );

    // USDC → DAI, exact out: needs an approval first, then DAI up exactly.
    let want = units(500, 18);
    let q = app
        .quote("USDC", "DAI", want, TradeKind::ExactOut)
        .await
        .unwrap();
    assert!(q.needs_approval);
    let e = app.execute(&q.id.clone(), false).await.unwrap_err();
    assert!(e.message.contains("approve"), "{}", e.message);
    app.core
        .swap_approve(&q.id, false, &Notify::none())
        .await
        .unwrap();
    let q = app
        .quote("USDC", "DAI", want, TradeKind::ExactOut)
        .await
        .unwrap();
    assert!(!q.needs_approval);
    let (dai0, usdc0) = (app.balance("DAI", me).await, app.balance("USDC", me).await);
    app.execute(&q.id.clone(), false).await.unwrap();
    assert_eq!(app.balance("DAI", me).await - dai0, want);
    assert_eq!(usdc0 - app.balance("USDC", me).await, u(&q.amount_in));

    // History: both swaps and the approval, confirmed, newest first; CSV export.
    app.wait("the index holds the swaps", |c| {
        c.index_progress().following
    })
    .await;
    let h = app.core.history(50, 0).await.unwrap();
    let kinds: Vec<_> = h.iter().map(|r| (r.kind, r.status)).collect();
    use tidepool_app::views::{HistoryKind as K, HistoryStatus as S};
    assert_eq!(
        kinds,
        [
            (K::Swap, S::Confirmed),
            (K::Approve, S::Confirmed),
            (K::Swap, S::Confirmed)
        ]
    );
    assert_eq!(h[0].amount_b, want.to_string());
    // The pool page: the ETH/USDC swap is a 1-minute candle and a recent swap.
    let pair = q_first_pair.clone();
    let t = std::time::Instant::now();
    let detail = loop {
        let d = app.core.pool_detail(&pair, 60).await.unwrap();
        if !d.candles.is_empty() || t.elapsed().as_secs() > 20 {
            break d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(detail.candles.len(), 1, "{detail:?}");
    let c = &detail.candles[0];
    assert!(
        c.open.is_finite() && c.close > 0.0 && c.high >= c.low,
        "{c:?}"
    );
    assert_eq!(detail.swaps.len(), 1);
    let path = app.core.history_export().await.unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().contains(",swap,confirmed,"),
        "{csv}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_amounts_slippage_and_impact_send_nothing() {
    let app = App::start().await;
    let me = app.use_dev(2);
    let client = app.live().client;
    for bad in ["1.5", "-3", "", "12abc", "0"] {
        let mut req = app.quote_req("ETH", "USDC", U256::ZERO, TradeKind::ExactIn);
        req.amount = bad.into();
        let e = app.core.swap_quote(req).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Input, "{bad}: {}", e.message);
    }
    let e = app
        .quote("USDC", "USDC", units(1, 6), TradeKind::ExactIn)
        .await
        .unwrap_err();
    assert!(e.message.contains("same"), "{}", e.message);

    // Over slippage: quote, another account moves the price, execute refuses.
    let q = app
        .quote("ETH", "USDC", units(10, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    app.use_dev(3);
    let mover = app
        .quote("ETH", "USDC", units(50, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    app.execute(&mover.id, false).await.unwrap();
    app.use_dev(2);
    let nonce0 = client.provider.get_transaction_count(me).await.unwrap();
    let usdc0 = app.balance("USDC", me).await;
    let (notify, seen) = recorder();
    let e = app
        .core
        .swap_execute(
            ExecuteSwap {
                quote_id: q.id,
                confirm_impact: false,
                fee: None,
            },
            &notify,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Slippage, "{}", e.message);
    assert!(e.message.contains("nothing was sent"), "{}", e.message);
    assert_eq!(seen.lock().unwrap().last().unwrap().stage, TxStage::Failed);
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        nonce0
    );
    assert_eq!(app.balance("USDC", me).await, usdc0);

    // Price impact: above 15% blocked, 10–15% needs a confirmation.
    let big = app
        .quote("ETH", "USDC", units(300, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    assert!(big.price_impact_bps > 1500, "{}", big.price_impact_bps);
    let e = app.execute(&big.id.clone(), true).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::PriceImpact);
    assert!(e.message.contains("above 15%"), "{}", e.message);
    let mid = app
        .quote("ETH", "USDC", units(130, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    assert!(
        (1001..=1500).contains(&mid.price_impact_bps),
        "{}",
        mid.price_impact_bps
    );
    let e = app.execute(&mid.id.clone(), false).await.unwrap_err();
    assert!(e.message.contains("confirm"), "{}", e.message);
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        nonce0
    );
    app.execute(&mid.id, true).await.unwrap();
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        nonce0 + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_and_remove_liquidity_and_create_a_pool() {
    let app = App::start().await;
    let me = app.use_dev(4);
    // TIDE/USDC exists: B follows the pool's ratio.
    let req = AddRequest {
        token_a: app.token("TIDE"),
        token_b: app.token("USDC"),
        amount_a: units(1_000, 18).to_string(),
        amount_b: None,
        fee: None,
    };
    let q = app.core.liquidity_quote_add(req.clone()).await.unwrap();
    assert!(q.exists);
    assert_eq!(u(&q.amount_b), units(2_000, 6), "TIDE is $2");
    assert!(q.needs_approval_a && q.needs_approval_b);
    let (notify, seen) = recorder();
    let r = app.core.liquidity_add(req, &notify).await.unwrap();
    let stages: Vec<TxStage> = seen.lock().unwrap().iter().map(|s| s.stage).collect();
    assert_eq!(
        stages.iter().filter(|s| **s == TxStage::Approving).count(),
        2,
        "{stages:?}"
    );
    assert_eq!(*stages.last().unwrap(), TxStage::Mined);
    let lp = r
        .changes
        .iter()
        .find(|c| c.symbol == "TIDE-LP")
        .expect("LP minted");
    assert_eq!(lp.delta, q.liquidity);

    let pos = app.core.positions().await.unwrap();
    let p = pos
        .iter()
        .find(|p| p.pair == q.pair)
        .expect("position listed");
    assert_eq!(p.liquidity, q.liquidity);
    assert!((p.share - q.share_after).abs() < 1e-9);
    // Underlying ≈ the deposit (rounded down by the pool).
    assert!(
        units(1_000, 18)
            - u(&if p.token0.symbol == "TIDE" {
                p.amount0.clone()
            } else {
                p.amount1.clone()
            })
            < U256::from(10u32).pow(U256::from(13u32))
    );

    // Remove 50%, then the rest.
    let half = RemoveRequest {
        pair: q.pair.clone(),
        percent: 50,
        receive_eth: false,
        fee: None,
    };
    let rq = app.core.liquidity_quote_remove(half.clone()).await.unwrap();
    assert_eq!(u(&rq.liquidity), u(&q.liquidity) / U256::from(2u8));
    let tide0 = app.balance("TIDE", me).await;
    app.core
        .liquidity_remove(half, &Notify::none())
        .await
        .unwrap();
    let got = app.balance("TIDE", me).await - tide0;
    let want = if p.token0.symbol == "TIDE" {
        u(&rq.amount0)
    } else {
        u(&rq.amount1)
    };
    assert_eq!(got, want);
    app.core
        .liquidity_remove(
            RemoveRequest {
                pair: q.pair.clone(),
                percent: 100,
                receive_eth: false,
                fee: None,
            },
            &Notify::none(),
        )
        .await
        .unwrap();
    assert!(
        app.core
            .positions()
            .await
            .unwrap()
            .iter()
            .all(|p| p.pair != q.pair)
    );
    let e = app
        .core
        .liquidity_quote_remove(RemoveRequest {
            pair: q.pair.clone(),
            percent: 0,
            receive_eth: false,
            fee: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Input);

    // DAI/TIDE has no pool: one amount is refused, two create it at their price.
    let mut new = AddRequest {
        token_a: app.token("DAI"),
        token_b: app.token("TIDE"),
        amount_a: units(100, 18).to_string(),
        amount_b: None,
        fee: None,
    };
    let q = app.core.liquidity_quote_add(new.clone()).await.unwrap();
    assert!(!q.exists && q.amount_b == "0", "{q:?}");
    let e = app
        .core
        .liquidity_add(new.clone(), &Notify::none())
        .await
        .unwrap_err();
    assert!(e.message.contains("give both amounts"), "{}", e.message);
    new.amount_b = Some(units(50, 18).to_string());
    let q = app.core.liquidity_quote_add(new.clone()).await.unwrap();
    assert!(!q.exists);
    app.core.liquidity_add(new, &Notify::none()).await.unwrap();
    app.wait("the new pool is indexed", |c| c.index_progress().following)
        .await;
    let t = std::time::Instant::now();
    loop {
        let pools = app.core.pools_list().await.unwrap();
        if let Some(p) = pools.iter().find(|p| p.pair == q.pair) {
            let price = if p.token0.symbol == "DAI" {
                p.price
            } else {
                1.0 / p.price
            };
            assert!((price - 0.5).abs() < 1e-9, "TIDE per DAI: {price}");
            assert!(p.tvl_eth.is_some());
            break;
        }
        assert!(t.elapsed().as_secs() < 20, "new pool not listed");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let detail = app.core.pool_detail(&q.pair, 60).await.unwrap();
    assert_eq!(detail.pool.pair, q.pair);
}
