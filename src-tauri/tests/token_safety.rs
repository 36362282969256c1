//! Tokens people cannot trust, through the app's commands on a real devnet:
//! a hostile token (its `balanceOf` and `symbol` revert once switched on), a
//! pre-standard token with a `bytes32` symbol, a look-alike "USDC" and a
//! token claiming absurd decimals. Lists, quotes and screens for the other
//! tokens keep working; unverified tokens are refused (nothing sent) until
//! confirmed; the look-alike is flagged once a token list names the real USDC.

mod common;

use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use common::*;
use tidepool_app::error::ErrorKind;
use tidepool_app::txflow::Notify;
use tidepool_app::views::{AddRequest, HistoryKind, TokenOddity, TradeKind};
use tidepool_sdk::U256;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{Bytes32Token, HostileToken, TestToken};
use tidepool_sdk::signer::dev_address;

fn padded(s: &str) -> B256 {
    let mut b = [0u8; 32];
    b[..s.len()].copy_from_slice(s.as_bytes());
    B256::from(b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misbehaving_and_look_alike_tokens_are_shown_as_such_and_break_nothing() {
    let app = App::start().await;
    let p = app.live().client.provider.clone();
    let (d0, me) = (dev_address(0), dev_address(1));
    let mined = |r: alloy::contract::Result<
        alloy::providers::PendingTransactionBuilder<alloy::network::Ethereum>,
    >| async move { r.unwrap().get_receipt().await.unwrap() };

    // Deployed and minted by dev account 0 (anvil signs for it).
    let hostile = HostileToken::deploy_builder(&p, "Hostile".into(), "HOST".into(), 18)
        .from(d0)
        .deploy()
        .await
        .unwrap();
    let maker = Bytes32Token::deploy_builder(&p, padded("MKR"), padded("Maker"))
        .from(d0)
        .deploy()
        .await
        .unwrap();
    let fake_usdc = TestToken::deploy_builder(&p, "USD Coin".into(), "USDC".into(), 6)
        .from(d0)
        .deploy()
        .await
        .unwrap();
    let absurd = TestToken::deploy_builder(&p, "Absurd".into(), "ABS".into(), 60)
        .from(d0)
        .deploy()
        .await
        .unwrap();
    let e18 = |n: u64| U256::from(n) * U256::from(10u64).pow(U256::from(18u8));
    mined(
        HostileToken::new(hostile, &p)
            .mint(me, e18(1_000))
            .from(d0)
            .send()
            .await,
    )
    .await;
    mined(
        Bytes32Token::new(maker, &p)
            .mint(me, e18(1_000))
            .from(d0)
            .send()
            .await,
    )
    .await;
    mined(
        TestToken::new(fake_usdc, &p)
            .mint(me, U256::from(10u64.pow(12)))
            .from(d0)
            .send()
            .await,
    )
    .await;

    app.use_dev(1);
    let none = Notify::none();
    let nonce = || {
        let p = p.clone();
        async move { p.get_transaction_count(me).await.unwrap() }
    };

    // An unverified token is refused before anything is signed, until confirmed.
    let add = |token: Address| AddRequest {
        token_a: "ETH".into(),
        token_b: token.to_checksum(None),
        amount_a: e18(1).to_string(),
        amount_b: Some(e18(100).to_string()),
        fee: None,
    };
    let n0 = nonce().await;
    let e = app.core.liquidity_add(add(maker), &none).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnverifiedToken, "{}", e.message);
    assert!(e.message.contains(&maker.to_string()), "{}", e.message);
    assert_eq!(nonce().await, n0, "nothing sent");
    for t in [hostile, maker] {
        let v = app.core.token_confirm(&t.to_string()).await.unwrap();
        assert!(v.confirmed && !v.verified, "{v:?}");
        app.core.liquidity_add(add(t), &none).await.unwrap();
    }

    // A token list naming the real USDC: the look-alike is flagged.
    let real_usdc = app
        .devnet
        .as_ref()
        .unwrap()
        .manifest
        .token("USDC")
        .unwrap()
        .address;
    let list = app.dir.path().join("list.json");
    std::fs::write(
        &list,
        serde_json::json!({
            "name": "Test List",
            "timestamp": "2026-12-01T00:00:00Z",
            "version": {"major": 1, "minor": 0, "patch": 0},
            "tokens": [{
                "chainId": 31337, "address": real_usdc.to_checksum(None),
                "symbol": "USDC", "name": "USD Coin", "decimals": 6
            }]
        })
        .to_string(),
    )
    .unwrap();
    let bad = app
        .core
        .token_list_import("/nonexistent/list.json")
        .await
        .unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Input, "{}", bad.message);
    let l = app
        .core
        .token_list_import(list.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (l.name.as_str(), l.tokens, l.on_this_chain),
        ("Test List", 1, 1)
    );
    assert_eq!(app.core.token_lists().len(), 1);
    let fake = app.core.token_lookup(&fake_usdc.to_string()).await.unwrap();
    assert_eq!(fake.imitates, Some(real_usdc.to_checksum(None)), "{fake:?}");
    assert!(!fake.verified && fake.warning.as_deref().unwrap().contains("Imitates"));
    let real = app.core.token_lookup(&real_usdc.to_string()).await.unwrap();
    assert!(
        real.verified && real.lists.iter().any(|l| l == "Test List"),
        "{real:?}"
    );

    // The hostile token turns hostile; every odd token is imported.
    mined(
        HostileToken::new(hostile, &p)
            .setHostile(true)
            .from(d0)
            .send()
            .await,
    )
    .await;
    for t in [hostile, maker, fake_usdc, absurd] {
        app.core.token_import(&t.to_string()).await.unwrap();
    }
    let list = app
        .core
        .tokens_list()
        .await
        .expect("the list survives them");
    let find = |a: Address| {
        list.iter()
            .find(|t| t.address == a.to_checksum(None))
            .unwrap_or_else(|| panic!("{a} listed: {list:?}"))
            .clone()
    };
    let h = find(hostile);
    assert!(h.balance.is_none(), "{h:?}");
    assert!(
        h.oddities.contains(&TokenOddity::BalanceUnreadable),
        "{h:?}"
    );
    let m = find(maker);
    assert_eq!(m.symbol, "MKR");
    assert_eq!(m.oddities, vec![TokenOddity::Bytes32Symbol]);
    assert!(m.balance.as_deref().is_some_and(|b| b != "0"), "{m:?}");
    assert!(find(absurd).oddities.contains(&TokenOddity::AbsurdDecimals));
    let f = find(fake_usdc);
    assert_eq!(f.balance.as_deref(), Some("1000000000000"));
    assert!(f.imitates.is_some());
    let r = find(real_usdc);
    assert!(
        r.verified && r.balance.is_some() && r.oddities.is_empty(),
        "{r:?}"
    );
    let looked = app.core.token_lookup(&hostile.to_string()).await.unwrap();
    assert_eq!(looked.symbol, "?");
    assert!(
        looked.oddities.contains(&TokenOddity::NoSymbol),
        "{looked:?}"
    );

    // Other tokens still quote and trade; the pools list still loads.
    // (The index catches up with the two new pools within a few blocks.)
    let t = std::time::Instant::now();
    loop {
        let pools = app.core.pools_list().await.expect("pools survive them");
        if pools.len() >= 10 {
            break;
        }
        assert!(t.elapsed().as_secs() < 30, "{} pools", pools.len());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let q = app
        .quote("USDC", "DAI", units(50, 6), TradeKind::ExactIn)
        .await
        .unwrap();
    assert!(q.token_in.verified && q.token_out.verified);

    // ETH -> MKR (bytes32, confirmed): paid as quoted.
    let q = app
        .quote(
            "ETH",
            &maker.to_string(),
            U256::from(10u64.pow(16)),
            TradeKind::ExactIn,
        )
        .await
        .unwrap();
    assert!(
        q.token_out.confirmed && q.token_out.symbol == "MKR",
        "{:?}",
        q.token_out
    );
    let b0 = Bytes32Token::new(maker, &p)
        .balanceOf(me)
        .call()
        .await
        .unwrap();
    app.execute(&q.id, false).await.unwrap();
    let b1 = Bytes32Token::new(maker, &p)
        .balanceOf(me)
        .call()
        .await
        .unwrap();
    assert_eq!((b1 - b0).to_string(), q.amount_out);

    // Into the hostile token: quoted from reserves, refused by the checks
    // (its pair cannot read balances any more); nothing sent.
    let n0 = nonce().await;
    if let Ok(q) = app
        .quote(
            "ETH",
            &hostile.to_string(),
            U256::from(10u64.pow(16)),
            TradeKind::ExactIn,
        )
        .await
    {
        let e = app.execute(&q.id, false).await.unwrap_err();
        assert_ne!(e.kind, ErrorKind::Internal, "{}", e.message);
    }
    assert_eq!(nonce().await, n0, "nothing sent");

    // History: the MKR swap is marked unverified on its MKR side and valued in USD.
    let t = std::time::Instant::now();
    let row = loop {
        let rows = app.core.history(50, 0).await.unwrap();
        if let Some(r) = rows
            .into_iter()
            .find(|r| r.kind == HistoryKind::Swap && r.symbol_b == "MKR" && r.block.is_some())
        {
            break r;
        }
        assert!(t.elapsed().as_secs() < 30, "the swap reaches the history");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(row.verified_a && !row.verified_b, "{row:?}");
    let usd = row.value_usd.expect("ETH is priced");
    assert!(usd > 1.0 && usd < 1_000.0, "0.01 ETH in USD: {usd}");

    // ETH -> USDC: valued by the USDC it fetched (a stablecoin is worth then
    // what it is worth now), not by ETH at today's price.
    let q = app
        .quote(
            "ETH",
            &real_usdc.to_string(),
            U256::from(10u64.pow(17)),
            TradeKind::ExactIn,
        )
        .await
        .unwrap();
    app.execute(&q.id, false).await.unwrap();
    let row = loop {
        let rows = app.core.history(50, 0).await.unwrap();
        if let Some(r) = rows
            .into_iter()
            .find(|r| r.kind == HistoryKind::Swap && r.symbol_b == "USDC" && r.block.is_some())
        {
            break r;
        }
        assert!(
            t.elapsed().as_secs() < 60,
            "the USDC swap reaches the history"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(row.amount_b, q.amount_out, "{row:?}");
    let fetched = q.amount_out.parse::<f64>().unwrap() / 1e6;
    let usd = row.value_usd.expect("USDC is priced");
    assert!(
        (usd - fetched).abs() < 1e-6,
        "valued at {usd}, fetched {fetched} USDC"
    );
}
