//! Shared by the indexer's tests: a real devnet, trading activity, the chain's
//! own logs as ground truth, and database dumps to compare runs.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolCall;
use tidepool_devnet::Devnet;
use tidepool_indexer::config::Config;
use tidepool_indexer::db::{Db, Location, PgConn};
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

/// A test body `async fn name(b: Backend)` run once per backend, as
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(super::Backend::Postgres).await
            }
        }
    )*};
}

/// The two stores the indexer writes, for tests that run against both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A database in a private PostgreSQL cluster (initdb, a free loopback
    /// port, stopped by PID when the test ends).
    Postgres,
}

/// A test's stores: files in a temporary directory, or databases of one
/// private PostgreSQL cluster.
pub struct Stores {
    pub dir: tempfile::TempDir,
    pub pg: Option<tidepool_testkit::postgres::PgCluster>,
}

impl Stores {
    pub fn new(backend: Backend) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            pg: (backend == Backend::Postgres).then(|| {
                tidepool_testkit::postgres::PgCluster::start()
                    .expect("the PostgreSQL cluster starts")
            }),
        }
    }

    /// A new, empty store named `name`.
    pub fn store(&self, name: &str) -> Location {
        match &self.pg {
            None => Location::File(self.dir.path().join(format!("{name}.db"))),
            Some(pg) => {
                pg.psql("postgres", &format!("CREATE DATABASE {name}"))
                    .unwrap();
                Location::Postgres(pg.url_of(name))
            }
        }
    }
}

/// Anything that names a store: a SQLite path or a [`Location`].
pub trait AsLocation {
    fn location(&self) -> Location;
}
impl AsLocation for Path {
    fn location(&self) -> Location {
        Location::File(self.to_path_buf())
    }
}
impl AsLocation for std::path::PathBuf {
    fn location(&self) -> Location {
        Location::File(self.clone())
    }
}
impl AsLocation for Location {
    fn location(&self) -> Location {
        self.clone()
    }
}

/// A connection to read a store with (no schema created, nothing written).
pub fn open(db: &(impl AsLocation + ?Sized)) -> Db {
    match db.location() {
        Location::File(p) => Db::Lite(rusqlite::Connection::open(p).unwrap()),
        Location::Postgres(url) => Db::Pg(PgConn::connect(&url).unwrap()),
    }
}

thread_local! {
    /// Unscoped read connections by store: polling a PostgreSQL checkpoint
    /// every few milliseconds must not pay a password exchange each time.
    static READERS: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Db>>> =
        Default::default();
}

/// An unscoped connection to read a store with, kept for the thread.
pub fn reader(db: &(impl AsLocation + ?Sized)) -> std::rc::Rc<Db> {
    let at = db.location();
    let key = match &at {
        Location::File(p) => p.display().to_string(),
        Location::Postgres(url) => url.clone(),
    };
    if let Some(c) = READERS.with(|m| m.borrow().get(&key).cloned()) {
        return c;
    }
    let c = std::rc::Rc::new(open(&at));
    READERS.with(|m| m.borrow_mut().insert(key, c.clone()));
    c
}

/// Closes the thread's kept connection to a store (before it is deleted).
pub fn forget_reader(db: &(impl AsLocation + ?Sized)) {
    let key = match db.location() {
        Location::File(p) => p.display().to_string(),
        Location::Postgres(url) => url,
    };
    READERS.with(|m| m.borrow_mut().remove(&key));
}

/// The first column of the first row of a query, as `T`.
pub fn one<T: tidepool_indexer::db::FromVal>(db: &(impl AsLocation + ?Sized), sql: &str) -> T {
    reader(db)
        .read_opt(sql, &[])
        .unwrap()
        .expect("a row")
        .get(0)
        .unwrap()
}

pub fn config(url: &str, m: &Manifest, db: &(impl AsLocation + ?Sized)) -> Config {
    let mut c = Config::new(url, m.factory, db.location());
    c.from_block = m.deploy_block;
    c.pricing = Some(tidepool_indexer::pricing::PricingConfig::from_manifest(m));
    c.poll_interval = Duration::from_millis(20);
    c
}

/// Indexes up to `to` and returns the summary.
pub async fn index_to(
    url: &str,
    m: &Manifest,
    db: &(impl AsLocation + ?Sized),
    to: u64,
) -> Summary {
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
pub fn raw_rows(db: &(impl AsLocation + ?Sized)) -> Vec<String> {
    raw_rows_of(&reader(db))
}

/// One chain's raw rows in a store holding several, as [`raw_rows`].
pub fn raw_rows_on(db: &(impl AsLocation + ?Sized), chain: u64) -> Vec<String> {
    let mut c = open(db);
    tidepool_indexer::scope::enter_db(&mut c, chain).unwrap();
    raw_rows_of(&c)
}

/// Every row a chain owns in the store (its `chains` entry included), as
/// lines: what a reset of another chain must leave untouched.
pub fn dump_chain(db: &(impl AsLocation + ?Sized), chain: u64) -> Vec<String> {
    let own = format!("Int({chain})");
    let meta = format!("meta Text(\"{chain}\") ");
    dump(db)
        .into_iter()
        .filter(|l| {
            l.split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with(&own))
                || l.starts_with(&meta)
        })
        .collect()
}

fn raw_rows_of(c: &Db) -> Vec<String> {
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
        rows.extend(
            c.read(q, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<String>(0).unwrap()),
        );
    }
    rows.sort();
    rows
}

/// Every table but the bookkeeping (`blocks`, the checkpoint and genesis in `chains`), as
/// sorted lines: two runs over the same chain must give the same dump.
pub fn dump(db: &(impl AsLocation + ?Sized)) -> Vec<String> {
    let c = reader(db);
    let mut out = Vec::new();
    // Every data table but `blocks` (bookkeeping).
    for &table in tidepool_indexer::schema::DATA_TABLES
        .iter()
        .filter(|t| **t != "blocks")
    {
        for r in c.read(&format!("SELECT * FROM {table}"), &[]).unwrap() {
            let mut line = table.to_string();
            for v in &r.0 {
                line += &format!(" {v:?}");
            }
            out.push(line);
        }
    }
    for r in c
        .read(
            "SELECT key, value FROM meta WHERE key != 'schema_version'
             UNION ALL SELECT CAST(chain_id AS TEXT), factory || ' ' || start_block || ' ' || coalesce(pricing, '') FROM chains",
            &[],
        )
        .unwrap()
    {
        out.push(format!("meta {:?} {:?}", r.0[0], r.0[1]));
    }
    out.sort();
    out
}

/// The checkpoint block of a database.
pub fn checkpoint(db: &(impl AsLocation + ?Sized)) -> Option<u64> {
    if let Location::File(p) = db.location()
        && !p.exists()
    {
        return None;
    }
    reader(db)
        .read_opt("SELECT max(checkpoint_block) FROM chains", &[])
        .ok()??
        .get::<Option<i64>>(0)
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

pub async fn wait_for_checkpoint(db: &(impl AsLocation + ?Sized), block: u64) {
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
