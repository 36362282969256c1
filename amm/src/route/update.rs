//! Keeping a [`RouteGraph`] current as reserves change, without rebuilding it:
//! the work per changed pool is a binary search (and, when a pool appears or
//! empties, an insertion or removal) in its two tokens' edge lists.

use alloy_primitives::Address;

use super::{Pool, RouteGraph, edge};

impl RouteGraph {
    /// Sets one pool's reserves: updates it, adds it (a new pool, or one whose
    /// reserves were zero) or drops it (a reserve became zero). The graph then
    /// answers exactly as [`RouteGraph::new`] over the updated pool set would.
    pub fn set_pool(&mut self, p: Pool) {
        let usable = p.token0 != p.token1 && !p.reserve0.is_zero() && !p.reserve1.is_zero();
        if let Some(old) = self.pools.get(&p.pair).copied() {
            if usable && (old.token0, old.token1) == (p.token0, p.token1) {
                let (a, b) = (self.ids[&p.token0], self.ids[&p.token1]);
                self.set_edge(a, b, edge(a, b, p.pair, p.reserve0, p.reserve1));
                self.set_edge(b, a, edge(b, a, p.pair, p.reserve1, p.reserve0));
                self.pools.insert(p.pair, p);
                return;
            }
            self.remove(old);
        }
        if usable {
            let a = self.id(p.token0);
            let b = self.id(p.token1);
            self.insert_edge(a, b, p.pair, edge(a, b, p.pair, p.reserve0, p.reserve1));
            self.insert_edge(b, a, p.pair, edge(b, a, p.pair, p.reserve1, p.reserve0));
            self.pools.insert(p.pair, p);
        }
    }

    /// The pool of `pair` as indexed, if it is (pools with a zero reserve are not).
    pub fn pool(&self, pair: &Address) -> Option<&Pool> {
        self.pools.get(pair)
    }

    fn position(&self, a: u32, b: u32, pair: Address) -> Result<usize, usize> {
        self.adj[a as usize]
            .full
            .binary_search_by(|e| (e.to, e.pair).cmp(&(b, pair)))
    }

    fn set_edge(&mut self, a: u32, b: u32, e: super::Edge) {
        let i = self
            .position(a, b, e.pair)
            .expect("an indexed pool has both edges");
        self.adj[a as usize].set(i, e);
    }

    fn insert_edge(&mut self, a: u32, b: u32, pair: Address, e: super::Edge) {
        let i = self.position(a, b, pair).unwrap_or_else(|i| i);
        self.adj[a as usize].insert(i, e);
    }

    fn remove(&mut self, old: Pool) {
        let (a, b) = (self.ids[&old.token0], self.ids[&old.token1]);
        for (x, y) in [(a, b), (b, a)] {
            if let Ok(i) = self.position(x, y, old.pair) {
                self.adj[x as usize].remove(i);
            }
        }
        self.pools.remove(&old.pair);
    }
}
