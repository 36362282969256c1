//! End to end, in the real window: a token on none of the person's lists
//! (a second "USDC", with an ETH pool) is found by address in the picker,
//! shown as unverified with its full address, and swapped only after the
//! person ticks that they checked the address; then the picker shows it
//! confirmed.
//! Screenshots under `target/e2e-screenshots/tokens/`.

mod common;

use common::dialog::Answer;
use common::window::{env, pick};
use tidepool_sdk::U256;
use tidepool_sdk::bindings::{TestToken, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::dev_address;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_token_is_checked_by_its_address_before_the_swap() {
    let env = env().await;
    let client = Client::connect(&env.devnet.url).await.unwrap();
    let p = &client.provider;
    let (d0, me) = (dev_address(0), dev_address(1));
    let router = env.devnet.manifest.router;

    // A second "USDC" with a 100 ETH / 250,000 USDC pool, by dev account 0.
    let fake = TestToken::deploy_builder(p, "USD Coin".into(), "USDC".into(), 6)
        .from(d0)
        .deploy()
        .await
        .unwrap();
    let t = TestToken::new(fake, p);
    let usdc = U256::from(250_000_000_000u64);
    t.mint(d0, usdc)
        .from(d0)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    t.approve(router, U256::MAX)
        .from(d0)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    TidepoolRouter::new(router, p)
        .addLiquidityETH(fake, usdc, U256::ZERO, U256::ZERO, d0, U256::MAX)
        .value(U256::from(100u64) * U256::from(10u64).pow(U256::from(18u8)))
        .from(d0)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let fake_s = fake.to_checksum(None);

    let gui = env.launch("tokens").await;
    gui.click("nav-wallet").await;
    gui.click("wallet-dev-use-1").await;
    gui.wait_text("status-account", 10, |t| !t.is_empty()).await;

    // Found by address (the index saw its pool): marked unverified, with
    // its full address, beside the real USDC's row.
    gui.click("nav-swap").await;
    pick(&gui, "swap-token-in", "ETH").await;
    gui.click("swap-token-out").await;
    gui.type_in("token-picker-search", &fake_s).await;
    gui.wait_text("token-full-address", 10, |t| t.contains(&fake_s))
        .await;
    gui.find("token-unverified").await;
    // It copies the symbol of the deployment's own USDC: flagged as such.
    let real = env.devnet.manifest.token("USDC").unwrap().address;
    gui.wait_text("token-imitates", 10, |t| {
        t.contains(&real.to_checksum(None))
    })
    .await;
    gui.shot("picker-unverified").await;
    gui.c
        .find(fantoccini::Locator::Css(&format!(
            "[data-testid='token-option-USDC'][data-address='{fake_s}']"
        )))
        .await
        .expect("the unverified USDC's row")
        .click()
        .await
        .unwrap();

    // Quoted; the review shows the full address and holds the swap until ticked.
    gui.type_in("swap-amount-in", "0.1").await;
    gui.wait_text("swap-route", 20, |t| t == "ETH → USDC").await;
    gui.click("swap-review").await;
    gui.find("swap-simulation").await;
    gui.wait_text("swap-token-confirm-address", 10, |t| t.contains(&fake_s))
        .await;
    assert!(
        gui.attr("swap-confirm", "disabled").await.is_some(),
        "the swap waits for the tick"
    );
    gui.c
        .execute(
            "document.querySelector(\"[data-testid='swap-token-confirm']\").scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    gui.shot("review-unverified").await;
    let quoted: U256 = gui
        .attr("swap-amount-out", "data-base")
        .await
        .expect("data-base on the output")
        .parse()
        .unwrap();
    let before = t.balanceOf(me).call().await.unwrap();
    gui.click("swap-token-confirm-check").await;
    gui.person.answer(Answer::Accept);
    gui.click("swap-confirm").await;
    let stage = gui
        .wait_attr("swap-status", "data-stage", &["mined", "failed"], 60)
        .await;
    gui.shot("swap-done").await;
    assert_eq!(stage, "mined", "{}", gui.text("swap-status").await);
    assert_eq!(t.balanceOf(me).call().await.unwrap() - before, quoted);
    assert_eq!(gui.person.answered().len(), 1);

    // The picker now says it was confirmed, with its full address.
    gui.click("nav-swap").await;
    gui.click("swap-token-out").await;
    gui.find("token-confirmed").await;
    let full = gui.text("token-full-address").await;
    assert!(full.contains(&fake_s), "{full}");
    gui.shot("picker-confirmed").await;
}
