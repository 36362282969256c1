//! A scripted trading session through the real CLI on a real devnet: swaps
//! both ways (exact in and exact out, ETH and tokens), a deposit and a
//! withdrawal, each checked against the chain's balances and events.

use alloy::providers::Provider;
use alloy::sol_types::SolEvent;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TestToken, TidepoolPair};
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, U256};
use tidepool_testkit::cli::{CliDevnet as Net, u256 as u};

async fn token_balance(net: &Net, token: Address, who: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(token, &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

async fn eth(net: &Net, who: Address) -> U256 {
    net.client().await.provider.get_balance(who).await.unwrap()
}

async fn gas_cost(net: &Net, tx: &serde_json::Value) -> U256 {
    let hash = tx.as_str().unwrap().parse().unwrap();
    let r = net
        .client()
        .await
        .provider
        .get_transaction_receipt(hash)
        .await
        .unwrap()
        .unwrap();
    U256::from(r.gas_used) * U256::from(r.effective_gas_price)
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_session_leaves_exact_balances() {
    let net = Net::start();
    let me = dev_address(1);
    let (usdc, dai, weth) = (net.token("USDC"), net.token("DAI"), net.token("WETH"));
    let startup_ms = net.ready["startupMs"].as_u64().unwrap();
    eprintln!("devnet start-up: {startup_ms} ms");

    // 1. ETH -> USDC, exact in: the quote is paid to the wei, ETH falls by 1 + gas.
    let q = net.json(&["quote", "ETH", "USDC", "1"]);
    assert_eq!(q["symbols"], serde_json::json!(["ETH", "USDC"]));
    let quoted_out = u(&q["amountOut"]);
    let (usdc0, eth0) = (token_balance(&net, usdc, me).await, eth(&net, me).await);
    let s = net.json(&["--dev-account", "1", "swap", "ETH", "USDC", "1"]);
    assert_eq!(token_balance(&net, usdc, me).await - usdc0, quoted_out);
    let one = U256::from(10u64).pow(U256::from(18u8));
    assert_eq!(
        eth0 - eth(&net, me).await,
        one + gas_cost(&net, &s["tx"]).await
    );
    // The pair's Swap event says the same.
    let c = net.client().await;
    let receipt = c
        .provider
        .get_transaction_receipt(s["tx"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let swap = receipt
        .inner
        .logs()
        .iter()
        .find_map(|l| TidepoolPair::Swap::decode_log_data(l.data()).ok())
        .expect("a Swap event");
    let out = swap.amount0Out.max(swap.amount1Out);
    let inp = swap.amount0In.max(swap.amount1In);
    assert_eq!((inp, out), (one, quoted_out));
    assert_eq!(swap.to, me);

    // 2. USDC -> DAI, exact out 100 DAI (the best route may go through WETH).
    let q = net.json(&["quote", "USDC", "DAI", "100", "--exact-out"]);
    let quoted_in = u(&q["amountIn"]);
    let (usdc1, dai1) = (
        token_balance(&net, usdc, me).await,
        token_balance(&net, dai, me).await,
    );
    net.json(&[
        "--dev-account",
        "1",
        "swap",
        "USDC",
        "DAI",
        "100",
        "--exact-out",
        "--slippage",
        "1",
    ]);
    assert_eq!(
        token_balance(&net, dai, me).await - dai1,
        U256::from(100u64) * one
    );
    assert_eq!(usdc1 - token_balance(&net, usdc, me).await, quoted_in);

    // 3. DAI -> ETH, exact in, to another account.
    let other = dev_address(7);
    let q = net.json(&["quote", "DAI", "ETH", "50"]);
    let e7 = eth(&net, other).await;
    net.json(&[
        "--dev-account",
        "1",
        "swap",
        "DAI",
        "ETH",
        "50",
        "--to",
        &other.to_string(),
    ]);
    assert_eq!(eth(&net, other).await - e7, u(&q["amountOut"]));

    // 4. Add USDC/DAI liquidity by the pool's ratio: the LP minted is the sdk's prediction.
    let pair = net.manifest.pair(usdc, dai);
    let lp0 = token_balance(&net, pair, me).await;
    let (u0, d0) = (
        token_balance(&net, usdc, me).await,
        token_balance(&net, dai, me).await,
    );
    let add = net.json(&[
        "--dev-account",
        "1",
        "liquidity",
        "add",
        "USDC",
        "DAI",
        "1000",
    ]);
    let minted = token_balance(&net, pair, me).await - lp0;
    assert_eq!(minted, u(&add["expectedLiquidity"]));
    assert_eq!(
        u0 - token_balance(&net, usdc, me).await,
        u(&add["amounts"][0])
    );
    assert_eq!(
        d0 - token_balance(&net, dai, me).await,
        u(&add["amounts"][1])
    );
    assert_eq!(u(&add["amounts"][0]), U256::from(1_000_000_000u64));

    // 5. Positions show it; remove half with a permit (no approval transaction).
    let pos = net.json(&["--dev-account", "1", "liquidity", "positions"]);
    let p = pos["positions"].as_array().unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(u(&p[0]["liquidity"]), minted);
    let rm = net.json(&[
        "--dev-account",
        "1",
        "liquidity",
        "remove",
        "USDC",
        "DAI",
        "--percent",
        "50",
    ]);
    assert_eq!(u(&rm["liquidity"]), minted / U256::from(2u8));
    assert_eq!(
        token_balance(&net, pair, me).await,
        minted - minted / U256::from(2u8)
    );
    let (u2, d2) = (
        token_balance(&net, usdc, me).await,
        token_balance(&net, dai, me).await,
    );
    let (eu, ed) = (u(&rm["expected"][0]), u(&rm["expected"][1]));
    assert_eq!(u2 - (u0 - u(&add["amounts"][0])), eu);
    assert_eq!(d2 - (d0 - u(&add["amounts"][1])), ed);
    let allowance = market::allowance(&c, pair, me, net.manifest.router)
        .await
        .unwrap();
    assert_eq!(allowance, U256::ZERO, "the permit was spent exactly");

    // 6. Remove the rest of an ETH pool position by --lp: WETH/USDC via ETH.
    let eth_add = net.json(&["--dev-account", "1", "liquidity", "add", "ETH", "USDC", "2"]);
    let weth_pair = net.manifest.pair(weth, usdc);
    let lp = token_balance(&net, weth_pair, me).await;
    assert_eq!(lp, u(&eth_add["expectedLiquidity"]));
    let lp_text = tidepool_sdk::amount::format_units(lp, 18);
    net.json(&[
        "--dev-account",
        "1",
        "liquidity",
        "remove",
        "ETH",
        "USDC",
        "--lp",
        &lp_text,
        "--no-permit",
    ]);
    assert_eq!(token_balance(&net, weth_pair, me).await, U256::ZERO);

    // Balances as the CLI reports them agree with the chain.
    let b = net.json(&["balances", &me.to_string()]);
    assert_eq!(
        u(&b["balances"]["USDC"]),
        token_balance(&net, usdc, me).await
    );
    let _ = market::balance(&c, &Asset::Eth, me).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_is_a_working_market() {
    let net = Net::start();
    let pools = net.json(&["pools"]);
    let pools = pools.as_array().unwrap();
    assert_eq!(pools.len(), 8);
    // Every pool is priced as the devnet intends: $1 stables, $3,000 ETH, $60,000 BTC, $2 TIDE.
    let usd = |s: &str| match s {
        "USDC" | "USDT" | "DAI" => 1.0,
        "WETH" => 3000.0,
        "WBTC" => 60000.0,
        "TIDE" => 2.0,
        other => panic!("unexpected token {other}"),
    };
    for p in pools {
        let (s0, s1) = (
            p["symbol0"].as_str().unwrap(),
            p["symbol1"].as_str().unwrap(),
        );
        let expected = usd(s0) / usd(s1);
        let price = p["price1Per0"].as_f64().unwrap();
        assert!(
            (price / expected - 1.0).abs() < 1e-9,
            "{s0}/{s1}: {price} vs {expected}"
        );
    }
    let tokens = net.json(&["tokens"]);
    let syms: Vec<&str> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(syms, ["WETH", "USDC", "USDT", "DAI", "WBTC", "TIDE"]);
    // Dev accounts 1-9 hold $10M of every token.
    for k in [1u32, 9] {
        let b = net.json(&["balances", &dev_address(k).to_string()]);
        assert_eq!(u(&b["balances"]["USDC"]), U256::from(10_000_000_000_000u64));
        assert_eq!(
            u(&b["balances"]["WBTC"]),
            U256::from(10_000_000u64 * 100_000_000) / U256::from(60_000u64)
        );
    }
    // The manifest describes this chain.
    let m = &net.manifest;
    assert_eq!(m.chain_id, 31337);
    assert_eq!(
        m.genesis_hash,
        net.client().await.genesis_hash().await.unwrap()
    );
    assert_eq!(m.tokens.len(), 6);
    assert!(m.deploy_block >= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_state_persists_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("chain.json");
    let state_arg = state.to_str().unwrap().to_string();
    let net = Net::start_in(dir.path(), &["--state", &state_arg]);
    assert_eq!(net.ready["reloaded"], false);
    net.json(&["--dev-account", "2", "swap", "ETH", "TIDE", "3"]);
    let tide = net.token("TIDE");
    let held = token_balance(&net, tide, dev_address(2)).await;
    assert!(held > U256::ZERO);
    let factory = net.manifest.factory;
    net.stop();
    assert!(state.is_file(), "anvil saved the state on SIGTERM");
    let again = Net::start_in(dir.path(), &["--state", &state_arg]);
    assert_eq!(again.ready["reloaded"], true);
    assert_eq!(again.manifest.factory, factory);
    assert_eq!(token_balance(&again, tide, dev_address(2)).await, held);
    // Still tradeable after the reload.
    again.json(&["--dev-account", "2", "swap", "TIDE", "USDC", "1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_indexes_its_own_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dev.db");
    let db_arg = db.to_str().unwrap().to_string();
    let mut net = Net::start_in(dir.path(), &["--db", &db_arg]);
    let api: serde_json::Value = {
        use std::io::BufRead;
        let mut line = String::new();
        net.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    let api = api["api"]
        .as_str()
        .expect("the devnet names its HTTP API")
        .to_string();
    let s = net.json(&["--dev-account", "6", "swap", "ETH", "WBTC", "2"]);
    let tx = s["tx"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(recipient) = indexed_recipient(&db, &tx) {
            assert_eq!(recipient, format!("{:#x}", dev_address(6)));
            break;
        }
        let _ = &api;
        assert!(
            std::time::Instant::now() < deadline,
            "the devnet's indexer did not record the swap"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The same trade through the devnet's HTTP API and `tidepool query`.
    let me = format!("{:#x}", dev_address(6));
    let body: serde_json::Value = reqwest::get(format!("{api}/accounts/{me}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body.to_string().contains(&tx), "{body}");
    let q = net.json(&["query", "swaps", "--db", &db_arg, "--account", &me]);
    assert!(q.to_string().contains(&tx), "{q}");
    // And through GraphQL, priced: 2 ETH at the devnet's $3,000.
    let query = format!(
        r#"{{ bundle(id: "1") {{ ethPrice }} swaps(where: {{to: "{me}"}}) {{ transaction {{ id }} amountUSD }} }}"#
    );
    let g: serde_json::Value = reqwest::Client::new()
        .post(format!("{api}/graphql"))
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let eth: f64 = g["data"]["bundle"]["ethPrice"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((eth / 3000.0 - 1.0).abs() < 0.05, "{g}");
    let swap = &g["data"]["swaps"][0];
    assert_eq!(swap["transaction"]["id"], tx, "{g}");
    let usd: f64 = swap["amountUSD"].as_str().unwrap().parse().unwrap();
    assert!((usd / 6000.0 - 1.0).abs() < 0.05, "{g}");
    // And in an exported file: the swap's row, with the header.
    let out = dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let out_arg = out.to_str().unwrap();
    let e = net.json(&[
        "export", "swaps", "--db", &db_arg, "--format", "csv", "--out", out_arg,
    ]);
    let file = out.join("swaps.csv");
    assert_eq!(e["path"].as_str(), file.to_str(), "{e}");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("chain_id,block_number,log_index,tx_hash,timestamp,pair,"),
        "{}",
        lines[0]
    );
    assert_eq!(e["rows"].as_u64(), Some(lines.len() as u64 - 1), "{e}");
    let row = lines
        .iter()
        .find(|l| l.contains(&tx))
        .expect("the swap's row");
    assert!(row.contains(&me), "{row}");
    // A bad path: one clear error, nothing written.
    let bad = net.run(&[
        "export",
        "swaps",
        "--db",
        &db_arg,
        "--format",
        "parquet",
        "--out",
        "/nonexistent-dir/x.parquet",
    ]);
    assert!(!bad.status.success());
    let err = tidepool_testkit::cli::stderr(&bad);
    assert!(
        err.contains("the directory /nonexistent-dir does not exist"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

/// The recipient of the swap in `tx`, read from the index (read-only).
fn indexed_recipient(db: &std::path::Path, tx: &str) -> Option<String> {
    let c = tidepool_indexer::store::Store::open_read_only(db, None).ok()?;
    c.query_row(
        "SELECT recipient FROM swaps WHERE tx_hash = ?1",
        [tx],
        |r| r.get(0),
    )
    .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_writes_a_working_manifest() {
    let net = Net::start();
    let out = net.dir.join("second.json");
    let d = net.json(&[
        "--dev-account",
        "8",
        "deploy",
        "--out",
        out.to_str().unwrap(),
    ]);
    let m = tidepool_sdk::manifest::Manifest::load(&out).unwrap();
    assert_eq!(
        d["deployment"]["factory"].as_str().unwrap().to_lowercase(),
        format!("{:#x}", m.factory)
    );
    assert_ne!(m.factory, net.manifest.factory);
    let c = net.client().await;
    c.check_manifest(&m).await.unwrap();
    let f = tidepool_sdk::bindings::TidepoolFactory::new(m.factory, &c.provider);
    assert_eq!(f.feeToSetter().call().await.unwrap(), dev_address(8));
    assert_eq!(
        m.init_code_hash,
        tidepool_sdk::pair_address::init_code_hash()
    );
    // The new deployment has no pools yet: a quote says so.
    let o = net.run(&[
        "--manifest",
        out.to_str().unwrap(),
        "quote",
        "ETH",
        &format!("{:#x}", net.token("USDC")),
        "1",
    ]);
    assert!(!o.status.success());
    assert!(
        tidepool_testkit::cli::stderr(&o).contains("no route"),
        "{}",
        tidepool_testkit::cli::stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn simulate_moves_the_devnet_market() {
    let net = Net::start();
    let before = net.json(&["pools"]);
    let s = net.json(&["simulate", "--blocks", "6", "--seed", "3"]);
    assert_eq!(s["blocks"], 7, "{s}");
    assert_eq!(s["seed"], 3);
    assert!(s["trades"].as_u64().unwrap() >= 3, "{s}");
    let after = net.json(&["pools"]);
    assert_ne!(before, after, "the pools' reserves moved");
    // Reorgs on demand: two in six blocks, each of one or two blocks; the
    // agents' setup is not repeated (nothing was missing).
    let r = net.json(&[
        "simulate",
        "--blocks",
        "6",
        "--reorg-every",
        "3",
        "--reorg-depth",
        "1-2",
        "--sandwich",
        "--block-time",
        "2",
    ]);
    assert_eq!(r["reorgs"], 2, "{r}");
    let replaced = r["reorgedBlocks"].as_u64().unwrap();
    assert!((2..=4).contains(&replaced), "{r}");
    // Re-included blocks are mined again; dropped ones are not.
    let mined = r["mined"].as_u64().unwrap();
    assert!((6..=6 + replaced).contains(&mined), "{r}");
    // Flags that cannot work: one error each, naming the flag; nothing mined.
    let head = net
        .client()
        .await
        .provider
        .get_block_number()
        .await
        .unwrap();
    for (args, says) in [
        (
            &["simulate", "--reorg-depth", "0", "--reorg-every", "5"][..],
            "is not a depth",
        ),
        (
            &["simulate", "--reorg-depth", "5-2", "--reorg-every", "5"][..],
            "is not a depth",
        ),
        (
            &["simulate", "--reorg-every", "0"][..],
            "--reorg-every must be at least 1",
        ),
        (&["simulate", "--pace", "0x"][..], "is not a pace"),
        (
            &["simulate", "--block-time", "0"][..],
            "--block-time must be at least 1",
        ),
        (
            &["devnet", "--port", "0", "--seed", "4"][..],
            "add --simulate",
        ),
    ] {
        let out = net.run(args);
        assert!(!out.status.success(), "{args:?}");
        let err = tidepool_testkit::cli::stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(
        net.client()
            .await
            .provider
            .get_block_number()
            .await
            .unwrap(),
        head
    );
    // A bad scenario: one error naming the file and the line; nothing mined.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, "seed = 1\n[tokens.TIDE]\nvolatility = -1.0\n").unwrap();
    let head = net
        .client()
        .await
        .provider
        .get_block_number()
        .await
        .unwrap();
    let bad = net.run(&["simulate", "--scenario", file.to_str().unwrap()]);
    assert!(!bad.status.success());
    let err = tidepool_testkit::cli::stderr(&bad);
    assert!(
        err.contains("is not a usable scenario")
            && err.contains("line 3: volatility of TIDE must be a number ≥ 0"),
        "{err}"
    );
    assert_eq!(
        net.client()
            .await
            .provider
            .get_block_number()
            .await
            .unwrap(),
        head
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_simulate_makes_the_market_move_until_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let net = Net::start_in(
        dir.path(),
        &["--simulate", "--seed", "5", "--sim-interval-ms", "50"],
    );
    let c = net.client().await;
    let start = c.provider.get_block_number().await.unwrap();
    let before = net.json(&["pools"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while c.provider.get_block_number().await.unwrap() < start + 10 {
        assert!(
            std::time::Instant::now() < deadline,
            "the simulation mined no blocks"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_ne!(net.json(&["pools"]), before, "the pools moved");
    // Blocks carry the agents' swaps.
    let head = c.provider.get_block_number().await.unwrap();
    let mut txs = 0;
    for n in start + 1..=head {
        txs += c
            .provider
            .get_block_by_number(n.into())
            .await
            .unwrap()
            .unwrap()
            .transactions
            .len();
    }
    assert!(txs >= 10, "{txs} transactions in {} blocks", head - start);
    // A person trades alongside the agents: the swap waits for the
    // simulation's next block and goes through.
    let s = net.json(&["--dev-account", "1", "swap", "ETH", "USDC", "1"]);
    assert!(s["block"].as_u64().unwrap() > head, "{s}");
    net.stop();
}
