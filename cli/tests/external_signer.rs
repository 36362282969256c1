//! The CLI with an external JSON-RPC signer (Frame's protocol), played by
//! anvil's unlocked dev accounts behind a recording proxy: every transaction
//! of the account goes through the signer's `eth_sendTransaction` (Tidepool
//! never signs), the permit through `eth_signTypedData_v4`; a rejection or a
//! wallet on another chain sends nothing and says so once; a wallet without
//! typed data falls back to an approval and says so.

use std::collections::HashSet;
use std::process::Output;

use alloy::providers::Provider;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, B256, U256};
use tidepool_testkit::cli::{CliDevnet as Net, stderr};
use tidepool_testkit::signer_proxy::SignerProxy;

fn run(net: &Net, proxy: &SignerProxy, me: Address, args: &[&str]) -> Output {
    let me = me.to_string();
    let mut full = vec!["--json", "--external-signer", &proxy.url, "--from", &me];
    full.extend_from_slice(args);
    tokio::task::block_in_place(|| net.run(&full))
}

fn ok(net: &Net, proxy: &SignerProxy, me: Address, args: &[&str]) -> serde_json::Value {
    let out = run(net, proxy, me, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

async fn token(net: &Net, symbol: &str, who: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(net.token(symbol), &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

/// The hashes the signer answered `eth_sendTransaction` with.
fn signer_hashes(proxy: &SignerProxy) -> Vec<B256> {
    proxy
        .calls("eth_sendTransaction")
        .iter()
        .filter_map(|r| r.answer.as_str().and_then(|h| h.parse().ok()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_transaction_goes_through_the_signer() {
    let net = Net::start();
    let proxy = SignerProxy::start(&net.rpc).await.unwrap();
    let me = dev_address(5);
    let n0 = net.nonce(me).await;

    // Swap, approve, deposit (approving both tokens) and withdraw by permit.
    let usdc0 = token(&net, "USDC", me).await;
    let s = ok(&net, &proxy, me, &["swap", "ETH", "USDC", "1"]);
    assert!(token(&net, "USDC", me).await > usdc0);
    ok(&net, &proxy, me, &["approve", "DAI", "5"]);
    let c = net.client().await;
    let allowance = TestToken::new(net.token("DAI"), &c.provider)
        .allowance(me, net.manifest.router)
        .call()
        .await
        .unwrap();
    assert_eq!(
        allowance,
        U256::from(5u64) * U256::from(10u64).pow(U256::from(18u8))
    );
    ok(&net, &proxy, me, &["swap", "ETH", "DAI", "1"]);
    let add = ok(
        &net,
        &proxy,
        me,
        &["liquidity", "add", "USDC", "DAI", "100"],
    );
    assert!(add.get("tx").is_some(), "{add}");
    let before_remove = net.nonce(me).await;
    ok(
        &net,
        &proxy,
        me,
        &["liquidity", "remove", "USDC", "DAI", "--percent", "50"],
    );
    // The withdrawal was one transaction: the permit is a signature, not an approval.
    assert_eq!(net.nonce(me).await, before_remove + 1);
    let typed = proxy.calls("eth_signTypedData_v4");
    assert_eq!(typed.len(), 1, "one permit signed by the wallet");
    assert_eq!(
        typed[0].params[0]
            .as_str()
            .unwrap()
            .parse::<Address>()
            .unwrap(),
        me
    );
    let data: serde_json::Value =
        serde_json::from_str(typed[0].params[1].as_str().unwrap()).unwrap();
    assert_eq!(data["primaryType"], "Permit");
    assert_eq!(data["domain"]["name"], "Tidepool LP");

    // Every transaction the account made is one the signer sent, and the
    // wallet was asked for nothing else that moves value.
    let hashes = signer_hashes(&proxy);
    let n1 = net.nonce(me).await;
    assert_eq!(hashes.len() as u64, n1 - n0, "{:?}", proxy.counts());
    assert_eq!(hashes.iter().collect::<HashSet<_>>().len(), hashes.len());
    for h in &hashes {
        let r = c
            .provider
            .get_transaction_receipt(*h)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.from, me);
        assert!(r.status());
    }
    assert_eq!(
        s["tx"].as_str().unwrap().parse::<B256>().unwrap(),
        hashes[0]
    );
    assert!(proxy.calls("eth_sendRawTransaction").is_empty());
    assert!(proxy.calls("eth_sign").is_empty());
    // Tidepool set the gas limit (from its simulation) and left the nonce to the wallet.
    for r in proxy.calls("eth_sendTransaction") {
        let tx = &r.params[0];
        assert!(tx.get("gas").is_some() && tx.get("nonce").is_none(), "{tx}");
        assert_eq!(tx["from"].as_str().unwrap().parse::<Address>().unwrap(), me);
        assert_eq!(tx["chainId"], "0x7a69");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rejection_and_wrong_chain_send_nothing() {
    let net = Net::start();
    let proxy = SignerProxy::start(&net.rpc).await.unwrap();
    let me = dev_address(6);
    let c = net.client().await;
    let (n0, eth0, usdc0) = (
        net.nonce(me).await,
        c.provider.get_balance(me).await.unwrap(),
        token(&net, "USDC", me).await,
    );

    // The person rejects in the wallet.
    proxy.reject("eth_sendTransaction");
    let out = run(&net, &proxy, me, &["swap", "ETH", "USDC", "1"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(
        err.matches("the request was rejected in the wallet; nothing was sent")
            .count(),
        1,
        "{err}"
    );
    assert_eq!(
        proxy.calls("eth_sendTransaction").len(),
        1,
        "asked once, not retried"
    );

    // The wallet is on another chain: refused before anything is asked.
    proxy.reset_rules();
    proxy.pretend_chain(Some(1));
    let out = run(&net, &proxy, me, &["swap", "ETH", "USDC", "1"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the wallet is on chain 1 but Tidepool checked chain 31337")
            && err.contains("--switch-chain"),
        "{err}"
    );
    assert_eq!(
        proxy.calls("eth_sendTransaction").len(),
        1,
        "nothing more asked"
    );

    // A closed signer: one sentence naming it, and the flag to check.
    let out = tokio::task::block_in_place(|| {
        net.run(&[
            "--external-signer",
            "http://127.0.0.1:9",
            "swap",
            "ETH",
            "USDC",
            "1",
        ])
    });
    let err = stderr(&out);
    assert!(
        !out.status.success()
            && err.contains("the external signer at http://127.0.0.1:9")
            && err.contains("is the wallet running?"),
        "{err}"
    );

    assert_eq!(net.nonce(me).await, n0);
    assert_eq!(c.provider.get_balance(me).await.unwrap(), eth0);
    assert_eq!(token(&net, "USDC", me).await, usdc0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wallet_without_typed_data_withdraws_with_an_approval() {
    let net = Net::start();
    let proxy = SignerProxy::start(&net.rpc).await.unwrap();
    let me = dev_address(8);
    ok(&net, &proxy, me, &["liquidity", "add", "ETH", "USDC", "1"]);
    proxy.unsupported("eth_signTypedData_v4");
    let n0 = net.nonce(me).await;
    let out = tokio::task::block_in_place(|| {
        net.run(&[
            "--external-signer",
            &proxy.url,
            "--from",
            &me.to_string(),
            "liquidity",
            "remove",
            "ETH",
            "USDC",
            "--percent",
            "100",
        ])
    });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.contains("does not sign typed data; approving the LP tokens instead"),
        "{text}"
    );
    // An approval, then the withdrawal: two transactions through the signer.
    assert_eq!(net.nonce(me).await, n0 + 2);
    let weth_usdc = net.manifest.pair(net.token("WETH"), net.token("USDC"));
    let c = net.client().await;
    let lp = TestToken::new(weth_usdc, &c.provider)
        .balanceOf(me)
        .call()
        .await
        .unwrap();
    assert_eq!(lp, U256::ZERO);
}
