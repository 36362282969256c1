//! Every pool of a V2 factory with its reserves, known at once and kept
//! current cheaply: the one market state the CLI and the app route, list
//! pools and find positions from.
//!
//! - Cold start: the factory's pairs, tokens and reserves in batches of
//!   1,000 per `eth_call` ([`lens`]), several calls in flight.
//! - Each refresh: the factory's `PairCreated` and every `Sync` log since the
//!   last block seen (two `eth_getLogs`), so the work is proportional to the
//!   pools that changed; after a long absence, a batched re-read instead.
//! - Reorgs: the heads seen are kept with the pools each touched; when the
//!   node's block at a kept head differs, the state rolls back to the last
//!   head still on the chain, re-reads what the dropped blocks touched and
//!   goes on. A chain reset (another genesis, or a fork deeper than the kept
//!   heads) reloads everything.
//! - Cached on disk between runs ([`cache`]).

pub mod cache;
mod follow;
pub mod lens;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use alloy::primitives::{Address, B256, U256};

use crate::route::{Pool, RouteGraph};
pub use lens::PairRow;

/// Heads kept for reorg handling (a fork deeper than this reloads the market).
pub const KEPT_HEADS: usize = 64;
/// A gap of more blocks than this since the last refresh is caught up by a
/// batched re-read of every reserve instead of logs.
pub const MAX_LOG_GAP: u64 = 2_000;

/// One head the state was refreshed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Block number.
    pub number: u64,
    /// Block hash.
    pub hash: B256,
    /// How many pairs the factory had then.
    pub pair_count: u32,
    /// The pairs (indices) whose reserves changed since the previous head.
    pub touched: Vec<u32>,
}

/// What one refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refresh {
    /// New pairs.
    pub created: usize,
    /// Pairs whose reserves changed.
    pub changed: usize,
    /// Blocks rolled back by a reorg.
    pub rolled_back: u64,
    /// Whether everything was read again (first load, chain reset, long gap).
    pub reloaded: bool,
}

/// Every pair of one factory on one chain, with reserves at [`MarketState::block`].
#[derive(Debug, Clone)]
pub struct MarketState {
    chain_id: u64,
    genesis: B256,
    factory: Address,
    pairs: Vec<PairRow>,
    index: HashMap<Address, u32>,
    heads: VecDeque<Head>,
    /// Shared with readers ([`MarketState::shared_graph`]); a change copies
    /// it only while a reader still holds the previous one.
    graph: Arc<RouteGraph>,
}

impl MarketState {
    /// An empty state for `factory` on the chain `chain_id` whose block 0 is `genesis`.
    pub fn new(chain_id: u64, genesis: B256, factory: Address) -> Self {
        Self {
            chain_id,
            genesis,
            factory,
            pairs: Vec::new(),
            index: HashMap::new(),
            heads: VecDeque::new(),
            graph: Arc::default(),
        }
    }

    /// The chain's id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The factory.
    pub fn factory(&self) -> Address {
        self.factory
    }

    /// The block the reserves are at (0 before the first refresh).
    pub fn block(&self) -> u64 {
        self.heads.back().map_or(0, |h| h.number)
    }

    /// Every pair in the factory's order (`allPairs`).
    pub fn pairs(&self) -> &[PairRow] {
        &self.pairs
    }

    /// One pair by address.
    pub fn pair(&self, pair: &Address) -> Option<&PairRow> {
        self.index.get(pair).map(|&i| &self.pairs[i as usize])
    }

    /// The route graph over every pool with liquidity, kept current.
    pub fn graph(&self) -> &RouteGraph {
        &self.graph
    }

    /// The route graph as a shared handle: no copy, and it stays as it is
    /// while the state moves on (the state copies it then, if still held).
    pub fn shared_graph(&self) -> Arc<RouteGraph> {
        self.graph.clone()
    }

    /// The route graph, taken out of the state.
    pub fn into_graph(self) -> RouteGraph {
        Arc::unwrap_or_clone(self.graph)
    }

    /// A pair as the router sees it.
    pub fn pool(row: &PairRow) -> Pool {
        Pool {
            pair: row.pair,
            token0: row.token0,
            token1: row.token1,
            reserve0: U256::from(row.reserve0),
            reserve1: U256::from(row.reserve1),
        }
    }

    /// Every distinct token of the market.
    pub fn tokens(&self) -> Vec<Address> {
        let mut seen = std::collections::HashSet::new();
        self.pairs
            .iter()
            .flat_map(|p| [p.token0, p.token1])
            .filter(|t| seen.insert(*t))
            .collect()
    }

    fn push_pair(&mut self, row: PairRow) -> u32 {
        if let Some(&i) = self.index.get(&row.pair) {
            self.set_reserves(i, row.reserve0, row.reserve1);
            return i;
        }
        let i = self.pairs.len() as u32;
        self.index.insert(row.pair, i);
        self.pairs.push(row);
        Arc::make_mut(&mut self.graph).set_pool(Self::pool(&row));
        i
    }

    fn set_reserves(&mut self, i: u32, r0: u128, r1: u128) {
        let row = &mut self.pairs[i as usize];
        if (row.reserve0, row.reserve1) != (r0, r1) {
            row.reserve0 = r0;
            row.reserve1 = r1;
            let pool = Self::pool(row);
            Arc::make_mut(&mut self.graph).set_pool(pool);
        }
    }

    fn truncate(&mut self, count: u32) {
        for row in self.pairs.drain(count as usize..) {
            self.index.remove(&row.pair);
            Arc::make_mut(&mut self.graph).set_pool(Pool {
                reserve0: U256::ZERO,
                ..Self::pool(&row)
            });
        }
    }

    fn clear(&mut self) {
        self.pairs.clear();
        self.index.clear();
        self.heads.clear();
        self.graph = Arc::default();
    }

    fn push_head(&mut self, head: Head) {
        self.heads.push_back(head);
        while self.heads.len() > KEPT_HEADS {
            self.heads.pop_front();
        }
    }

    /// Rebuilds the derived index and graph after loading rows.
    fn reindex(&mut self) {
        self.index = self
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.pair, i as u32))
            .collect();
        self.graph = Arc::new(RouteGraph::new(self.pairs.iter().map(Self::pool)));
    }
}
