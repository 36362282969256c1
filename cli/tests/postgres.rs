//! `tidepool index --db postgres://…` and `tidepool query --db postgres://…`
//! through the real binary, against a private PostgreSQL cluster: the index
//! is written there, read back by the query commands, and a wrong password
//! gets one error with the CLI's hint and no password in the words.

use alloy::providers::Provider;
use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_testkit::cli::{CliDevnet as Net, stderr};
use tidepool_testkit::postgres::PgCluster;

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_indexes_into_postgresql_and_queries_it() {
    let net = Net::start();
    let pg = PgCluster::start().unwrap();
    let url = pg.url();
    let password = pg.password().to_string();
    let head = net
        .client()
        .await
        .provider
        .get_block_number()
        .await
        .unwrap();
    let h = head.to_string();

    // The URL from the environment (TIDEPOOL_DB), as a deployment would.
    let out = net.run_env(
        &["--json", "index", "--to-block", &h],
        &[("TIDEPOOL_DB", &url)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["checkpoint"].as_u64(), Some(head), "{done}");
    let shown = done["db"].as_str().unwrap();
    assert!(
        shown.starts_with("postgres://tidepool@127.0.0.1:"),
        "{shown}"
    );
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!printed.contains(&password), "the password was printed");
    let count = |table: &str| -> u64 {
        pg.psql("tidepool", &format!("SELECT count(*) FROM {table}"))
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(
        count("mints") > 0,
        "the devnet's liquidity is in PostgreSQL"
    );
    let swaps = count("swaps");

    // The query commands read it with --db.
    let out = net.run(&["--json", "query", "pairs", "--db", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pairs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = count("pairs");
    assert!(listed > 0);
    assert_eq!(pairs.as_array().unwrap().len() as u64, listed);
    let counted: u64 = pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["swaps"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, swaps);

    // A wrong password: one error, the CLI's hint, no password in the words.
    let wrong = pg.url_with_wrong_password();
    let out = net.run(&["index", "--to-block", &h, "--db", &wrong]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(err.contains("is the PostgreSQL server up"), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
}
