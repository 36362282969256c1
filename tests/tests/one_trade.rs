//! One trade followed across the whole product: `tidepool devnet` (the real
//! binary, indexing its own chain and serving the HTTP API), a swap by the
//! `tidepool` CLI, then the devnet's index, its HTTP API and the desktop app's
//! history (its core, connected to the same devnet with the same account
//! active, indexing the chain with its embedded indexer) must all report that
//! trade: the same transaction, the same account, and the same amounts in and
//! out, exact in base units and equal to what the CLI said.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tidepool_app::core::{Core, Dirs};
use tidepool_app::settings::{Settings, SettingsFile};
use tidepool_app::views::{HistoryKind, HistoryRow, HistoryStatus};
use tidepool_sdk::pair_address::sort_tokens;
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, U256};
use tidepool_testkit::cli::{CliDevnet, u256};
use tidepool_testkit::wait_for;

/// How long each indexer gets to record the trade.
const INDEXED_WITHIN: Duration = Duration::from_secs(30);

/// The trade as every component must report it (addresses and hashes as
/// lowercase hex, amounts as decimal base units).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trade {
    tx: String,
    account: String,
    pair: String,
    amount_in: String,
    amount_out: String,
}

fn hex(a: Address) -> String {
    format!("{a:#x}")
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a string"))
        .to_string()
}

/// The app's core on `rpc` with its files under `dir`, connected, with
/// `account` active.
async fn app_core(dir: &Path, rpc: &str, manifest: &Path, account: Address) -> Arc<Core> {
    let dirs = Dirs {
        config: dir.join("config"),
        data: dir.join("data"),
        downloads: dir.join("downloads"),
    };
    SettingsFile {
        settings: Settings {
            rpc_url: rpc.to_string(),
            manifest_path: Some(manifest.display().to_string()),
            ..Settings::default()
        },
        imported: vec![],
    }
    .save(&dirs.config.join("settings.json"))
    .expect("the app's settings save");
    let core = Core::new(dirs).expect("the app's core opens");
    tidepool_app::network::start(&core);
    wait_for("the app connects", Duration::from_secs(20), async || {
        core.live_opt()
            .map(|_| ())
            .ok_or_else(|| format!("{:?}", core.connection()))
    })
    .await;
    core.wallet_select(&account.to_checksum(None))
        .expect("the dev account becomes active");
    core
}

/// The trade as the devnet's SQLite index holds it.
fn from_index(db: &Path, tx: &str, token_in: Address, token_out: Address) -> Result<Trade, String> {
    let conn =
        tidepool_indexer::store::Store::open_read_only(db, None).map_err(|e| e.to_string())?;
    let row: (String, String, String, String, String, String, String) = conn
        .query_row(
            "SELECT tx_hash, recipient, pair, amount0_in, amount1_in, amount0_out, amount1_out
             FROM swaps WHERE tx_hash = ?1",
            [tx],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .map_err(|e| format!("no swap row for {tx} yet: {e}"))?;
    let (tx_hash, recipient, pair, a0_in, a1_in, a0_out, a1_out) = row;
    let (token0, _) = sort_tokens(token_in, token_out);
    // Exactly one side in and the other out.
    let (amount_in, amount_out, unused_in, unused_out) = if token0 == token_in {
        (a0_in, a1_out, a1_in, a0_out)
    } else {
        (a1_in, a0_out, a0_in, a1_out)
    };
    assert_eq!(
        (unused_in.as_str(), unused_out.as_str()),
        ("0", "0"),
        "{tx}"
    );
    Ok(Trade {
        tx: tx_hash,
        account: recipient,
        pair,
        amount_in,
        amount_out,
    })
}

/// GET `url`, as JSON.
async fn get(url: &str) -> Result<Value, String> {
    let r = reqwest::get(url).await.map_err(|e| e.to_string())?;
    let status = r.status();
    let body: Value = r.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{url}: {status}: {body}"));
    }
    Ok(body)
}

/// The one row of `rows` (a JSON array) whose `tx_hash` is `tx`.
fn row_of(rows: &Value, tx: &str) -> Result<Value, String> {
    let found: Vec<&Value> = rows
        .as_array()
        .ok_or_else(|| format!("not a list: {rows}"))?
        .iter()
        .filter(|r| r["tx_hash"] == tx)
        .collect();
    match found[..] {
        [one] => Ok(one.clone()),
        [] => Err(format!("{tx} not among {rows}")),
        _ => panic!("{tx} is in the list {} times: {rows}", found.len()),
    }
}

/// The app's history rows of `tx`.
fn app_rows(history: &[HistoryRow], tx: &str) -> Vec<HistoryRow> {
    history
        .iter()
        .filter(|r| r.tx_hash.eq_ignore_ascii_case(tx))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_cli_swap_is_the_same_trade_in_the_index_the_api_and_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("devnet.db");
    let mut net = CliDevnet::start_in(dir.path(), &["--db", db.to_str().unwrap()]);
    let api = text(&net.read_json()["api"]);
    let me = dev_address(1);
    let (weth, usdc) = (net.manifest.weth, net.token("USDC"));
    let core = app_core(&dir.path().join("app"), &net.rpc, &net.manifest_path, me).await;

    // The swap, as the CLI reports it.
    let said = net.json(&["--dev-account", "1", "swap", "ETH", "USDC", "1"]);
    let route = &said["route"];
    let path: Vec<String> = route["path"].as_array().unwrap().iter().map(text).collect();
    assert_eq!(
        path.iter().map(|a| a.to_lowercase()).collect::<Vec<_>>(),
        [hex(weth), hex(usdc)],
        "the seeded devnet's best ETH→USDC route is the direct pool: {said}"
    );
    let cli = Trade {
        tx: text(&said["tx"]).to_lowercase(),
        account: hex(me),
        pair: text(&route["pairs"][0]).to_lowercase(),
        amount_in: text(&route["amountIn"]),
        amount_out: text(&route["amountOut"]),
    };
    assert_eq!(
        u256(&route["amountIn"]),
        U256::from(10u64).pow(U256::from(18u8))
    );
    assert!(u256(&route["amountOut"]) > U256::ZERO, "{said}");
    let simulated: Vec<String> = said["simulated"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    assert_eq!(simulated, [cli.amount_in.clone(), cli.amount_out.clone()]);

    // The devnet's index.
    let indexed = wait_for(
        "the devnet's indexer records the swap",
        INDEXED_WITHIN,
        async || from_index(&db, &cli.tx, weth, usdc),
    )
    .await;
    assert_eq!(indexed, cli, "the index");

    // The HTTP API: the account's history and the swaps list.
    let account = get(&format!("{api}/accounts/{}", cli.account))
        .await
        .unwrap();
    let a = row_of(&account, &cli.tx).unwrap();
    assert_eq!(a["kind"], "swap", "{a}");
    let from_account = Trade {
        tx: text(&a["tx_hash"]),
        account: cli.account.clone(),
        pair: text(&a["pair"]),
        amount_in: text(&a["amount_a"]),
        amount_out: text(&a["amount_b"]),
    };
    assert_eq!(from_account, cli, "GET /accounts/{}", cli.account);
    assert_eq!(
        (text(&a["token_a"]), text(&a["token_b"])),
        (hex(weth), hex(usdc))
    );
    let swaps = get(&format!("{api}/swaps?account={}", cli.account))
        .await
        .unwrap();
    let s = row_of(&swaps, &cli.tx).unwrap();
    let field = |k: &str| text(&s[k]);
    let (amount_in, amount_out) = if weth < usdc {
        (field("amount0_in"), field("amount1_out"))
    } else {
        (field("amount1_in"), field("amount0_out"))
    };
    let from_swaps = Trade {
        tx: field("tx_hash"),
        account: field("recipient"),
        pair: field("pair"),
        amount_in,
        amount_out,
    };
    assert_eq!(from_swaps, cli, "GET /swaps?account={}", cli.account);

    // The app's history: the active account's trades, from its own index.
    let rows = wait_for(
        "the app's history shows the swap",
        INDEXED_WITHIN,
        async || {
            let h = core.history(50, 0).await.map_err(|e| e.message.clone())?;
            let rows = app_rows(&h, &cli.tx);
            if rows.is_empty() {
                return Err(format!("not yet: {h:?}"));
            }
            Ok(rows)
        },
    )
    .await;
    let [row] = &rows[..] else {
        panic!("one history row per swap, got {rows:?}");
    };
    assert_eq!(
        (row.kind, row.status),
        (HistoryKind::Swap, HistoryStatus::Confirmed)
    );
    assert_eq!(
        row.pair.as_deref().map(str::to_lowercase),
        Some(cli.pair.clone())
    );
    assert_eq!(
        (
            row.symbol_a.as_str(),
            row.decimals_a,
            row.symbol_b.as_str(),
            row.decimals_b
        ),
        ("WETH", 18, "USDC", 6)
    );
    let active = core
        .wallet_state()
        .expect("the wallet's state")
        .active
        .expect("an active account");
    let from_app = Trade {
        tx: row.tx_hash.to_lowercase(),
        account: active.to_lowercase(),
        pair: cli.pair.clone(),
        amount_in: row.amount_a.clone(),
        amount_out: row.amount_b.clone(),
    };
    assert_eq!(from_app, cli, "the app's history");
}
