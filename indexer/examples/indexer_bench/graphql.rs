//! GraphQL latency of the Uniswap V2 subgraph's example queries on the query
//! database (≥ 1M swaps), run the way `POST /graphql` runs them: one pooled
//! read-only connection, the schema's resolvers, the JSON answer serialized.

use std::time::Instant;

use tidepool_indexer::db::{Db, Location};
use tidepool_indexer::graphql::GraphQl;
use tidepool_indexer::store::Store;

use crate::chain::Res;
use crate::queries::Timing;

fn column(conn: &Db, sql: &str) -> Res<Vec<String>> {
    Ok(conn
        .read(sql, &[])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?)
}

/// Times each example query `runs` times (after `runs / 10` warm-ups).
pub fn run(db: &Location, runs: usize) -> Res<Vec<Timing>> {
    let gql = GraphQl::new();
    let mut conn = Some(Store::open_reader(db, None)?);
    let probe = Store::open_reader(db, None)?;
    let pairs = column(&probe, "SELECT address FROM pairs ORDER BY pair_index")?;
    let tokens = column(&probe, "SELECT address FROM tokens ORDER BY address")?;
    let lps = column(
        &probe,
        "SELECT to_address FROM lp_transfers WHERE from_address = '0x0000000000000000000000000000000000000000'
           AND to_address != '0x0000000000000000000000000000000000000000'
         GROUP BY to_address ORDER BY count(*) DESC LIMIT 3",
    )?;
    if pairs.is_empty() || tokens.is_empty() || lps.is_empty() {
        return Err("the query database has no pairs, tokens or liquidity providers".into());
    }
    type Make<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let cases: Vec<(&'static str, String, &str, Make)> = vec![
        (
            "top pairs by reserveUSD",
            "pairs(first: 10, orderBy: reserveUSD, orderDirection: desc) with tokens, reserveUSD, volumeUSD, txCount".into(),
            "pairs",
            Box::new(|_| {
                "{ pairs(first: 10, orderBy: reserveUSD, orderDirection: desc) { id token0 { id symbol } token1 { id symbol } reserveUSD volumeUSD txCount } }".into()
            }),
        ),
        (
            "a pair's recent swaps",
            "swaps(orderBy: timestamp, orderDirection: desc, where: {pair}) (100), pairs in turn".into(),
            "swaps",
            Box::new(|i| {
                format!(
                    r#"{{ swaps(orderBy: timestamp, orderDirection: desc, where: {{ pair: "{}" }}) {{ pair {{ token0 {{ symbol }} token1 {{ symbol }} }} amount0In amount0Out amount1In amount1Out amountUSD to }} }}"#,
                    pairs[i % pairs.len()]
                )
            }),
        ),
        (
            "a token's day data",
            "tokenDayDatas(orderBy: date, orderDirection: desc, where: {token}) (100), tokens in turn".into(),
            "tokenDayDatas",
            Box::new(|i| {
                format!(
                    r#"{{ tokenDayDatas(orderBy: date, orderDirection: desc, where: {{ token: "{}" }}) {{ id date priceUSD totalLiquidityToken totalLiquidityUSD totalLiquidityETH dailyVolumeETH dailyVolumeToken dailyVolumeUSD }} }}"#,
                    tokens[i % tokens.len()]
                )
            }),
        ),
        (
            "the bundle's ETH price",
            "bundle(id: \"1\") { ethPrice }".into(),
            "bundle",
            Box::new(|_| r#"{ bundle(id: "1") { ethPrice } }"#.into()),
        ),
        (
            "a user's liquidity positions",
            "user(id) { liquidityPositions { liquidityTokenBalance pair { id totalSupply reserveUSD } } }, the 3 largest providers in turn".into(),
            "user",
            Box::new(|i| {
                format!(
                    r#"{{ user(id: "{}") {{ liquidityPositions {{ liquidityTokenBalance pair {{ id totalSupply reserveUSD }} }} }} }}"#,
                    lps[i % lps.len()]
                )
            }),
        ),
    ];
    let mut out = Vec::new();
    for (name, how, root, make) in cases {
        let mut once = |i: usize| -> Res<(f64, usize)> {
            let t = Instant::now();
            let (resp, c) = gql.run(
                conn.take().ok_or("no connection")?,
                async_graphql::Request::new(make(i)),
            );
            let json = serde_json::to_value(&resp)?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            conn = Some(c);
            if let Some(e) = json.get("errors") {
                return Err(format!("{name}: {e}").into());
            }
            let data = &json["data"][root];
            let rows = data.as_array().map_or(1, Vec::len);
            Ok((ms, rows))
        };
        for i in 0..runs / 10 {
            once(i)?;
        }
        let (mut ms, mut rows) = (Vec::with_capacity(runs), 0usize);
        for i in 0..runs {
            let (t, n) = once(i)?;
            ms.push(t);
            rows += n;
        }
        ms.sort_by(f64::total_cmp);
        out.push(Timing {
            name,
            how,
            ms,
            rows: rows as f64 / runs as f64,
        });
    }
    Ok(out)
}
