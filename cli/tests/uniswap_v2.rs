//! The CLI on Uniswap's own V2 contracts (the npm build artifacts) deployed on
//! a real anvil beside Tidepool's devnet: `tidepool attach` checks and writes
//! the manifest, then pools are created, traded (tokens, ETH in and out,
//! exact out, two hops, a fee-on-transfer token) and withdrawn, each
//! checked on chain.

use std::path::Path;

use alloy::providers::Provider;
use alloy::sol_types::{SolCall, SolConstructor};
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{FeeOnTransferToken, TestToken, TidepoolFactory, TidepoolRouter};
use tidepool_sdk::deploy::{call_tx, deploy_code, send};
use tidepool_sdk::manifest::{Manifest, Protocol};
use tidepool_sdk::signer::{SignerSource, dev_address};
use tidepool_sdk::{Address, U256};
use tidepool_testkit::cli::{CliDevnet as Net, stderr, u256 as u};

async fn bal(net: &Net, token: Address, who: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(token, &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

fn with_manifest<'a>(path: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--manifest", path, "--dev-account", "1"];
    v.extend_from_slice(args);
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn attach_then_trade_and_provide_on_uniswap_v2() {
    let net = Net::start();
    let me = dev_address(1);
    let deployer = net
        .client()
        .await
        .with_signer(&SignerSource::DevAccount(0).load(31337).unwrap())
        .unwrap();
    let (weth, usdc, dai) = (net.token("WETH"), net.token("USDC"), net.token("DAI"));
    let (factory, router, block) =
        tidepool_testkit::uniswap::deploy_v2(&deployer, weth, dev_address(0)).await;
    let (f, r) = (factory.to_string(), router.to_string());
    let out = net.dir.join("uni.json");
    let out_s = out.to_str().unwrap().to_string();

    // Bad attachments: one clear error each, nothing written.
    let bad: [(&[&str], &str); 4] = [
        (
            &[
                "--factory",
                &f,
                "--router",
                &net.manifest.router.to_string(),
            ],
            "belongs to the factory",
        ),
        (
            &[
                "--factory",
                &f,
                "--router",
                &r,
                "--init-code-hash",
                &net.manifest.init_code_hash.to_string(),
            ],
            "does not match the factory's pairs",
        ),
        (
            &["--factory", &dev_address(5).to_string(), "--router", &r],
            "there is no contract at",
        ),
        (&["--preset", "uniswap-v2-ethereum"], "is on chain 1"),
    ];
    for (args, want) in bad {
        let mut full = vec!["attach", "--out", &out_s];
        full.extend_from_slice(args);
        let o = net.run(&full);
        assert!(!o.status.success(), "{args:?} was accepted");
        let e = stderr(&o);
        assert!(e.contains(want), "{args:?}: {e}");
        assert_eq!(e.matches("error:").count(), 1, "{e}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // No pairs yet: the hash is checked by a simulated createPair, found among the known ones.
    let a = net.json(&[
        "attach",
        "--factory",
        &f,
        "--router",
        &r,
        "--out",
        &out_s,
        "--token",
        &usdc.to_string(),
        "--token",
        &dai.to_string(),
    ]);
    assert_eq!(a["protocol"], "uniswap-v2");
    let m = Manifest::load(Path::new(&out)).unwrap();
    assert_eq!(m.protocol, Protocol::UniswapV2);
    assert_eq!((m.factory, m.router, m.weth), (factory, router, weth));
    assert_eq!(
        m.deploy_block, block,
        "the factory's creation block, found by bisection"
    );
    assert_eq!(m.pair_extension, None);
    let symbols: Vec<&str> = m.tokens.iter().map(|t| t.symbol.as_str()).collect();
    assert_eq!(symbols, ["WETH", "USDC", "DAI"]);
    // Refuses to overwrite the devnet's own manifest with another deployment.
    let o = net.run(&[
        "attach",
        "--factory",
        &f,
        "--router",
        &r,
        "--out",
        net.manifest_path.to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("already describes another deployment"),
        "{}",
        stderr(&o)
    );
    assert_eq!(Manifest::load(&net.manifest_path).unwrap(), net.manifest);

    // New pools on Uniswap's factory through its router: USDC/DAI and ETH/USDC.
    let add = net.json(&with_manifest(
        &out_s,
        &["liquidity", "add", "USDC", "DAI", "200000", "200000"],
    ));
    let usdc_dai = m.pair(usdc, dai);
    let c = net.client().await;
    let on_chain = TidepoolFactory::new(factory, &c.provider)
        .getPair(usdc, dai)
        .call()
        .await
        .unwrap();
    assert_eq!(
        usdc_dai, on_chain,
        "the manifest's hash gives Uniswap's pair"
    );
    assert_eq!(bal(&net, usdc_dai, me).await, u(&add["expectedLiquidity"]));
    net.json(&with_manifest(
        &out_s,
        &["liquidity", "add", "ETH", "USDC", "40", "100000"],
    ));
    // The pool exists now: one amount is enough (the other follows the ratio).
    let more = net.json(&with_manifest(
        &out_s,
        &["liquidity", "add", "USDC", "DAI", "100"],
    ));
    assert_eq!(
        u(&more["amounts"][1]),
        U256::from(100u64) * U256::from(10u64).pow(U256::from(18u8))
    );

    // USDC -> DAI exact in, paid to the wei.
    let q = net.json(&with_manifest(&out_s, &["quote", "USDC", "DAI", "100"]));
    let d0 = bal(&net, dai, me).await;
    net.json(&with_manifest(&out_s, &["swap", "USDC", "DAI", "100"]));
    assert_eq!(bal(&net, dai, me).await - d0, u(&q["amountOut"]));

    // ETH -> DAI: two hops (WETH/USDC, USDC/DAI), ETH in.
    let q = net.json(&with_manifest(&out_s, &["quote", "ETH", "DAI", "0.5"]));
    assert_eq!(q["symbols"], serde_json::json!(["ETH", "USDC", "DAI"]));
    let d0 = bal(&net, dai, me).await;
    net.json(&with_manifest(&out_s, &["swap", "ETH", "DAI", "0.5"]));
    assert_eq!(bal(&net, dai, me).await - d0, u(&q["amountOut"]));

    // DAI -> ETH, exact out 0.1 ETH: the ETH arrives to the wei (less gas).
    let q = net.json(&with_manifest(
        &out_s,
        &["quote", "DAI", "ETH", "0.1", "--exact-out"],
    ));
    let (e0, d0) = (
        c.provider.get_balance(me).await.unwrap(),
        bal(&net, dai, me).await,
    );
    let s = net.json(&with_manifest(
        &out_s,
        &["swap", "DAI", "ETH", "0.1", "--exact-out"],
    ));
    let mut gas = U256::ZERO;
    for key in ["approvalTx", "tx"] {
        if let Some(h) = s[key].as_str() {
            let r = c
                .provider
                .get_transaction_receipt(h.parse().unwrap())
                .await
                .unwrap()
                .unwrap();
            gas += U256::from(r.gas_used) * U256::from(r.effective_gas_price);
        }
    }
    assert!(
        s["approvalTx"].is_string(),
        "DAI was never approved to Uniswap's router"
    );
    let tenth = U256::from(10u64).pow(U256::from(17u8));
    assert_eq!(c.provider.get_balance(me).await.unwrap() + gas - e0, tenth);
    assert_eq!(d0 - bal(&net, dai, me).await, u(&q["amountIn"]));

    // Positions: both pools, read from the LP balances.
    let pos = net.json(&with_manifest(&out_s, &["liquidity", "positions"]));
    let p = pos["positions"].as_array().unwrap();
    assert_eq!(p.len(), 2, "{pos}");
    // Remove half of USDC/DAI with Uniswap's permit, then all of ETH/USDC by --lp.
    let lp = bal(&net, usdc_dai, me).await;
    let rm = net.json(&with_manifest(
        &out_s,
        &["liquidity", "remove", "USDC", "DAI", "--percent", "50"],
    ));
    assert_eq!(u(&rm["liquidity"]), lp / U256::from(2u8));
    assert_eq!(bal(&net, usdc_dai, me).await, lp - lp / U256::from(2u8));
    let eth_pair = m.pair(weth, usdc);
    let lp = bal(&net, eth_pair, me).await;
    let lp_text = tidepool_sdk::amount::format_units(lp, 18);
    net.json(&with_manifest(
        &out_s,
        &["liquidity", "remove", "ETH", "USDC", "--lp", &lp_text],
    ));
    assert_eq!(bal(&net, eth_pair, me).await, U256::ZERO);

    // A token burning 2% per transfer, in a pool on Uniswap's factory: sold
    // through Uniswap's own Router02 Supporting function, and exactly what
    // the simulation measured arrives.
    let args = FeeOnTransferToken::constructorCall {
        name_: "Fee Token".into(),
        symbol_: "FEE".into(),
        decimals_: 18,
        feeBps_: U256::from(200u32),
    }
    .abi_encode();
    let mut code = FeeOnTransferToken::BYTECODE.to_vec();
    code.extend(args);
    let (fee, _) = deploy_code(&deployer, code.into()).await.unwrap();
    let e18 = |n: u64| U256::from(n) * U256::from(10u64).pow(U256::from(18u8));
    for (to, amount) in [(dev_address(0), e18(100_000)), (me, e18(1_000))] {
        let mint = TestToken::mintCall { to, amount }.abi_encode();
        send(&deployer, call_tx(fee, mint, U256::ZERO))
            .await
            .unwrap();
    }
    for t in [fee, usdc] {
        let approve = TestToken::approveCall {
            spender: router,
            amount: U256::MAX,
        }
        .abi_encode();
        send(&deployer, call_tx(t, approve, U256::ZERO))
            .await
            .unwrap();
    }
    // V2's addLiquidity (same interface as Tidepool's router).
    let add = TidepoolRouter::addLiquidityCall {
        tokenA: fee,
        tokenB: usdc,
        amountADesired: e18(50_000),
        amountBDesired: U256::from(50_000_000_000u64),
        amountAMin: U256::ZERO,
        amountBMin: U256::ZERO,
        to: dev_address(0),
        deadline: U256::MAX,
    };
    send(&deployer, call_tx(router, add.abi_encode(), U256::ZERO))
        .await
        .unwrap();
    let fee_s = fee.to_string();
    let u0 = bal(&net, usdc, me).await;
    let s = net.json(&with_manifest(
        &out_s,
        &["--trust-token", &fee_s, "swap", &fee_s, "USDC", "100"],
    ));
    assert_eq!(
        s["function"], "swapExactTokensForTokensSupportingFeeOnTransferTokens",
        "{s}"
    );
    let tf = &s["transferFee"];
    let (quoted, received) = (u(&tf["quoted"]), u(&tf["received"]));
    assert!(received < quoted, "{tf}");
    assert_eq!(bal(&net, usdc, me).await - u0, received);

    // Attaching again now checks the hash against the factory's own pairs.
    let again = net.json(&["attach", "--factory", &f, "--router", &r, "--out", &out_s]);
    assert_eq!(again["initCodeHash"], m.init_code_hash.to_string());
}
