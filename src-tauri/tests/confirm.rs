//! Local-wallet signatures are confirmed by the person before the key signs,
//! with text decoded from the bytes being signed: a cancelled swap sends
//! nothing (nonce and balances unchanged), an accepted one sends exactly the
//! amounts, tokens (symbol and address), recipient, bound and fee cap shown.
//! The end-to-end test presses the real native dialog's buttons.

mod common;

use std::sync::atomic::Ordering;

use alloy::providers::Provider;
use common::{App, units};
use tidepool_app::error::ErrorKind;
use tidepool_app::views::TradeKind;
use tidepool_sdk::alloy;
use tidepool_sdk::amount::format_units;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_confirms_exactly_what_is_signed() {
    let app = App::start().await;
    let me = app.use_dev(4);
    let client = app.live().client;
    let (n0, usdc0) = (
        client.provider.get_transaction_count(me).await.unwrap(),
        app.balance("USDC", me).await,
    );

    // Cancelled: nothing is signed or sent.
    app.person.accept.store(false, Ordering::SeqCst);
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let err = app.execute(&q.id, false).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Wallet, "{err:?}");
    assert!(
        err.message.contains("cancelled at the confirmation"),
        "{}",
        err.message
    );
    assert_eq!(client.provider.get_transaction_count(me).await.unwrap(), n0);
    assert_eq!(app.balance("USDC", me).await, usdc0);
    let shown = app.person.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Confirm swap");

    // Accepted: what was shown is what the chain did.
    app.person.accept.store(true, Ordering::SeqCst);
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let r = app.execute(&q.id, false).await.unwrap();
    let shown = app.person.shown();
    assert_eq!(shown.len(), 2);
    let body = &shown[1].body;
    let usdc = app.token("USDC");
    let received = app.balance("USDC", me).await - usdc0;
    let min_out = tidepool_sdk::U256::from_str_radix(&q.limit, 10).unwrap();
    assert!(received >= min_out);
    for needle in [
        format!("from: {}", me.to_checksum(None)),
        "swap: 1 ETH".to_string(),
        format!(
            "receive at least: {} USDC ({usdc})",
            format_units(min_out, 6)
        ),
        format!("recipient: {}", me.to_checksum(None)),
        "network fee: at most".to_string(),
    ] {
        assert!(body.contains(&needle), "{needle:?} not in:\n{body}");
    }
    // The gas limit shown is the one signed.
    let tx = client
        .provider
        .get_transaction_by_hash(r.hash.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let gas = alloy::consensus::Transaction::gas_limit(&tx);
    assert!(body.contains(&format!("gas limit {gas} ")), "{body}");
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        n0 + 1
    );
}
