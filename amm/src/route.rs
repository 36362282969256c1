//! The best route for an exact-in or exact-out swap over up to three pools.
//!
//! [`RouteGraph`] indexes the pools by token once; each query then searches
//! every simple path (no token twice) of at most `max_hops` pools, exactly:
//!
//! - the search walks from the exact side (the input token for exact-in, the
//!   output token for exact-out) and computes each hop with
//!   [`math::get_amount_out`] / [`math::get_amount_in`], so a partial path's
//!   amount is exactly the prefix (suffix) that [`math::get_amounts_out`]
//!   ([`math::get_amounts_in`]) would compute, and a hop that fails fails every
//!   path through it;
//! - the last hop is never scanned: the pools between a token and the other
//!   end are a binary search in that token's sorted pool list, so a query costs
//!   O(pools around the first two tokens), not hub degree²;
//! - all 1- and 2-hop paths are evaluated first; a 3-hop candidate is computed
//!   in 256 bits only if a cheap f64 bound (an upper bound of the output, a
//!   lower bound of the input, with a safety margin) says it can still beat the
//!   best so far; bounds only skip paths that are strictly worse, so the result
//!   equals a brute-force search;
//! - that bound is the hot loop of a big market (every middle edge around the
//!   first tokens): it reads compact copies of the edges (what the bound
//!   needs, a fifth of an edge's size) and a table of the goal's neighbours by
//!   token id, and divides nothing (see `route/goal.rs`).
//!
//! The best route has the most output (exact-in) or the least input
//! (exact-out); ties go to fewer hops, then to the lexicographically smallest
//! list of pair addresses. A path whose output rounds to zero is not a route
//! (the pair reverts with `InsufficientOutputAmount()`).

use std::cmp::Ordering;
use std::collections::HashMap;

use alloy_primitives::{Address, U256};
use thiserror::Error;

use crate::math::{self, Hop};

/// The most pools a route may cross.
pub const MAX_HOPS: usize = 3;

/// Relative slack of the f64 bounds: far above their rounding error (a few
/// ulps per hop), so a bound never prunes a path that could win or tie.
const SLACK: f64 = 1e-9;

/// A pool as the router sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    /// The pair contract.
    pub pair: Address,
    /// The pair's `token0`.
    pub token0: Address,
    /// The pair's `token1`.
    pub token1: Address,
    /// The reserve of `token0`, in its base units.
    pub reserve0: U256,
    /// The reserve of `token1`, in its base units.
    pub reserve1: U256,
}

/// Which side of a swap is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeKind {
    /// The input amount is exact; the output is maximised.
    ExactIn,
    /// The output amount is exact; the input is minimised.
    ExactOut,
}

/// The best route found.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Which side of the swap is exact.
    pub kind: TradeKind,
    /// The tokens along the route: first the token in, last the token out.
    pub path: Vec<Address>,
    /// The pair used for each hop (`path.len() - 1` of them).
    pub pairs: Vec<Address>,
    /// The amount at each token of `path`, exactly as the router's
    /// `getAmountsOut` (exact-in) or `getAmountsIn` (exact-out) computes it.
    pub amounts: Vec<U256>,
    /// Output per input at the current reserves, without the fee (raw units).
    pub mid_price: f64,
    /// Output per input of this trade, `amounts.last / amounts.first` (raw units).
    pub execution_price: f64,
    /// How far this trade moves the price against the trader, a fraction,
    /// never negative: [`crate::impact::price_impact`] (the LP fee is not part
    /// of it; see [`Route::lp_fee`]).
    pub price_impact: f64,
}

impl Route {
    /// The amount of the token in.
    pub fn amount_in(&self) -> U256 {
        self.amounts[0]
    }

    /// The amount of the token out.
    pub fn amount_out(&self) -> U256 {
        self.amounts[self.amounts.len() - 1]
    }

    /// The number of pools the route crosses.
    pub fn hops(&self) -> usize {
        self.pairs.len()
    }

    /// The LP fees this route pays, in units of the token in.
    pub fn lp_fee(&self) -> U256 {
        crate::impact::lp_fee(self.amount_in(), self.hops())
    }
}

/// Why no route could be found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RouteError {
    /// The token in and the token out are the same.
    #[error("the input and output token are the same: choose two different tokens")]
    SameToken,
    /// The amount is zero.
    #[error("the amount is zero: enter an amount greater than 0")]
    ZeroAmount,
    /// No path of at most `max_hops` pools connects the tokens with enough
    /// liquidity for the amount.
    #[error(
        "no route: no path of at most {max_hops} pool(s) connects these tokens with enough \
         liquidity for this amount; try a smaller amount, allow more hops (up to 3), or add \
         liquidity"
    )]
    NoRoute {
        /// The most pools a route could cross in this search.
        max_hops: usize,
    },
    /// The hop limit is outside 1..=3.
    #[error("a route crosses 1 to 3 pools, not {0}: choose max hops between 1 and 3")]
    InvalidMaxHops(usize),
}

/// One direction of a pool, stored with the token it leaves from.
#[derive(Debug, Clone, Copy)]
struct Edge {
    from: u32,
    to: u32,
    pair: Address,
    r_from: U256,
    r_to: U256,
    f_from: f64,
    f_to: f64,
}

/// What the search's bounds read of an edge, kept apart from the edge so the
/// 3-hop scan (which reads every edge around the first tokens and computes
/// exactly only the few that pass) streams a fifth of the memory.
#[derive(Debug, Clone, Copy)]
struct Lite {
    to: u32,
    f_from: f64,
    f_to: f64,
}

/// One token's edges, sorted by (other token, pair address), with their
/// [`Lite`] copies in the same order (changed only together).
#[derive(Debug, Clone, Default)]
struct Edges {
    full: Vec<Edge>,
    lite: Vec<Lite>,
}

impl Edges {
    fn push(&mut self, e: Edge) {
        self.full.push(e);
    }

    fn sort(&mut self) {
        self.full.sort_by_key(|e| (e.to, e.pair));
        self.lite = self.full.iter().map(Edge::lite).collect();
    }

    fn insert(&mut self, i: usize, e: Edge) {
        self.full.insert(i, e);
        self.lite.insert(i, e.lite());
    }

    fn set(&mut self, i: usize, e: Edge) {
        self.full[i] = e;
        self.lite[i] = e.lite();
    }

    fn remove(&mut self, i: usize) {
        self.full.remove(i);
        self.lite.remove(i);
    }
}

/// An index of pools by token, built once, queried many times.
#[derive(Debug, Clone, Default)]
pub struct RouteGraph {
    /// The indexed pools by pair (pools with a zero reserve are left out).
    pools: HashMap<Address, Pool>,
    ids: HashMap<Address, u32>,
    tokens: Vec<Address>,
    /// Per token id, its edges sorted by (other token, pair address).
    adj: Vec<Edges>,
}

impl RouteGraph {
    /// Indexes `pools`, ignoring those with a zero reserve or with
    /// `token0 == token1` (they can never be part of a route).
    pub fn new(pools: impl IntoIterator<Item = Pool>) -> Self {
        let mut g = Self::default();
        for p in pools {
            if p.token0 == p.token1 || p.reserve0.is_zero() || p.reserve1.is_zero() {
                continue;
            }
            let a = g.id(p.token0);
            let b = g.id(p.token1);
            g.adj[a as usize].push(edge(a, b, p.pair, p.reserve0, p.reserve1));
            g.adj[b as usize].push(edge(b, a, p.pair, p.reserve1, p.reserve0));
            g.pools.insert(p.pair, p);
        }
        for edges in &mut g.adj {
            edges.sort();
        }
        g
    }

    fn id(&mut self, token: Address) -> u32 {
        let next = self.tokens.len() as u32;
        let id = *self.ids.entry(token).or_insert(next);
        if id == next {
            self.tokens.push(token);
            self.adj.push(Edges::default());
        }
        id
    }

    /// The number of pools indexed (without the ignored ones).
    pub fn pools(&self) -> usize {
        self.pools.len()
    }

    /// The route that gives the most `token_out` for exactly `amount_in` of
    /// `token_in`, over at most `max_hops` (1–3) pools.
    pub fn best_exact_in(
        &self,
        token_in: Address,
        token_out: Address,
        amount_in: U256,
        max_hops: usize,
    ) -> Result<Route, RouteError> {
        self.search(TradeKind::ExactIn, token_in, token_out, amount_in, max_hops)
    }

    /// The route that needs the least `token_in` for exactly `amount_out` of
    /// `token_out`, over at most `max_hops` (1–3) pools.
    pub fn best_exact_out(
        &self,
        token_in: Address,
        token_out: Address,
        amount_out: U256,
        max_hops: usize,
    ) -> Result<Route, RouteError> {
        self.search(
            TradeKind::ExactOut,
            token_in,
            token_out,
            amount_out,
            max_hops,
        )
    }

    /// The edges from token `a` to token `b`, sorted by pair address.
    fn between(&self, a: u32, b: u32) -> &[Edge] {
        let edges = &self.adj[a as usize].full;
        let start = edges.partition_point(|e| e.to < b);
        let len = edges[start..].partition_point(|e| e.to == b);
        &edges[start..start + len]
    }

    fn search(
        &self,
        kind: TradeKind,
        token_in: Address,
        token_out: Address,
        amount: U256,
        max_hops: usize,
    ) -> Result<Route, RouteError> {
        if !(1..=MAX_HOPS).contains(&max_hops) {
            return Err(RouteError::InvalidMaxHops(max_hops));
        }
        if token_in == token_out {
            return Err(RouteError::SameToken);
        }
        if amount.is_zero() {
            return Err(RouteError::ZeroAmount);
        }
        let no_route = RouteError::NoRoute { max_hops };
        // Walk from the exact side towards the other one.
        let (root, goal) = match kind {
            TradeKind::ExactIn => (token_in, token_out),
            TradeKind::ExactOut => (token_out, token_in),
        };
        let (Some(&r), Some(&g)) = (self.ids.get(&root), self.ids.get(&goal)) else {
            return Err(no_route);
        };
        let mut s = Search {
            kind,
            best: None,
            best_f: 0.0,
        };
        s.finish(amount, f64::from(amount), &[], self.between(r, g));
        if max_hops >= 2 {
            let firsts: Vec<(&Edge, U256)> = self.adj[r as usize]
                .full
                .iter()
                .filter(|e| e.to != g)
                .filter_map(|e| step(kind, amount, e).map(|x| (e, x)))
                .collect();
            for &(e1, x1) in &firsts {
                s.finish(x1, f64::from(x1), &[e1], self.between(e1.to, g));
            }
            if max_hops >= 3 {
                // Only middle edges into a neighbour of the goal can finish a
                // path; each is first judged against a bound on all its last hops.
                self.with_near_goal(kind, g, |near| {
                    let mut passing = Vec::new();
                    for &(e1, x1) in &firsts {
                        let f1 = f64::from(x1);
                        let middle = &self.adj[e1.to as usize];
                        let best = s.best.as_ref().map(|_| s.best_f);
                        near.passing(&middle.lite, f1, best, &mut passing);
                        for &i in &passing {
                            let l2 = &middle.lite[i];
                            if l2.to == r {
                                continue;
                            }
                            // The best may have improved since the scan.
                            let f2 = bound(kind, f1, l2);
                            if s.hopeless(near.bound(l2.to, f2)) {
                                continue;
                            }
                            let lasts = self.between(l2.to, g);
                            if lasts
                                .iter()
                                .all(|e3| s.hopeless(bound(kind, f2, &e3.lite())))
                            {
                                continue;
                            }
                            let e2 = &middle.full[i];
                            if let Some(x2) = step(kind, x1, e2) {
                                s.finish(x2, f64::from(x2), &[e1, e2], lasts);
                            }
                        }
                    }
                });
            }
        }
        let (_, edges) = s.best.ok_or(no_route)?;
        Ok(self.route(kind, amount, &edges))
    }

    /// Builds the route for `edges`, in search order (from the exact side).
    fn route(&self, kind: TradeKind, amount: U256, edges: &[Edge]) -> Route {
        let edges: Vec<Edge> = match kind {
            TradeKind::ExactIn => edges.to_vec(),
            TradeKind::ExactOut => edges.iter().rev().map(Edge::reversed).collect(),
        };
        let hops: Vec<Hop> = edges.iter().map(Edge::hop).collect();
        let amounts = match kind {
            TradeKind::ExactIn => math::get_amounts_out(amount, &hops),
            TradeKind::ExactOut => math::get_amounts_in(amount, &hops),
        }
        .expect("the search evaluated this path with the same math");
        let mid_price: f64 = edges.iter().map(|e| e.f_to / e.f_from).product();
        let execution_price = f64::from(amounts[amounts.len() - 1]) / f64::from(amounts[0]);
        let mut path = vec![self.tokens[edges[0].from as usize]];
        path.extend(edges.iter().map(|e| self.tokens[e.to as usize]));
        Route {
            kind,
            path,
            pairs: edges.iter().map(|e| e.pair).collect(),
            amounts,
            mid_price,
            execution_price,
            price_impact: crate::impact::price_impact(mid_price, execution_price, edges.len()),
        }
    }
}

impl Edge {
    /// The reserves for a trade from `from` to `to`.
    fn hop(&self) -> Hop {
        let (reserve_in, reserve_out) = (self.r_from, self.r_to);
        Hop {
            reserve_in,
            reserve_out,
        }
    }

    /// What the bounds read of it.
    fn lite(&self) -> Lite {
        Lite {
            to: self.to,
            f_from: self.f_from,
            f_to: self.f_to,
        }
    }

    /// The same pool in the other direction.
    fn reversed(&self) -> Edge {
        edge(self.to, self.from, self.pair, self.r_to, self.r_from)
    }
}

fn edge(from: u32, to: u32, pair: Address, r_from: U256, r_to: U256) -> Edge {
    let (f_from, f_to) = (f64::from(r_from), f64::from(r_to));
    Edge {
        from,
        to,
        pair,
        r_from,
        r_to,
        f_from,
        f_to,
    }
}

/// The exact amount one edge further from the exact side, or `None` when the
/// contract would revert (or, exact-in, when the output is zero: the pair
/// reverts on a zero output, and a zero input fails the next hop anyway).
fn step(kind: TradeKind, x: U256, e: &Edge) -> Option<U256> {
    match kind {
        TradeKind::ExactIn => math::get_amount_out(x, e.r_from, e.r_to)
            .ok()
            .filter(|out| !out.is_zero()),
        // The trade flows e.to → e.from; `x` is the output at e.from.
        TradeKind::ExactOut => math::get_amount_in(x, e.r_to, e.r_from).ok(),
    }
}

/// An optimistic f64 estimate of [`step`] from an optimistic `x`: at least the
/// exact output (exact-in: the real-valued formula before the floor), at most
/// the exact input (exact-out: `x·1000·r_in / (997·r_out)`, which is below
/// `x·1000·r_in / (997·(r_out − x))` and free of cancellation). Both are
/// monotone in `x`, so they compose along a path.
fn bound(kind: TradeKind, x: f64, e: &Lite) -> f64 {
    match kind {
        TradeKind::ExactIn => {
            let x = x * 997.0;
            x * e.f_to / (e.f_from * 1000.0 + x)
        }
        TradeKind::ExactOut => x * 1000.0 * e.f_to / (997.0 * e.f_from),
    }
}

struct Search {
    kind: TradeKind,
    /// The best amount so far and its edges, in search order.
    best: Option<(U256, Vec<Edge>)>,
    /// The best amount as f64.
    best_f: f64,
}

impl Search {
    /// Whether a path whose optimistic final amount is `opt` is strictly worse
    /// than the best so far.
    fn hopeless(&self, opt: f64) -> bool {
        self.best.is_some()
            && match self.kind {
                TradeKind::ExactIn => opt * (1.0 + SLACK) < self.best_f,
                TradeKind::ExactOut => opt * (1.0 - SLACK) > self.best_f,
            }
    }

    /// Completes `prefix` (amount `x` after it, `f` as f64) with each of
    /// `lasts`, the edges into the goal token, and keeps the best.
    fn finish(&mut self, x: U256, f: f64, prefix: &[&Edge], lasts: &[Edge]) {
        for last in lasts {
            if self.hopeless(bound(self.kind, f, &last.lite())) {
                continue;
            }
            if let Some(end) = step(self.kind, x, last) {
                self.offer(end, prefix, last);
            }
        }
    }

    fn offer(&mut self, amount: U256, prefix: &[&Edge], last: &Edge) {
        let edges = || -> Vec<Edge> { prefix.iter().map(|e| **e).chain([*last]).collect() };
        if let Some((best, best_edges)) = &self.best {
            let by_amount = match self.kind {
                TradeKind::ExactIn => amount.cmp(best),
                TradeKind::ExactOut => best.cmp(&amount),
            };
            match by_amount {
                Ordering::Less => return,
                Ordering::Greater => {}
                // A tie: fewer hops, then the smaller pair addresses win.
                Ordering::Equal => {
                    let key = |e: &[Edge]| (e.len(), trade_order_pairs(self.kind, e));
                    if key(&edges()) >= key(best_edges) {
                        return;
                    }
                }
            }
        }
        self.best_f = f64::from(amount);
        self.best = Some((amount, edges()));
    }
}

/// The pair addresses of `edges` (in search order) in trade order.
fn trade_order_pairs(kind: TradeKind, edges: &[Edge]) -> Vec<Address> {
    let pairs = edges.iter().map(|e| e.pair);
    match kind {
        TradeKind::ExactIn => pairs.collect(),
        TradeKind::ExactOut => pairs.rev().collect(),
    }
}

mod goal;
mod update;

#[cfg(test)]
mod tests;
