//! Tokens a trader should not take on faith. A fee-on-transfer token (2%
//! burned on every transfer) in a pool of the devnet: refused while on no
//! token list until confirmed once with `--trust-token`; then the CLI finds the
//! fee by simulating the trade, says so, swaps through Router02's Supporting
//! function, and exactly what the simulation measured arrives — where the
//! plain router call reverts (fee on the way in) or delivers less than it
//! promised (fee on the way out). A token list imported from a file marks the
//! devnet's USDC as listed, a second "USDC" as an imitation; a malformed list
//! is refused and not kept.

use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::sol_types::{SolCall, SolConstructor};
use tidepool_sdk::bindings::{FeeOnTransferToken, TestToken, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, deploy_code, send};
use tidepool_sdk::signer::{SignerSource, dev_address};
use tidepool_testkit::cli::{CliDevnet as Net, u256 as u};

fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u8))
}

async fn bal(c: &Client, token: Address, who: Address) -> U256 {
    TestToken::new(token, &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn fee_on_transfer_swaps_deliver_what_the_simulation_measured() {
    let net = Net::start();
    let c = net.client().await;
    let d0 = c
        .with_signer(&SignerSource::DevAccount(0).load(31337).unwrap())
        .unwrap();
    let me = dev_address(1);
    let usdc = net.token("USDC");
    let args = FeeOnTransferToken::constructorCall {
        name_: "Fee Token".into(),
        symbol_: "FEE".into(),
        decimals_: 18,
        feeBps_: U256::from(200u32),
    }
    .abi_encode();
    let mut code = FeeOnTransferToken::BYTECODE.to_vec();
    code.extend(args);
    let (fee, _) = deploy_code(&d0, code.into()).await.unwrap();
    for (to, amount) in [(dev_address(0), e18(1_000_000)), (me, e18(10_000))] {
        let mint = TestToken::mintCall { to, amount }.abi_encode();
        send(&d0, call_tx(fee, mint, U256::ZERO)).await.unwrap();
    }
    let router = net.manifest.router;
    for t in [fee, usdc] {
        let approve = TestToken::approveCall {
            spender: router,
            amount: U256::MAX,
        }
        .abi_encode();
        send(&d0, call_tx(t, approve, U256::ZERO)).await.unwrap();
    }
    let add = TidepoolRouter::addLiquidityCall {
        tokenA: fee,
        tokenB: usdc,
        amountADesired: e18(100_000),
        amountBDesired: U256::from(100_000_000_000u64),
        amountAMin: U256::ZERO,
        amountBMin: U256::ZERO,
        to: dev_address(0),
        deadline: U256::MAX,
    };
    send(&d0, call_tx(router, add.abi_encode(), U256::ZERO))
        .await
        .unwrap();
    let fee_s = fee.to_string();

    // FEE is on no token list: refused (nothing sent) until confirmed once.
    let nonce = c.provider.get_transaction_count(me).await.unwrap();
    let o = net.run(&["--dev-account", "1", "swap", &fee_s, "USDC", "100"]);
    let e = tidepool_testkit::cli::stderr(&o);
    assert!(
        !o.status.success() && e.contains("is on none of your token lists"),
        "{e}"
    );
    assert!(e.contains(&format!("--trust-token {fee}")), "{e}");
    assert_eq!(
        c.provider.get_transaction_count(me).await.unwrap(),
        nonce,
        "nothing sent"
    );

    // Selling FEE: the pair receives 2% less than the router assumes.
    let u0 = bal(&c, usdc, me).await;
    let s = net.json(&[
        "--dev-account",
        "1",
        "--trust-token",
        &fee_s,
        "swap",
        &fee_s,
        "USDC",
        "100",
    ]);
    let tf = &s["transferFee"];
    assert!(tf.is_object(), "the fee was found: {s}");
    assert_eq!(
        s["function"],
        "swapExactTokensForTokensSupportingFeeOnTransferTokens"
    );
    let (quoted, received) = (u(&tf["quoted"]), u(&tf["received"]));
    assert!(
        received < quoted && tf["bps"].as_u64().unwrap() >= 150,
        "{tf}"
    );
    assert_eq!(
        bal(&c, usdc, me).await - u0,
        received,
        "what arrived is what was measured"
    );
    assert!(u(&s["limit"]) <= received, "the bound is on what arrives");
    // The plain call would revert (the pair's K check).
    let d1 = c
        .with_signer(&SignerSource::DevAccount(1).load(31337).unwrap())
        .unwrap();
    let approve = TestToken::approveCall {
        spender: router,
        amount: e18(100),
    }
    .abi_encode();
    send(&d1, call_tx(fee, approve, U256::ZERO)).await.unwrap();
    let plain = TidepoolRouter::swapExactTokensForTokensCall {
        amountIn: e18(100),
        amountOutMin: U256::ZERO,
        path: vec![fee, usdc],
        to: me,
        deadline: U256::MAX,
    };
    let sim = d1
        .provider
        .call(call_tx(router, plain.abi_encode(), U256::ZERO).from(me))
        .await;
    assert!(sim.is_err(), "the plain router call goes through: {sim:?}");

    // Buying FEE (confirmed once, remembered): 2% is burned on the way out of the pair.
    let f0 = bal(&c, fee, me).await;
    let s = net.json(&["--dev-account", "1", "swap", "USDC", &fee_s, "50"]);
    let tf = &s["transferFee"];
    assert!(tf.is_object(), "{s}");
    let (quoted, received) = (u(&tf["quoted"]), u(&tf["received"]));
    assert_eq!(bal(&c, fee, me).await - f0, received);
    assert_eq!(
        received,
        quoted - quoted * U256::from(200u32) / U256::from(10_000u32)
    );

    // An ordinary token: no fee, the ordinary function.
    let s = net.json(&["--dev-account", "1", "swap", "USDC", "DAI", "10"]);
    assert!(s["transferFee"].is_null(), "{s}");
    assert_eq!(s["function"], "swapExactTokensForTokens");

    // A token list naming the devnet's USDC; a token calling itself USDC elsewhere
    // is flagged as an imitation and refused.
    let list = serde_json::json!({
        "name": "Devnet list", "timestamp": "2026-12-03T00:00:00Z",
        "version": {"major": 1, "minor": 0, "patch": 0},
        "tokens": [{"chainId": 31337, "address": usdc, "name": "USD Coin", "symbol": "USDC", "decimals": 6}]
    });
    let file = net.dir.join("list.json");
    std::fs::write(&file, list.to_string()).unwrap();
    let imported = net.json(&["tokens", "import", file.to_str().unwrap()]);
    assert_eq!(imported["onThisChain"], 1);
    let tokens = net.json(&["tokens"]);
    let row = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["symbol"] == "USDC")
        .unwrap()
        .clone();
    assert!(
        row["lists"].as_str().unwrap().contains("Devnet list"),
        "{row}"
    );
    let args = TestToken::constructorCall {
        name_: "USD Coin".into(),
        symbol_: "USDC".into(),
        decimals_: 6,
    }
    .abi_encode();
    let mut code = TestToken::BYTECODE.to_vec();
    code.extend(args);
    let (fake, _) = deploy_code(&d0, code.into()).await.unwrap();
    let o = net.run(&["--dev-account", "1", "swap", &fake.to_string(), "DAI", "1"]);
    let e = tidepool_testkit::cli::stderr(&o);
    assert!(
        e.contains(&format!("imitates the listed USDC at {usdc}")),
        "{e}"
    );
    let bad = net.dir.join("bad.json");
    std::fs::write(&bad, "{\"name\": \"x\"}").unwrap();
    let o = net.run(&["tokens", "import", bad.to_str().unwrap()]);
    assert!(
        tidepool_testkit::cli::stderr(&o).contains("not a token list"),
        "{}",
        tidepool_testkit::cli::stderr(&o)
    );
    assert_eq!(
        net.json(&["tokens", "lists"]).as_array().unwrap().len(),
        1,
        "the bad list was not kept"
    );
}
