//! Candles, daily volume and TVL.

use serde_json::{Value, json};
use tidepool_indexer::query::{Params, Query};
use tidepool_sdk::alloy::primitives::U256;

use super::Backend;
use super::fixture::*;
use super::{ints, open, p, run, strs};
use tidepool_indexer::store::Store;

type Candle = (i64, f64, f64, f64, f64, U256, U256, i64);

/// The oracle: candles of P1 at `interval` straight from the fixture's swaps.
fn expected_candles(interval: i64) -> Value {
    let mut out: Vec<Candle> = Vec::new();
    let u = |s: &str| s.parse::<U256>().unwrap();
    for w in swaps().into_iter().filter(|w| w.pair == P1) {
        let (b, px) = (w.ts - w.ts % interval, price(P1, w.r0, w.r1));
        let (v0, v1) = (u(w.a0in) + u(w.a0out), u(w.a1in) + u(w.a1out));
        // Reserves before the swap: after, less what came in, plus what went out.
        let r0 = (u(w.r0) + u(w.a0out) - u(w.a0in)).to_string();
        let r1 = (u(w.r1) + u(w.a1out) - u(w.a1in)).to_string();
        let before = price(P1, &r0, &r1);
        match out.last_mut() {
            Some(c) if c.0 == b => {
                *c = (
                    b,
                    c.1,
                    c.2.max(px).max(before),
                    c.3.min(px).min(before),
                    px,
                    c.5 + v0,
                    c.6 + v1,
                    c.7 + 1,
                )
            }
            _ => out.push((b, before, before.max(px), before.min(px), px, v0, v1, 1)),
        }
    }
    let rows = out.into_iter().map(|(b, o, h, l, c, v0, v1, n)| {
        json!({"bucket": b, "open": o, "high": h, "low": l, "close": c,
               "volume0": v0.to_string(), "volume1": v1.to_string(), "swaps": n})
    });
    Value::Array(rows.collect())
}

async fn candles_stored_and_computed_match_the_swaps(b: Backend) {
    let (_f, c) = open(b);
    let candles = |q: Params| {
        run(
            &c,
            Query::Candles(Params {
                pair: Some(P1.into()),
                ..q
            }),
        )
    };
    let hourly = candles(p());
    let hours = [1, 2, 24, 27, 29, 48, 51].map(|h| D0 + h * 3600);
    assert_eq!(ints(&hourly, "bucket"), hours);
    let first = &hourly.to_json()[0];
    // Opens where the price stood before the hour's first swap: the
    // liquidity Sync's reserves.
    assert_eq!(
        first["open"],
        json!(price(P1, "10000000000000000000", "30000000000"))
    );
    assert_eq!(
        first["high"],
        json!(price(P1, "9000000000000000000", "33010000000"))
    );
    assert_eq!(
        first["low"],
        json!(price(P1, "12000000000000000000", "25010000000"))
    );
    assert_eq!(
        first["close"],
        json!(price(P1, "11600000000000000000", "26010000000"))
    );
    assert_eq!(first["volume0"], json!("6400000000000000000"));
    assert_eq!(first["volume1"], json!("17990000000"));
    assert_eq!(first["swaps"], json!(4));
    for interval in [
        60, 120, 300, 600, 3600, 5400, 7200, 86_400, 172_800, 604_800,
    ] {
        let t = candles(Params {
            interval: Some(interval),
            limit: Some(10_000),
            ..p()
        });
        assert_eq!(
            t.to_json(),
            expected_candles(interval),
            "interval {interval}"
        );
    }
    // 90 minutes, aggregated from 5-minute candles, across an hour boundary.
    let day0 = Params {
        interval: Some(5400),
        from: Some(D0),
        to: Some(D0 + DAY),
        ..p()
    };
    let t = candles(day0);
    assert_eq!(ints(&t, "bucket"), [D0, D0 + 5400]);
    assert_eq!(t.get(1, "volume0"), &json!("4400000000000000000"));
    assert_eq!(t.get(1, "volume1"), &json!("11000000000"));
    // The price stood highest right before the bucket's first swap.
    assert_eq!(
        t.get(1, "high"),
        &json!(price(P1, "9000000000000000000", "33010000000"))
    );
    assert_eq!(
        t.get(1, "low"),
        &json!(price(P1, "12600000000000000000", "24010000000"))
    );
    // Ranges keep the candles that overlap them; limit keeps the most recent.
    let t = candles(Params {
        from: Some(D0 + 3601),
        to: Some(D0 + 7200),
        ..p()
    });
    assert_eq!(ints(&t, "bucket"), [D0 + 3600]);
    let t = candles(Params {
        limit: Some(1),
        ..p()
    });
    assert_eq!(ints(&t, "bucket"), [D0 + 2 * DAY + 3 * 3600]);
    assert_eq!(t.get(0, "volume0"), &json!("8000000000000000000"));
    assert_eq!(t.get(0, "volume1"), &json!("2003000000"));
    let t = candles(Params {
        interval: Some(7200),
        limit: Some(2),
        ..p()
    });
    assert_eq!(ints(&t, "bucket"), [D0 + 2 * DAY, D0 + 2 * DAY + 2 * 3600]);
    assert!(
        candles(Params {
            from: Some(D0 + 3 * DAY),
            ..p()
        })
        .rows
        .is_empty()
    );
}

/// Every stored candle: (pair, interval, bucket, open, high, low, close).
fn stored_candles(path: &std::path::Path) -> Vec<(String, i64, i64, f64, f64, f64, f64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut stmt = c
        .prepare(
            "SELECT pair, interval, bucket, open, high, low, close FROM candles ORDER BY 1, 2, 3",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    });
    rows.unwrap().map(Result::unwrap).collect()
}

/// A version-1 index (candles opened at their first swap's own price, high
/// and low over the swaps alone) migrates to the candles the indexer writes.
#[test]
fn migration_2_opens_stored_candles_before_their_first_swap() {
    let f = build();
    let want = stored_candles(&f.path);
    // The same rows in a genuine version-1 file: version 1's schema, the
    // chain in `meta`, no pricing columns, version-1 candles.
    let v1 = f.dir.path().join("v1.db");
    {
        let c = rusqlite::Connection::open(&v1).unwrap();
        c.execute_batch(tidepool_indexer::schema::MIGRATIONS[0])
            .unwrap();
        c.execute("ATTACH ?1 AS f", [f.path.to_str().unwrap()])
            .unwrap();
        for t in tidepool_indexer::schema::DATA_TABLES {
            let cols = tidepool_indexer::schema::columns(&c, t).unwrap().join(", ");
            c.execute_batch(&format!(
                "INSERT INTO main.{t} ({cols}) SELECT {cols} FROM f.{t}"
            ))
            .unwrap();
        }
        c.execute_batch(
            "INSERT INTO meta (key, value) SELECT 'chain_id', chain_id FROM f.chains;
             INSERT INTO meta (key, value) SELECT 'factory', factory FROM f.chains;
             INSERT INTO meta (key, value) SELECT 'genesis_hash', genesis_hash FROM f.chains;
             INSERT INTO meta (key, value) SELECT 'start_block', start_block FROM f.chains;
             INSERT INTO meta (key, value) SELECT 'checkpoint_block', checkpoint_block FROM f.chains;
             INSERT INTO meta (key, value) SELECT 'checkpoint_hash', checkpoint_hash FROM f.chains;
             DETACH f;",
        )
        .unwrap();
        let first =
            "SELECT {} FROM swaps s WHERE s.pair = candles.pair AND s.timestamp >= candles.bucket
                     AND s.timestamp < candles.bucket + candles.interval";
        let sql = format!(
            "UPDATE candles SET open = ({} ORDER BY s.block_number, s.log_index LIMIT 1),
                                high = ({}), low = ({}); PRAGMA user_version = 1;",
            first.replace("{}", "s.price"),
            first.replace("{}", "max(s.price)"),
            first.replace("{}", "min(s.price)"),
        );
        c.execute_batch(&sql).unwrap();
    }
    let f = Fixture {
        at: tidepool_indexer::db::Location::File(v1.clone()),
        path: v1,
        dir: f.dir,
        pg: None,
    };
    let old = stored_candles(&f.path);
    assert_ne!(old, want, "the version-1 candles differ");
    assert!(
        Store::open_read_only(&f.path, None).is_err(),
        "a version-1 file is refused until migrated"
    );
    drop(Store::open(&f.path).unwrap());
    let got = stored_candles(&f.path);
    assert_eq!(got.len(), want.len());
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((&g.0, g.1, g.2), (&w.0, w.1, w.2));
        assert!(
            close(g.3, w.3) && close(g.4, w.4) && close(g.5, w.5) && g.6 == w.6,
            "{g:?} != {w:?}"
        );
    }
}

async fn daily_volume_of_pairs_and_tokens(b: Backend) {
    let (_f, c) = open(b);
    let days = [D0, D0 + DAY, D0 + 2 * DAY];
    let t = run(
        &c,
        Query::Volume(Params {
            pair: Some(P1.into()),
            ..p()
        }),
    );
    assert_eq!(ints(&t, "day"), days);
    for (i, day) in days.into_iter().enumerate() {
        let (v0, v1, n) = volume(P1, day, day + DAY);
        let got = (t.get(i, "volume0"), t.get(i, "volume1"), t.get(i, "swaps"));
        assert_eq!(
            got,
            (&json!(v0.to_string()), &json!(v1.to_string()), &json!(n))
        );
    }
    assert_eq!(t.get(0, "volume0"), &json!("7400000000000000000"));
    assert_eq!(t.get(0, "fees0"), &json!("15000000000000000"));
    assert_eq!(t.get(0, "fees1"), &json!("21000000"));
    assert_eq!(t.get(0, "reserve0"), &json!("12600000000000000000"));
    assert_eq!(t.get(1, "reserve1"), &json!("5009000000"));
    let from = Params {
        pair: Some(P1.into()),
        from: Some(D0 + DAY + 5),
        ..p()
    };
    assert_eq!(ints(&run(&c, Query::Volume(from)), "day"), &days[1..]);
    let last = Params {
        pair: Some(P1.into()),
        limit: Some(1),
        ..p()
    };
    assert_eq!(ints(&run(&c, Query::Volume(last)), "day"), &days[2..]);

    let t = run(
        &c,
        Query::Volume(Params {
            token: Some(USDC.into()),
            ..p()
        }),
    );
    assert_eq!(ints(&t, "day"), days);
    for (i, day) in days.into_iter().enumerate() {
        let (_, a, n1) = volume(P1, day, day + DAY);
        let (b, _, n2) = volume(P2, day, day + DAY);
        assert_eq!(t.get(i, "volume"), &json!((a + b).to_string()), "day {i}");
        assert_eq!(t.get(i, "swaps"), &json!(n1 + n2));
    }
    assert_eq!(t.get(0, "volume"), &json!("20990000000"));
}

async fn tvl_of_pairs_and_tokens(b: Backend) {
    let (_f, c) = open(b);
    let pair = |q: Params| {
        run(
            &c,
            Query::Tvl(Params {
                pair: Some(P1.into()),
                ..q
            }),
        )
    };
    let t = pair(Params {
        from: Some(D0),
        to: Some(D0 + DAY),
        ..p()
    });
    assert_eq!(ints(&t, "block_number"), [100, 110, 111, 112, 113, 114]);
    assert_eq!(t.get(0, "timestamp"), &json!(D0 + 60));
    assert_eq!(t.get(0, "reserve0"), &json!("10000000000000000000"));
    let px = price(P1, "10000000000000000000", "30000000000");
    assert_eq!(t.get(0, "price"), &json!(px));
    let daily = pair(Params {
        interval: Some(DAY),
        ..p()
    });
    assert_eq!(ints(&daily, "bucket"), [D0, D0 + DAY, D0 + 2 * DAY]);
    assert_eq!(ints(&daily, "block_number"), [114, 129, 132]);
    assert_eq!(
        strs(&daily, "reserve1"),
        ["24010000000", "5009000000", "6006000000"]
    );
    let hourly = pair(Params {
        interval: Some(3600),
        limit: Some(2),
        ..p()
    });
    assert_eq!(
        ints(&hourly, "bucket"),
        [D0 + 2 * DAY, D0 + 2 * DAY + 3 * 3600]
    );
    assert_eq!(ints(&hourly, "block_number"), [130, 132]);

    let t = run(
        &c,
        Query::Tvl(Params {
            token: Some("usdc".into()),
            ..p()
        }),
    );
    assert_eq!(ints(&t, "day"), [D0, D0 + DAY, D0 + 2 * DAY]);
    assert_eq!(
        strs(&t, "tvl"),
        ["124510000000", "105504100000", "106501100000"]
    );
    let tide = Params {
        token: Some(TIDE.into()),
        to: Some(D0 + DAY),
        ..p()
    };
    assert_eq!(
        strs(&run(&c, Query::Tvl(tide)), "tvl"),
        ["201000000000000000000000"]
    );
}

crate::on_both_backends!(
    candles_stored_and_computed_match_the_swaps,
    daily_volume_of_pairs_and_tokens,
    tvl_of_pairs_and_tokens,
);
