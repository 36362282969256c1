//! Shared by the indexer's tests: a real devnet, trading activity, the chain's
//! own logs as ground truth, and database dumps to compare runs.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolCall;
use rusqlite::Connection;
use tidepool_devnet::Devnet;
use tidepool_indexer::config::Config;
use tidepool_indexer::events::{self, Kind};
use tidepool_indexer::ingest::{Indexer, Summary};
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TestToken, TidepoolFactory, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, send};
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::signer::SignerSource;

/// A devnet and a trader on it (dev account 1, every token approved for the router).
pub struct Net {
    pub devnet: Devnet,
    pub trader: Client,
    pub m: Manifest,
}

pub async fn net() -> Net {
    net_on(0).await
}

pub async fn net_on(port: u16) -> Net {
    let devnet = tidepool_testkit::start_devnet(port).await;
    let c = Client::connect(&devnet.url).await.unwrap();
    let trader = c
        .with_signer(&SignerSource::DevAccount(1).load(31337).unwrap())
        .unwrap();
    let m = devnet.manifest.clone();
    for t in &m.tokens {
        let data = TestToken::approveCall {
            spender: m.router,
            amount: U256::MAX,
        }
        .abi_encode();
        send(&trader, call_tx(t.address, data, U256::ZERO))
            .await
            .unwrap();
    }
    let data = alloy::sol_types::SolCall::abi_encode(&tidepool_sdk::bindings::WETH::depositCall {});
    send(
        &trader,
        call_tx(m.weth, data, U256::from(10u64).pow(U256::from(21u8))),
    )
    .await
    .unwrap();
    Net { devnet, trader, m }
}

/// A deterministic pseudo-random sequence (xorshift), so failures reproduce.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// `n` swaps over the devnet's pools, each a block of its own, small random amounts.
pub async fn swaps(net: &Net, n: usize, seed: u64) {
    let mut rng = Rng(seed.max(1));
    let pools: Vec<(&str, &str)> = tidepool_devnet::POOLS
        .iter()
        .map(|(a, b, _)| (*a, *b))
        .collect();
    let me = net.trader.sender().unwrap();
    for _ in 0..n {
        let (a, b) = pools[(rng.next() % pools.len() as u64) as usize];
        let (a, b) = if rng.next().is_multiple_of(2) {
            (a, b)
        } else {
            (b, a)
        };
        let ta = net.m.token(a).unwrap();
        let amount = U256::from(1 + rng.next() % 1000)
            * U256::from(10u64).pow(U256::from(ta.decimals))
            / U256::from(1000u64);
        let path = vec![ta.address, net.m.token(b).unwrap().address];
        let call = TidepoolRouter::swapExactTokensForTokensCall {
            amountIn: amount,
            amountOutMin: U256::ZERO,
            path,
            to: me,
            deadline: U256::MAX,
        };
        send(
            &net.trader,
            call_tx(net.m.router, call.abi_encode(), U256::ZERO),
        )
        .await
        .unwrap();
    }
}

/// A new token and a new pool for it with USDC (PairCreated while indexing).
pub async fn new_pool(net: &Net, symbol: &str) -> Address {
    let mut code = TestToken::BYTECODE.to_vec();
    code.extend(alloy::sol_types::SolConstructor::abi_encode(
        &TestToken::constructorCall {
            name_: format!("{symbol} token"),
            symbol_: symbol.into(),
            decimals_: 18,
        },
    ));
    let (token, _) = tidepool_sdk::deploy::deploy_code(&net.trader, code.into())
        .await
        .unwrap();
    let me = net.trader.sender().unwrap();
    let e18 = U256::from(10u64).pow(U256::from(18u8));
    for data in [
        TestToken::mintCall {
            to: me,
            amount: e18 * U256::from(1_000_000u64),
        }
        .abi_encode(),
        TestToken::approveCall {
            spender: net.m.router,
            amount: U256::MAX,
        }
        .abi_encode(),
    ] {
        send(&net.trader, call_tx(token, data, U256::ZERO))
            .await
            .unwrap();
    }
    let usdc = net.m.token("USDC").unwrap().address;
    let add = TidepoolRouter::addLiquidityCall {
        tokenA: token,
        tokenB: usdc,
        amountADesired: e18 * U256::from(1000u64),
        amountBDesired: U256::from(5_000_000_000u64),
        amountAMin: U256::ZERO,
        amountBMin: U256::ZERO,
        to: me,
        deadline: U256::MAX,
    };
    send(
        &net.trader,
        call_tx(net.m.router, add.abi_encode(), U256::ZERO),
    )
    .await
    .unwrap();
    token
}

pub fn config(url: &str, m: &Manifest, db: &Path) -> Config {
    let mut c = Config::new(url, m.factory, db.to_path_buf());
    c.from_block = m.deploy_block;
    c.pricing = Some(tidepool_indexer::pricing::PricingConfig::from_manifest(m));
    c.poll_interval = Duration::from_millis(20);
    c
}

/// Indexes up to `to` and returns the summary.
pub async fn index_to(url: &str, m: &Manifest, db: &Path, to: u64) -> Summary {
    let mut cfg = config(url, m, db);
    cfg.to_block = Some(to);
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let mut ix = Indexer::open(cfg, rx).await.expect("indexer opens");
    ix.run(|_| {}).await.expect("indexer runs")
}

/// The chain's own logs for the factory and all its pairs, as the rows the
/// raw tables must hold: (table, block, log index, fields…) sorted.
pub async fn ground_truth(c: &Client, factory: Address, to: u64) -> Vec<String> {
    let f = TidepoolFactory::new(factory, &c.provider);
    let n: u64 = f.allPairsLength().call().await.unwrap().to();
    let mut addresses = vec![factory];
    for i in 0..n {
        addresses.push(f.allPairs(U256::from(i)).call().await.unwrap());
    }
    let mut topics = events::pair_topics();
    topics.push(events::pair_created_topic());
    let logs = c
        .provider
        .get_logs(
            &Filter::new()
                .address(addresses)
                .event_signature(topics)
                .from_block(0)
                .to_block(to),
        )
        .await
        .unwrap();
    let mut rows: Vec<String> = logs
        .iter()
        .filter_map(events::decode)
        .map(|e| {
            let (b, i) = (e.pos.block_number, e.pos.log_index);
            let a = format!("{:#x}", e.address);
            let h = |x: Address| format!("{x:#x}");
            match e.kind {
                Kind::PairCreated { token0, token1, pair, .. } => format!("pairs {b} {i} {} {} {}", h(pair), h(token0), h(token1)),
                Kind::Swap { sender, to, amount0_in, amount1_in, amount0_out, amount1_out } => {
                    format!("swaps {b} {i} {a} {} {} {amount0_in} {amount1_in} {amount0_out} {amount1_out}", h(sender), h(to))
                }
                Kind::Mint { sender, amount0, amount1 } => format!("mints {b} {i} {a} {} {amount0} {amount1}", h(sender)),
                Kind::Burn { sender, to, amount0, amount1 } => format!("burns {b} {i} {a} {} {} {amount0} {amount1}", h(sender), h(to)),
                Kind::Sync { reserve0, reserve1 } => format!("syncs {b} {i} {a} {reserve0} {reserve1}"),
                Kind::Transfer { from, to, value } => format!("lp_transfers {b} {i} {a} {} {} {value}", h(from), h(to)),
            }
        })
        .collect();
    rows.sort();
    rows
}

/// The raw tables in the same form as [`ground_truth`].
pub fn raw_rows(db: &Path) -> Vec<String> {
    raw_rows_of(&Connection::open(db).unwrap())
}

/// One chain's raw rows in a store holding several, as [`raw_rows`].
pub fn raw_rows_on(db: &Path, chain: u64) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    tidepool_indexer::scope::enter(&c, chain).unwrap();
    raw_rows_of(&c)
}

/// Every row a chain owns in the store (its `chains` entry included), as
/// lines: what a reset of another chain must leave untouched.
pub fn dump_chain(db: &Path, chain: u64) -> Vec<String> {
    let own = format!(" Integer({chain})");
    dump(db)
        .into_iter()
        .filter(|l| {
            l.split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with(own.trim_start()))
                || l.contains(&format!("meta{own} "))
        })
        .collect()
}

fn raw_rows_of(c: &Connection) -> Vec<String> {
    let mut rows = Vec::new();
    let queries = [
        "SELECT 'pairs ' || block_number || ' ' || log_index || ' ' || address || ' ' || token0 || ' ' || token1 FROM pairs",
        "SELECT 'swaps ' || block_number || ' ' || log_index || ' ' || pair || ' ' || sender || ' ' || recipient || ' ' || amount0_in || ' ' || amount1_in || ' ' || amount0_out || ' ' || amount1_out FROM swaps",
        "SELECT 'mints ' || block_number || ' ' || log_index || ' ' || pair || ' ' || sender || ' ' || amount0 || ' ' || amount1 FROM mints",
        "SELECT 'burns ' || block_number || ' ' || log_index || ' ' || pair || ' ' || sender || ' ' || recipient || ' ' || amount0 || ' ' || amount1 FROM burns",
        "SELECT 'syncs ' || block_number || ' ' || log_index || ' ' || pair || ' ' || reserve0 || ' ' || reserve1 FROM syncs",
        "SELECT 'lp_transfers ' || block_number || ' ' || log_index || ' ' || pair || ' ' || from_address || ' ' || to_address || ' ' || value FROM lp_transfers",
    ];
    for q in queries {
        let mut stmt = c.prepare(q).unwrap();
        rows.extend(
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap),
        );
    }
    rows.sort();
    rows
}

/// Every table but the bookkeeping (`blocks`, the checkpoint and genesis in `chains`), as
/// sorted lines: two runs over the same chain must give the same dump.
pub fn dump(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut out = Vec::new();
    // Every data table but `blocks` (bookkeeping).
    for &table in tidepool_indexer::schema::DATA_TABLES
        .iter()
        .filter(|t| **t != "blocks")
    {
        let mut stmt = c.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = table.to_string();
                for i in 0..cols {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line += &format!(" {v:?}");
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    let mut stmt = c
        .prepare("SELECT key, value FROM meta UNION ALL SELECT chain_id, factory || ' ' || start_block || ' ' || coalesce(pricing, '') FROM chains")
        .unwrap();
    out.extend(
        stmt.query_map([], |r| {
            let v = |i| -> rusqlite::Result<String> {
                Ok(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?))
            };
            Ok(format!("meta {} {}", v(0)?, v(1)?))
        })
        .unwrap()
        .map(Result::unwrap),
    );
    out.sort();
    out
}

/// The checkpoint block of a database.
pub fn checkpoint(db: &Path) -> Option<u64> {
    let c = Connection::open(db).ok()?;
    c.query_row("SELECT max(checkpoint_block) FROM chains", [], |r| {
        r.get::<_, Option<i64>>(0)
    })
    .ok()?
    .map(|n| n as u64)
}

/// Runs the indexer in follow mode in the background; stop with the sender.
pub fn follow(
    cfg: tidepool_indexer::config::Config,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<tidepool_indexer::ingest::Summary>,
) {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let handle = tokio::spawn(async move {
        let mut ix = tidepool_indexer::ingest::Indexer::open(cfg, rx)
            .await
            .expect("indexer opens");
        ix.run(|_| {}).await.expect("indexer runs")
    });
    (tx, handle)
}

pub async fn wait_for_checkpoint(db: &std::path::Path, block: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while checkpoint(db).is_none_or(|c| c < block) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the indexer did not reach block {block} (at {:?})",
            checkpoint(db)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn head(c: &Client) -> u64 {
    c.provider.get_block_number().await.unwrap()
}

/// The official Uniswap V2 factory (npm @uniswap/v2-core bytecode) deployed by
/// `c` (its fee setter): its address and deploy block.
pub async fn uniswap_factory(c: &Client) -> (Address, u64) {
    let me = c.sender().unwrap();
    tidepool_sdk::deploy::deploy_code(
        c,
        tidepool_testkit::uniswap::creation_code(
            "v2-core/build/UniswapV2Factory.json",
            &alloy::sol_types::SolValue::abi_encode(&me),
        ),
    )
    .await
    .unwrap()
}

/// The official Uniswap V2 factory (npm @uniswap/v2-core bytecode) deployed
/// by `c`, with one pair of `a` and `b` that sees every V2 event: a mint,
/// three swaps both ways, an LP transfer and a burn. Returns the factory and
/// its deploy block. `c` holds enough of both tokens.
pub async fn uniswap_market(c: &Client, a: Address, b: Address) -> (Address, u64) {
    use alloy::primitives::Bytes;
    use alloy::sol_types::SolCall;
    use tidepool_sdk::bindings::{TidepoolFactory as Factory, TidepoolPair};
    use tidepool_sdk::math;
    let me = c.sender().unwrap();
    let (factory, deploy_block) = uniswap_factory(c).await;
    let e18 = U256::from(10u64).pow(U256::from(18u8));
    send(
        c,
        call_tx(
            factory,
            Factory::createPairCall {
                tokenA: a,
                tokenB: b,
            }
            .abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    let pair = Factory::new(factory, &c.provider)
        .getPair(a, b)
        .call()
        .await
        .unwrap();
    assert_ne!(pair, Address::ZERO);
    let p = TidepoolPair::new(pair, &c.provider);
    let (t0, t1) = (
        p.token0().call().await.unwrap(),
        p.token1().call().await.unwrap(),
    );
    let transfer = |token: Address, amount: U256| {
        call_tx(
            token,
            TestToken::transferCall { to: pair, amount }.abi_encode(),
            U256::ZERO,
        )
    };
    // Mint, swap both ways, burn: every V2 event.
    send(c, transfer(t0, e18 * U256::from(5000u64)))
        .await
        .unwrap();
    send(c, transfer(t1, e18 * U256::from(2000u64)))
        .await
        .unwrap();
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
    for (i, zero_for_one) in [true, false, true].into_iter().enumerate() {
        let r = p.getReserves().call().await.unwrap();
        let (r0, r1) = (U256::from(r._reserve0), U256::from(r._reserve1));
        let amount_in = e18 * U256::from(10u64 + i as u64);
        let (tin, rin, rout) = if zero_for_one {
            (t0, r0, r1)
        } else {
            (t1, r1, r0)
        };
        let out = math::get_amount_out(amount_in, rin, rout).unwrap();
        send(c, transfer(tin, amount_in)).await.unwrap();
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
    let lp = p.balanceOf(me).call().await.unwrap();
    send(
        c,
        call_tx(
            pair,
            TidepoolPair::transferCall {
                to: pair,
                amount: lp / U256::from(3u8),
            }
            .abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();
    send(
        c,
        call_tx(
            pair,
            TidepoolPair::burnCall { to: me }.abi_encode(),
            U256::ZERO,
        ),
    )
    .await
    .unwrap();

    (factory, deploy_block)
}
