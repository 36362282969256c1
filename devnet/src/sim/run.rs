//! The simulation loop: mining switched to manual, then per block the
//! reference prices advance, the agents decide from the prices and the
//! pools' reserves, their transactions are signed and sent, the sandwich bot
//! brackets other people's pending swaps, and the block is mined at a
//! timestamp the simulation sets; every `every` blocks a reorg replaces the
//! latest few. Every choice comes from the seed and the chain's state, so
//! one seed gives the same transactions in the same blocks.

use std::collections::VecDeque;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::manifest::Manifest;

use super::agents::{
    ALL, ARBITRAGEUR, Order, PROVIDERS, SANDWICHER, View, arb, lp, noise, sandwich,
};
use super::chain::{Chain, Fee, Signed};
use super::market::{self, Pool, Reserves, Router};
use super::reference::ReferencePrices;
use super::reorg::{MAX_DEPTH, ReorgCount, Reorgs};
use super::scenario::Scenario;
use crate::{Error, Result};

/// What the agents do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The scenario (prices, seed, block time).
    pub scenario: Scenario,
    /// Blocks to simulate (`u64::MAX`: until the future is dropped).
    pub blocks: u64,
    /// Noise trades per block on average (Poisson).
    pub trades_per_block: f64,
    /// Median noise trade in USD (log-normal sizes).
    pub median_trade_usd: f64,
    /// Whether the arbitrageur trades.
    pub arbitrage: bool,
    /// Whether liquidity providers add and remove liquidity.
    pub providers: bool,
    /// Whether the sandwich bot runs.
    pub sandwich: bool,
    /// Reorgs on demand.
    pub reorgs: Option<Reorgs>,
    /// Wall-clock time between blocks; `None`: as fast as anvil mines.
    pub pace: Option<std::time::Duration>,
    /// Whether the summary lists every block's transactions (off for a run
    /// without end, whose summary would grow without bound).
    pub record: bool,
}

impl Options {
    /// Two noise trades a block of about $2,000, with arbitrage and
    /// liquidity providers, no sandwich bot, no reorgs.
    pub fn new(scenario: Scenario, blocks: u64) -> Self {
        Options {
            scenario,
            blocks,
            trades_per_block: 2.0,
            median_trade_usd: 2_000.0,
            arbitrage: true,
            providers: true,
            sandwich: false,
            reorgs: None,
            pace: None,
            record: true,
        }
    }
}

/// One block on the simulated chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Its number.
    pub number: u64,
    /// Its transactions, in order.
    pub txs: Vec<B256>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The blocks of the final chain the run mined (when recording).
    pub blocks: Vec<Block>,
    /// Blocks mined, replacements included.
    pub mined: u64,
    /// Transactions mined, re-inclusions counted again.
    pub transactions: u64,
    /// Noise trades sent.
    pub trades: u64,
    /// Arbitrage trades sent.
    pub arbitrages: u64,
    /// Noise volume at reference prices, USD.
    pub volume_usd: f64,
    /// Liquidity additions and removals sent.
    pub liquidity: lp::Moves,
    /// Sandwiches sent.
    pub sandwiches: u64,
    /// Their expected profit after gas, USD.
    pub sandwich_profit_usd: f64,
    /// The reorgs.
    pub reorgs: ReorgCount,
}

/// What the caller is shown after each block.
pub struct Status<'a> {
    /// The block.
    pub block: &'a Block,
    /// The reference prices it was made at.
    pub prices: &'a ReferencePrices,
    /// Each pool ("WETH/USDC") and its price's gap to the reference after it.
    pub gaps: Vec<(String, f64)>,
    /// The run so far.
    pub summary: &'a Summary,
    /// Set when this block replaced `n` orphaned ones.
    pub reorged: Option<u64>,
    /// When the node answered the mining call.
    pub mined_at: std::time::Instant,
}

/// ETH each agent keeps wrapped.
const WRAPPED_ETH: u64 = 2_000;

/// Runs the agents on the devnet at `url` deployed as `m`.
pub async fn run(
    url: &str,
    m: &Manifest,
    opts: &Options,
    mut on_block: impl FnMut(&Status),
) -> Result<Summary> {
    let chain = Chain::connect(url, &ALL).await?;
    let pools = market::pools(&chain.client, m).await?;
    chain.automine(false).await?;
    let mut sim = Sim::new(chain, m, opts, pools)?;
    let result = sim.go(&mut on_block).await;
    let restored = sim.chain.automine(true).await;
    result?;
    restored?;
    Ok(sim.summary)
}

struct Sim<'a> {
    chain: Chain,
    m: &'a Manifest,
    opts: &'a Options,
    pools: Vec<Pool>,
    reserves: Vec<Reserves>,
    prices: ReferencePrices,
    rng: ChaCha8Rng,
    noise: noise::Noise,
    providers: lp::Providers,
    time: u64,
    /// The latest blocks mined, for reorgs.
    recent: VecDeque<Block>,
    summary: Summary,
    /// Depth of a reorg the next block's status reports.
    reorged: Option<u64>,
}

impl<'a> Sim<'a> {
    fn new(chain: Chain, m: &'a Manifest, opts: &'a Options, pools: Vec<Pool>) -> Result<Self> {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.scenario.seed);
        rng.set_stream(u64::MAX); // the agents' own stream, apart from the prices'
        // A log-normal's mean is its median × e^(σ²/2); a trade crosses 1.3 pools.
        let usual =
            opts.trades_per_block * opts.median_trade_usd * 0.5f64.exp() * 1.3 / pools.len() as f64;
        Ok(Sim {
            noise: noise::Noise::new(opts.trades_per_block, opts.median_trade_usd)?,
            providers: lp::Providers::new(pools.len(), usual),
            chain,
            m,
            opts,
            reserves: Vec::new(),
            pools,
            prices: ReferencePrices::new(&opts.scenario),
            rng,
            time: 0,
            recent: VecDeque::new(),
            summary: Summary::default(),
            reorged: None,
        })
    }

    async fn go(&mut self, on_block: &mut impl FnMut(&Status)) -> Result<()> {
        self.time = self.chain.head().await?.1;
        self.setup(on_block).await?;
        self.reserves = market::reserves(&self.chain.client, &self.pools).await?;
        let mut tick = tokio::time::Instant::now();
        for n in 1..=self.opts.blocks {
            if let Some(pace) = self.opts.pace {
                tick += pace;
                tokio::time::sleep_until(tick).await;
            }
            self.step(on_block).await?;
            if let Some(r) = self.opts.reorgs.filter(|r| r.every > 0 && n % r.every == 0) {
                self.reorg(r, on_block).await?;
            }
        }
        Ok(())
    }

    /// Wraps ETH and grants the router allowances where an agent lacks
    /// them, in one block (none when nothing is missing).
    async fn setup(&mut self, on_block: &mut impl FnMut(&Status)) -> Result<()> {
        let c = &self.chain.client;
        let mut orders: Vec<Order> = Vec::new();
        let weth_min = U256::from(WRAPPED_ETH / 2) * U256::from(10u64).pow(U256::from(18u8));
        let mut tokens: Vec<Address> = self.m.tokens.iter().map(|t| t.address).collect();
        if !tokens.contains(&self.m.weth) {
            tokens.push(self.m.weth);
        }
        for n in ALL {
            let me = self.chain.address(n);
            if self.chain.balance(self.m.weth, me).await? < weth_min {
                let wrap = tidepool_sdk::bindings::WETH::depositCall {}.abi_encode();
                let value = weth_min * U256::from(2u8);
                orders.push((n, tidepool_sdk::deploy::call_tx(self.m.weth, wrap, value)));
            }
            let mut spend: Vec<Address> = tokens.clone();
            if PROVIDERS.contains(&n) {
                spend.extend(self.pools.iter().map(|p| p.pair));
            }
            for t in spend {
                let allowed = TestToken::new(t, &c.provider)
                    .allowance(me, self.m.router)
                    .call()
                    .await
                    .map_err(|e| c.call_err(e))?;
                if allowed < U256::MAX / U256::from(2u8) {
                    let data = TestToken::approveCall {
                        spender: self.m.router,
                        amount: U256::MAX,
                    }
                    .abi_encode();
                    orders.push((n, tidepool_sdk::deploy::call_tx(t, data, U256::ZERO)));
                }
            }
        }
        if orders.is_empty() {
            return Ok(());
        }
        let sent = self.chain.send(orders).await?;
        self.mine(&sent, on_block).await
    }

    /// One simulated block.
    async fn step(&mut self, on_block: &mut impl FnMut(&Status)) -> Result<()> {
        self.prices.step();
        let chain = &self.chain;
        let v = View {
            pools: &self.pools,
            reserves: &self.reserves,
            prices: &self.prices,
            router: Router { m: self.m },
        };
        let mut orders = Vec::new();
        let mut volume = vec![0.0; self.pools.len()];
        let address = |n| chain.address(n);
        let flow = self
            .noise
            .orders(&mut self.rng, &v, &address, &mut orders, &mut volume);
        self.summary.trades += flow.trades;
        self.summary.volume_usd += flow.usd;
        if self.opts.arbitrage {
            self.summary.arbitrages += arb::orders(&v, chain.address(ARBITRAGEUR), &mut orders);
        }
        if self.opts.providers {
            let moves = self
                .providers
                .orders(&mut self.rng, &v, chain, &volume, &mut orders)
                .await?;
            self.summary.liquidity.adds += moves.adds;
            self.summary.liquidity.removes += moves.removes;
        }
        let mut bracket = Vec::new();
        if self.opts.sandwich {
            let gas = chain.base_fee;
            for victim in sandwich::victims(chain, &v).await? {
                let token_in = {
                    let p = &self.pools[victim.pool];
                    if victim.sells_a {
                        p.a.address
                    } else {
                        p.b.address
                    }
                };
                let cap = chain.balance(token_in, chain.address(SANDWICHER)).await?;
                if let Some(s) = sandwich::plan(&v, chain, &victim, cap, gas + victim.fee.tip) {
                    self.summary.sandwiches += 1;
                    self.summary.sandwich_profit_usd += s.profit_usd;
                    bracket.push(s);
                }
            }
        }
        let mut sent = self.chain.send(orders).await?;
        for s in bracket {
            let (max, tip) = (s.fee.max, s.fee.tip);
            let above = Fee {
                max: max + 1,
                tip: tip + 1,
            };
            let below = Fee {
                max: max - 1,
                tip: tip - 1,
            };
            let front = self.chain.sign(s.front.0, s.front.1, above).await?;
            let back = self.chain.sign(s.back.0, s.back.1, below).await?;
            let pair = [front, back];
            self.chain.send_raw(&pair).await?;
            sent.extend(pair);
        }
        self.mine(&sent, on_block).await
    }

    /// Mines the next block, which must hold `sent`, and shows it.
    async fn mine(&mut self, sent: &[Signed], on_block: &mut impl FnMut(&Status)) -> Result<()> {
        self.time += self.opts.scenario.block_time;
        let (number, txs) = self.chain.mine(self.time).await?;
        let mined_at = std::time::Instant::now();
        if let Some(missing) = sent.iter().find(|s| !txs.contains(&s.hash)) {
            return Err(Error::Simulation(format!(
                "block {number} does not hold transaction {:#x} sent for it",
                missing.hash
            )));
        }
        let block = Block { number, txs };
        self.summary.mined += 1;
        self.summary.transactions += block.txs.len() as u64;
        if self.opts.record {
            self.summary.blocks.push(block.clone());
        }
        if self.recent.len() as u64 == MAX_DEPTH {
            self.recent.pop_front();
        }
        self.recent.push_back(block.clone());
        self.reserves = market::reserves(&self.chain.client, &self.pools).await?;
        let v = View {
            pools: &self.pools,
            reserves: &self.reserves,
            prices: &self.prices,
            router: Router { m: self.m },
        };
        let gaps = (0..self.pools.len())
            .filter_map(|i| {
                let p = &self.pools[i];
                Some((format!("{}/{}", p.a.symbol, p.b.symbol), v.gap(i)?))
            })
            .collect();
        on_block(&Status {
            block: &block,
            prices: &self.prices,
            gaps,
            summary: &self.summary,
            reorged: self.reorged.take(),
            mined_at,
        });
        Ok(())
    }

    /// Replaces the latest blocks (see [`super::reorg`]).
    async fn reorg(&mut self, r: Reorgs, on_block: &mut impl FnMut(&Status)) -> Result<()> {
        let depth = self
            .rng
            .random_range(r.min_depth..=r.max_depth)
            .min(self.recent.len() as u64);
        let include = self.rng.random_bool(0.5);
        if depth == 0 {
            return Ok(());
        }
        let orphaned = self.recent.split_off(self.recent.len() - depth as usize);
        // Every orphaned transaction's bytes (the agents' and anyone else's)
        // before they leave the node.
        let mut raws: Vec<Vec<Signed>> = Vec::new();
        if include {
            for b in &orphaned {
                let mut block = Vec::new();
                for h in &b.txs {
                    let raw = self
                        .chain
                        .client
                        .provider
                        .get_raw_transaction_by_hash(*h)
                        .await
                        .map_err(|e| self.chain.client.err(e))?
                        .ok_or_else(|| {
                            Error::Simulation(format!("the node lost transaction {h:#x}"))
                        })?;
                    block.push(Signed { hash: *h, raw });
                }
                raws.push(block);
            }
        }
        self.chain.rollback(depth).await?;
        let first = orphaned[0].number;
        if self.opts.record {
            self.summary.blocks.retain(|b| b.number < first);
        }
        self.summary.reorgs.reorgs += 1;
        self.summary.reorgs.blocks += depth;
        let count: u64 = orphaned.iter().map(|b| b.txs.len() as u64).sum();
        if include {
            for (i, block) in raws.into_iter().enumerate() {
                self.chain.send_raw(&block).await?;
                if i == 0 {
                    self.reorged = Some(depth);
                }
                self.mine(&block, on_block).await?;
            }
            self.summary.reorgs.reincluded += count;
        } else {
            self.chain.sync_nonces().await?;
            self.summary.reorgs.dropped += count;
            self.reorged = Some(depth);
            self.reserves = market::reserves(&self.chain.client, &self.pools).await?;
        }
        Ok(())
    }
}
