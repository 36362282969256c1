//! End to end, in the real window under Xvfb: a swap held in anvil's
//! mempool shows as pending in the transactions panel, is sped up from
//! there (confirmed in the native dialog) and ends as a success; the review
//! shows the fee choice and its expected and worst-case cost; an unlimited
//! allowance is listed on the Approvals screen and revoked. Screenshots:
//! `target/e2e-screenshots/transactions/`.

mod common;

use std::borrow::Cow;

use common::dialog::Answer;
use common::window::{env, pick, wait_until};
use tidepool_sdk::alloy::network::TransactionBuilder;
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::chain::Client;
use tidepool_sdk::{U256, market, signer, trade};

async fn rpc(c: &Client, method: &'static str, params: serde_json::Value) {
    c.provider
        .raw_request::<_, serde_json::Value>(Cow::Borrowed(method), params)
        .await
        .unwrap_or_else(|e| panic!("{method}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_swap_is_sped_up_from_the_panel_and_ends_mined() {
    let env = env().await;
    let gui = env.launch("transactions").await;
    let me = signer::dev_address(1);
    let client = Client::connect(&env.devnet.url).await.unwrap();

    gui.click("nav-wallet").await;
    gui.click("wallet-dev-use-1").await;
    gui.wait_text("status-account", 10, |t| !t.is_empty()).await;

    // The review: fee presets, and the expected and worst-case fee.
    gui.click("nav-swap").await;
    pick(&gui, "swap-token-in", "ETH").await;
    pick(&gui, "swap-token-out", "USDC").await;
    gui.type_in("swap-amount-in", "1").await;
    gui.wait_text("swap-route", 20, |t| t == "ETH → USDC").await;
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    gui.click("fee-fast").await;
    gui.wait_attr("fee-selector", "data-speed", &["fast"], 10)
        .await;
    gui.find("swap-simulation").await;
    let expected = gui
        .wait_text("swap-fee-expected", 10, |t| t.contains("ETH"))
        .await;
    let worst = gui
        .wait_text("swap-fee-worst", 10, |t| t.contains("ETH"))
        .await;
    gui.shot("review-fees").await;
    assert_ne!(expected, worst, "expected and worst case differ");

    // Held in the mempool: sent, and pending in the panel.
    rpc(&client, "evm_setAutomine", serde_json::json!([false])).await;
    let usdc0 = env.balance("USDC", me).await;
    gui.person.answer(Answer::Accept);
    gui.click("swap-confirm").await;
    gui.wait_attr("swap-status", "data-stage", &["sent"], 60)
        .await;
    let original = gui.attr("swap-status", "data-hash").await.unwrap();
    gui.click("pending-button").await;
    gui.find("pending-panel").await;
    gui.wait_attr("tx-row", "data-state", &["pending"], 20)
        .await;
    assert_eq!(
        gui.attr("tx-row", "data-hash")
            .await
            .unwrap()
            .to_lowercase(),
        original.to_lowercase()
    );
    gui.shot("pending").await;

    // Sped up from the panel (the native dialog confirms the replacement).
    gui.click("speed-up").await;
    wait_until("the speed-up is sent", 60, || async {
        client
            .provider
            .get_transaction_count(me)
            .pending()
            .await
            .unwrap()
            == 1
            && gui.person.answered().len() == 2
    })
    .await;
    let both = "[data-testid='tx-row'][data-state='pending']";
    wait_until(
        "the original and its speed-up pending in the panel",
        20,
        || async {
            gui.c
                .find_all(fantoccini::Locator::Css(both))
                .await
                .map(|rows| rows.len() == 2)
                .unwrap_or(false)
        },
    )
    .await;
    gui.shot("sped-up-pending").await;
    rpc(&client, "evm_mine", serde_json::json!([])).await;

    // The swap ends mined, with the speed-up's hash; the original is shown replaced.
    let stage = gui
        .wait_attr("swap-status", "data-stage", &["mined", "failed"], 60)
        .await;
    assert_eq!(stage, "mined", "{}", gui.text("swap-status").await);
    let mined = gui.attr("swap-status", "data-hash").await.unwrap();
    assert_ne!(mined.to_lowercase(), original.to_lowercase());
    let receipt = client
        .provider
        .get_transaction_receipt(mined.parse().unwrap())
        .await
        .unwrap()
        .expect("the speed-up is mined");
    assert!(receipt.status());
    assert_eq!(client.provider.get_transaction_count(me).await.unwrap(), 1);
    assert!(env.balance("USDC", me).await > usdc0);
    let replaced = format!(
        "[data-testid='tx-row'][data-state='replaced'][data-hash='{}']",
        original
    );
    wait_until("the original shows replaced", 20, || async {
        gui.c
            .find(fantoccini::Locator::Css(&replaced))
            .await
            .is_ok()
    })
    .await;
    gui.find("trade-check").await;
    gui.shot("sped-up-mined").await;
    // The open panel docks beside the page: it hides nothing of the result.
    let panel = gui.find("pending-panel").await.rectangle().await.unwrap();
    for id in ["swap-status", "trade-check"] {
        let (x, _, w, _) = gui.find(id).await.rectangle().await.unwrap();
        assert!(
            x + w <= panel.0,
            "{id} ends at x = {} under the Transactions panel starting at x = {}",
            x + w,
            panel.0
        );
    }
    rpc(&client, "evm_setAutomine", serde_json::json!([true])).await;

    // Approvals: an unlimited allowance listed, then revoked to 0 on chain.
    let usdc = env.devnet.manifest.token("USDC").unwrap().address;
    let router = env.devnet.manifest.router;
    let approve = trade::approve_tx(usdc, router, U256::MAX).with_from(me);
    client
        .provider
        .send_transaction(approve)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    gui.click("pending-close").await;
    gui.click("nav-approvals").await;
    gui.wait_attr("approval-row", "data-unlimited", &["true"], 30)
        .await;
    gui.wait_text("approval-amount", 10, |t| t.contains("Unlimited"))
        .await;
    gui.shot("approvals").await;
    gui.person.answer(Answer::Accept);
    gui.click("revoke").await;
    gui.find("approvals-empty").await;
    gui.shot("approvals-revoked").await;
    let left = market::allowance(&client, usdc, me, router).await.unwrap();
    assert_eq!(left, U256::ZERO);
}
