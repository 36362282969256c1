//! The pools into the goal token, summarised per neighbouring token, so that
//! a 3-hop search can dismiss a middle edge `X → Y` with one comparison
//! instead of reading `Y`'s pools: a bound on every last hop out of `Y` at once.

use super::{Edge, RouteGraph, TradeKind};

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

impl Near {
    /// A bound on the last hop from this token for an amount `x` there, no
    /// tighter than [`super::bound`] for any of its pools.
    pub fn bound(&self, kind: TradeKind, x: f64) -> f64 {
        match kind {
            TradeKind::ExactIn => (x * self.rate).min(self.cap),
            TradeKind::ExactOut => x * self.rate,
        }
    }
}

impl RouteGraph {
    /// The goal's neighbours, sorted by token id (the order of `adj[goal]`).
    pub(super) fn near_goal(&self, kind: TradeKind, goal: u32) -> Vec<Near> {
        let mut out: Vec<Near> = Vec::new();
        for e in &self.adj[goal as usize] {
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

/// The pairs `(edge, near)` with `edge.to == near.token`, for `edges` and
/// `near` both sorted by token: a merge, or binary searches from the shorter
/// side when one is much longer (a hub next to a thin token).
pub(super) fn matching<'a>(
    edges: &'a [Edge],
    near: &'a [Near],
    mut f: impl FnMut(&'a Edge, &'a Near),
) {
    if edges.len() > 16 * near.len() {
        for n in near {
            let start = edges.partition_point(|e| e.to < n.token);
            for e in edges[start..].iter().take_while(|e| e.to == n.token) {
                f(e, n);
            }
        }
    } else if near.len() > 16 * edges.len() {
        for e in edges {
            if let Ok(i) = near.binary_search_by_key(&e.to, |n| n.token) {
                f(e, &near[i]);
            }
        }
    } else {
        let mut j = 0;
        for e in edges {
            while j < near.len() && near[j].token < e.to {
                j += 1;
            }
            if j == near.len() {
                break;
            }
            if near[j].token == e.to {
                f(e, &near[j]);
            }
        }
    }
}
