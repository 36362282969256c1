//! The typed queries on the fixture index: rows as structs, the same answers
//! as the run-time `Query` path, and loosely given parameters read through
//! the typed structs.

use super::*;
use tidepool_indexer::query::{
    self, AccountParams, Activity, CandlesParams, PairsParams, Request, SwapsParams, TokenRow,
    TvlParams, TvlRows, VolumeParams, VolumeRows, fields,
};

async fn typed_rows_match_the_table_answers(b: Backend) {
    let (_f, c) = open(b);
    let pairs = query::pairs(
        &c,
        &PairsParams {
            at: Some(AT),
            ..PairsParams::default()
        },
    )
    .unwrap();
    assert_eq!(
        pairs.iter().map(|r| r.address.as_str()).collect::<Vec<_>>(),
        [P1, P2]
    );
    assert_eq!(pairs[0].symbol0.as_deref(), Some("WETH"));
    assert_eq!(pairs[1].decimals0, Some(6));
    assert_eq!(pairs[0].volume0_24h, "106765432109876543210");
    assert_eq!(pairs[0].swaps_24h, 4);
    // The table adapter keeps the field order and the values.
    let t = run(
        &c,
        Query::Pairs(Params {
            at: Some(AT),
            ..p()
        }),
    );
    assert_eq!(t, Table::from_rows(&pairs).unwrap());
    assert_eq!(t.columns[..3], ["address", "token0", "symbol0"]);
    assert_eq!(t.columns.last().unwrap(), "swaps_24h");

    let swaps = query::swaps(
        &c,
        &SwapsParams {
            pair: Some(P1.into()),
            limit: Some(2),
            ..SwapsParams::default()
        },
    )
    .unwrap();
    assert_eq!(swaps.len(), 2);
    assert!(swaps[0].timestamp >= swaps[1].timestamp);
    assert!(swaps.iter().all(|s| s.pair == P1));

    let history = query::account(
        &c,
        &AccountParams {
            account: Some(BOB.into()),
            ..AccountParams::default()
        },
    )
    .unwrap();
    let t = run(
        &c,
        Query::Account(Params {
            account: Some(BOB.into()),
            ..p()
        }),
    );
    assert_eq!(t, Table::from_rows(&history).unwrap());
    for (i, r) in history.iter().enumerate() {
        let kind = serde_json::to_value(r.kind).unwrap();
        assert_eq!(t.get(i, "kind"), &kind);
        assert_eq!(r.liquidity.is_some(), r.kind != Activity::Swap);
    }
}

async fn each_shape_of_volume_and_tvl_is_typed(b: Backend) {
    let (_f, c) = open(b);
    let v = |p: VolumeParams| query::volume(&c, &p).unwrap();
    assert!(
        matches!(v(VolumeParams { at: Some(AT), ..Default::default() }), VolumeRows::Pairs(r) if r.len() == 2)
    );
    let days = v(VolumeParams {
        pair: Some(P1.into()),
        ..Default::default()
    });
    let VolumeRows::PairDays(days) = days else {
        panic!("{days:?}")
    };
    assert!(days.windows(2).all(|w| w[0].day < w[1].day));
    assert!(matches!(
        v(VolumeParams { token: Some("USDC".into()), ..Default::default() }),
        VolumeRows::TokenDays(r) if !r.is_empty()
    ));
    let t = |p: TvlParams| query::tvl(&c, &p).unwrap();
    let pair = Some(P1.to_string());
    assert!(
        matches!(t(TvlParams { pair: pair.clone(), ..Default::default() }), TvlRows::Reserves(r) if !r.is_empty())
    );
    assert!(matches!(
        t(TvlParams { pair, interval: Some(DAY), ..Default::default() }),
        TvlRows::Buckets(r) if r.iter().all(|b| b.bucket % DAY == 0)
    ));
    assert!(
        matches!(t(TvlParams { token: Some(USDC.into()), ..Default::default() }), TvlRows::Token(r) if !r.is_empty())
    );
}

async fn tokens_are_listed_by_symbol(b: Backend) {
    let (f, c) = open(b);
    // A token whose symbol() could not be read comes first, on both stores.
    let nameless = format!("0x{}", "0f".repeat(20));
    tidepool_indexer::db::Sql::execute(
        &mut crate::common::open(&f.at),
        "INSERT INTO main.tokens (chain_id, address) VALUES (?1, ?2)",
        tidepool_indexer::args![CHAIN as i64, &nameless],
    )
    .unwrap();
    let tokens = query::tokens(&c).unwrap();
    assert_eq!(
        (tokens[0].address.as_str(), &tokens[0].symbol),
        (nameless.as_str(), &None)
    );
    let usdc = tokens.iter().find(|t| t.address == USDC).unwrap();
    assert_eq!(
        usdc,
        &TokenRow {
            address: USDC.into(),
            symbol: Some("USDC".into()),
            name: Some("USDC".into()),
            decimals: Some(6),
        }
    );
    let symbols: Vec<_> = tokens.iter().map(|t| t.symbol.clone()).collect();
    let mut sorted = symbols.clone();
    sorted.sort();
    assert_eq!(symbols, sorted);
}

#[test]
fn loose_parameters_are_read_through_the_typed_structs() {
    assert_eq!(
        fields::fields::<CandlesParams>(),
        ["pair", "interval", "from", "to", "limit"]
    );
    let q = Query::Candles(Params {
        pair: Some(P1.into()),
        interval: Some(300),
        ..p()
    });
    assert_eq!(
        q.request().unwrap(),
        Request::Candles(CandlesParams {
            pair: Some(P1.into()),
            interval: Some(300),
            ..CandlesParams::default()
        })
    );
    // URL-style strings parse as the CLI's flags do.
    let p: CandlesParams = serde_json::from_value(json!({
        "pair": P1, "interval": "1h", "from": "2026-11-29", "to": "", "limit": "5"
    }))
    .unwrap();
    assert_eq!(
        (p.interval, p.from, p.to, p.limit),
        (Some(3600), Some(D0), None, Some(5))
    );
    let e = serde_json::from_value::<CandlesParams>(json!({ "interval": "90s" })).unwrap_err();
    assert!(e.to_string().contains("multiple of 60"), "{e}");
}

crate::on_both_backends!(
    typed_rows_match_the_table_answers,
    each_shape_of_volume_and_tvl_is_typed,
    tokens_are_listed_by_symbol,
);
