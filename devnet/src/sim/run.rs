//! The simulation loop: mining switched to manual, then per block the
//! reference prices advance, noise traders and the arbitrageur send their
//! swaps through the router, and the block is mined at a timestamp the
//! simulation sets. Every choice comes from the seed and the chain's state,
//! and transactions are ordered by a priority fee that decreases with the
//! order they were made in, so one seed gives the same transactions in the
//! same blocks.

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TestToken, TidepoolPair, TidepoolRouter};
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::signer::SignerSource;

use super::reference::ReferencePrices;
use super::scenario::Scenario;
use crate::{Error, POOLS, Result};

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
    /// Wall-clock time between blocks; `None`: as fast as anvil mines.
    pub pace: Option<std::time::Duration>,
    /// Whether the summary lists every block's transactions (off for a run
    /// without end, whose summary would grow without bound).
    pub record: bool,
}

impl Options {
    /// Two noise trades a block of about $2,000, with arbitrage.
    pub fn new(scenario: Scenario, blocks: u64) -> Self {
        Options {
            scenario,
            blocks,
            trades_per_block: 2.0,
            median_trade_usd: 2_000.0,
            arbitrage: true,
            pace: None,
            record: true,
        }
    }
}

/// One simulated block.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Its number.
    pub number: u64,
    /// The transactions sent for it, in order.
    pub txs: Vec<B256>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Every block mined.
    pub blocks: Vec<Block>,
    /// Noise trades sent.
    pub trades: u64,
    /// Arbitrage trades sent.
    pub arbitrages: u64,
    /// Noise volume at reference prices, USD.
    pub volume_usd: f64,
}

/// Dev accounts of the noise traders, and the arbitrageur's.
const TRADERS: [u32; 4] = [2, 3, 4, 5];
const ARBITRAGEUR: u32 = 9;
/// Gas each swap may use (set, not estimated: estimates against the pending
/// block would depend on what else is in it).
const SWAP_GAS: u64 = 400_000;
/// The arbitrageur trades a pool whose price is off the reference by more
/// than the fee and this margin.
const MARGIN: f64 = 0.002;
/// ETH each agent wraps at the start.
const WRAPPED_ETH: u64 = 2_000;
const FEE: f64 = 0.003;

struct Agent {
    client: Client,
    nonce: u64,
}

struct Pool {
    a: (Address, u8, String),
    b: (Address, u8, String),
    pair: Address,
}

fn whole(x: U256, d: u8) -> f64 {
    x.to_string().parse::<f64>().unwrap_or(0.0) / 10f64.powi(i32::from(d))
}

fn units(x: f64, d: u8) -> U256 {
    U256::from((x.max(0.0) * 10f64.powi(i32::from(d))) as u128)
}

/// Runs the agents on the devnet at `url` deployed as `m`.
pub async fn run(
    url: &str,
    m: &Manifest,
    opts: &Options,
    mut on_block: impl FnMut(&Block, &ReferencePrices),
) -> Result<Summary> {
    let base = Client::connect(url).await?;
    let agent = |n: u32| -> Result<Client> {
        let s = SignerSource::DevAccount(n).load(base.chain_id)?;
        Ok(base.with_signer(&s)?)
    };
    let mut traders = Vec::new();
    for n in TRADERS.into_iter().chain([ARBITRAGEUR]) {
        let client = agent(n)?;
        let from = client.sender()?;
        let nonce = base
            .provider
            .get_transaction_count(from)
            .pending()
            .await
            .map_err(|e| base.err(e))?;
        traders.push(Agent { client, nonce });
    }
    let token = |sym: &str| -> Result<(Address, u8, String)> {
        let t = m
            .token(sym)
            .ok_or_else(|| Error::Simulation(format!("the deployment has no {sym}")))?;
        Ok((t.address, t.decimals, t.symbol.clone()))
    };
    let pools: Vec<Pool> = POOLS
        .iter()
        .map(|(a, b, _)| {
            let (a, b) = (token(a)?, token(b)?);
            let pair = m.pair(a.0, b.0);
            Ok(Pool { a, b, pair })
        })
        .collect::<Result<_>>()?;
    let rpc = |e| base.err(e);
    base.provider
        .raw_request::<_, ()>("evm_setAutomine".into(), (false,))
        .await
        .map_err(rpc)?;
    let mut summary = Summary::default();
    let result = simulate(
        &base,
        m,
        opts,
        &mut traders,
        &pools,
        &mut summary,
        &mut on_block,
    )
    .await;
    let restored = base
        .provider
        .raw_request::<_, ()>("evm_setAutomine".into(), (true,))
        .await
        .map_err(rpc);
    result?;
    restored?;
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
async fn simulate(
    base: &Client,
    m: &Manifest,
    opts: &Options,
    agents: &mut [Agent],
    pools: &[Pool],
    summary: &mut Summary,
    on_block: &mut impl FnMut(&Block, &ReferencePrices),
) -> Result<()> {
    let rpc = |e| base.err(e);
    let mut prices = ReferencePrices::new(&opts.scenario);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.scenario.seed);
    rng.set_stream(u64::MAX); // the agents' own stream, apart from the prices'
    let arrivals = Poisson::new(opts.trades_per_block.max(1e-9))
        .map_err(|e| Error::Simulation(format!("trades per block: {e}")))?;
    let sizes = LogNormal::new(opts.median_trade_usd.max(1.0).ln(), 1.0)
        .map_err(|e| Error::Simulation(format!("trade size: {e}")))?;
    let head = base
        .provider
        .get_block(alloy::eips::BlockNumberOrTag::Latest.into())
        .await
        .map_err(rpc)?;
    let head = head.ok_or_else(|| Error::Simulation("the node has no latest block".into()))?;
    let (mut number, mut time) = (head.header.number, head.header.timestamp);
    // Every agent wraps ETH (the devnet funds tokens, not WETH) and lets the
    // router take every token, once.
    let mut setup: Vec<(usize, TransactionRequest)> = Vec::new();
    for (i, _) in agents.iter().enumerate() {
        let wrap = tidepool_sdk::bindings::WETH::depositCall {}.abi_encode();
        let value = U256::from(WRAPPED_ETH) * U256::from(10u64).pow(U256::from(18u8));
        setup.push((
            i,
            tidepool_sdk::deploy::call_tx(m.weth, wrap, value).with_gas_limit(SWAP_GAS),
        ));
        for t in &m.tokens {
            let data = TestToken::approveCall {
                spender: m.router,
                amount: U256::MAX,
            }
            .abi_encode();
            setup.push((i, tx(t.address, data)));
        }
    }
    let txs = send_all(base, agents, setup).await?;
    time += opts.scenario.block_time;
    number = mine(base, time).await?.max(number + 1);
    let block = Block { number, txs };
    on_block(&block, &prices);
    summary.blocks.push(block);
    let mut tick = tokio::time::Instant::now();
    for _ in 0..opts.blocks {
        if let Some(pace) = opts.pace {
            tick += pace;
            tokio::time::sleep_until(tick).await;
        }
        prices.step();
        let mut batch: Vec<(usize, TransactionRequest)> = Vec::new();
        let n = arrivals.sample(&mut rng) as usize;
        for _ in 0..n {
            let pool = &pools[rng.random_range(0..pools.len())];
            let (from, to) = if rng.random_bool(0.5) {
                (&pool.a, &pool.b)
            } else {
                (&pool.b, &pool.a)
            };
            let usd: f64 = sizes.sample(&mut rng);
            let Some(price) = prices.price(&from.2) else {
                continue;
            };
            let amount = units(usd / price, from.1);
            if amount.is_zero() {
                continue;
            }
            let who = rng.random_range(0..TRADERS.len());
            batch.push((
                who,
                swap(m, amount, from.0, to.0, agents[who].client.sender()?),
            ));
            summary.trades += 1;
            summary.volume_usd += usd;
        }
        if opts.arbitrage {
            let arb = agents.len() - 1;
            let me = agents[arb].client.sender()?;
            for pool in pools {
                if let Some(t) = arbitrage(base, m, pool, &prices, me).await? {
                    batch.push((arb, t));
                    summary.arbitrages += 1;
                }
            }
        }
        let txs = send_all(base, agents, batch).await?;
        time += opts.scenario.block_time;
        number = mine(base, time).await?.max(number + 1);
        let block = Block { number, txs };
        on_block(&block, &prices);
        if opts.record {
            summary.blocks.push(block);
        }
    }
    Ok(())
}

fn tx(to: Address, data: Vec<u8>) -> TransactionRequest {
    tidepool_sdk::deploy::call_tx(to, data, U256::ZERO).with_gas_limit(SWAP_GAS)
}

fn swap(
    m: &Manifest,
    amount: U256,
    from: Address,
    to: Address,
    recipient: Address,
) -> TransactionRequest {
    let call = TidepoolRouter::swapExactTokensForTokensCall {
        amountIn: amount,
        amountOutMin: U256::ZERO,
        path: vec![from, to],
        to: recipient,
        deadline: U256::MAX,
    };
    tx(m.router, call.abi_encode())
}

/// The swap that brings `pool` back to the reference price, if it is off by
/// more than the fee and the margin: the constant-product reserves at the
/// reference price, less what is there.
async fn arbitrage(
    base: &Client,
    m: &Manifest,
    pool: &Pool,
    prices: &ReferencePrices,
    me: Address,
) -> Result<Option<TransactionRequest>> {
    let (Some(pa), Some(pb)) = (prices.price(&pool.a.2), prices.price(&pool.b.2)) else {
        return Ok(None);
    };
    let pair = TidepoolPair::new(pool.pair, &base.provider);
    let r = pair
        .getReserves()
        .call()
        .await
        .map_err(|e| base.call_err(e))?;
    let t0 = pair.token0().call().await.map_err(|e| base.call_err(e))?;
    let (ra, rb) = if t0 == pool.a.0 {
        (r._reserve0, r._reserve1)
    } else {
        (r._reserve1, r._reserve0)
    };
    let (ra, rb) = (
        whole(U256::from(ra), pool.a.1),
        whole(U256::from(rb), pool.b.1),
    );
    if ra <= 0.0 || rb <= 0.0 {
        return Ok(None);
    }
    let (pool_price, target) = (rb / ra, pa / pb); // b per a
    if (pool_price / target - 1.0).abs() <= FEE + MARGIN {
        return Ok(None);
    }
    let k = ra * rb;
    let (ra2, rb2) = ((k / target).sqrt(), (k * target).sqrt());
    let t = if rb2 > rb {
        // a is cheap in the pool: pay b, take a.
        swap(
            m,
            units((rb2 - rb) / (1.0 - FEE), pool.b.1),
            pool.b.0,
            pool.a.0,
            me,
        )
    } else {
        swap(
            m,
            units((ra2 - ra) / (1.0 - FEE), pool.a.1),
            pool.a.0,
            pool.b.0,
            me,
        )
    };
    Ok(Some(t))
}

/// Sends `txs` in order, each from its agent with the agent's next nonce and
/// a priority fee that falls with the order (so the block keeps it).
async fn send_all(
    base: &Client,
    agents: &mut [Agent],
    txs: Vec<(usize, TransactionRequest)>,
) -> Result<Vec<B256>> {
    let n = txs.len() as u128;
    let mut hashes = Vec::new();
    for (i, (who, t)) in txs.into_iter().enumerate() {
        let a = &mut agents[who];
        let priority = 1_000_000_000 + (n - i as u128);
        let t = t
            .with_from(a.client.sender()?)
            .with_nonce(a.nonce)
            .with_chain_id(base.chain_id)
            .with_max_priority_fee_per_gas(priority)
            .with_max_fee_per_gas(200_000_000_000);
        let pending = a
            .client
            .provider
            .send_transaction(t)
            .await
            .map_err(|e| base.err(e))?;
        a.nonce += 1;
        hashes.push(*pending.tx_hash());
    }
    Ok(hashes)
}

/// Mines one block at `time`; its number.
async fn mine(base: &Client, time: u64) -> Result<u64> {
    let rpc = |e| base.err(e);
    base.provider
        .raw_request::<_, ()>("evm_setNextBlockTimestamp".into(), (time,))
        .await
        .map_err(rpc)?;
    base.provider
        .raw_request::<_, String>("evm_mine".into(), ())
        .await
        .map_err(rpc)?;
    Ok(base.provider.get_block_number().await.map_err(rpc)?)
}
