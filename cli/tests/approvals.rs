//! Approvals and the post-trade check through the `tidepool` CLI on a real
//! anvil: every allowance an account granted is listed (unlimited as such)
//! and revoked to 0 on chain; a token that refuses to change a non-zero
//! allowance (as USDT does) goes 0 → N → M through a reset; and a swap
//! sandwiched by a bot in one block is reported with the right loss.

use std::process::Stdio;

use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{ResetApprovalToken, TestToken, TidepoolPair};
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, U256, math};
use tidepool_testkit::cli::{CliDevnet as Net, stderr};

async fn allowance(net: &Net, token: Address, owner: Address, spender: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(token, &c.provider)
        .allowance(owner, spender)
        .call()
        .await
        .unwrap()
}

fn u256(v: &Value) -> U256 {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn allowances_are_listed_revoked_and_reset_where_tokens_require_it() {
    let net = Net::start();
    let me = dev_address(1);
    let router = net.manifest.router;
    let c = net.client().await;
    // A USDT-like token, deployed and minted by dev account 0 (anvil signs).
    let usdt =
        ResetApprovalToken::deploy_builder(&c.provider, "Tether USD".into(), "USDT".into(), 6)
            .from(dev_address(0))
            .deploy()
            .await
            .unwrap();
    ResetApprovalToken::new(usdt, &c.provider)
        .mint(me, U256::from(1_000_000_000u64))
        .from(dev_address(0))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let usdt_s = usdt.to_string();
    let spender: Address = "0x000000000000000000000000000000000000dEaD"
        .parse()
        .unwrap();
    let spender_s = spender.to_string();
    let dev = ["--dev-account", "1"];
    fn with<'a>(dev: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
        [dev, args].concat()
    }

    net.json(&with(&dev, &["approve", "USDC", "unlimited"]));
    net.json(&with(
        &dev,
        &["approve", "WETH", "2.5", "--spender", &spender_s],
    ));
    net.json(&with(&dev, &["approve", &usdt_s, "5"]));
    // 5 → 7 needs a reset to 0 first on this token.
    net.json(&with(&dev, &["approve", &usdt_s, "7"]));
    assert_eq!(
        allowance(&net, usdt, me, router).await,
        U256::from(7_000_000u64)
    );
    let logs = c
        .provider
        .get_logs(
            &Filter::new()
                .address(usdt)
                .event_signature(TestToken::Approval::SIGNATURE_HASH)
                .from_block(0),
        )
        .await
        .unwrap();
    let values: Vec<U256> = logs
        .iter()
        .map(|l| {
            l.log_decode::<TestToken::Approval>()
                .unwrap()
                .inner
                .data
                .amount
        })
        .collect();
    assert_eq!(
        values,
        [5_000_000u64, 0, 7_000_000].map(U256::from),
        "0 → N → M through a reset"
    );

    let list = net.json(&with(&dev, &["approvals"]));
    let rows = list.as_array().unwrap();
    let find = |sym: &str| {
        rows.iter()
            .find(|r| r["symbol"] == sym)
            .unwrap_or_else(|| panic!("{sym} not listed: {list}"))
    };
    assert_eq!(rows.len(), 3, "{list}");
    assert_eq!(find("USDC")["unlimited"], true);
    assert_eq!(find("USDC")["spenderName"], "router");
    assert_eq!(u256(&find("USDC")["amount"]), U256::MAX);
    assert_eq!(find("WETH")["unlimited"], false);
    assert_eq!(
        find("WETH")["spender"].as_str().unwrap().to_lowercase(),
        spender_s.to_lowercase()
    );
    assert_eq!(find("WETH")["spenderName"], Value::Null);
    assert_eq!(
        u256(&find("WETH")["amount"]),
        U256::from(2_500_000_000_000_000_000u128)
    );
    assert_eq!(u256(&find("USDT")["amount"]), U256::from(7_000_000u64));
    // Another account's list, by address, without sending anything.
    let theirs = net.json(&["approvals", &me.to_string()]);
    assert_eq!(theirs.as_array().unwrap().len(), 3);

    net.json(&with(&dev, &["approvals", "revoke", "USDC"]));
    net.json(&with(
        &dev,
        &["approvals", "revoke", "WETH", "--spender", &spender_s],
    ));
    net.json(&with(&dev, &["approvals", "revoke", &usdt_s]));
    let usdc = net.token("USDC");
    assert_eq!(allowance(&net, usdc, me, router).await, U256::ZERO);
    assert_eq!(
        allowance(&net, net.token("WETH"), me, spender).await,
        U256::ZERO
    );
    assert_eq!(allowance(&net, usdt, me, router).await, U256::ZERO);
    let after = net.json(&with(&dev, &["approvals"]));
    assert_eq!(after, serde_json::json!([]), "{after}");
    let text = net.run(&with(&dev, &["approvals"]));
    assert!(String::from_utf8_lossy(&text.stdout).contains("has no allowances left"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sandwiched_swap_is_reported_with_the_loss() {
    let net = Net::start();
    let (me, bot) = (dev_address(1), dev_address(3));
    let c = net.client().await;
    let usdc = net.token("USDC");
    net.json(&["--dev-account", "3", "approve", "USDC", "unlimited"]);
    net.rpc("evm_setAutomine", serde_json::json!([false])).await;

    let usdc_before = TestToken::new(usdc, &c.provider)
        .balanceOf(me)
        .call()
        .await
        .unwrap();
    let user = net
        .command(&[
            "--json",
            "--dev-account",
            "1",
            "--max-fee",
            "50",
            "--priority-fee",
            "1",
            "swap",
            "ETH",
            "USDC",
            "1",
            "--slippage",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    net.wait_sent(me, 0).await;
    // The bot buys first paying more per gas and sells after paying less
    // (anvil orders its mempool by the fee offered).
    let front = net.json(&[
        "--dev-account",
        "3",
        "--max-fee",
        "100",
        "--priority-fee",
        "5",
        "swap",
        "ETH",
        "USDC",
        "20",
        "--no-wait",
    ]);
    let back = net.json(&[
        "--dev-account",
        "3",
        "--max-fee",
        "20",
        "--priority-fee",
        "0.5",
        "swap",
        "USDC",
        "ETH",
        "30000",
        "--no-wait",
        "--slippage",
        "50",
    ]);
    let parent = c.provider.get_block_number().await.unwrap();
    net.rpc("evm_mine", serde_json::json!([])).await;
    let out = tokio::task::block_in_place(|| user.wait_with_output()).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    let block = c
        .provider
        .get_block_by_number((parent + 1).into())
        .await
        .unwrap()
        .unwrap();
    let order: Vec<String> = block.transactions.hashes().map(|h| h.to_string()).collect();
    assert_eq!(
        order,
        [
            front["tx"].as_str().unwrap(),
            done["tx"].as_str().unwrap(),
            back["tx"].as_str().unwrap()
        ],
        "front-run, the swap, back-run in one block"
    );

    let s = &done["check"]["sandwich"];
    assert_eq!(
        s["attacker"].as_str().unwrap().to_lowercase(),
        bot.to_string().to_lowercase(),
        "{done}"
    );
    assert_eq!(s["front"], front["tx"]);
    assert_eq!(s["back"], back["tx"]);
    assert_eq!(
        s["token"].as_str().unwrap().to_lowercase(),
        usdc.to_string().to_lowercase()
    );
    // What 1 ETH gave against what it would have given at the reserves
    // before the front-run (the parent block's, as nothing else traded).
    let got = TestToken::new(usdc, &c.provider)
        .balanceOf(me)
        .call()
        .await
        .unwrap()
        - usdc_before;
    let pair: Address = s["pair"].as_str().unwrap().parse().unwrap();
    let r = TidepoolPair::new(pair, &c.provider)
        .getReserves()
        .block(parent.into())
        .call()
        .await
        .unwrap();
    let (r0, r1) = (U256::from(r._reserve0), U256::from(r._reserve1));
    let weth = net.manifest.weth;
    let (r_in, r_out) = if weth < usdc { (r0, r1) } else { (r1, r0) };
    let fair = math::get_amount_out(U256::from(10u64).pow(U256::from(18u64)), r_in, r_out).unwrap();
    assert!(fair > got, "the front-run cost the user something");
    assert_eq!(u256(&s["loss"]), fair - got, "{done}");
    assert_eq!(
        u256(done["check"]["actual"].as_array().unwrap().last().unwrap()),
        got
    );
    // Without a sandwich, no report.
    net.rpc("evm_setAutomine", serde_json::json!([true])).await;
    let plain = net.json(&["--dev-account", "1", "swap", "ETH", "USDC", "1"]);
    assert_eq!(plain["check"]["sandwich"], Value::Null, "{plain}");
}
