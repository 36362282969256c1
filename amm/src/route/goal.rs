//! The pools into the goal token, summarised per neighbouring token, so that
//! a 3-hop search can dismiss a middle edge `X → Y` with one comparison
//! instead of reading `Y`'s pools: a bound on every last hop out of `Y` at once.
//!
//! The summaries sit in a table indexed by token id (one per thread, reused:
//! a query writes only the goal's neighbours and clears them after), so the
//! scan of a middle token's edges is one lookup per edge, without branches on
//! a merge; the scan only collects the edges that pass, the search then
//! computes those exactly.

use std::cell::RefCell;

use super::{Lite, RouteGraph, SLACK, TradeKind};

/// One token next to the goal and the loosest bound of its last hops.
#[derive(Debug, Clone, Copy)]
pub(super) struct Near {
    /// The token's id.
    pub token: u32,
    /// Exact-in: the largest `0.997 · r_goal / r_token` of its pools (output
    /// per input, fee included, before price impact). Exact-out: the
    /// smallest `1000 · r_token / (997 · r_goal)` (input per output).
    pub rate: f64,
    /// Exact-in: the largest goal-side reserve (no hop gives more). Unused
    /// for exact-out.
    pub cap: f64,
}

/// A token's entry in the table: its [`Near`] bound, or NaN for a token that
/// is not next to the goal (every comparison with NaN is false, so such a
/// token never passes).
#[derive(Debug, Clone, Copy)]
struct Slot {
    rate: f64,
    cap: f64,
}

const EMPTY: Slot = Slot {
    rate: f64::NAN,
    cap: f64::NAN,
};

impl Slot {
    /// A bound on the last hop from this token for an amount `x` there, no
    /// tighter than [`super::bound`] for any of its pools (NaN if the token
    /// is not next to the goal).
    #[inline]
    fn bound(self, kind: TradeKind, x: f64) -> f64 {
        match kind {
            TradeKind::ExactIn => {
                let a = x * self.rate;
                // Not `f64::min`, which would drop a NaN.
                if a < self.cap { a } else { self.cap }
            }
            TradeKind::ExactOut => x * self.rate,
        }
    }
}

thread_local! {
    static TABLE: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// The goal's neighbours in a table by token id, for one search.
pub(super) struct NearGoal<'t> {
    kind: TradeKind,
    near: Vec<Near>,
    table: &'t mut Vec<Slot>,
}

impl RouteGraph {
    /// Runs `f` with the goal's neighbours tabled.
    pub(super) fn with_near_goal<T>(
        &self,
        kind: TradeKind,
        goal: u32,
        f: impl FnOnce(&NearGoal<'_>) -> T,
    ) -> T {
        let near = self.near_goal(kind, goal);
        TABLE.with(|t| {
            let mut table = t.borrow_mut();
            if table.len() < self.tokens.len() {
                table.resize(self.tokens.len(), EMPTY);
            }
            for n in &near {
                table[n.token as usize] = Slot {
                    rate: n.rate,
                    cap: n.cap,
                };
            }
            let ng = NearGoal {
                kind,
                near,
                table: &mut table,
            };
            let out = f(&ng);
            for n in &ng.near {
                ng.table[n.token as usize] = EMPTY;
            }
            out
        })
    }

    /// The goal's neighbours, sorted by token id (the order of `adj[goal]`).
    fn near_goal(&self, kind: TradeKind, goal: u32) -> Vec<Near> {
        let mut out: Vec<Near> = Vec::new();
        for e in &self.adj[goal as usize].lite {
            // `e` runs goal → token; the last hop runs token → goal.
            let (r_token, r_goal) = (e.f_to, e.f_from);
            let (rate, cap) = match kind {
                TradeKind::ExactIn => (0.997 * r_goal / r_token, r_goal),
                TradeKind::ExactOut => (1000.0 * r_goal / (997.0 * r_token), 0.0),
            };
            match out.last_mut() {
                Some(n) if n.token == e.to => {
                    n.rate = match kind {
                        TradeKind::ExactIn => n.rate.max(rate),
                        TradeKind::ExactOut => n.rate.min(rate),
                    };
                    n.cap = n.cap.max(cap);
                }
                _ => out.push(Near {
                    token: e.to,
                    rate,
                    cap,
                }),
            }
        }
        out
    }
}

impl NearGoal<'_> {
    /// A bound on every last hop from `token` for an amount `x` there; NaN
    /// if `token` is not next to the goal.
    pub fn bound(&self, token: u32, x: f64) -> f64 {
        self.table[token as usize].bound(self.kind, x)
    }

    /// The indices in `row` (a middle token's edges, sorted by token) of the
    /// edges into a neighbour of the goal whose bound, for an amount `x`
    /// before them, can still win or tie against `best` (the best final
    /// amount so far, if any). A hub's long row next to few neighbours is
    /// read by binary searches instead of whole.
    ///
    /// The test is [`super::bound`] then [`Slot::bound`] against `best` with
    /// the search's slack, multiplied out so that it divides nothing (the
    /// denominators are positive; the rounding differs by a few ulps, far
    /// inside the slack). A NaN slot fails every comparison.
    pub fn passing(&self, row: &[Lite], x: f64, best: Option<f64>, out: &mut Vec<usize>) {
        out.clear();
        // Exact-in: min(x2·rate, cap)·(1 + SLACK) >= best, with
        // x2 = 997·x·f_to / (1000·f_from + 997·x).
        // Exact-out: x2·rate·(1 − SLACK) <= best, with
        // x2 = 1000·x·f_to / (997·f_from).
        let (k, d, b) = match self.kind {
            TradeKind::ExactIn => (997.0 * x * (1.0 + SLACK), 997.0 * x, best.unwrap_or(0.0)),
            TradeKind::ExactOut => (
                1000.0 * x * (1.0 - SLACK),
                0.0,
                best.unwrap_or(f64::INFINITY),
            ),
        };
        let exact_in = self.kind == TradeKind::ExactIn;
        let passes = |s: Slot, l: &Lite| {
            if exact_in {
                s.cap * (1.0 + SLACK) >= b && k * l.f_to * s.rate >= b * (1000.0 * l.f_from + d)
            } else {
                k * l.f_to * s.rate <= b * 997.0 * l.f_from
            }
        };
        let table = &self.table[..];
        let mut keep = |i: usize, l: &Lite| {
            if passes(table[l.to as usize], l) {
                out.push(i);
            }
        };
        if row.len() > 16 * self.near.len() {
            for n in &self.near {
                let start = row.partition_point(|e| e.to < n.token);
                for (i, l) in row.iter().enumerate().skip(start) {
                    if l.to != n.token {
                        break;
                    }
                    keep(i, l);
                }
            }
        } else {
            for (i, l) in row.iter().enumerate() {
                keep(i, l);
            }
        }
    }
}
