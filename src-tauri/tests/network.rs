//! The connection: a chain id mismatch blocks sending with a clear message,
//! and an anvil restart (a reset chain) is detected and recovered from
//! without restarting the app: fresh quotes, fresh nonces, the index rebuilt.

mod common;

use common::*;
use tidepool_app::error::ErrorKind;
use tidepool_app::settings::Settings;
use tidepool_app::views::TradeKind;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chain_mismatch_blocks_sending() {
    let app = App::start().await;
    app.use_dev(1);
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let s = app.core.settings();
    let e = app
        .core
        .settings_save(
            Settings {
                rpc_url: "localhost:8545".into(),
                ..s.clone()
            },
            None,
        )
        .unwrap_err();
    assert!(e.message.contains("RPC URL"), "{}", e.message);
    app.core
        .settings_save(
            Settings {
                chain_id: 1,
                ..s.clone()
            },
            None,
        )
        .unwrap();
    app.wait("the mismatch is seen", |c| {
        let st = c.connection();
        st.connected && !st.chain_matches && st.chain_id == Some(31337)
    })
    .await;
    let st = app.core.connection();
    assert!(
        st.problem
            .as_deref()
            .unwrap()
            .contains("on chain 31337, but Settings expect chain 1"),
        "{st:?}"
    );
    let e = app.execute(&q.id, false).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::ChainMismatch, "{}", e.message);
    let e = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await;
    assert_eq!(e.unwrap_err().kind, ErrorKind::ChainMismatch);
    // Back to the right chain: quotes and sends work again.
    app.core.settings_save(s, None).unwrap();
    app.wait("reconnected", |c| c.live_opt().is_some()).await;
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    app.execute(&q.id, false).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anvil_restart_is_detected_and_recovered() {
    let mut app = App::start().await;
    let me = app.use_dev(1);
    let port: u16 = app
        .url()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    for _ in 0..3 {
        let q = app
            .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
            .await
            .unwrap();
        app.execute(&q.id, false).await.unwrap();
    }
    app.wait("indexed", |c| c.index_progress().following).await;
    let stale = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let old_genesis = app.live().genesis;

    // Restart anvil on the same port: a new chain with the same addresses.
    app.devnet.take().unwrap().stop().await.unwrap();
    app.wait("the loss is seen", |c| !c.connection().connected)
        .await;
    let devnet = devnet(port).await;
    devnet.manifest.save(&app.manifest_path).unwrap();
    app.devnet = Some(devnet);
    app.wait("the reset is detected", |c| {
        c.connection().resets == 1 && c.live_opt().is_some()
    })
    .await;
    assert_ne!(app.live().genesis, old_genesis);
    let e = app.execute(&stale.id, false).await.unwrap_err();
    assert!(e.message.contains("get a new quote"), "{}", e.message);

    // Fresh nonces: the account's first transaction on the new chain goes through.
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    app.execute(&q.id, false).await.unwrap();
    assert_eq!(
        app.balance("USDC", me).await - units(10_000_000, 6),
        u(&q.amount_out)
    );
    // The index was rebuilt for the new chain: only the new chain's swap is in the history.
    app.wait("the index follows the new chain", |c| {
        let p = c.index_progress();
        p.following && p.error.is_none()
    })
    .await;
    let t = std::time::Instant::now();
    loop {
        let h = app.core.history(50, 0).await.unwrap();
        if h.len() == 1 && h[0].status == tidepool_app::views::HistoryStatus::Confirmed {
            break;
        }
        assert!(t.elapsed().as_secs() < 20, "history after the reset: {h:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
