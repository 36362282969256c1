//! Swaps, one account's history, and raw SQL.

use serde_json::{Value, json};
use tidepool_indexer::query::{Params, Query};

use super::Backend;
use super::fixture::*;
use super::{bad, col, ints, open, p, run, shout, strs};

async fn swaps_filter_and_paginate_newest_first(b: Backend) {
    let (_f, c) = open(b);
    let all = run(&c, Query::Swaps(p()));
    let blocks = [
        132, 131, 130, 129, 128, 120, 120, 114, 113, 112, 111, 110, 110,
    ];
    assert_eq!(ints(&all, "block_number"), blocks);
    assert_eq!(ints(&all, "log_index")[5..7], [3, 1]);
    let j = all.to_json();
    assert_eq!(
        j[6],
        json!({"block_number": 120, "log_index": 1, "timestamp": D0 + DAY + 100,
               "tx_hash": format!("0x{:062x}{:02x}", 120, 1), "pair": P1, "sender": ROUTER,
               "recipient": BOB, "amount0_in": "123456789012345678901234567", "amount1_in": "0",
               "amount0_out": "0", "amount1_out": "25000000000",
               "reserve0": "123456801612345678901234567", "reserve1": "10000000",
               "price": price(P1, "123456801612345678901234567", "10000000")})
    );

    let q = |params: Params| run(&c, Query::Swaps(params));
    let blocks_of = |params: Params| ints(&q(params), "block_number");
    assert_eq!(
        blocks_of(Params {
            pair: Some(P2.into()),
            ..p()
        }),
        [120, 110]
    );
    assert_eq!(
        blocks_of(Params {
            token: Some(TIDE.into()),
            ..p()
        }),
        [120, 110]
    );
    assert_eq!(
        q(Params {
            token: Some("USDC".into()),
            ..p()
        })
        .rows
        .len(),
        13
    );
    assert_eq!(
        q(Params {
            token: Some(WETH.into()),
            ..p()
        })
        .rows
        .len(),
        11
    );
    let alice = q(Params {
        account: Some(shout(ALICE)),
        ..p()
    });
    assert_eq!(
        ints(&alice, "block_number"),
        [132, 130, 128, 120, 114, 112, 110]
    );
    assert!(strs(&alice, "recipient").iter().all(|r| r == ALICE));
    let bob_p1 = Params {
        pair: Some(P1.into()),
        account: Some(BOB.into()),
        ..p()
    };
    assert_eq!(blocks_of(bob_p1), [131, 129, 120, 113, 111]);
    let day1 = Params {
        from: Some(D0 + DAY),
        to: Some(D0 + 2 * DAY),
        ..p()
    };
    assert_eq!(blocks_of(day1), [129, 128, 120, 120]);
    assert_eq!(
        blocks_of(Params {
            limit: Some(3),
            offset: Some(2),
            ..p()
        }),
        [130, 129, 128]
    );
    assert!(
        q(Params {
            offset: Some(13),
            ..p()
        })
        .rows
        .is_empty()
    );
    let usdc = Params {
        token: Some(USDC.into()),
        limit: Some(3),
        offset: Some(5),
        ..p()
    };
    let page = q(usdc);
    assert_eq!(ints(&page, "block_number"), [120, 120, 114]);
    assert_eq!(strs(&page, "pair"), [P2, P1, P1]);
    assert!(
        q(Params {
            from: Some(AT),
            to: Some(AT),
            ..p()
        })
        .rows
        .is_empty()
    );
}

async fn account_history_merges_swaps_mints_and_burns(b: Backend) {
    let (_f, c) = open(b);
    let acct = |who: &str, q: Params| {
        run(
            &c,
            Query::Account(Params {
                account: Some(who.into()),
                ..q
            }),
        )
    };
    let t = acct(ALICE, p());
    let kinds = [
        "swap", "swap", "swap", "mint", "burn", "swap", "swap", "swap", "swap", "mint",
    ];
    assert_eq!(strs(&t, "kind"), kinds);
    assert_eq!(
        ints(&t, "block_number"),
        [132, 130, 128, 126, 125, 120, 114, 112, 110, 100]
    );
    let j = t.to_json();
    assert_eq!(
        j[0],
        json!({"kind": "swap", "timestamp": AT, "block_number": 132, "log_index": 1,
               "tx_hash": format!("0x{:062x}{:02x}", 132, 1), "pair": P1,
               "token_a": WETH, "amount_a": "7000000000000000000", "token_b": USDC, "amount_b": "3000000",
               "execution_price": (3_000_000f64 / 1e6) / (7e18 / 1e18), "liquidity": null})
    );
    let mint = json!({"kind": "mint", "timestamp": D0 + DAY + 7300, "block_number": 126, "log_index": 1,
        "tx_hash": format!("0x{:064x}", 126), "pair": P1, "token_a": WETH, "amount_a": "3000000000000000000",
        "token_b": USDC, "amount_b": "4000000", "execution_price": null, "liquidity": "2000000000000000000"});
    assert_eq!(j[3], mint);
    assert_eq!(j[4]["kind"], json!("burn"));
    assert_eq!(j[4]["log_index"], json!(0));
    assert_eq!(j[4]["liquidity"], json!("10000000000000000000"));
    assert_eq!(j[4]["amount_a"], json!("1000000000000000000000000"));
    assert_eq!(j[4]["amount_b"], json!("1000000"));
    // TIDE in, USDC out on P2 (token1 → token0): 4.9 USDC for 10 TIDE.
    assert_eq!(
        (&j[5]["token_a"], &j[5]["token_b"]),
        (&json!(TIDE), &json!(USDC))
    );
    assert!((j[5]["execution_price"].as_f64().unwrap() - 0.49).abs() < 1e-12);
    assert_eq!(j[9]["amount_b"], json!("30000000000"));
    assert_eq!(j[9]["liquidity"], json!("17320508075688771935"));

    let page = acct(
        ALICE,
        Params {
            limit: Some(3),
            offset: Some(2),
            ..p()
        },
    );
    assert_eq!(strs(&page, "kind"), ["swap", "mint", "burn"]);
    assert_eq!(ints(&page, "block_number"), [128, 126, 125]);
    let day1 = acct(
        ALICE,
        Params {
            from: Some(D0 + DAY),
            to: Some(D0 + 2 * DAY),
            ..p()
        },
    );
    assert_eq!(ints(&day1, "block_number"), [128, 126, 125, 120]);
    let fee = acct(FEE_TO, p());
    assert_eq!(strs(&fee, "kind"), ["fee_mint", "fee_mint"]);
    assert_eq!(
        strs(&fee, "liquidity"),
        ["1000000000000000", "5000000000000000"]
    );
    assert_eq!(col(&fee, "amount_a"), [&Value::Null, &Value::Null]);
    let bob = acct(&shout(BOB), p());
    assert_eq!(
        ints(&bob, "block_number"),
        [131, 129, 120, 113, 111, 110, 101]
    );
    assert_eq!(
        (bob.get(6, "kind"), bob.get(6, "token_a")),
        (&json!("mint"), &json!(USDC))
    );
    assert!(acct(&format!("0x{}", "0a".repeat(20)), p()).rows.is_empty());
}

async fn sql_runs_read_only_statements_only(b: Backend) {
    let (_f, c) = open(b);
    let t = run(&c, Query::Sql("SELECT count(*) AS n FROM swaps".into()));
    assert_eq!(
        (t.columns, t.rows),
        (vec!["n".to_string()], vec![vec![json!(13)]])
    );
    // The statement is the store's own dialect: a blob literal differs.
    let blob = match b {
        Backend::Sqlite => "x'01ff'",
        Backend::Postgres => "'\\x01ff'::bytea",
    };
    let sql = format!(
        "SELECT symbol, decimals, unit, NULL AS x, {blob} AS b FROM tokens ORDER BY address LIMIT 1;"
    );
    let t = run(&c, Query::Sql(sql));
    assert_eq!(t.columns, ["symbol", "decimals", "unit", "x", "b"]);
    assert_eq!(
        t.rows,
        [vec![
            json!("WETH"),
            json!(18),
            json!(1e18),
            Value::Null,
            json!("0x01ff")
        ]]
    );
    let no_table = match b {
        Backend::Sqlite => "no such table: nowhere",
        Backend::Postgres => "relation \"nowhere\" does not exist",
    };
    let mut cases = vec![
        ("DELETE FROM swaps", "read-only"),
        ("INSERT INTO meta VALUES ('a', 'b')", "read-only"),
        ("SELEC 1", "syntax error"),
        ("SELEC 1", "(at character 0)"),
        ("SELECT * FROM nowhere", no_table),
        ("SELECT 1; SELECT 2", "one SQL statement"),
        ("  ", "empty"),
    ];
    if b == Backend::Postgres {
        cases.extend([
            ("DELETE FROM public.swaps", "read-only"),
            (
                "WITH d AS (DELETE FROM swaps RETURNING 1) SELECT count(*) FROM d",
                "read-only",
            ),
            ("SELECT now() AS t", "CAST it AS TEXT"),
            ("SELECT * FROM nowhere", "information_schema.tables"),
        ]);
    }
    for (sql, want) in cases {
        let m = bad(&c, Query::Sql(sql.into()));
        assert!(m.contains(want), "{sql}: {m}");
    }
    let t = run(&c, Query::Sql("SELECT count(*) FROM swaps".into()));
    assert_eq!(t.rows, [vec![json!(13)]]);
}

crate::on_both_backends!(
    swaps_filter_and_paginate_newest_first,
    account_history_merges_swaps_mints_and_burns,
    sql_runs_read_only_statements_only,
);
