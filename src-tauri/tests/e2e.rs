//! End to end: the real app in a real window under Xvfb, driven through
//! WebDriver (tauri-driver + WebKitWebDriver) as a person would, against a
//! real devnet. Outcomes are checked on chain. Screenshots of each screen are
//! saved under `target/e2e-screenshots/`.

mod common;

use common::chart::assert_candles_drawn;
use common::dialog::Answer;
use common::window::{env, pick, wait_until};
use common::*;
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::signers::local::MnemonicBuilder;
use tidepool_sdk::chain::Client;
use tidepool_sdk::market::Asset;

use tidepool_sdk::{U256, signer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trade_and_provide_liquidity_in_the_window() {
    let env = env().await;
    let gui = env.launch("trading").await;
    let me = signer::dev_address(1);
    gui.shot("start").await;

    // Unlock a dev account.
    gui.click("nav-wallet").await;
    gui.click("wallet-dev-use-1").await;
    gui.wait_text("wallet-active-address", 10, |t| {
        t.eq_ignore_ascii_case(&me.to_checksum(None))
    })
    .await;
    gui.wait_text("status-account", 10, |t| !t.is_empty()).await;
    gui.shot("wallet-dev-account").await;

    // Swap 1 ETH → USDC: USDC goes up by exactly the quoted amount.
    gui.click("nav-swap").await;
    pick(&gui, "swap-token-in", "ETH").await;
    pick(&gui, "swap-token-out", "USDC").await;
    gui.type_in("swap-amount-in", "1").await;
    gui.wait_attr("swap-amount-in", "data-base", &["1000000000000000000"], 20)
        .await;
    gui.wait_text("swap-route", 20, |t| t == "ETH → USDC").await;
    gui.shot("swap-quote").await;
    let usdc0 = env.balance("USDC", me).await;
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    let quoted: U256 = gui
        .attr("swap-amount-out", "data-base")
        .await
        .expect("data-base on the output")
        .parse()
        .unwrap();
    gui.wait_text("swap-change-USDC", 10, |t| t.contains('+'))
        .await;
    gui.shot("swap-review").await;
    // The native dialog asks first; cancelled there, nothing is sent.
    let client = Client::connect(&env.devnet.url).await.unwrap();
    let nonce0 = client.provider.get_transaction_count(me).await.unwrap();
    gui.person.answer(Answer::Cancel);
    gui.click("swap-confirm").await;
    gui.wait_attr("swap-status", "data-stage", &["failed"], 60)
        .await;
    gui.wait_text("swap-error", 10, |t| {
        t.contains("cancelled at the confirmation")
    })
    .await;
    gui.shot("swap-cancelled").await;
    let answered = gui.person.answered();
    assert_eq!(answered.len(), 1, "{answered:?}");
    assert_eq!(answered[0].title, "Confirm swap");
    assert_eq!(answered[0].answer, Answer::Cancel);
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        nonce0
    );
    assert_eq!(env.balance("USDC", me).await, usdc0);
    // Accepted in the dialog: sent and mined.
    gui.person.answer(Answer::Accept);
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    gui.click("swap-confirm").await;
    let stage = gui
        .wait_attr("swap-status", "data-stage", &["mined", "failed"], 60)
        .await;
    assert_eq!(gui.person.answered().len(), 2);
    gui.shot("swap-done").await;
    assert_eq!(stage, "mined", "{}", gui.text("swap-status").await);
    assert_eq!(env.balance("USDC", me).await - usdc0, quoted);

    // Bad input is refused as typed.
    gui.click("swap-flip").await; // now USDC (6 decimals) → ETH
    gui.type_in("swap-amount-in", "1.1234567").await;
    assert_eq!(gui.value("swap-amount-in").await, "1.123456");
    assert!(!gui.text("swap-amount-in-error").await.is_empty());
    gui.type_in("swap-amount-in", "12abc").await;
    assert_eq!(gui.value("swap-amount-in").await, "12");
    gui.shot("bad-amount").await;
    gui.click("swap-flip").await; // back to ETH → USDC

    // An over-slippage trade: reviewed, then the price moves; confirm refuses and sends nothing.
    gui.type_in("swap-amount-in", "10").await;
    gui.wait_attr("swap-amount-in", "data-base", &["10000000000000000000"], 20)
        .await;
    gui.wait_text("swap-route", 20, |t| t == "ETH → USDC").await;
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    let mover = Client::connect(&env.devnet.url)
        .await
        .unwrap()
        .with_signer(&signer::SignerSource::DevAccount(3).load(31337).unwrap())
        .unwrap();
    let plan = tidepool_sdk::trade::plan(
        &mover,
        &env.devnet.manifest,
        tidepool_sdk::trade::SwapRequest {
            asset_in: Asset::Eth,
            asset_out: env.token("USDC"),
            amount: units(100, 18),
            kind: tidepool_sdk::route::TradeKind::ExactIn,
            slippage_bps: 100,
            deadline_secs: 600,
            recipient: None,
            max_hops: 1,
            min_out: None,
            max_in: None,
        },
    )
    .await
    .unwrap();
    tidepool_sdk::trade::execute(&mover, &plan).await.unwrap();
    let client = Client::connect(&env.devnet.url).await.unwrap();
    let nonce = client.provider.get_transaction_count(me).await.unwrap();
    let usdc1 = env.balance("USDC", me).await;
    gui.click("swap-confirm").await;
    gui.wait_attr("swap-status", "data-stage", &["failed"], 30)
        .await;
    gui.wait_text("swap-error", 10, |t| t.contains("slippage"))
        .await;
    gui.shot("swap-over-slippage").await;
    assert_eq!(
        client.provider.get_transaction_count(me).await.unwrap(),
        nonce
    );
    assert_eq!(env.balance("USDC", me).await, usdc1);

    // Add liquidity to TIDE/USDC (ratio-locked), see the position, remove it.
    let (tide, usdc) = (env.token("TIDE"), env.token("USDC"));
    let pair = env.devnet.manifest.pair(
        tide.pool_token(&env.devnet.manifest),
        usdc.pool_token(&env.devnet.manifest),
    );
    let pair_id = format!("{pair:#x}");
    gui.click("nav-liquidity").await;
    gui.click("liq-tab-add").await;
    pick(&gui, "liq-token-a", "TIDE").await;
    pick(&gui, "liq-token-b", "USDC").await;
    gui.type_in("liq-amount-a", "100").await;
    let t = std::time::Instant::now();
    while gui.value("liq-amount-b").await != "200" {
        assert!(
            t.elapsed().as_secs() < 20,
            "B not filled from the pool's ratio: {:?}",
            gui.value("liq-amount-b").await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    gui.find("liq-quote").await;
    gui.shot("liquidity-add").await;
    gui.click("liq-add-submit").await;
    wait_until("LP tokens minted", 60, || async {
        env.lp(pair, me).await > U256::ZERO
    })
    .await;
    gui.wait_attr("liq-status", "data-stage", &["mined"], 30)
        .await;
    let lp = env.lp(pair, me).await;
    gui.shot("liquidity-added").await;
    gui.click("liq-tab-positions").await;
    gui.find(&format!("position-{pair_id}")).await;
    let shown = gui
        .attr(&format!("position-liquidity-{pair_id}"), "data-base")
        .await
        .expect("data-base on the position");
    assert_eq!(shown, lp.to_string());
    gui.shot("positions").await;
    gui.type_in(&format!("position-remove-percent-{pair_id}"), "100")
        .await;
    gui.click(&format!("position-remove-submit-{pair_id}"))
        .await;
    wait_until("LP tokens burned", 60, || async {
        env.lp(pair, me).await.is_zero()
    })
    .await;
    gui.shot("liquidity-removed").await;

    // Pools and the pool page; history.
    gui.click("nav-pools").await;
    gui.find(&format!("pool-row-{pair_id}")).await;
    // The WETH/USDC pool carries this test's swaps: its chart has candles.
    let m = &env.devnet.manifest;
    let weth_usdc = format!("{:#x}", m.pair(m.weth, usdc.pool_token(m)));
    gui.click(&format!("pool-open-{weth_usdc}")).await;
    gui.click("pool-interval-60").await;
    gui.find("pool-chart").await;
    gui.wait_text("pool-swaps", 20, |t| t.contains("WETH →"))
        .await;
    let errors = gui
        .c
        .execute("return window.__tidepoolErrors.join(' | ')", vec![])
        .await
        .unwrap();
    assert_eq!(errors, "", "uncaught errors in the page");
    assert_candles_drawn(&gui, "pool-page").await;
    gui.click("pool-interval-86400").await;
    assert_candles_drawn(&gui, "pool-page-1d").await;
    gui.click("nav-history").await;
    gui.find("history-row").await;
    gui.shot("history").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_a_wallet_from_a_new_mnemonic() {
    let env = env().await;
    let gui = env.launch("wallet").await;
    gui.click("nav-wallet").await;
    gui.click("wallet-create-start").await;
    let mut words = Vec::new();
    for i in 1..=12 {
        words.push(
            gui.text(&format!("wallet-create-word-{i}"))
                .await
                .trim()
                .to_string(),
        );
    }
    let phrase = words.join(" ");
    let address = MnemonicBuilder::english()
        .phrase(phrase.as_str())
        .build()
        .expect("a valid BIP-39 phrase")
        .address();
    gui.shot("mnemonic-shown").await;
    gui.click("wallet-create-next").await;
    let mut asked = 0;
    for i in 1..=12 {
        if gui.has(&format!("wallet-create-confirm-{i}")).await {
            gui.type_in(&format!("wallet-create-confirm-{i}"), &words[i - 1])
                .await;
            asked += 1;
        }
    }
    assert!(asked >= 3, "the confirmation asks for words: {asked}");
    gui.type_in("wallet-create-label", "My wallet").await;
    gui.type_in("wallet-create-password", "a long password")
        .await;
    gui.type_in("wallet-create-password2", "a long password")
        .await;
    gui.shot("mnemonic-confirm").await;
    gui.click("wallet-create-submit").await;
    gui.wait_text("wallet-active-address", 20, |t| {
        t.eq_ignore_ascii_case(&address.to_checksum(None))
    })
    .await;
    gui.shot("wallet-created").await;
    let file = env.home.path().join("data");
    assert!(
        walk(&file).iter().any(|p| p.ends_with("accounts.json")),
        "keystore saved under XDG_DATA_HOME"
    );

    // Lock; a wrong password is refused; the right one unlocks.
    gui.click("wallet-lock").await;
    gui.type_in("wallet-unlock-password", "not the password")
        .await;
    gui.click("wallet-unlock-submit").await;
    gui.wait_text("wallet-error", 20, |t| t.contains("wrong wallet password"))
        .await;
    gui.shot("wallet-wrong-password").await;
    gui.type_in("wallet-unlock-password", "a long password")
        .await;
    gui.click("wallet-unlock-submit").await;
    gui.wait_text("wallet-active-address", 20, |t| {
        t.eq_ignore_ascii_case(&address.to_checksum(None))
    })
    .await;

    // A 20% slippage weakens protection: Settings asks for the password.
    gui.click("nav-settings").await;
    gui.type_in("settings-slippage", "20").await;
    gui.click("settings-save").await;
    gui.wait_text("settings-error", 20, |t| {
        t.contains("enter the wallet password")
    })
    .await;
    gui.type_in("settings-password", "a long password").await;
    gui.shot("settings-password").await;
    gui.click("settings-save").await;
    gui.wait_text("settings-message", 20, |t| t.contains("Saved"))
        .await;
    let saved = std::fs::read_to_string(
        walk(env.home.path())
            .into_iter()
            .find(|p| p.ends_with("settings.json"))
            .expect("settings.json"),
    )
    .unwrap();
    assert!(
        saved.contains("\"slippageBps\": 2000") || saved.contains("\"slippageBps\":2000"),
        "{saved}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_an_external_signer_and_swap() {
    use tidepool_testkit::signer_proxy::SignerProxy;
    let env = env().await;
    // Frame's protocol, played by anvil's unlocked accounts behind a
    // recording proxy: it signs, the app never does.
    let frame = SignerProxy::start(&env.devnet.url).await.unwrap();
    let gui = env.launch("external-signer").await;
    let me = signer::dev_address(0);
    gui.click("nav-wallet").await;
    gui.type_in("wallet-external-url", &frame.url).await;
    gui.click("wallet-connect-external").await;
    gui.wait_text("wallet-remote-summary", 20, |t| t.contains(&frame.url))
        .await;
    gui.wait_text("status-wallet-kind", 10, |t| t == "External signer")
        .await;
    gui.wait_text("wallet-active-address", 10, |t| {
        t.eq_ignore_ascii_case(&me.to_checksum(None))
    })
    .await;
    gui.shot("connected").await;

    gui.click("nav-swap").await;
    pick(&gui, "swap-token-in", "ETH").await;
    pick(&gui, "swap-token-out", "USDC").await;
    gui.type_in("swap-amount-in", "1").await;
    gui.wait_text("swap-route", 20, |t| t == "ETH → USDC").await;
    let usdc0 = env.balance("USDC", me).await;
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    let quoted: U256 = gui
        .attr("swap-amount-out", "data-base")
        .await
        .expect("data-base on the output")
        .parse()
        .unwrap();
    gui.click("swap-confirm").await;
    let stage = gui
        .wait_attr("swap-status", "data-stage", &["mined", "failed"], 60)
        .await;
    gui.shot("swap-done").await;
    assert_eq!(stage, "mined", "{}", gui.text("swap-status").await);
    assert_eq!(env.balance("USDC", me).await - quoted, usdc0);
    // Sent through the signer, confirmed there: no native dialog.
    let sent = frame.calls("eth_sendTransaction");
    assert_eq!(sent.len(), 1, "{:?}", frame.counts());
    let hash = sent[0].answer.as_str().unwrap().to_string();
    let shown = gui
        .attr("swap-status", "data-hash")
        .await
        .unwrap_or_default();
    assert!(shown.eq_ignore_ascii_case(&hash), "{shown} vs {hash}");
    assert!(gui.person.answered().is_empty());
}
