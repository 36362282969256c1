//! Transactions through the app's core on a real devnet: one quote executed
//! twice at once sends one transaction; the review's worst case is what is
//! signed; a pending swap is listed, sped up and ends mined, also after the
//! app restarts; allowances are listed and revoked.

mod common;

use std::borrow::Cow;

use common::*;
use tidepool_app::core::{Core, Dirs};
use tidepool_app::sent::FeeSelection;
use tidepool_app::settings::FeeSpeed;
use tidepool_app::views::{ExecuteSwap, TradeKind};
use tidepool_sdk::U256;
use tidepool_sdk::alloy::consensus::Transaction as _;
use tidepool_sdk::alloy::providers::Provider;

async fn rpc(app: &App, method: &'static str, params: serde_json::Value) {
    app.live()
        .client
        .provider
        .raw_request::<_, serde_json::Value>(Cow::Borrowed(method), params)
        .await
        .unwrap_or_else(|e| panic!("{method}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_quote_executed_twice_at_once_sends_one_transaction() {
    let app = App::start().await;
    let me = app.use_dev(1);
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let req = || ExecuteSwap {
        quote_id: q.id.clone(),
        confirm_impact: false,
        fee: None,
    };
    let none = tidepool_app::txflow::Notify::none();
    let (a, b) = tokio::join!(
        app.core.swap_execute(req(), &none),
        app.core.swap_execute(req(), &none)
    );
    let (won, lost) = match (a, b) {
        (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
        other => panic!("exactly one must send: {other:?}"),
    };
    assert!(
        lost.message.contains("already executed"),
        "{}",
        lost.message
    );
    assert!(!won.hash.is_empty());
    let nonce = app
        .live()
        .client
        .provider
        .get_transaction_count(me)
        .await
        .unwrap();
    assert_eq!(nonce, 1);
    // And later, too.
    let again = app.core.swap_execute(req(), &none).await.unwrap_err();
    assert!(
        again.message.contains("already executed"),
        "{}",
        again.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_shows_what_is_signed_and_a_pending_swap_is_sped_up_across_a_restart() {
    let mut app = App::start().await;
    let me = app.use_dev(1);
    let fee = FeeSelection {
        speed: FeeSpeed::Normal,
        max_fee_gwei: Some("2".into()),
        priority_fee_gwei: Some("0.5".into()),
    };
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let sim = app
        .core
        .swap_simulate(&q.id, Some(fee.clone()))
        .await
        .unwrap();
    assert_eq!(sim.max_fee_per_gas_wei, "2000000000");
    assert_eq!(
        u(&sim.fee_worst_wei),
        U256::from(2_000_000_000u64) * U256::from(sim.gas_limit)
    );
    assert!(u(&sim.fee_expected_wei) < u(&sim.fee_worst_wei));

    // Held in the mempool: the swap waits, the panel lists it as pending.
    rpc(&app, "evm_setAutomine", serde_json::json!([false])).await;
    let core = app.core.clone();
    let id = q.id.clone();
    let sel = fee.clone();
    let swap = tokio::spawn(async move {
        core.swap_execute(
            ExecuteSwap {
                quote_id: id,
                confirm_impact: false,
                fee: Some(sel),
            },
            &tidepool_app::txflow::Notify::none(),
        )
        .await
    });
    let pending = loop {
        let list = app.core.tx_list().await.unwrap();
        if let Some(p) = list.iter().find(|t| t.state == "pending") {
            break p.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(pending.kind, "swap");
    assert_eq!(pending.max_fee_per_gas.as_deref(), Some("2000000000"));
    let signed = app
        .live()
        .client
        .provider
        .get_transaction_by_hash(pending.hash.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(signed.max_fee_per_gas(), 2_000_000_000);
    assert_eq!(
        signed.gas_limit(),
        sim.gas_limit,
        "the review's gas limit is signed"
    );

    // A second send from the account while this one is in flight is refused.
    let q2 = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let busy = app.execute(&q2.id, false).await.unwrap_err();
    assert!(
        busy.message.contains("being sent right now"),
        "{}",
        busy.message
    );

    // The app restarts (its flow dies with it): the record is still
    // pending, and is sped up.
    swap.abort();
    let _ = swap.await;
    let dirs = Dirs {
        config: app.dir.path().join("config"),
        data: app.dir.path().join("data"),
        downloads: app.dir.path().join("downloads"),
    };
    app.core.shutdown();
    let core = Core::new(dirs).expect("the app opens again");
    core.set_confirmer(app.person.clone());
    tidepool_app::network::start(&core);
    app.core = core;
    app.wait("connected", |c| c.live_opt().is_some()).await;
    app.use_dev(1);
    let list = app.core.tx_list().await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].state, "pending");
    let up = app.core.tx_replace(&pending.hash, false).await.unwrap();
    assert_eq!(up.replaces.as_deref(), Some(pending.hash.as_str()));
    assert_eq!(up.state, "pending");
    rpc(&app, "evm_mine", serde_json::json!([])).await;
    let list = app.core.tx_list().await.unwrap();
    let by_hash = |h: &str| list.iter().find(|t| t.hash == h).unwrap().clone();
    let original = by_hash(&pending.hash);
    assert_eq!(original.state, "replaced");
    assert_eq!(original.replaced_by.as_deref(), Some(up.hash.as_str()));
    let mined = by_hash(&up.hash);
    assert_eq!(mined.state, "mined");
    assert!(mined.fee_paid_wei.is_some());
    let usdc = app.balance("USDC", me).await;
    assert!(usdc > U256::ZERO);
    // The history follows the tracker.
    let history = app.core.history(50, 0).await.unwrap();
    let row = history.iter().find(|r| r.tx_hash == pending.hash).unwrap();
    assert_eq!(format!("{:?}", row.status), "Failed");
    assert!(
        row.detail
            .as_deref()
            .unwrap_or_default()
            .contains("replaced")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowances_are_listed_and_revoked() {
    let app = App::start().await;
    let me = app.use_dev(1);
    let q = app
        .quote("USDC", "ETH", units(100, 6), TradeKind::ExactIn)
        .await
        .unwrap();
    assert!(q.needs_approval);
    app.core
        .swap_approve(&q.id, true, &tidepool_app::txflow::Notify::none())
        .await
        .unwrap();
    let list = app.core.approvals_list().await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0].unlimited);
    assert_eq!(list[0].symbol, "USDC");
    assert_eq!(list[0].spender_name.as_deref(), Some("router"));
    app.core
        .approvals_revoke(
            &list[0].token,
            &list[0].spender,
            &tidepool_app::txflow::Notify::none(),
        )
        .await
        .unwrap();
    assert!(app.core.approvals_list().await.unwrap().is_empty());
    let usdc = app.live().manifest.token("USDC").unwrap().address;
    let left =
        tidepool_sdk::market::allowance(&app.live().client, usdc, me, app.live().manifest.router)
            .await
            .unwrap();
    assert_eq!(left, U256::ZERO);
}
