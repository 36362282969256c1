//! End to end: the app open on the WETH/USDC pool page while the devnet's
//! market simulation runs an hour of chain time (120 blocks 30 s apart,
//! noise traders, arbitrage, liquidity providers). The page follows the
//! chain as it moves: the simulated traders' swaps are listed and the 1m
//! chart fills with candles going both ways. Screenshots under
//! `target/e2e-screenshots/market/`.

mod common;

use common::chart::{CandlePixels, wait_for_candles};
use common::window::{env, wait_until};
use tidepool_devnet::sim::{self, Options, Scenario};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simulated_market_moves_the_pool_page_and_its_chart() {
    let env = env().await;
    let gui = env.launch("market").await;
    let m = &env.devnet.manifest;
    let usdc = m.token("USDC").unwrap().address;
    let weth_usdc = format!("{:#x}", m.pair(m.weth, usdc));
    gui.click("nav-pools").await;
    gui.click(&format!("pool-open-{weth_usdc}")).await;
    // The pool's details push the interval chips down when they arrive: click
    // once they are shown, and check the click took.
    gui.find("pool-tvl-usd").await;
    gui.click("pool-interval-60").await;
    wait_until("the 1m interval chosen", 10, || async {
        gui.attr("pool-interval-60", "aria-pressed")
            .await
            .as_deref()
            == Some("true")
    })
    .await;
    gui.find("pool-chart").await;
    gui.wait_text("pool-chart-empty", 20, |t| {
        t.contains("No trades in this pool yet")
    })
    .await;
    gui.shot("pool-before").await;

    let mut s = Scenario::defaults(sim::scenario::devnet_defaults());
    s.seed = 21;
    s.block_time = 30;
    let opts = Options {
        trades_per_block: 4.0,
        ..Options::new(s, 120)
    };
    let summary = sim::run(&env.devnet.url, m, &opts, |_: &sim::Status| {})
        .await
        .unwrap();
    assert!(summary.trades > 300, "{} trades", summary.trades);

    let rows = || async {
        gui.c
            .execute(
                "return document.querySelectorAll(\"[data-testid='pool-swaps'] tbody tr\").length",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    };
    wait_until(
        "the simulated swaps listed on the open pool page",
        60,
        || async { rows().await >= 20 },
    )
    .await;
    // The last 24 h are the chain's (its clock runs an hour ahead of the wall's).
    gui.wait_text("pool-volume-usd", 20, |t| {
        t.contains("volume 24h $") && !t.contains("volume 24h $0.00")
    })
    .await;
    // The page shows what is indexed so far; the app's indexer may still be
    // catching up with the last simulated blocks, so wait for the whole hour.
    let an_hour = |n: &CandlePixels| n.columns >= 60 && n.up > 0 && n.down > 0;
    let n = wait_for_candles(&gui, "pool-after-an-hour", 60, an_hour).await;
    assert!(
        !gui.has("pool-chart-empty").await,
        "the empty-chart note is gone"
    );
    assert!(an_hour(&n), "an hour of 1m candles, up and down: {n:?}");
    gui.click("pool-back").await;
    gui.find(&format!("pool-row-{weth_usdc}")).await;
    gui.shot("pools-after-an-hour").await;
}
