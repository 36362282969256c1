//! Every kind of bad input gets one clear line, a non-zero exit code, and no
//! transaction: the sender's nonce and balances do not move.

use alloy::providers::Provider;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::deploy::deploy_code;
use tidepool_sdk::signer::{SignerSource, dev_address};
use tidepool_testkit::cli::{CliDevnet as Net, stderr};

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_and_sends_nothing() {
    let net = Net::start();
    let me = dev_address(3);
    let c = net.client().await;

    // A token with no pool at all, for the no-route case.
    let deployer = c
        .with_signer(&SignerSource::DevAccount(0).load(31337).unwrap())
        .unwrap();
    let mut code = TestToken::BYTECODE.to_vec();
    code.extend(alloy::sol_types::SolConstructor::abi_encode(
        &TestToken::constructorCall {
            name_: "Lonely".into(),
            symbol_: "LONE".into(),
            decimals_: 18,
        },
    ));
    let (lonely, _) = deploy_code(&deployer, code.into()).await.unwrap();
    let lonely = lonely.to_string();
    let closed = tidepool_testkit::free_port();
    let dead_rpc = format!("http://127.0.0.1:{closed}");
    let me_str = me.to_string();

    let nonce0 = c.provider.get_transaction_count(me).await.unwrap();
    let eth0 = c.provider.get_balance(me).await.unwrap();

    let d = ["--dev-account", "3"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["swap", "FOO", "USDC", "1"], "unknown token `FOO`"),
        (
            vec!["swap", "0x1234", "USDC", "1"],
            "is not a valid address",
        ),
        (
            vec!["swap", "ETH", "USDC", "abc"],
            "`abc` is not an amount of ETH",
        ),
        (vec!["swap", "ETH", "USDC", "-1"], "is not an amount of ETH"),
        (
            vec!["swap", "USDC", "ETH", "1.0000001"],
            "has 7 decimal places, but USDC has only 6",
        ),
        (vec!["swap", "ETH", "USDC", "0"], "is zero"),
        (vec!["swap", "ETH", "USDC", "0.000"], "is zero"),
        // A token on no list is refused before anything else …
        (
            vec!["swap", "ETH", &lonely, "1"],
            "is on none of your token lists",
        ),
        // … and, once confirmed, has no pool.
        (
            vec!["swap", "ETH", &lonely, "1", "--trust-token", &lonely],
            "no route",
        ),
        (
            vec!["swap", "ETH", "USDC", "1", "--min-out", "1000000"],
            "slippage exceeded",
        ),
        (
            vec!["swap", "USDC", "ETH", "1", "--exact-out", "--max-in", "1"],
            "slippage exceeded",
        ),
        (vec!["swap", "ETH", "USDC", "100000"], "insufficient ETH"),
        (vec!["swap", "ETH", "ETH", "1"], "same"),
        (vec!["swap", "ETH", "WETH", "1"], "same asset"),
        (
            vec!["swap", "ETH", "USDC", "1", "--slippage", "60"],
            "slippage must be between 0 and 50",
        ),
        (
            vec!["swap", "ETH", "USDC", "1", "--deadline", "0"],
            "deadline must be in the future",
        ),
        (
            vec!["swap", "ETH", "USDC", "1", "--to", "0xnothex"],
            "is not a valid address",
        ),
        (
            vec!["--chain-id", "1", "swap", "ETH", "USDC", "1"],
            "on chain 31337, but chain 1 was expected",
        ),
        (
            vec!["--rpc", &dead_rpc, "swap", "ETH", "USDC", "1"],
            "cannot reach the RPC endpoint",
        ),
        (
            vec!["--rpc", "not a url", "swap", "ETH", "USDC", "1"],
            "is not a valid RPC URL",
        ),
        (
            vec!["--dev-account", "12", "swap", "ETH", "USDC", "1"],
            "dev account 12 does not exist",
        ),
        (
            vec!["liquidity", "add", "USDC", "USDC", "1"],
            "two different tokens",
        ),
        (
            vec!["liquidity", "add", "USDC", &lonely, "1"],
            "give both amounts",
        ),
        (
            vec!["liquidity", "remove", "USDC", "DAI", "--percent", "150"],
            "--percent must be above 0",
        ),
        (
            vec!["liquidity", "remove", "USDC", "DAI", "--percent", "10"],
            "holds no USDC/DAI LP tokens",
        ),
        (vec!["approve", "ETH", "1"], "ETH needs no approval"),
        (vec!["balances", "0xabc"], "is not a valid address"),
    ];
    for (args, expected) in &cases {
        // Global flags given in a case replace the default sender.
        let mut full: Vec<&str> = if args.first() == Some(&"--dev-account") {
            vec![]
        } else {
            d.to_vec()
        };
        full.extend(args.iter().copied());
        let out = net.run(&full);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in:\n{err}"
        );
        assert!(
            err.lines().filter(|l| !l.trim().is_empty()).count() <= 3,
            "{args:?}: long error:\n{err}"
        );
        assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
    }
    // No signer at all.
    let out = net.run(&["swap", "ETH", "USDC", "1"]);
    assert!(
        stderr(&out).contains("no account to send from"),
        "{}",
        stderr(&out)
    );
    // A manifest from another chain: the genesis hash differs.
    let mut other = net.manifest.clone();
    other.genesis_hash = Default::default();
    let path = net.dir.join("other.json");
    other.save(&path).unwrap();
    let out = net.run(&[
        "--manifest",
        path.to_str().unwrap(),
        "--dev-account",
        "3",
        "swap",
        "ETH",
        "USDC",
        "1",
    ]);
    assert!(stderr(&out).contains("another chain"), "{}", stderr(&out));
    // A missing manifest.
    let out = net.run(&["--manifest", "nope.json", "pools"]);
    assert!(
        stderr(&out).contains("no deployment manifest at nope.json"),
        "{}",
        stderr(&out)
    );
    // A wrong keystore password.
    let mut rng = rand::thread_rng();
    let (_, name) =
        alloy::signers::local::PrivateKeySigner::new_keystore(&net.dir, &mut rng, "right", None)
            .unwrap();
    let out = net.run_env(
        &[
            "--keystore",
            &net.dir.join(&name).to_string_lossy(),
            "swap",
            "ETH",
            "USDC",
            "1",
        ],
        &[("TIDEPOOL_KEYSTORE_PASSWORD", "wrong")],
    );
    assert!(stderr(&out).contains("wrong password"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("wrong\n"),
        "the password is never echoed"
    );

    assert_eq!(
        c.provider.get_transaction_count(me).await.unwrap(),
        nonce0,
        "no transaction was sent"
    );
    assert_eq!(c.provider.get_balance(me).await.unwrap(), eth0);
    let _ = me_str;
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_sends_nothing_and_keys_stay_secret() {
    let net = Net::start();
    let me = dev_address(4);
    let c = net.client().await;
    let nonce0 = c.provider.get_transaction_count(me).await.unwrap();
    let dry = net.json(&["--dev-account", "4", "swap", "ETH", "DAI", "2", "--dry-run"]);
    assert_eq!(dry["dryRun"], true);
    assert!(dry["gas"].as_u64().unwrap() > 50_000);
    let dry = net.json(&[
        "--dev-account",
        "4",
        "swap",
        "USDC",
        "DAI",
        "5",
        "--dry-run",
    ]);
    assert!(dry["approvalNeeded"].is_string());
    assert_eq!(c.provider.get_transaction_count(me).await.unwrap(), nonce0);
    // A private key from the environment signs, and is never printed, even with debug logs.
    let key = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"; // Anvil dev key 4
    let out = net.run_env(
        &["swap", "ETH", "USDC", "0.5"],
        &[("TIDEPOOL_PRIVATE_KEY", key), ("TIDEPOOL_LOG", "trace")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!all.contains(&key[2..]), "the key leaked into the output");
    assert_eq!(
        c.provider.get_transaction_count(me).await.unwrap(),
        nonce0 + 1
    );
}
