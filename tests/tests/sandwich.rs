//! The simulation's sandwich bot on a real devnet: a person's 4 ETH → USDC
//! swap waits in the mempool with a 50 gwei priority fee. With a 5% slippage
//! bound the bot buys just before it and sells just after it, the person
//! gets their minimum (to a hair) and the bot ends up with more WETH; with
//! a 0.5% bound the profit would not pay the two legs' gas, so nothing
//! happens and the person gets the quoted amount.

use tidepool_devnet::sim::{self, Options, Scenario};
use tidepool_sdk::alloy::network::TransactionBuilder;
use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::sol_types::SolCall;
use tidepool_sdk::bindings::{TestToken, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::SignerSource;
use tidepool_testkit::start_devnet;

const GWEI: u128 = 1_000_000_000;

/// Only the bot: no noise, no arbitrage, no liquidity moves, prices still.
fn bot_only(blocks: u64) -> Options {
    let mut s = Scenario::defaults(sim::scenario::devnet_defaults());
    for t in &mut s.tokens {
        (t.volatility, t.jumps_per_day) = (0.0, 0.0);
    }
    Options {
        trades_per_block: 1e-9,
        arbitrage: false,
        providers: false,
        sandwich: true,
        ..Options::new(s, blocks)
    }
}

struct Outcome {
    quoted: U256,
    min: U256,
    received: U256,
    sandwiches: u64,
    block: Vec<String>,
    victim: String,
    bot_weth: (U256, U256),
}

async fn swap_with_slippage(bps: u64) -> Outcome {
    let net = start_devnet(0).await;
    let m = &net.manifest;
    // The agents' wrapping and approvals first, in a block of their own.
    sim::run(&net.url, m, &bot_only(1), |_: &sim::Status| {})
        .await
        .unwrap();
    let base = Client::connect(&net.url).await.unwrap();
    let me = base
        .with_signer(&SignerSource::DevAccount(1).load(base.chain_id).unwrap())
        .unwrap();
    let bot = SignerSource::DevAccount(8)
        .load(base.chain_id)
        .unwrap()
        .address();
    let usdc: Address = m.token("USDC").unwrap().address;
    let weth_of = |who: Address| {
        let c = &base;
        async move {
            TestToken::new(m.weth, &c.provider)
                .balanceOf(who)
                .call()
                .await
                .unwrap()
        }
    };
    let usdc_of = |who: Address| {
        let c = &base;
        async move {
            TestToken::new(usdc, &c.provider)
                .balanceOf(who)
                .call()
                .await
                .unwrap()
        }
    };
    let amount = U256::from(4u64) * U256::from(10u64).pow(U256::from(18u8));
    let path = vec![m.weth, usdc];
    let quoted = *TidepoolRouter::new(m.router, &base.provider)
        .getAmountsOut(amount, path.clone())
        .call()
        .await
        .unwrap()
        .last()
        .unwrap();
    let min = quoted * U256::from(10_000 - bps) / U256::from(10_000u64);
    let (usdc_before, weth_before) = (usdc_of(me.sender().unwrap()).await, weth_of(bot).await);
    // Mining is manual while the simulation runs; it is now, so the swap waits.
    base.provider
        .raw_request::<_, ()>("evm_setAutomine".into(), (false,))
        .await
        .unwrap();
    let call = TidepoolRouter::swapExactETHForTokensCall {
        amountOutMin: min,
        path,
        to: me.sender().unwrap(),
        deadline: U256::MAX,
    };
    let tx = tidepool_sdk::deploy::call_tx(m.router, call.abi_encode(), amount)
        .with_gas_limit(300_000)
        .with_max_priority_fee_per_gas(50 * GWEI)
        .with_max_fee_per_gas(200 * GWEI);
    let victim = *me.provider.send_transaction(tx).await.unwrap().tx_hash();
    let summary = sim::run(&net.url, m, &bot_only(1), |_: &sim::Status| {})
        .await
        .unwrap();
    let receipt = base
        .provider
        .get_transaction_receipt(victim)
        .await
        .unwrap()
        .expect("the swap was mined");
    assert!(receipt.status(), "the swap succeeded");
    let block = summary.blocks.last().unwrap();
    assert_eq!(receipt.block_number, Some(block.number));
    Outcome {
        quoted,
        min,
        received: usdc_of(me.sender().unwrap()).await - usdc_before,
        sandwiches: summary.sandwiches,
        block: block.txs.iter().map(|h| format!("{h:#x}")).collect(),
        victim: format!("{victim:#x}"),
        bot_weth: (weth_before, weth_of(bot).await),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loose_swap_is_sandwiched_down_to_its_bound_and_a_tight_one_is_left_alone() {
    let loose = swap_with_slippage(500).await;
    assert_eq!(loose.sandwiches, 1);
    assert_eq!(loose.block.len(), 3, "{:?}", loose.block);
    assert_eq!(loose.block[1], loose.victim, "bought before, sold after");
    assert!(loose.received >= loose.min, "the bound holds");
    // The loss is what the bound allowed: the person gets their minimum.
    let over = (loose.received - loose.min) * U256::from(1_000_000u64) / loose.min;
    assert!(
        over < U256::from(10u8),
        "received {} for a minimum of {} (quoted {})",
        loose.received,
        loose.min,
        loose.quoted
    );
    assert!(loose.bot_weth.1 > loose.bot_weth.0, "the bot made WETH");

    let tight = swap_with_slippage(50).await;
    assert_eq!(tight.sandwiches, 0);
    assert_eq!(tight.block, vec![tight.victim.clone()]);
    assert_eq!(tight.received, tight.quoted, "nothing came between");
    assert_eq!(tight.bot_weth.0, tight.bot_weth.1);
}
