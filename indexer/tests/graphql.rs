//! The GraphQL endpoint against the fixture index: the subgraph's example
//! query shapes with numbers checked against the raw rows, pagination, every
//! `where` suffix (each compared with the same filter applied in Rust to the
//! whole list), ordering on every field, and the errors and limits.

mod common;
mod fixture;

use std::cell::RefCell;

use common::Backend;
use fixture::*;
use serde_json::{Value, json};
use tidepool_indexer::db::Db;
use tidepool_indexer::graphql::GraphQl;
use tidepool_indexer::store::Store;
use tidepool_sdk::alloy::primitives::U256;

struct Gql {
    f: Fixture,
    gql: GraphQl,
    /// The reader the requests run on, reused as the HTTP pool reuses it.
    db: RefCell<Option<Db>>,
}

impl Gql {
    /// The fixture in the store `b`.
    fn new(b: Backend) -> Self {
        Gql {
            f: build_on(b == Backend::Postgres),
            gql: GraphQl::new(),
            db: RefCell::new(None),
        }
    }

    /// The whole response (`data` and `errors`) as JSON.
    fn response(&self, query: &str) -> Value {
        let db = match self.db.borrow_mut().take() {
            Some(db) => db,
            None => Store::open_reader(&self.f.at, None).unwrap(),
        };
        let (resp, db) = self.gql.run(db, async_graphql::Request::new(query));
        *self.db.borrow_mut() = Some(db);
        serde_json::to_value(&resp).unwrap()
    }

    /// `data`, the query having no errors.
    fn data(&self, query: &str) -> Value {
        let r = self.response(query);
        assert!(r.get("errors").is_none(), "{query}: {r}");
        r["data"].clone()
    }

    /// The first error's message, the query having failed.
    fn error(&self, query: &str) -> String {
        let r = self.response(query);
        let e = &r["errors"][0];
        assert!(e.is_object(), "{query} should fail: {r}");
        e["message"].as_str().unwrap().to_string()
    }
}

fn dec(raw: U256, decimals: u8) -> String {
    tidepool_sdk::amount::format_units(raw, decimals)
}

fn u(s: &str) -> U256 {
    s.parse().unwrap()
}

async fn a_pair_with_its_tokens_reserves_volumes_and_supply(b: Backend) {
    let g = Gql::new(b);
    let d = g.data(&format!(
        r#"{{ pair(id: "{}") {{ id token0 {{ id symbol name decimals }} token1 {{ symbol decimals }}
             reserve0 reserve1 token0Price token1Price volumeToken0 volumeToken1 txCount totalSupply
             createdAtTimestamp createdAtBlockNumber }} }}"#,
        P1.to_uppercase().replace("0X", "0x")
    ));
    let p = &d["pair"];
    assert_eq!(p["id"], json!(P1));
    assert_eq!(
        p["token0"],
        json!({"id": WETH, "symbol": "WETH", "name": "WETH", "decimals": "18"})
    );
    assert_eq!(p["token1"], json!({"symbol": "USDC", "decimals": "6"}));
    // The last Sync of P1 is the last swap's.
    let last = swaps().into_iter().rfind(|w| w.pair == P1).unwrap();
    assert_eq!(p["reserve0"], json!(dec(u(last.r0), 18)));
    assert_eq!(p["reserve1"], json!(dec(u(last.r1), 6)));
    let price = fixture::price(P1, last.r0, last.r1);
    let token1_price: f64 = p["token1Price"].as_str().unwrap().parse().unwrap();
    let token0_price: f64 = p["token0Price"].as_str().unwrap().parse().unwrap();
    assert!(
        (token1_price / price - 1.0).abs() < 1e-12,
        "{token1_price} vs {price}"
    );
    assert!((token0_price * price - 1.0).abs() < 1e-12);
    let (v0, v1, n) = volume(P1, 0, i64::MAX);
    assert_eq!(p["volumeToken0"], json!(dec(v0, 18)));
    assert_eq!(p["volumeToken1"], json!(dec(v1, 6)));
    // 11 swaps, 2 mints and a burn.
    assert_eq!(n, 11);
    assert_eq!(p["txCount"], json!("14"));
    // Minted from zero (the 1,000 locked included) less burnt.
    let (minted, burnt) =
        lp_transfers()
            .iter()
            .filter(|t| t.0 == P1)
            .fold((U256::ZERO, U256::ZERO), |(m, b), t| {
                (
                    if t.4 == ZERO { m + u(t.6) } else { m },
                    if t.5 == ZERO && t.4 != ZERO {
                        b + u(t.6)
                    } else {
                        b
                    },
                )
            });
    assert_eq!(p["totalSupply"], json!(dec(minted - burnt, 18)));
    assert_eq!(p["createdAtTimestamp"], json!(D0.to_string()));
    assert_eq!(p["createdAtBlockNumber"], json!("99"));
    assert_eq!(
        g.data(r#"{ pair(id: "0x9999999999999999999999999999999999999999") { id } }"#),
        json!({"pair": null})
    );
}

async fn a_pairs_recent_swaps_with_their_transactions(b: Backend) {
    let g = Gql::new(b);
    let d = g.data(&format!(
        r#"{{ swaps(first: 3, orderBy: timestamp, orderDirection: desc, where: {{pair: "{P1}"}}) {{
              id transaction {{ id blockNumber timestamp swaps {{ logIndex }} }} timestamp pair {{ id }}
              sender to amount0In amount1In amount0Out amount1Out logIndex }} }}"#
    ));
    let want: Vec<Value> = swaps()
        .into_iter()
        .filter(|w| w.pair == P1)
        .rev()
        .take(3)
        .map(|w| {
            json!({
                "id": format!("{}-0", w.tx()),
                "transaction": {"id": w.tx(), "blockNumber": w.block.to_string(), "timestamp": w.ts.to_string(),
                                "swaps": [{"logIndex": w.log.to_string()}]},
                "timestamp": w.ts.to_string(), "pair": {"id": P1}, "sender": ROUTER, "to": w.recipient,
                "amount0In": dec(u(w.a0in), 18), "amount1In": dec(u(w.a1in), 6),
                "amount0Out": dec(u(w.a0out), 18), "amount1Out": dec(u(w.a1out), 6),
                "logIndex": w.log.to_string(),
            })
        })
        .collect();
    assert_eq!(d["swaps"], Value::Array(want));
    // The same through the pair's derived list.
    let nested = g.data(&format!(
        r#"{{ pair(id: "{P1}") {{ swaps(first: 3, orderBy: timestamp, orderDirection: desc) {{ id }} }} }}"#
    ));
    let ids: Vec<&Value> = d["swaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    let nested_ids: Vec<&Value> = nested["pair"]["swaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    assert_eq!(ids, nested_ids);
}

async fn mints_burns_and_liquidity_positions(b: Backend) {
    let g = Gql::new(b);
    let d = g.data(&format!(
        r#"{{ mints(where: {{pair: "{P1}"}}) {{ to liquidity sender amount0 amount1 feeTo feeLiquidity }}
              burns {{ liquidity sender to amount0 amount1 needsComplete feeTo feeLiquidity }}
              user(id: "{ALICE}") {{ liquidityPositions {{ id pair {{ id }} liquidityTokenBalance }} }} }}"#
    ));
    assert_eq!(
        d["mints"],
        json!([
            {"to": ALICE, "liquidity": "17.320508075688771935", "sender": ROUTER, "amount0": "10", "amount1": "30000",
             "feeTo": null, "feeLiquidity": null},
            {"to": ALICE, "liquidity": "2", "sender": ROUTER, "amount0": "3", "amount1": "4",
             "feeTo": FEE_TO, "feeLiquidity": "0.001"},
        ])
    );
    assert_eq!(
        d["burns"],
        json!([{"liquidity": "10", "sender": ROUTER, "to": ALICE, "amount0": "1000000", "amount1": "1",
                "needsComplete": false, "feeTo": FEE_TO, "feeLiquidity": "0.005"}])
    );
    // Alice: 17.32… + 2 minted to her, 10 sent to the pair to burn, 1 wei to Bob.
    let balance = u("17320508075688771935") + u("2000000000000000000")
        - u("10000000000000000000")
        - U256::from(1);
    assert_eq!(
        d["user"]["liquidityPositions"],
        json!([{"id": format!("{P1}-{ALICE}"), "pair": {"id": P1}, "liquidityTokenBalance": dec(balance, 18)}])
    );
    assert_eq!(
        g.data(&format!(r#"{{ user(id: "{P1}") {{ id }} }}"#)),
        json!({"user": null})
    );
}

async fn day_and_hour_data_and_the_factory(b: Backend) {
    let g = Gql::new(b);
    let d = g.data(&format!(
        r#"{{ tokenDayDatas(orderBy: date, where: {{token: "{USDC}"}}) {{ id date token {{ symbol }} dailyVolumeToken dailyTxns }}
              pairDayDatas(where: {{pairAddress: "{P1}"}}, orderBy: date) {{ id date dailyVolumeToken0 dailyVolumeToken1 dailyTxns reserve0 }}
              pairHourDatas(first: 2, where: {{pair: "{P1}"}}, orderBy: hourStartUnix) {{ hourStartUnix hourlyVolumeToken0 hourlyTxns }}
              uniswapFactories {{ id pairCount txCount }} }}"#
    ));
    let days = [D0, D0 + DAY, D0 + 2 * DAY];
    let usdc: Vec<Value> = days
        .iter()
        .map(|&day| {
            let (_, v1, n1) = volume(P1, day, day + DAY);
            let (v0, _, n2) = volume(P2, day, day + DAY);
            // Mints and burns of either pair that day count as transactions.
            let liquidity = if day == D0 || day == D0 + DAY { 2 } else { 0 };
            json!({"id": format!("{USDC}-{}", day / DAY), "date": day, "token": {"symbol": "USDC"},
                   "dailyVolumeToken": dec(v1 + v0, 6), "dailyTxns": (n1 + n2 + liquidity).to_string()})
        })
        .collect();
    assert_eq!(d["tokenDayDatas"], Value::Array(usdc));
    let p1: Vec<Value> = days
        .iter()
        .map(|&day| {
            let (v0, v1, n) = volume(P1, day, day + DAY);
            let liquidity = if day == D0 { 1 } else if day == D0 + DAY { 2 } else { 0 };
            let close = swaps().into_iter().filter(|w| w.pair == P1 && w.ts < day + DAY).map(|w| (w.ts, w.r0)).chain(
                liquidity_syncs().into_iter().filter(|s| s.0 == P1 && s.1 < day + DAY).map(|s| (s.1, s.4)),
            ).max_by_key(|x| x.0).unwrap().1;
            json!({"id": format!("{P1}-{}", day / DAY), "date": day, "dailyVolumeToken0": dec(v0, 18),
                   "dailyVolumeToken1": dec(v1, 6), "dailyTxns": (n + liquidity).to_string(), "reserve0": dec(u(close), 18)})
        })
        .collect();
    assert_eq!(d["pairDayDatas"], Value::Array(p1));
    let h = D0 + 3600;
    let (v0, _, n) = volume(P1, h, h + 3600);
    assert_eq!(
        d["pairHourDatas"][0],
        json!({"hourStartUnix": h, "hourlyVolumeToken0": dec(v0, 18), "hourlyTxns": n.to_string()})
    );
    let all = swaps().len() + 3 + 1;
    assert_eq!(
        d["uniswapFactories"],
        json!([{"id": FACTORY, "pairCount": 2, "txCount": all.to_string()}])
    );
}

async fn meta_reports_the_indexed_head_and_block_arguments_are_honest(b: Backend) {
    let g = Gql::new(b);
    assert_eq!(
        g.data("{ _meta { block { number hash timestamp } deployment hasIndexingErrors } }"),
        json!({"_meta": {"block": {"number": 140, "hash": format!("0x{:064x}", 140), "timestamp": D0 + 3 * DAY},
                         "deployment": "tidepool", "hasIndexingErrors": false}})
    );
    assert_eq!(
        g.data("{ pairs(block: {number: 140}) { id } }")["pairs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        g.data("{ pairs(block: {number_gte: 100}, subgraphError: allow) { id } }")["pairs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let e = g.error("{ pairs(block: {number: 139}) { id } }");
    assert!(e.contains("latest block (140) only"), "{e}");
    let e = g.error(r#"{ pair(id: "0x1111111111111111111111111111111111111111", block: {number_gte: 141}) { id } }"#);
    assert!(e.contains("time-travel"), "{e}");
}

/// All swaps with every field, in chain order: the oracle's input.
fn all_swaps(g: &Gql) -> Vec<Value> {
    let d = g.data(
        "{ swaps(first: 1000) { id timestamp sender to amount0In amount1In amount0Out amount1Out logIndex pair { id } transaction { id } } }",
    );
    d["swaps"].as_array().unwrap().clone()
}

fn num(v: &Value) -> f64 {
    v.as_str()
        .map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

async fn pagination_first_and_skip(b: Backend) {
    let g = Gql::new(b);
    let all = all_swaps(&g);
    assert_eq!(all.len(), swaps().len());
    for (first, skip) in [
        (0, 0),
        (1, 0),
        (5, 0),
        (5, 5),
        (5, 10),
        (100, 12),
        (3, 13),
        (3, 100),
    ] {
        let d = g.data(&format!(
            "{{ swaps(first: {first}, skip: {skip}) {{ id }} }}"
        ));
        let want: Vec<&Value> = all
            .iter()
            .skip(skip)
            .take(first)
            .map(|s| &s["id"])
            .collect();
        let got: Vec<&Value> = d["swaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["id"])
            .collect();
        assert_eq!(got, want, "first {first} skip {skip}");
    }
    let e = g.error("{ swaps(first: 1001) { id } }");
    assert!(e.contains("`first` must be between 0 and 1000"), "{e}");
    let e = g.error("{ swaps(skip: 5001) { id } }");
    assert!(e.contains("`skip` must be between 0 and 5000"), "{e}");
    let e = g.error("{ swaps(first: -1) { id } }");
    assert!(e.contains("`first`"), "{e}");
}

/// Applies one `where` entry to a swap as The Graph defines it.
fn matches(s: &Value, field: &str, op: &str, v: &Value) -> bool {
    let x = match field {
        "pair" | "transaction" => &s[field]["id"],
        _ => &s[field],
    };
    let numeric = !matches!(field, "id" | "sender" | "to" | "pair" | "transaction");
    let cmp = |a: &Value, b: &Value| {
        if numeric {
            num(a).partial_cmp(&num(b)).unwrap()
        } else {
            a.as_str().unwrap().cmp(b.as_str().unwrap())
        }
    };
    // Hex (ID, Bytes, references) compares case-insensitively: inputs are lower-cased.
    let text = |f: fn(&str, &str) -> bool, nocase: bool| {
        let (a, b) = (x.as_str().unwrap(), v.as_str().unwrap().to_lowercase());
        let b = b.as_str();
        if nocase {
            f(&a.to_lowercase(), &b.to_lowercase())
        } else {
            f(a, b)
        }
    };
    use std::cmp::Ordering::*;
    match op {
        "" => cmp(x, v) == Equal,
        "_not" => cmp(x, v) != Equal,
        "_gt" => cmp(x, v) == Greater,
        "_gte" => cmp(x, v) != Less,
        "_lt" => cmp(x, v) == Less,
        "_lte" => cmp(x, v) != Greater,
        "_in" => v.as_array().unwrap().iter().any(|b| cmp(x, b) == Equal),
        "_not_in" => !v.as_array().unwrap().iter().any(|b| cmp(x, b) == Equal),
        "_contains" => text(|a, b| a.contains(b), false),
        "_not_contains" => !text(|a, b| a.contains(b), false),
        "_contains_nocase" => text(|a, b| a.contains(b), true),
        "_not_contains_nocase" => !text(|a, b| a.contains(b), true),
        "_starts_with" => text(|a, b| a.starts_with(b), false),
        "_not_starts_with" => !text(|a, b| a.starts_with(b), false),
        "_starts_with_nocase" => text(|a, b| a.starts_with(b), true),
        "_not_starts_with_nocase" => !text(|a, b| a.starts_with(b), true),
        "_ends_with" => text(|a, b| a.ends_with(b), false),
        "_not_ends_with" => !text(|a, b| a.ends_with(b), false),
        "_ends_with_nocase" => text(|a, b| a.ends_with(b), true),
        "_not_ends_with_nocase" => !text(|a, b| a.ends_with(b), true),
        _ => panic!("no operator {op}"),
    }
}

async fn every_where_suffix_matches_the_same_filter_in_rust(b: Backend) {
    let g = Gql::new(b);
    let all = all_swaps(&g);
    let mid = |f: &str| all[6][f].clone();
    let mut cases: Vec<(&str, &str, Value)> = Vec::new();
    for op in ["", "_not", "_gt", "_gte", "_lt", "_lte"] {
        for f in [
            "timestamp",
            "amount0In",
            "amount1Out",
            "logIndex",
            "id",
            "to",
        ] {
            cases.push((f, op, mid(f)));
        }
    }
    for op in ["_in", "_not_in"] {
        cases.push((
            "timestamp",
            op,
            json!([mid("timestamp"), all[0]["timestamp"].clone()]),
        ));
        cases.push(("to", op, json!([ALICE])));
        cases.push(("amount0In", op, json!(["1", "0"])));
        cases.push(("pair", op, json!([P2])));
        cases.push(("timestamp", op, json!([])));
    }
    for op in [
        "_contains",
        "_not_contains",
        "_starts_with",
        "_not_starts_with",
        "_ends_with",
        "_not_ends_with",
        "_contains_nocase",
        "_not_contains_nocase",
        "_starts_with_nocase",
        "_not_starts_with_nocase",
        "_ends_with_nocase",
        "_not_ends_with_nocase",
    ] {
        cases.push(("to", op, json!("a11ce")));
        cases.push(("to", op, json!("0xB0B")));
        cases.push(("id", op, json!("-0")));
        // The empty string starts, ends and is contained in every string.
        cases.push(("to", op, json!("")));
    }
    cases.push(("pair", "", json!(P1.to_uppercase().replace("0X", "0x"))));
    cases.push(("amount0In", "", json!("1.000")));
    for (field, op, v) in cases {
        let q = format!("{{ swaps(first: 1000, where: {{{field}{op}: {v}}}) {{ id }} }}");
        let got: Vec<Value> = g.data(&q)["swaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].clone())
            .collect();
        let v = if field == "pair" && op.is_empty() {
            json!(P1)
        } else {
            v
        };
        let want: Vec<Value> = all
            .iter()
            .filter(|s| matches(s, field, op, &v))
            .map(|s| s["id"].clone())
            .collect();
        assert_eq!(got, want, "{q}");
    }
    // Nested filters, and/or.
    let ids = |q: &str| -> Vec<Value> {
        g.data(q)["swaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].clone())
            .collect()
    };
    let by_pair = |p: &str| -> Vec<Value> {
        all.iter()
            .filter(|s| s["pair"]["id"] == p)
            .map(|s| s["id"].clone())
            .collect()
    };
    assert_eq!(
        ids(&format!(
            r#"{{ swaps(first: 1000, where: {{pair_: {{token1: "{TIDE}"}}}}) {{ id }} }}"#
        )),
        by_pair(P2)
    );
    assert_eq!(
        ids(
            r#"{ swaps(first: 1000, where: {pair_: {token0_: {symbol_starts_with_nocase: "weth"}}}) { id } }"#
        ),
        by_pair(P1)
    );
    let t = mid("timestamp");
    let or = ids(&format!(
        r#"{{ swaps(first: 1000, where: {{or: [{{pair: "{P2}"}}, {{timestamp_gt: {t}}}]}}) {{ id }} }}"#
    ));
    let want: Vec<Value> = all
        .iter()
        .filter(|s| s["pair"]["id"] == P2 || num(&s["timestamp"]) > num(&t))
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(or, want);
    let and = ids(&format!(
        r#"{{ swaps(first: 1000, where: {{and: [{{pair: "{P1}"}}, {{timestamp_lte: {t}}}]}}) {{ id }} }}"#
    ));
    let want: Vec<Value> = all
        .iter()
        .filter(|s| s["pair"]["id"] == P1 && num(&s["timestamp"]) <= num(&t))
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(and, want);
    // Null: mints without a protocol-fee mint.
    let d = g.data(
        "{ a: mints(where: {feeTo: null}) { id } b: mints(where: {feeTo_not: null}) { id } }",
    );
    assert_eq!(
        (
            d["a"].as_array().unwrap().len(),
            d["b"].as_array().unwrap().len()
        ),
        (2, 1)
    );
}

async fn ordering_on_every_field_of_swaps_pairs_and_tokens(b: Backend) {
    let g = Gql::new(b);
    let cases: [(&str, &[&str]); 3] = [
        (
            "swaps",
            &[
                "id",
                "timestamp",
                "sender",
                "to",
                "amount0In",
                "amount1In",
                "amount0Out",
                "amount1Out",
                "logIndex",
                "pair",
                "transaction",
            ],
        ),
        (
            "pairs",
            &[
                "id",
                "reserve0",
                "reserve1",
                "totalSupply",
                "token0Price",
                "token1Price",
                "volumeToken0",
                "volumeToken1",
                "txCount",
                "createdAtTimestamp",
                "createdAtBlockNumber",
                "token0",
                "token1",
            ],
        ),
        (
            "tokens",
            &[
                "id",
                "symbol",
                "name",
                "decimals",
                "tradeVolume",
                "txCount",
                "totalLiquidity",
            ],
        ),
    ];
    for (plural, fields) in cases {
        for f in fields {
            for dir in ["asc", "desc"] {
                let sel = match *f {
                    "pair" | "transaction" | "token0" | "token1" => format!("{f} {{ id }}"),
                    _ => f.to_string(),
                };
                let q = format!(
                    "{{ {plural}(first: 1000, orderBy: {f}, orderDirection: {dir}) {{ id {sel} }} }}"
                );
                let rows = g.data(&q)[plural].as_array().unwrap().clone();
                assert!(rows.len() >= 2, "{q}");
                let key = |r: &Value| match r[*f].clone() {
                    Value::Object(o) => o["id"].clone(),
                    v => v,
                };
                let text = matches!(
                    *f,
                    "id" | "sender"
                        | "to"
                        | "pair"
                        | "transaction"
                        | "token0"
                        | "token1"
                        | "symbol"
                        | "name"
                );
                for w in rows.windows(2) {
                    let (a, b) = (key(&w[0]), key(&w[1]));
                    let ord = if text {
                        a.as_str().unwrap().cmp(b.as_str().unwrap())
                    } else {
                        num(&a).partial_cmp(&num(&b)).unwrap()
                    };
                    let ok = if dir == "asc" {
                        ord.is_le()
                    } else {
                        ord.is_ge()
                    };
                    assert!(ok, "{q}: {a} then {b}");
                }
            }
        }
    }
}

async fn bad_queries_get_graphql_errors_with_locations(b: Backend) {
    let g = Gql::new(b);
    for (q, says) in [
        (
            "{ pairs { nope } }",
            "Unknown field \"nope\" on type \"Pair\"",
        ),
        ("{ nothings { id } }", "Unknown field \"nothings\""),
        ("{ pairs(where: {nope_gt: 1}) { id } }", "nope_gt"),
        ("{ pairs(orderBy: nope) { id } }", "nope"),
        (
            "{ swaps(where: {timestamp_gt: \"soon\"}) { id } }",
            "`timestamp` wants a BigInt value",
        ),
        (
            "{ swaps(where: {amount0In: \"1e5\"}) { id } }",
            "`amount0In` wants a BigDecimal value",
        ),
        ("{ pairs { id ", "expected"),
        ("{ pair { id } }", "argument \"id\""),
    ] {
        let r = g.response(q);
        let e = &r["errors"][0];
        let msg = e["message"].as_str().unwrap_or_default();
        assert!(msg.contains(says), "{q}: {r}");
        assert!(
            e["locations"][0]["line"].as_u64().is_some(),
            "{q}: no location in {r}"
        );
    }
    // Depth: more than 10 levels of nesting.
    let deep = format!(
        "{{ pairs {{ {} id {} }} }}",
        "swaps { pair { ".repeat(5),
        "} } ".repeat(5)
    );
    let e = g.response(&deep);
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nested too deep"),
        "{deep}: {e}"
    );
    // Complexity: more than 1,000 fields.
    let wide = format!(
        "{{ pairs {{ {} }} }}",
        (0..1001)
            .map(|i| format!("a{i}: id"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(g.error(&wide).contains("complex"));
}

async fn a_request_fetching_more_than_the_entity_limit_is_refused(b: Backend) {
    let g = Gql::new(b);
    {
        let mut c = common::open(&g.f.at);
        let mut tx = c.begin().unwrap();
        for i in 0..21_000 {
            tx.append(
                "INSERT INTO main.tokens (chain_id, address, symbol, name, decimals, unit) VALUES (31337, ?1, 'T', 'T', 18, 1e18)",
                vec![format!("0x{i:040x}").into()],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let aliases = |n: usize| {
        let parts: Vec<String> = (0..n)
            .map(|i| format!("t{i}: tokens(first: 1000, skip: {}) {{ id }}", i % 5 * 1000))
            .collect();
        format!("{{ {} }}", parts.join(" "))
    };
    assert_eq!(g.data(&aliases(5))["t4"].as_array().unwrap().len(), 1000);
    let e = g.error(&aliases(21));
    assert!(e.contains("more than 20000 entities"), "{e}");
}

on_both_backends!(
    a_pair_with_its_tokens_reserves_volumes_and_supply,
    a_pairs_recent_swaps_with_their_transactions,
    mints_burns_and_liquidity_positions,
    day_and_hour_data_and_the_factory,
    meta_reports_the_indexed_head_and_block_arguments_are_honest,
    pagination_first_and_skip,
    every_where_suffix_matches_the_same_filter_in_rust,
    ordering_on_every_field_of_swaps_pairs_and_tokens,
    bad_queries_get_graphql_errors_with_locations,
    a_request_fetching_more_than_the_entity_limit_is_refused,
);

/// Every list of the schema with every scalar field (references as `{ id }`),
/// from introspection: `(plural, selection)`.
fn every_field(g: &Gql) -> Vec<(String, String)> {
    let d = g.data(
        r#"{ __schema { queryType { name } types { name fields { name args { name }
             type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }"#,
    );
    let types = d["__schema"]["types"].as_array().unwrap();
    let query = d["__schema"]["queryType"]["name"].as_str().unwrap();
    let inner = |t: &Value| -> (String, String) {
        let mut t = t;
        while t["name"].is_null() {
            t = &t["ofType"];
        }
        (
            t["kind"].as_str().unwrap().to_string(),
            t["name"].as_str().unwrap().to_string(),
        )
    };
    let fields = |name: &str| -> Vec<Value> {
        types
            .iter()
            .find(|t| t["name"] == name)
            .and_then(|t| t["fields"].as_array())
            .cloned()
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for f in fields(query) {
        let takes_where = f["args"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "where");
        if !takes_where {
            continue;
        }
        let (_, entity) = inner(&f["type"]);
        let selection: Vec<String> = fields(&entity)
            .iter()
            .filter(|x| x["args"].as_array().is_none_or(Vec::is_empty))
            .map(|x| {
                let name = x["name"].as_str().unwrap();
                match inner(&x["type"]).0.as_str() {
                    "OBJECT" => format!("{name} {{ id }}"),
                    _ => name.to_string(),
                }
            })
            .collect();
        out.push((f["name"].as_str().unwrap().to_string(), selection.join(" ")));
    }
    out
}

#[test]
fn postgresql_answers_every_field_of_every_entity_as_sqlite_does() {
    let (lite, pg) = (Gql::new(Backend::Sqlite), Gql::new(Backend::Postgres));
    let lists = every_field(&lite);
    assert!(lists.len() >= 14, "{lists:?}");
    for (plural, selection) in lists {
        for dir in ["asc", "desc"] {
            let q = format!("{{ {plural}(first: 1000, orderDirection: {dir}) {{ {selection} }} }}");
            let (a, b) = (lite.data(&q), pg.data(&q));
            assert!(
                !a[&plural].as_array().unwrap().is_empty(),
                "the fixture has {plural}"
            );
            assert_eq!(a, b, "{q}");
            // Ordered by each field: the same order (nulls, text bytewise).
            for field in selection
                .split(' ')
                .filter(|w| w.chars().all(char::is_alphanumeric))
            {
                let q = format!(
                    "{{ {plural}(first: 1000, orderBy: {field}, orderDirection: {dir}) {{ id }} }}"
                );
                assert_eq!(lite.data(&q), pg.data(&q), "{q}");
            }
        }
    }
}
