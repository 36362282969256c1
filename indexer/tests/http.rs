//! The HTTP API on a real listening socket over the query fixture: every
//! endpoint's JSON, and the 400/404/405/503 answers. The REST endpoints are
//! checked over both stores (SQLite and PostgreSQL).

mod common;
mod fixture;

use common::Backend;
use fixture::*;
use serde_json::{Value, json};
use tidepool_indexer::db::{Location, Sql};
use tidepool_indexer::http;

struct Api {
    base: String,
    client: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
    _fixture: Option<Fixture>,
}

async fn start_on(
    db: impl Into<tidepool_indexer::db::Location> + Send + 'static,
    fixture: Option<Fixture>,
) -> Api {
    let listener = http::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(http::serve_on(listener, db, async {
        let _ = stopped.await;
    }));
    Api {
        base,
        client: reqwest::Client::new(),
        _stop: stop,
        _fixture: fixture,
    }
}

/// The API over the fixture in `b`'s store.
async fn start(b: Backend) -> Api {
    let f = build_on(b == Backend::Postgres);
    start_on(f.at.clone(), Some(f)).await
}

impl Api {
    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        (status, r.json().await.unwrap())
    }

    async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// POSTs a GraphQL query to `/graphql{query_string}`: status and body.
    async fn post_graphql(&self, query_string: &str, query: &str) -> (u16, Value) {
        let r = self
            .client
            .post(format!("{}/graphql{query_string}", self.base))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    /// A GraphQL request answered 400 with an error saying `want`.
    async fn graphql_error(&self, query_string: &str, query: &str, want: &str) {
        let (status, body) = self.post_graphql(query_string, query).await;
        assert_eq!(status, 400, "{body}");
        let msg = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(msg.contains(want), "{body}");
    }

    async fn error(&self, path: &str, status: u16, want: &str) {
        let (got, body) = self.get(path).await;
        let msg = body["error"].as_str().unwrap_or_default();
        assert_eq!(got, status, "{path}: {body}");
        assert!(
            msg.contains(want),
            "{path}: {msg:?} should contain {want:?}"
        );
    }
}

fn field(v: &Value, name: &str) -> Vec<Value> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r[name].clone())
        .collect()
}

async fn every_endpoint_answers_json(b: Backend) {
    let api = start(b).await;
    let health = api.ok("/health").await;
    let hash = format!("0x{:064x}", 140);
    let want = json!({"status": "ok", "chain_id": 31337, "factory": FACTORY,
                      "checkpoint_block": 140, "checkpoint_hash": hash, "chains": [31337]});
    assert_eq!(health, want);

    let pairs = api.ok(&format!("/pairs?at={AT}")).await;
    assert_eq!(field(&pairs, "address"), [json!(P1), json!(P2)]);
    assert_eq!(pairs[0]["volume0_24h"], json!("106765432109876543210"));
    assert_eq!(pairs[0]["reserve0"], json!("123456713000000000000000000"));
    assert_eq!(pairs[1]["symbol1"], json!("TIDE"));
    assert_eq!(
        field(&api.ok("/pairs?token=TIDE").await, "address"),
        [json!(P2)]
    );

    let swaps = api.ok(&format!("/pairs/{P1}/swaps?limit=2")).await;
    assert_eq!(field(&swaps, "block_number"), [json!(132), json!(131)]);
    assert_eq!(swaps[0]["amount0_in"], json!("7000000000000000000"));
    let upper = format!("0x{}", P1[2..].to_uppercase());
    let path = format!(
        "/pairs/{upper}/swaps?account={ALICE}&from=2026-11-30T02:00:00+02:00&to=2026-12-01T00:00:00Z"
    );
    assert_eq!(field(&api.ok(&path).await, "block_number"), [json!(128)]);

    let path = format!("/pairs/{P1}/candles?interval=3600&from=&to=&limit=");
    let hourly = api.ok(&path).await;
    assert_eq!(hourly.as_array().unwrap().len(), 7);
    assert_eq!(hourly[0]["bucket"], json!(D0 + 3600));
    assert_eq!(hourly[0]["volume0"], json!("6400000000000000000"));
    assert_eq!(hourly[0]["swaps"], json!(4));
    let path = format!("/pairs/{P1}/candles?interval=90m&from=2026-11-29&to=2026-11-30");
    let t = api.ok(&path).await;
    assert_eq!(field(&t, "bucket"), [json!(D0), json!(D0 + 5400)]);
    assert_eq!(t[1]["volume1"], json!("11000000000"));
    assert_eq!(api.ok(&format!("/pairs/{P1}/candles")).await, hourly);

    let tvl = api.ok(&format!("/pairs/{P1}/tvl?interval=1d")).await;
    assert_eq!(
        field(&tvl, "block_number"),
        [json!(114), json!(129), json!(132)]
    );
    assert_eq!(tvl[2]["reserve1"], json!("6006000000"));

    let page = api.ok("/swaps?token=USDC&limit=3&offset=2").await;
    assert_eq!(
        field(&page, "block_number"),
        [json!(130), json!(129), json!(128)]
    );
    let bob = api.ok(&format!("/swaps?pair={P1}&account={BOB}")).await;
    assert_eq!(bob.as_array().unwrap().len(), 5);

    let days = api.ok(&format!("/volume?pair={P1}")).await;
    assert_eq!(
        field(&days, "day"),
        [json!(D0), json!(D0 + DAY), json!(D0 + 2 * DAY)]
    );
    assert_eq!(days[0]["volume0"], json!("7400000000000000000"));
    let usdc = api
        .ok(&format!("/volume?token={USDC}&to={}", D0 + DAY))
        .await;
    assert_eq!(
        usdc,
        json!([{"day": D0, "volume": "20990000000", "fees": "24000000", "swaps": 6}])
    );
    let day1 = api.ok(&format!("/volume?at={}", D0 + 2 * DAY)).await;
    assert_eq!(day1[0]["volume0"], json!("123456889777777788777777777"));
    assert_eq!(day1[1]["swaps"], json!(1));

    let tvl = api.ok(&format!("/tokens/{USDC}/tvl")).await;
    assert_eq!(
        field(&tvl, "tvl"),
        [
            json!("124510000000"),
            json!("105504100000"),
            json!("106501100000")
        ]
    );

    let history = api.ok(&format!("/accounts/{ALICE}?limit=3&offset=2")).await;
    assert_eq!(
        field(&history, "kind"),
        [json!("swap"), json!("mint"), json!("burn")]
    );
    assert_eq!(history[1]["liquidity"], json!("2000000000000000000"));
    let fees = api.ok(&format!("/accounts/{FEE_TO}")).await;
    assert_eq!(field(&fees, "kind"), [json!("fee_mint"), json!("fee_mint")]);
}

async fn bad_requests_get_json_errors(b: Backend) {
    let api = start(b).await;
    api.error("/swaps?limit=0", 400, "limit must be between 1 and 10000")
        .await;
    api.error("/swaps?limit=ten", 400, "limit must be a whole number")
        .await;
    api.error("/pairs/0x12/candles", 400, "0x followed by 40 hex digits")
        .await;
    api.error(
        &format!("/pairs/{P1}/candles?interval=90"),
        400,
        "multiple of 60",
    )
    .await;
    api.error(
        &format!("/pairs/{P1}/candles?interval=0"),
        400,
        "multiple of 60",
    )
    .await;
    api.error("/swaps?from=yesterday", 400, "RFC 3339").await;
    api.error(
        "/swaps?from=200&to=100",
        400,
        "from (200) is after to (100)",
    )
    .await;
    api.error("/swaps?bogus=1", 400, "unknown parameter \"bogus\"")
        .await;
    api.error(
        &format!("/pairs/{P1}/candles?offset=3"),
        400,
        "unknown parameter \"offset\"",
    )
    .await;
    api.error(&format!("/volume?pair={P1}&token={USDC}"), 400, "not both")
        .await;
    api.error("/volume?at=5&from=1", 400, "from does not apply")
        .await;
    let unknown = format!("0x{}", "9".repeat(40));
    api.error(&format!("/pairs/{unknown}/swaps"), 400, "no pair")
        .await;
    api.error("/tokens/NOPE/tvl", 400, "no indexed token has the symbol")
        .await;
    api.error("/accounts/bob", 400, "account must be an address")
        .await;
    api.error("/nope", 404, "/health").await;
    api.error(&format!("/pairs/{P1}/nope"), 404, "no endpoint at")
        .await;
    api.error("/", 404, "/accounts/{address}").await;

    let r = api
        .client
        .post(format!("{}/pairs", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("read-only"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_database_is_503_until_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let api = start_on(dir.path().join("later.db"), None).await;
    api.error("/pairs", 503, "tidepool index").await;
    api.error("/health", 503, "no such file").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_postgresql_database_is_503_until_it_is_indexed() {
    let stores = common::Stores::new(Backend::Postgres);
    let at = stores.store("later");
    let api = start_on(at.clone(), None).await;
    api.error("/pairs", 503, "tidepool index").await;
    api.error("/health", 503, "nothing is indexed there yet")
        .await;
    let Location::Postgres(url) = &at else {
        unreachable!()
    };
    let password = url.split(':').nth(2).unwrap().split('@').next().unwrap();
    let (_, body) = api.get("/health").await;
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("postgres://tidepool@"),
        "{body}"
    );
    assert!(!body.to_string().contains(password), "{body}");
    // Once `tidepool index` has created it, the same server answers.
    drop(tidepool_indexer::store::Store::open_at(&at).unwrap());
    let health = api.ok("/health").await;
    assert_eq!(health["chains"], json!([]));
    assert_eq!(api.ok("/pairs").await, json!([]));
}

async fn concurrent_requests_share_the_pool(b: Backend) {
    let api = std::sync::Arc::new(start(b).await);
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                let path = format!("/swaps?limit=1&offset={}", i % 13);
                api.ok(&path).await[0]["block_number"].as_i64().unwrap()
            })
        })
        .collect();
    let mut got = Vec::new();
    for t in tasks {
        got.push(t.await.unwrap());
    }
    let blocks = [
        132, 131, 130, 129, 128, 120, 120, 114, 113, 112, 111, 110, 110,
    ];
    let want: Vec<i64> = (0..32).map(|i| blocks[i % 13]).collect();
    assert_eq!(got, want);
}

async fn graphql_over_post_and_get(b: Backend) {
    let api = start(b).await;
    let url = format!("{}/graphql", api.base);
    let query = "query Two($n: Int!, $p: String!) { swaps(first: $n, where: {pair: $p}, orderBy: timestamp) { id } }";
    let vars = json!({"n": 2, "p": P2});
    let r = api
        .client
        .post(&url)
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let posted: Value = r.json().await.unwrap();
    let ids = posted["data"]["swaps"].as_array().unwrap();
    assert_eq!(ids.len(), 2, "{posted}");
    let first = swaps().into_iter().find(|w| w.pair == P2).unwrap();
    assert_eq!(ids[0]["id"], json!(format!("{}-0", first.tx())));
    let r = api
        .client
        .get(&url)
        .query(&[
            ("query", query),
            ("variables", &vars.to_string()),
            ("operationName", "Two"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), posted);
    // A query that fails validation is still a 200 with GraphQL errors.
    let r = api
        .client
        .post(&url)
        .json(&json!({"query": "{ pairs { nope } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(body["errors"][0]["locations"].is_array(), "{body}");
    // Not GraphQL at all: 400 with an `errors` list saying what to send.
    let r = api
        .client
        .post(&url)
        .body("pairs please")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"query\""),
        "{body}"
    );
    let r = api.client.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = api
        .client
        .get(&url)
        .query(&[("query", "{ pairs { id } }"), ("variables", "[1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = api.client.put(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
}

#[tokio::test(flavor = "multi_thread")]
async fn graphql_without_a_database_is_503() {
    let dir = tempfile::tempdir().unwrap();
    let api = start_on(dir.path().join("later.db"), None).await;
    let (status, body) = api.post_graphql("", "{ pairs { id } }").await;
    assert_eq!(status, 503);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("tidepool index"),
        "{body}"
    );
}

/// A store holding a second chain: the fixture's rows copied to chain 5151,
/// where the pair P2 and its events are left out.
fn second_chain(f: &Fixture) {
    let mut c = common::open(&f.at);
    let mut sql = String::from(
        "INSERT INTO chains (chain_id, factory, genesis_hash, start_block, checkpoint_block, checkpoint_hash)
         SELECT 5151, factory, genesis_hash, start_block, 120, checkpoint_hash FROM chains WHERE chain_id = 31337;",
    );
    for t in tidepool_indexer::schema::DATA_TABLES {
        let (cols, _) = c
            .read_columns(&format!("SELECT * FROM {t} LIMIT 0"))
            .unwrap();
        let cols: Vec<&str> = cols
            .iter()
            .map(String::as_str)
            .filter(|c| *c != "chain_id")
            .collect();
        let cols = cols.join(", ");
        sql += &format!(
            "INSERT INTO {t} (chain_id, {cols}) SELECT 5151, {cols} FROM {t} WHERE chain_id = 31337;"
        );
    }
    for t in [
        "swaps",
        "mints",
        "burns",
        "syncs",
        "lp_transfers",
        "candles",
        "pair_days",
    ] {
        sql += &format!("DELETE FROM {t} WHERE chain_id = 5151 AND pair = '{P2}';");
    }
    sql += &format!("DELETE FROM pairs WHERE chain_id = 5151 AND address = '{P2}';");
    c.batch(&sql).unwrap();
}

async fn every_endpoint_reads_the_chain_it_is_asked_for(b: Backend) {
    let f = build_on(b == Backend::Postgres);
    second_chain(&f);
    let at = f.at.clone();
    let api = start_on(at, Some(f)).await;
    let health = api.ok("/health?chain=5151").await;
    assert_eq!(health["chain_id"], 5151);
    assert_eq!(health["checkpoint_block"], 120);
    assert_eq!(health["chains"], json!([5151, 31337]));
    let n = |v: &Value| v.as_array().unwrap().len();
    let all = swaps().len();
    let on_p2 = swaps().iter().filter(|s| s.pair == P2).count();
    assert_eq!(n(&api.ok("/swaps?chain=31337&limit=100").await), all);
    assert_eq!(n(&api.ok("/swaps?chain=5151&limit=100").await), all - on_p2);
    assert_eq!(n(&api.ok(&format!("/pairs?chain=31337&at={AT}")).await), 2);
    assert_eq!(
        field(
            &api.ok(&format!("/pairs?chain=5151&at={AT}")).await,
            "address"
        ),
        [json!(P1)]
    );
    api.error(&format!("/pairs/{P2}/swaps?chain=5151"), 400, "no pair")
        .await;
    api.error("/swaps", 400, "several chains (5151, 31337)")
        .await;
    api.error("/swaps", 400, "?chain=").await;
    api.error("/swaps?chain=7", 400, "no chain 7").await;
    api.error("/swaps?chain=x", 400, "chain must be a chain id")
        .await;
    // GraphQL reads the chain asked for too: graphql_reads_the_chain_it_is_asked_for.
}

async fn graphql_reads_the_chain_it_is_asked_for(b: Backend) {
    let f = build_on(b == Backend::Postgres);
    second_chain(&f);
    let api = start_on(f.at.clone(), Some(f)).await;
    let factory =
        format!("{{ uniswapFactories {{ pairCount txCount }} pair(id: \"{P2}\") {{ txCount }} }}");
    let count = |v: &Value| v.as_str().unwrap().parse::<u64>().unwrap();
    let (status, all) = api.post_graphql("?chain=31337", &factory).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["data"]["uniswapFactories"][0]["pairCount"], 2, "{all}");
    let on_p2 = count(&all["data"]["pair"]["txCount"]);
    assert!(on_p2 >= swaps().iter().filter(|s| s.pair == P2).count() as u64);
    let (status, other) = api.post_graphql("?chain=5151", &factory).await;
    assert_eq!(status, 200, "{other}");
    assert_eq!(
        other["data"]["uniswapFactories"][0]["pairCount"], 1,
        "{other}"
    );
    assert_eq!(other["data"]["pair"], Value::Null, "{other}");
    assert_eq!(
        count(&other["data"]["uniswapFactories"][0]["txCount"]),
        count(&all["data"]["uniswapFactories"][0]["txCount"]) - on_p2,
        "{other}"
    );
    api.graphql_error("", "{ pairs { id } }", "several chains")
        .await;
    api.graphql_error("?chain=7", "{ pairs { id } }", "no chain 7")
        .await;
}

/// A GraphQL request past the time limit: its statement is stopped (SQLite's
/// interrupt, PostgreSQL's cancel request), the answer says so, and the
/// API goes on answering.
async fn a_graphql_request_past_the_time_limit_is_stopped(b: Backend) {
    let f = build_on(b == Backend::Postgres);
    // 60,000 swaps in one transaction: each swap's id counts the swaps
    // before it in the transaction, so sorting by id is quadratic.
    let mut c = common::open(&f.at);
    tidepool_indexer::db::Sql::execute(
        &mut c,
        &format!(
            "INSERT INTO main.swaps (chain_id, block_number, log_index, tx_hash, pair, sender, recipient,
                                     amount0_in, amount1_in, amount0_out, amount1_out, timestamp)
             WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 61000)
             SELECT 31337, 141, i, '0xslow', '{P1}', '{ROUTER}', '{ALICE}', CAST(1 AS NUMERIC),
                    CAST(0 AS NUMERIC), CAST(0 AS NUMERIC), CAST(1 AS NUMERIC), {} FROM n",
            D0 + 3 * DAY
        ),
        &[],
    )
    .unwrap();
    drop(c);
    let api = start_on(f.at.clone(), Some(f)).await;
    let started = std::time::Instant::now();
    let (status, body) = api
        .post_graphql("", "{ swaps(first: 1, orderBy: id) { id } }")
        .await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    let msg = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("ran past 10 s"), "{body}");
    assert!(
        took >= tidepool_indexer::graphql::TIMEOUT && took < tidepool_indexer::graphql::TIMEOUT * 2,
        "stopped after {took:?}"
    );
    let (status, body) = api.post_graphql("", "{ bundles { id } }").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["bundles"][0]["id"], "1", "{body}");
}

on_both_backends!(
    every_endpoint_answers_json,
    bad_requests_get_json_errors,
    concurrent_requests_share_the_pool,
    every_endpoint_reads_the_chain_it_is_asked_for,
    graphql_over_post_and_get,
    graphql_reads_the_chain_it_is_asked_for,
    a_graphql_request_past_the_time_limit_is_stopped,
);
