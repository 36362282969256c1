//! The analytics queries against a real index file (fixture: two pairs, three
//! days of swaps, mints, burns, fee mints), each result checked exactly, and
//! every kind of bad parameter refused with a message saying what is wrong.

mod common;
mod fixture;
#[path = "query/history.rs"]
mod history;
#[path = "query/perf.rs"]
mod perf;
#[path = "query/series.rs"]
mod series;
#[path = "query/typed.rs"]
mod typed;

use common::Backend;
use fixture::*;
use serde_json::{Value, json};
use tidepool_indexer::Error;
use tidepool_indexer::db::Db;
use tidepool_indexer::query::{Params, Query, Table};
use tidepool_indexer::store::Store;

/// The fixture in `b`'s store, and a reader of it (scoped to its chain).
fn open(b: Backend) -> (Fixture, Db) {
    let f = build_on(b == Backend::Postgres);
    let c = Store::open_reader(&f.at, None).unwrap();
    (f, c)
}

fn run(c: &Db, q: Query) -> Table {
    q.run(c).unwrap_or_else(|e| panic!("{q:?}: {e}"))
}

fn bad(c: &Db, q: Query) -> String {
    match q.run(c) {
        Err(Error::BadQuery(m)) => m,
        other => panic!("{q:?} should be a bad query, got {other:?}"),
    }
}

fn col<'a>(t: &'a Table, name: &str) -> Vec<&'a Value> {
    (0..t.rows.len()).map(|i| t.get(i, name)).collect()
}

fn ints(t: &Table, name: &str) -> Vec<i64> {
    col(t, name)
        .into_iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

fn strs(t: &Table, name: &str) -> Vec<String> {
    col(t, name)
        .into_iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn p() -> Params {
    Params::default()
}

/// An address as a person might type it: upper-case hex.
fn shout(a: &str) -> String {
    format!("0x{}", a[2..].to_uppercase())
}

async fn pairs_have_tokens_reserves_counts_and_exact_24h_volume(b: Backend) {
    let (_f, c) = open(b);
    let t = run(
        &c,
        Query::Pairs(Params {
            at: Some(AT),
            ..p()
        }),
    );
    assert_eq!(strs(&t, "address"), [P1, P2]);
    assert_eq!(strs(&t, "token0"), [WETH, USDC]);
    assert_eq!(strs(&t, "symbol0"), ["WETH", "USDC"]);
    assert_eq!(strs(&t, "symbol1"), ["USDC", "TIDE"]);
    assert_eq!(ints(&t, "decimals1"), [6, 18]);
    assert_eq!(
        strs(&t, "reserve0"),
        ["123456713000000000000000000", "100495100000"]
    );
    assert_eq!(
        strs(&t, "reserve1"),
        ["6006000000", "201010000000000000000000"]
    );
    let px = price(P1, "123456713000000000000000000", "6006000000");
    assert_eq!(t.get(0, "price"), &json!(px));
    assert_eq!(ints(&t, "swaps"), [11, 2]);
    // [AT - 24 h, AT): the swap exactly 24 h before is in, the one at AT is out.
    assert_eq!(strs(&t, "volume0_24h"), ["106765432109876543210", "0"]);
    assert_eq!(strs(&t, "volume1_24h"), ["8001000000", "0"]);
    assert_eq!(ints(&t, "swaps_24h"), [4, 0]);

    let tide = run(
        &c,
        Query::Pairs(Params {
            token: Some("tide".into()),
            ..p()
        }),
    );
    assert_eq!(strs(&tide, "address"), [P2]);
    let usdc = run(
        &c,
        Query::Pairs(Params {
            token: Some(shout(USDC)),
            ..p()
        }),
    );
    assert_eq!(strs(&usdc, "address"), [P1, P2]);
}

async fn volume_24h_adds_candles_and_raw_swaps_exactly(b: Backend) {
    let (_f, c) = open(b);
    let ats = [
        AT,
        D0 + 2 * DAY,
        D0 + DAY + 3 * 3600 + 31,
        D0 + 3 * DAY,
        D0 + 3600 + 15,
        D0,
    ];
    for at in ats {
        let t = run(
            &c,
            Query::Volume(Params {
                at: Some(at),
                ..p()
            }),
        );
        assert_eq!(strs(&t, "pair"), [P1, P2]);
        for (i, pair) in [P1, P2].into_iter().enumerate() {
            let (v0, v1, n) = volume(pair, at - DAY, at);
            let got = (t.get(i, "volume0"), t.get(i, "volume1"), t.get(i, "swaps"));
            let want = (&json!(v0.to_string()), &json!(v1.to_string()), &json!(n));
            assert_eq!(got, want, "{pair} at {at}");
            assert_eq!(
                (t.get(i, "from"), t.get(i, "to")),
                (&json!(at - DAY), &json!(at))
            );
        }
    }
    // Day 1 exactly: a whole day candle, a sum beyond 2^86.
    let t = run(
        &c,
        Query::Volume(Params {
            at: Some(D0 + 2 * DAY),
            ..p()
        }),
    );
    assert_eq!(t.get(0, "volume0"), &json!("123456889777777788777777777"));
    assert_eq!(t.get(0, "volume1"), &json!("30001000000"));
    assert_eq!(t.get(0, "swaps"), &json!(3));
}

async fn bad_parameters_say_what_is_wrong(b: Backend) {
    let (_f, c) = open(b);
    let pair = || Some(P1.to_string());
    let nines = format!("0x{}", "9".repeat(40));
    let cases: Vec<(Query, &str)> = vec![
        (
            Query::Swaps(Params {
                pair: Some("0x1234".into()),
                ..p()
            }),
            "0x followed by 40 hex digits",
        ),
        (
            Query::Swaps(Params {
                account: Some("alice".into()),
                ..p()
            }),
            "account must be an address",
        ),
        (
            Query::Swaps(Params {
                pair: Some(nines.clone()),
                ..p()
            }),
            "no pair 0x9999",
        ),
        (
            Query::Swaps(Params {
                token: Some("NOPE".into()),
                ..p()
            }),
            "no indexed token has the symbol",
        ),
        (
            Query::Swaps(Params {
                token: Some("dup".into()),
                ..p()
            }),
            "several indexed tokens",
        ),
        (
            Query::Swaps(Params {
                token: Some(nines),
                ..p()
            }),
            "no pair in the index trades",
        ),
        (
            Query::Swaps(Params {
                from: Some(10),
                to: Some(5),
                ..p()
            }),
            "from (10) is after to (5)",
        ),
        (
            Query::Swaps(Params {
                limit: Some(0),
                ..p()
            }),
            "limit must be between 1 and 10000",
        ),
        (
            Query::Swaps(Params {
                limit: Some(10_001),
                ..p()
            }),
            "limit must be between 1 and 10000",
        ),
        (
            Query::Swaps(Params {
                offset: Some(u64::MAX),
                ..p()
            }),
            "offset is too large",
        ),
        (
            Query::Swaps(Params {
                interval: Some(60),
                ..p()
            }),
            "interval does not apply to swaps",
        ),
        (Query::Candles(p()), "candles need a pair"),
        (
            Query::Candles(Params {
                pair: pair(),
                interval: Some(90),
                ..p()
            }),
            "multiple of 60",
        ),
        (
            Query::Candles(Params {
                pair: pair(),
                interval: Some(0),
                ..p()
            }),
            "multiple of 60",
        ),
        (
            Query::Candles(Params {
                pair: pair(),
                interval: Some(-60),
                ..p()
            }),
            "multiple of 60",
        ),
        (
            Query::Candles(Params {
                pair: pair(),
                offset: Some(1),
                ..p()
            }),
            "offset does not apply to candles",
        ),
        (
            Query::Volume(Params {
                pair: pair(),
                token: Some(USDC.into()),
                ..p()
            }),
            "not both",
        ),
        (
            Query::Volume(Params {
                pair: pair(),
                at: Some(1),
                ..p()
            }),
            "at does not apply to daily volume",
        ),
        (
            Query::Volume(Params {
                from: Some(1),
                ..p()
            }),
            "from does not apply to the 24 h volume",
        ),
        (Query::Tvl(p()), "either pair"),
        (
            Query::Tvl(Params {
                token: Some(USDC.into()),
                interval: Some(3600),
                ..p()
            }),
            "drop interval",
        ),
        (
            Query::Tvl(Params {
                pair: pair(),
                interval: Some(30),
                ..p()
            }),
            "multiple of 60",
        ),
        (Query::Account(p()), "needs an account"),
        (
            Query::Account(Params {
                account: Some(format!("0xg{}", "0".repeat(39))),
                ..p()
            }),
            "an address",
        ),
        (
            Query::Pairs(Params {
                limit: Some(5),
                ..p()
            }),
            "limit does not apply to pairs",
        ),
    ];
    for (q, want) in cases {
        let m = bad(&c, q.clone());
        assert!(m.contains(want), "{q:?}: {m:?} should contain {want:?}");
    }
}

#[test]
fn a_missing_database_is_a_typed_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open_read_only(&dir.path().join("none.db"), None).unwrap_err();
    // Typed, naming the file; the CLI and the HTTP API add what to do
    // (their own tests check that wording).
    assert!(
        matches!(&e, tidepool_indexer::Error::NoDatabase { path } if path.ends_with("none.db")),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        format!(
            "no index database at {}",
            dir.path().join("none.db").display()
        )
    );
}

on_both_backends!(
    pairs_have_tokens_reserves_counts_and_exact_24h_volume,
    volume_24h_adds_candles_and_raw_swaps_exactly,
    bad_parameters_say_what_is_wrong,
);
