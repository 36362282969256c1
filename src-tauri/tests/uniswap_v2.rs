//! The app on Uniswap's own V2 contracts (the npm build artifacts) deployed
//! beside the devnet: attached through the app's command, selected in
//! Settings, then pools created, swaps (tokens, ETH in over two hops) and a
//! withdrawal through the app's commands, each checked on chain.

mod common;

use common::*;
use tidepool_app::attach::AttachRequest;
use tidepool_app::txflow::Notify;
use tidepool_app::views::{AddRequest, RemoveRequest, TradeKind};
use tidepool_sdk::U256;
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::manifest::{Manifest, Protocol};
use tidepool_sdk::signer::{SignerSource, dev_address};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_attaches_and_trades_on_uniswap_v2() {
    let app = App::start().await;
    let devnet = app.devnet.as_ref().unwrap().manifest.clone();
    let deployer = app
        .live()
        .client
        .with_signer(&SignerSource::DevAccount(0).load(31337).unwrap())
        .unwrap();
    let (factory, router, _) =
        tidepool_testkit::uniswap::deploy_v2(&deployer, devnet.weth, dev_address(0)).await;
    let req = |router: String| AttachRequest {
        rpc_url: app.url(),
        preset: None,
        factory: Some(factory.to_string()),
        router: Some(router),
        init_code_hash: None,
    };

    // A router of another factory: refused, nothing written.
    let e = app
        .core
        .market_attach(req(devnet.router.to_string()))
        .await
        .unwrap_err();
    assert!(
        e.message.contains("belongs to the factory"),
        "{}",
        e.message
    );
    let e = app
        .core
        .market_attach(AttachRequest {
            preset: Some("uniswap-v2-ethereum".into()),
            ..req(router.to_string())
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("is on chain 1"), "{}", e.message);
    assert!(!app.dir.path().join("config/deployments").exists());
    assert_eq!(
        app.core.market_presets().len(),
        tidepool_sdk::presets::PRESETS.len()
    );

    // Attach, point Settings at it, and wait for the reconnection.
    let view = app
        .core
        .market_attach(req(router.to_string()))
        .await
        .unwrap();
    let m = Manifest::load(std::path::Path::new(&view.manifest_path)).unwrap();
    assert_eq!(
        (m.protocol, m.factory, m.router),
        (Protocol::UniswapV2, factory, router)
    );
    let mut settings = app.core.settings();
    settings.manifest_path = Some(view.manifest_path.clone());
    app.core.settings_save(settings, None).unwrap();
    app.wait("on Uniswap's factory", |c| {
        c.live_opt().is_some_and(|l| l.manifest.factory == factory)
    })
    .await;
    let me = app.use_dev(1);
    let none = Notify::none();
    let bal = |token: tidepool_sdk::Address| {
        let client = app.live().client;
        async move {
            TestToken::new(token, &client.provider)
                .balanceOf(me)
                .call()
                .await
                .unwrap()
        }
    };
    let (usdc, dai) = (
        devnet.token("USDC").unwrap().address,
        devnet.token("DAI").unwrap().address,
    );

    // Uniswap's manifest lists only WETH: the devnet's tokens are unverified
    // there, refused before anything is signed, then confirmed once.
    let nonce = app
        .live()
        .client
        .provider
        .get_transaction_count(me)
        .await
        .unwrap();
    let e = app
        .core
        .liquidity_add(
            AddRequest {
                token_a: app.token("USDC"),
                token_b: app.token("DAI"),
                amount_a: units(1, 6).to_string(),
                amount_b: Some(units(1, 18).to_string()),
                fee: None,
            },
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        tidepool_app::error::ErrorKind::UnverifiedToken,
        "{}",
        e.message
    );
    assert_eq!(
        app.live()
            .client
            .provider
            .get_transaction_count(me)
            .await
            .unwrap(),
        nonce,
        "nothing sent"
    );
    for t in [usdc, dai] {
        app.core.token_confirm(&t.to_string()).await.unwrap();
    }

    // New pools: USDC/DAI and ETH/USDC.
    for (a, b, amount_a, amount_b) in [
        (
            app.token("USDC"),
            app.token("DAI"),
            units(200_000, 6),
            units(200_000, 18),
        ),
        (
            "ETH".to_string(),
            app.token("USDC"),
            units(40, 18),
            units(100_000, 6),
        ),
    ] {
        let add = AddRequest {
            token_a: a,
            token_b: b,
            amount_a: amount_a.to_string(),
            amount_b: Some(amount_b.to_string()),
            fee: None,
        };
        let q = app.core.liquidity_quote_add(add.clone()).await.unwrap();
        assert!(!q.exists);
        app.core.liquidity_add(add, &none).await.unwrap();
    }
    let usdc_dai = m.pair(usdc, dai);
    assert!(
        bal(usdc_dai).await > U256::ZERO,
        "LP tokens of Uniswap's pair"
    );

    // USDC -> DAI, then ETH -> DAI over two hops: paid as quoted.
    for (a, b, amount) in [("USDC", "DAI", units(100, 6)), ("ETH", "DAI", units(1, 17))] {
        let mut q = app.quote(a, b, amount, TradeKind::ExactIn).await.unwrap();
        if q.needs_approval {
            app.core.swap_approve(&q.id, false, &none).await.unwrap();
            q = app.quote(a, b, amount, TradeKind::ExactIn).await.unwrap();
            assert!(!q.needs_approval, "approved to Uniswap's router");
        }
        let d0 = bal(dai).await;
        app.execute(&q.id, false).await.unwrap();
        assert_eq!(
            (bal(dai).await - d0).to_string(),
            q.amount_out,
            "{a} -> {b}"
        );
        if a == "ETH" {
            assert_eq!(q.route.len(), 2, "two pools: {:?}", q.route);
        }
    }

    // Positions from the market state; withdraw half of USDC/DAI.
    let pos = app.core.positions().await.unwrap();
    assert_eq!(pos.len(), 2, "{pos:?}");
    let lp = bal(usdc_dai).await;
    app.core
        .liquidity_remove(
            RemoveRequest {
                pair: usdc_dai.to_checksum(None),
                percent: 50,
                receive_eth: false,
                fee: None,
            },
            &none,
        )
        .await
        .unwrap();
    assert_eq!(bal(usdc_dai).await, lp - lp / U256::from(2u8));
}
