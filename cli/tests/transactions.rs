//! Transactions a user can trust, through the `tidepool` CLI on a real anvil
//! whose mining the tests hold (`evm_setAutomine false`), drop
//! (`anvil_dropTransaction`) and resume: a pending swap stays pending across
//! an RPC outage and a restart of the command, then shows mined; dropped and
//! replaced ones say so with the right hash; speed-up and cancel replace the
//! original; a fee cap below the base fee sends nothing; two commands at
//! once send one transaction.

use std::process::Stdio;
use std::time::Duration;

use alloy::providers::Provider;
use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, U256};
use tidepool_testkit::cli::{CliDevnet as Net, stderr};
use tidepool_testkit::signer_proxy::SignerProxy;

async fn automine(net: &Net, on: bool) {
    net.rpc("evm_setAutomine", serde_json::json!([on])).await;
}

async fn mine(net: &Net) {
    net.rpc("evm_mine", serde_json::json!([])).await;
}

fn state(net: &Net, hash: &str) -> Value {
    net.json(&["tx", "status", hash])
}

async fn eth(net: &Net, who: Address) -> U256 {
    net.client().await.provider.get_balance(who).await.unwrap()
}

async fn usdc(net: &Net, who: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(net.token("USDC"), &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

fn hash_of(v: &Value) -> String {
    v["tx"].as_str().expect("a tx hash").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_swap_survives_an_outage_and_a_restart_then_shows_mined() {
    let net = Net::start();
    let proxy = SignerProxy::start(&net.rpc).await.unwrap();
    let me = dev_address(1);
    automine(&net, false).await;
    // Sent and not waited for: the command ends (a restart, for the tracker).
    let sent = net.json(&[
        "--rpc",
        &proxy.url,
        "--dev-account",
        "1",
        "swap",
        "ETH",
        "USDC",
        "1",
        "--no-wait",
    ]);
    assert_eq!(sent["pending"], true, "{sent}");
    let hash = hash_of(&sent);
    assert_eq!(state(&net, &hash)["state"], "pending");

    // A swap that is followed while the node goes away and comes back.
    let mut follower = net.command(&[
        "--json",
        "--rpc",
        &proxy.url,
        "--dev-account",
        "2",
        "swap",
        "ETH",
        "USDC",
        "0.5",
    ]);
    let follower = follower
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    net.wait_sent(dev_address(2), 0).await;
    proxy.set_down(true);
    let during = net.run(&["--json", "--rpc", &proxy.url, "tx", "list"]);
    assert!(!during.status.success(), "the node is down");
    tokio::time::sleep(Duration::from_secs(4)).await;
    proxy.set_down(false);
    // Never called failed while the node was away.
    let list = net.json(&["tx", "list"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(rows.iter().all(|r| r["state"] == "pending"), "{list}");

    let before = usdc(&net, me).await;
    mine(&net).await;
    let out = tokio::task::block_in_place(|| follower.wait_with_output()).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let followed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(followed["block"].as_u64().is_some(), "{followed}");
    let s = state(&net, &hash);
    assert_eq!(s["state"], "mined", "{s}");
    assert_eq!(s["success"], true, "{s}");
    assert!(usdc(&net, me).await > before);
    assert_eq!(net.nonce(me).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_replaced_sped_up_and_cancelled_transactions_say_so() {
    let net = Net::start();
    let me = dev_address(1);
    automine(&net, false).await;
    let swap = [
        "--dev-account",
        "1",
        "swap",
        "ETH",
        "USDC",
        "1",
        "--no-wait",
    ];

    // Dropped by the node.
    let a = hash_of(&net.json(&swap));
    net.rpc("anvil_dropTransaction", serde_json::json!([a]))
        .await;
    assert_eq!(state(&net, &a)["state"], "dropped");

    // Sped up: the replacement is mined, the original is replaced by it.
    let b = hash_of(&net.json(&[
        "--dev-account",
        "1",
        "swap",
        "ETH",
        "USDC",
        "1.5",
        "--no-wait",
    ]));
    let up = net.json(&["--dev-account", "1", "tx", "speed-up", &b, "--no-wait"]);
    let c = up["replacement"]["hash"].as_str().unwrap().to_string();
    assert_ne!(b, c);
    let max_fee = |v: Value| -> u128 { v["fees"]["maxFee"].as_str().unwrap().parse().unwrap() };
    let old_fee = max_fee(state(&net, &b));
    let new_fee = max_fee(state(&net, &c));
    assert!(new_fee > old_fee + old_fee / 10, "{old_fee} → {new_fee}");
    mine(&net).await;
    let sb = state(&net, &b);
    assert_eq!(sb["state"], "replaced", "{sb}");
    assert_eq!(sb["by"].as_str(), Some(c.as_str()), "{sb}");
    assert_eq!(state(&net, &c)["state"], "mined");
    assert_eq!(net.nonce(me).await, 1);

    // Cancelled: USDC unchanged, ETH down by the cancellation's fee only.
    let (eth0, usdc0) = (eth(&net, me).await, usdc(&net, me).await);
    let d = hash_of(&net.json(&swap));
    let cancel = net.json(&["--dev-account", "1", "tx", "cancel", &d, "--no-wait"]);
    let e = cancel["replacement"]["hash"].as_str().unwrap().to_string();
    mine(&net).await;
    assert_eq!(state(&net, &d)["by"].as_str(), Some(e.as_str()));
    let se = state(&net, &e);
    assert_eq!(se["state"], "mined", "{se}");
    assert_eq!(se["kind"], "cancel", "{se}");
    let fee: U256 = se["feePaid"].as_str().unwrap().parse().unwrap();
    assert!(fee > U256::ZERO);
    assert_eq!(usdc(&net, me).await, usdc0);
    assert_eq!(eth(&net, me).await, eth0 - fee);

    // Replaced from outside Tidepool (another wallet of the same account):
    // found in the chain, with its hash.
    let f = hash_of(&net.json(&swap));
    let n = net.nonce(me).await;
    let other = net.rpc("eth_sendTransaction",
        serde_json::json!([{
            "from": me, "to": me, "value": "0x1", "nonce": format!("{n:#x}"),
            "gas": "0x5208", "maxFeePerGas": "0x174876e800", "maxPriorityFeePerGas": "0x3b9aca00",
        }]),
    )
    .await;
    mine(&net).await;
    let sf = state(&net, &f);
    assert_eq!(sf["state"], "replaced", "{sf}");
    assert_eq!(sf["by"], other, "{sf}");

    // A swap being followed by one command, sped up from another: the first
    // command ends with the speed-up's receipt, as a success.
    let mut waiting = net.command(&["--json", "--dev-account", "1", "swap", "ETH", "USDC", "2"]);
    let waiting = waiting
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    net.wait_sent(me, net.nonce(me).await).await;
    let list = net.json(&["tx", "list"]);
    let g = list[0]["hash"].as_str().unwrap().to_string();
    assert_eq!(list[0]["state"], "pending", "{list}");
    let up = net.json(&["--dev-account", "1", "tx", "speed-up", &g, "--no-wait"]);
    let h = up["replacement"]["hash"].as_str().unwrap().to_string();
    let usdc1 = usdc(&net, me).await;
    mine(&net).await;
    let out = tokio::task::block_in_place(|| waiting.wait_with_output()).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["tx"].as_str(), Some(h.as_str()), "{done}");
    assert!(usdc(&net, me).await > usdc1);
    assert_eq!(state(&net, &g)["by"].as_str(), Some(h.as_str()));

    // A mined transaction cannot be sped up.
    let again = net.run(&["--dev-account", "1", "tx", "speed-up", &c]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("not pending"), "{}", stderr(&again));
    let list = net.json(&["tx", "list"]);
    // A, B, its speed-up, D, its cancellation, F, G and its speed-up: the
    // other wallet's is not Tidepool's.
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 8, "{list}");
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "swap", "swap", "swap", "cancel", "swap", "swap", "swap", "swap"
        ],
        "{list}"
    );
    let states: Vec<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "mined", "replaced", "replaced", "mined", "replaced", "mined", "replaced", "dropped"
        ],
        "{list}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fees_are_chosen_capped_and_shown_as_signed() {
    let net = Net::start();
    let me = dev_address(1);
    let c = net.client().await;
    let market = c.fee_market().await.unwrap();
    let base = market.base_fee.expect("anvil has EIP-1559");

    // A cap below the next base fee sends nothing.
    let half = base / 2;
    let cap = format!("{}.{:09}", half / 1_000_000_000, half % 1_000_000_000);
    let out = net.run(&[
        "--dev-account",
        "1",
        "--fee-cap",
        &cap,
        "swap",
        "ETH",
        "USDC",
        "1",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("above your fee cap"), "{err}");
    assert!(err.contains("--fee-cap"), "{err}");
    assert_eq!(err.matches("fee cap of").count(), 1, "{err}");
    assert_eq!(net.nonce(me).await, 0);

    // The review's worst case is max fee × gas limit, and that is what is signed.
    let args = [
        "--dev-account",
        "1",
        "--max-fee",
        "3",
        "--priority-fee",
        "1",
        "swap",
        "ETH",
        "USDC",
        "1",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let review = net.json(&dry);
    let fee = &review["fee"];
    let limit = fee["gasLimit"].as_u64().unwrap();
    assert_eq!(fee["perGas"]["maxFee"], "3000000000");
    assert_eq!(
        fee["worstCaseWei"].as_str().unwrap(),
        (U256::from(3_000_000_000u64) * U256::from(limit)).to_string()
    );
    let sent = net.json(&args);
    let tx = c
        .provider
        .get_transaction_by_hash(hash_of(&sent).parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    use alloy::consensus::Transaction as _;
    assert_eq!(tx.max_fee_per_gas(), 3_000_000_000);
    assert_eq!(tx.max_priority_fee_per_gas(), Some(1_000_000_000));
    // The executed swap's own review: its gas limit is the one signed.
    let reviewed = &sent["fee"];
    assert_eq!(
        reviewed["gasLimit"].as_u64(),
        Some(tx.gas_limit()),
        "{sent}"
    );
    assert_eq!(
        reviewed["worstCaseWei"].as_str().unwrap(),
        (U256::from(3_000_000_000u64) * U256::from(tx.gas_limit())).to_string()
    );
    let paid: U256 = sent["feePaidWei"].as_str().unwrap().parse().unwrap();
    assert!(paid <= U256::from(3_000_000_000u64) * U256::from(tx.gas_limit()));
    // A priority fee above the max fee is refused before anything is read.
    let bad = net.run(&[
        "--dev-account",
        "1",
        "--max-fee",
        "1",
        "--priority-fee",
        "2",
        "swap",
        "ETH",
        "USDC",
        "1",
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("above --max-fee"), "{}", stderr(&bad));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_commands_at_once_send_one_transaction() {
    let net = Net::start();
    let me = dev_address(1);
    automine(&net, false).await;
    let args = ["--json", "--dev-account", "1", "swap", "ETH", "USDC", "1"];
    let first = net
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    net.wait_sent(me, 0).await;
    let second = net.run(&args);
    assert!(!second.status.success());
    let err = stderr(&second);
    assert!(err.contains("is being sent right now"), "{err}");
    mine(&net).await;
    let out = tokio::task::block_in_place(|| first.wait_with_output()).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(net.nonce(me).await, 1);
    // The lock is released: the next command sends.
    automine(&net, true).await;
    net.json(&args[1..]);
    assert_eq!(net.nonce(me).await, 2);
}
