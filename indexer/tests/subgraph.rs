//! The Uniswap V2 subgraph's documented example queries, sent unchanged to
//! the GraphQL endpoint over real indexes: of the devnet after scripted
//! trades (Tidepool's contracts), and of the official Uniswap V2 bytecode on
//! anvil. Reserves, token volumes and counts must equal the raw rows exactly;
//! USD and ETH values must be within 3% of the same quantities computed from
//! the raw rows: prices from the reserves at the moment the subgraph values
//! them (a swap at its own Sync, a pair's reserves at its last Sync), one hop
//! deep. The subgraph also reuses a token's ETH price from its last update,
//! which the 3% covers.

mod common;
#[path = "subgraph/oracle.rs"]
mod oracle;

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use common::*;
use oracle::{Oracle, u};
use serde_json::Value;
use tidepool_indexer::config::hex;
use tidepool_indexer::db::Location;
use tidepool_indexer::graphql::GraphQl;
use tidepool_indexer::pricing::PricingConfig;
use tidepool_indexer::store::Store;
use tidepool_sdk::alloy;
use tidepool_sdk::amount::format_units as decimal_string;
use tidepool_sdk::bindings::{TestToken, TidepoolFactory, TidepoolPair};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, send};

/// USD and ETH values agree with today's prices within this much.
const TOLERANCE: f64 = 0.03;

fn query(db: &Location, q: &str) -> Value {
    let conn = Store::open_reader(db, None).unwrap();
    let (resp, _) = GraphQl::new().run(conn, async_graphql::Request::new(q));
    let v = serde_json::to_value(&resp).unwrap();
    assert!(v.get("errors").is_none(), "{q}: {v}");
    v["data"].clone()
}

fn num(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn close(got: f64, want: f64, what: &str) {
    let ok = if want.abs() < 1e-9 {
        got.abs() < 1e-6
    } else {
        (got / want - 1.0).abs() <= TOLERANCE
    };
    assert!(ok, "{what}: {got} vs {want} from the raw rows");
}

/// Runs the example queries over `db` and checks every number. `lp` holds
/// liquidity in the pairs; `balances` are its LP balances read on chain.
fn check_examples(
    db: &Location,
    pricing: &PricingConfig,
    lp: Address,
    balances: &[(Address, U256)],
) {
    let weth = hex(pricing.weth.unwrap());
    let list = |v: &[Address]| v.iter().map(|a| hex(*a)).collect::<Vec<_>>();
    let o = Oracle::new(
        db,
        &weth,
        &list(&pricing.stablecoins),
        &list(&pricing.whitelist),
    );
    assert!(o.pairs.len() >= 2);

    // The ETH price.
    let d = query(db, r#"{ bundle(id: "1") { ethPrice } }"#);
    let eth = num(&d["bundle"]["ethPrice"]);
    assert!(
        (eth / o.eth_price() - 1.0).abs() < 1e-9,
        "ethPrice {eth} vs {}",
        o.eth_price()
    );

    // Top pairs by liquidity.
    let d = query(
        db,
        r#"{
  pairs(first: 1000, orderBy: reserveUSD, orderDirection: desc) {
    id
    token0 { id symbol name derivedETH }
    token1 { id symbol name derivedETH }
    reserve0
    reserve1
    reserveUSD
    trackedReserveETH
    token0Price
    token1Price
    volumeToken0
    volumeToken1
    volumeUSD
    untrackedVolumeUSD
    txCount
  }
}"#,
    );
    let pairs = d["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), o.pairs.len());
    let volumes = o.volumes();
    let mut last = f64::INFINITY;
    for p in pairs {
        let id = p["id"].as_str().unwrap();
        let raw = o.pairs.iter().find(|r| r.address == id).unwrap();
        assert_eq!(
            p["reserve0"],
            decimal_string(raw.r0, raw.dec0 as u8),
            "{id}"
        );
        assert_eq!(
            p["reserve1"],
            decimal_string(raw.r1, raw.dec1 as u8),
            "{id}"
        );
        let (v0, v1) = volumes[id];
        assert_eq!(
            p["volumeToken0"],
            decimal_string(v0, raw.dec0 as u8),
            "{id}"
        );
        assert_eq!(
            p["volumeToken1"],
            decimal_string(v1, raw.dec1 as u8),
            "{id}"
        );
        assert_eq!(p["txCount"], o.tx_count(id).to_string(), "{id}");
        let (r0, r1) = raw.whole();
        close(num(&p["token1Price"]), r1 / r0, "token1Price");
        close(num(&p["token0Price"]), r0 / r1, "token0Price");
        let reserve_usd = num(&p["reserveUSD"]);
        // As the subgraph keeps it: valued at the pair's last Sync.
        let then = o.at(o.last_sync(id));
        close(
            reserve_usd,
            r0 * then.usd(&raw.token0) + r1 * then.usd(&raw.token1),
            &format!("{id} reserveUSD"),
        );
        assert!(reserve_usd <= last, "ordered by reserveUSD");
        last = reserve_usd;
        for (side, token) in [("token0", &raw.token0), ("token1", &raw.token1)] {
            let then = o.at(o.last_sync_of_token(token));
            close(
                num(&p[side]["derivedETH"]),
                then.eth_per(token),
                &format!("{token} derivedETH"),
            );
        }
        // Each swap valued at its own time.
        let tracked: f64 = o
            .swaps(id)
            .iter()
            .map(|s| o.at(s.2).tracked(raw, s.0, s.1))
            .sum();
        close(num(&p["volumeUSD"]), tracked, &format!("{id} volumeUSD"));
        assert!(num(&p["untrackedVolumeUSD"]) > 0.0 || o.swaps(id).is_empty());
    }

    // A pair's recent swaps.
    let busiest = o
        .pairs
        .iter()
        .max_by_key(|p| o.swaps(&p.address).len())
        .unwrap();
    let d = query(
        db,
        &format!(
            r#"{{
  swaps(orderBy: timestamp, orderDirection: desc, where: {{ pair: "{}" }}) {{
    pair {{ token0 {{ symbol }} token1 {{ symbol }} }}
    amount0In
    amount0Out
    amount1In
    amount1Out
    amountUSD
    to
  }}
}}"#,
            busiest.address
        ),
    );
    let got = d["swaps"].as_array().unwrap();
    let raw = o.swaps(&busiest.address);
    assert_eq!(got.len(), raw.len().min(100));
    for (g, r) in got.iter().zip(raw.iter().rev()) {
        let a0 = u(&decimal_to_raw(&g["amount0In"], busiest.dec0))
            + u(&decimal_to_raw(&g["amount0Out"], busiest.dec0));
        assert_eq!(a0, r.0);
        let tracked = o.at(r.2).tracked(busiest, r.0, r.1);
        if tracked > 0.0 {
            close(num(&g["amountUSD"]), tracked, "amountUSD");
        }
    }

    // A token's day data.
    let token = &busiest.token0;
    let d = query(
        db,
        &format!(
            r#"{{
  tokenDayDatas(orderBy: date, orderDirection: asc, where: {{ token: "{token}" }}) {{
    id
    date
    priceUSD
    totalLiquidityToken
    totalLiquidityUSD
    totalLiquidityETH
    dailyVolumeETH
    dailyVolumeToken
    dailyVolumeUSD
  }}
}}"#
        ),
    );
    let days = d["tokenDayDatas"].as_array().unwrap();
    assert!(!days.is_empty());
    let last = days.last().unwrap();
    let then = o.at(o.last_sync_of_token(token));
    close(num(&last["priceUSD"]), then.usd(token), "priceUSD");
    let liquidity: f64 = num(&last["totalLiquidityToken"]);
    close(
        num(&last["totalLiquidityUSD"]),
        liquidity * then.usd(token),
        "totalLiquidityUSD",
    );
    let mut volume = U256::ZERO;
    for p in o
        .pairs
        .iter()
        .filter(|p| &p.token0 == token || &p.token1 == token)
    {
        for s in o.swaps(&p.address) {
            volume += if &p.token0 == token { s.0 } else { s.1 };
        }
    }
    let dec = o
        .pairs
        .iter()
        .find_map(|p| {
            if &p.token0 == token {
                Some(p.dec0)
            } else if &p.token1 == token {
                Some(p.dec1)
            } else {
                None
            }
        })
        .unwrap();
    let summed = days
        .iter()
        .map(|d| u(&decimal_to_raw(&d["dailyVolumeToken"], dec)))
        .fold(U256::ZERO, |a, b| a + b);
    assert_eq!(
        summed, volume,
        "daily volumes of {token} add up to its swaps"
    );

    // A user's liquidity positions, against balanceOf on chain.
    let d = query(
        db,
        &format!(
            r#"{{
  user(id: "{}") {{
    liquidityPositions {{
      liquidityTokenBalance
      pair {{ id totalSupply reserveUSD }}
    }}
  }}
}}"#,
            hex(lp)
        ),
    );
    let positions = d["user"]["liquidityPositions"].as_array().unwrap();
    for (pair, balance) in balances {
        let pos = positions
            .iter()
            .find(|p| p["pair"]["id"] == hex(*pair))
            .unwrap_or_else(|| panic!("no position in {pair}"));
        assert_eq!(pos["liquidityTokenBalance"], decimal_string(*balance, 18));
    }

    // The factory's totals.
    let d = query(
        db,
        "{ uniswapFactories(first: 1) { pairCount totalVolumeUSD totalLiquidityUSD txCount } }",
    );
    let f = &d["uniswapFactories"][0];
    assert_eq!(f["pairCount"], o.pairs.len());
    let total: i64 = o.pairs.iter().map(|p| o.tx_count(&p.address)).sum();
    assert_eq!(f["txCount"], total.to_string());
    let volume: f64 = pairs.iter().map(|p| num(&p["volumeUSD"])).sum();
    close(num(&f["totalVolumeUSD"]), volume, "totalVolumeUSD");
    assert!(num(&f["totalLiquidityUSD"]) > 0.0);
}

/// A BigDecimal string back to base units.
fn decimal_to_raw(v: &Value, decimals: i32) -> String {
    let s = v.as_str().unwrap();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = format!("{int}{frac:0<width$}", width = decimals as usize);
    let t = digits.trim_start_matches('0');
    if t.is_empty() { "0".into() } else { t.into() }
}

async fn lp_balances(c: &Client, pairs: &[Address], who: Address) -> Vec<(Address, U256)> {
    let mut out = Vec::new();
    for p in pairs {
        out.push((
            *p,
            TidepoolPair::new(*p, &c.provider)
                .balanceOf(who)
                .call()
                .await
                .unwrap(),
        ));
    }
    out
}

async fn the_example_queries_over_the_devnet(b: Backend) {
    let net = net().await;
    swaps(&net, 30, 21).await;
    let h = net.trader.provider.get_block_number().await.unwrap();
    let stores = Stores::new(b);
    let db = stores.store("index");
    index_to(&net.devnet.url, &net.m, &db, h).await;
    let pairs: Vec<Address> = {
        let f = TidepoolFactory::new(net.m.factory, &net.trader.provider);
        let n = f.allPairsLength().call().await.unwrap();
        let mut v = Vec::new();
        for i in 0..n.to::<u64>() {
            v.push(f.allPairs(U256::from(i)).call().await.unwrap());
        }
        v
    };
    let deployer = tidepool_sdk::signer::SignerSource::DevAccount(0)
        .load(31337)
        .unwrap()
        .address();
    let balances = lp_balances(&net.trader, &pairs, deployer).await;
    check_examples(
        &db,
        &PricingConfig::from_manifest(&net.m),
        deployer,
        &balances,
    );
}

async fn the_example_queries_over_the_official_uniswap_v2_bytecode(b: Backend) {
    let net = net().await;
    let c = &net.trader;
    let me = c.sender().unwrap();
    let (factory, deploy_block) = uniswap_factory(c).await;
    let t = |s: &str| net.m.token(s).unwrap();
    let (weth, usdc, tide) = (net.m.weth, t("USDC").address, t("TIDE").address);
    let e = |n: u64, d: u8| U256::from(n) * U256::from(10u64).pow(U256::from(d));
    // WETH/USDC at $3,000 ($1.2M deep), TIDE/WETH at $2 ($600k deep).
    let mut pairs = Vec::new();
    for (a, b, amount_a, amount_b) in [
        (weth, usdc, e(200, 18), e(600_000, 6)),
        (tide, weth, e(150_000, 18), e(100, 18)),
    ] {
        send(
            c,
            call_tx(
                factory,
                TidepoolFactory::createPairCall {
                    tokenA: a,
                    tokenB: b,
                }
                .abi_encode(),
                U256::ZERO,
            ),
        )
        .await
        .unwrap();
        let pair = TidepoolFactory::new(factory, &c.provider)
            .getPair(a, b)
            .call()
            .await
            .unwrap();
        for (token, amount) in [(a, amount_a), (b, amount_b)] {
            let data = TestToken::transferCall { to: pair, amount }.abi_encode();
            send(c, call_tx(token, data, U256::ZERO)).await.unwrap();
        }
        send(
            c,
            call_tx(
                pair,
                TidepoolPair::mintCall { to: me }.abi_encode(),
                U256::ZERO,
            ),
        )
        .await
        .unwrap();
        pairs.push(pair);
    }
    // Swaps straight through the pairs, both ways.
    for i in 0..12u64 {
        let pair = pairs[(i % 2) as usize];
        let p = TidepoolPair::new(pair, &c.provider);
        let (t0, t1) = (
            p.token0().call().await.unwrap(),
            p.token1().call().await.unwrap(),
        );
        let r = p.getReserves().call().await.unwrap();
        let (r0, r1) = (U256::from(r._reserve0), U256::from(r._reserve1));
        let zero_for_one = i % 3 != 0;
        let (tin, rin, rout) = if zero_for_one {
            (t0, r0, r1)
        } else {
            (t1, r1, r0)
        };
        let amount_in = rin / U256::from(500u64 + i * 37);
        let out = tidepool_sdk::math::get_amount_out(amount_in, rin, rout).unwrap();
        send(
            c,
            call_tx(
                tin,
                TestToken::transferCall {
                    to: pair,
                    amount: amount_in,
                }
                .abi_encode(),
                U256::ZERO,
            ),
        )
        .await
        .unwrap();
        let (o0, o1) = if zero_for_one {
            (U256::ZERO, out)
        } else {
            (out, U256::ZERO)
        };
        let swap = TidepoolPair::swapCall {
            amount0Out: o0,
            amount1Out: o1,
            to: me,
            data: Bytes::new(),
        };
        send(c, call_tx(pair, swap.abi_encode(), U256::ZERO))
            .await
            .unwrap();
    }
    let head = c.provider.get_block_number().await.unwrap();
    let stores = Stores::new(b);
    let db = stores.store("v2");
    let mut m = net.m.clone();
    m.factory = factory;
    m.deploy_block = deploy_block;
    index_to(&net.devnet.url, &m, &db, head).await;
    let balances = lp_balances(c, &pairs, me).await;
    check_examples(&db, &PricingConfig::from_manifest(&m), me, &balances);
}

on_both_backends!(
    the_example_queries_over_the_devnet,
    the_example_queries_over_the_official_uniswap_v2_bytecode,
);
