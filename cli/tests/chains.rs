//! `tidepool index` following two chains from one config file into one
//! store, and `tidepool query` reading them one chain at a time: the devnet
//! (31337, its pools) and a second anvil (5151) with Tidepool deployed and
//! one pool created, through the real binary.

use std::process::{Command, Output};

use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TidepoolFactory;
use tidepool_sdk::deploy::{call_tx, deploy_core, send};
use tidepool_sdk::{Address, U256};
use tidepool_testkit::cli::CliDevnet as Net;
use tidepool_testkit::foreign::ForeignChain;
use tidepool_testkit::tidepool_bin;

fn tidepool(dir: &std::path::Path, args: &[&str]) -> Output {
    let run = || {
        Command::new(tidepool_bin())
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .expect("tidepool runs")
    };
    tokio::task::block_in_place(run)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_lines(o: &Output) -> Vec<Value> {
    assert!(o.status.success(), "{}", stderr(o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_run_indexes_two_chains_and_queries_name_their_chain() {
    let net = Net::start();
    let other = ForeignChain::start(5151).await;
    let c = &other.client;
    let me = c.sender().unwrap();
    let m2 = deploy_core(c, me).await.unwrap();
    let pool_token = Address::repeat_byte(0x42);
    let create = TidepoolFactory::createPairCall {
        tokenA: m2.weth,
        tokenB: pool_token,
    };
    send(c, call_tx(m2.factory, create.abi_encode(), U256::ZERO))
        .await
        .unwrap();
    let h1 = net
        .client()
        .await
        .provider
        .get_block_number()
        .await
        .unwrap();
    let h2 = c.provider.get_block_number().await.unwrap();
    let config = format!(
        r#"db = "multi.db"

[[sources]]
rpc = "{}"
manifest = "deployments/31337.json"
to_block = {h1}

[[sources]]
rpc = "{}"
factory = "{:#x}"
from_block = {}
to_block = {h2}
"#,
        net.rpc, other.url, m2.factory, m2.deploy_block
    );
    std::fs::write(net.dir.join("index.toml"), config).unwrap();

    let done = json_lines(&tidepool(
        &net.dir,
        &["--json", "index", "--index-config", "index.toml"],
    ));
    let by_chain: Vec<(u64, u64)> = done
        .iter()
        .map(|l| {
            (
                l["chain_id"].as_u64().unwrap(),
                l["checkpoint"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_chain, [(31337, h1), (5151, h2)]);

    let pairs = |chain: &str| {
        let out = tidepool(
            &net.dir,
            &[
                "--json", "query", "pairs", "--db", "multi.db", "--chain", chain,
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        rows.as_array().unwrap().clone()
    };
    let devnet = net.client().await;
    let devnet_pools: u64 = TidepoolFactory::new(net.manifest.factory, &devnet.provider)
        .allPairsLength()
        .call()
        .await
        .unwrap()
        .to();
    assert_eq!(pairs("31337").len() as u64, devnet_pools);
    let on_other = pairs("5151");
    assert_eq!(on_other.len(), 1, "{on_other:?}");
    let mut tokens = [
        on_other[0]["token0"].as_str().unwrap().to_string(),
        on_other[0]["token1"].as_str().unwrap().to_string(),
    ];
    tokens.sort();
    let mut want = [format!("{:#x}", m2.weth), format!("{pool_token:#x}")];
    want.sort();
    assert_eq!(tokens, want);

    // No chain named on a store of two: one error, and what to pass.
    let out = tidepool(&net.dir, &["query", "pairs", "--db", "multi.db"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("several chains (5151, 31337)"), "{err}");
    assert!(err.contains("pass --chain"), "{err}");
    // A flag that names one source, with a file listing two.
    let out = tidepool(
        &net.dir,
        &["index", "--index-config", "index.toml", "--to-block", "3"],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("--to-block name one source"), "{err}");
    assert!(err.contains("[[sources]]"), "{err}");
}
