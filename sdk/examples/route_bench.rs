//! Route search benchmark: 1,000 random pools over 200 tokens with a few hub
//! tokens, 2,000 random queries (half exact-in, half exact-out) with up to 3
//! hops, and the latency figures against the p99 < 10 ms target.
//!
//! `cargo run --release -p tidepool-sdk --example route_bench [-- --json]`

use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tidepool_sdk::route::{Pool, Route, RouteError, RouteGraph};
use tidepool_sdk::{Address, U256};

const SEED: u64 = 0x7173_9001;
const TOKENS: usize = 200;
/// WETH, USDC, USDT, DAI, WBTC: the share of hub-paired pools each takes.
const HUB_WEIGHTS: [f64; 5] = [0.40, 0.25, 0.15, 0.12, 0.08];
const POOLS: usize = 1_000;
const QUERIES: usize = 2_000;
/// Extra queries between two hub tokens, reported apart.
const HUB_QUERIES: usize = 200;
const MAX_HOPS: usize = 3;
const TARGET_P99_MS: f64 = 10.0;

fn address(rng: &mut StdRng) -> Address {
    Address::from(rng.r#gen::<[u8; 20]>())
}

fn hub(rng: &mut StdRng) -> usize {
    let mut x = rng.r#gen::<f64>();
    for (i, w) in HUB_WEIGHTS.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    0
}

fn u256(x: f64) -> U256 {
    U256::from(x as u128)
}

/// Pools with reserves between 1e15 and 1e30 raw units, priced consistently
/// (each token has a price per raw unit, each pool a little noise around it).
fn pools(rng: &mut StdRng, tokens: &[Address]) -> Vec<Pool> {
    let hubs = HUB_WEIGHTS.len();
    let log_price: Vec<f64> = (0..tokens.len())
        .map(|_| rng.gen_range(-6.0..6.0))
        .collect();
    let mut out = Vec::with_capacity(POOLS);
    while out.len() < POOLS {
        let leaf = |rng: &mut StdRng| rng.gen_range(hubs..tokens.len());
        let roll = rng.r#gen::<f64>();
        let (a, b) = if roll < 0.60 {
            (hub(rng), leaf(rng))
        } else if roll < 0.66 {
            (hub(rng), hub(rng))
        } else {
            (leaf(rng), leaf(rng))
        };
        if a == b {
            continue;
        }
        let l0: f64 = rng.gen_range(15.0..30.0);
        let l1 = l0 + log_price[a] - log_price[b] + rng.gen_range(-0.01..0.01);
        if !(15.0..=30.0).contains(&l1) {
            continue;
        }
        let (a, b, l0, l1) = if rng.gen_bool(0.5) {
            (a, b, l0, l1)
        } else {
            (b, a, l1, l0)
        };
        let pool = Pool {
            pair: address(rng),
            token0: tokens[a],
            token1: tokens[b],
            reserve0: u256(10f64.powf(l0)),
            reserve1: u256(10f64.powf(l1)),
        };
        out.push(pool);
        // Sometimes the same tokens also have a pool on another factory.
        if rng.gen_bool(0.05) && out.len() < POOLS {
            let scale = rng.gen_range(0.05..2.0);
            out.push(Pool {
                pair: address(rng),
                reserve0: u256(10f64.powf(l0) * scale),
                reserve1: u256(10f64.powf(l1) * scale * rng.gen_range(0.98..1.02)),
                ..pool
            });
        }
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let json = std::env::args().skip(1).any(|a| a == "--json");
    let mut rng = StdRng::seed_from_u64(SEED);
    let tokens: Vec<Address> = (0..TOKENS).map(|_| address(&mut rng)).collect();
    let pools = pools(&mut rng, &tokens);
    let started = Instant::now();
    let graph = RouteGraph::new(pools.clone());
    let build_ms = started.elapsed().as_secs_f64() * 1e3;

    // Queries: random distinct tokens (each in some pool), an amount that is
    // a small fraction (1e-6 .. 5%) of a pool's reserve of the exact side.
    let side = |token: Address, rng: &mut StdRng| -> U256 {
        let mine: Vec<U256> = pools
            .iter()
            .filter_map(|p| {
                if p.token0 == token {
                    Some(p.reserve0)
                } else if p.token1 == token {
                    Some(p.reserve1)
                } else {
                    None
                }
            })
            .collect();
        let reserve = f64::from(mine[rng.gen_range(0..mine.len())]);
        u256((reserve * 10f64.powf(rng.gen_range(-6.0..-1.3))).max(1.0))
    };
    let used: Vec<Address> = tokens
        .iter()
        .copied()
        .filter(|t| pools.iter().any(|p| p.token0 == *t || p.token1 == *t))
        .collect();
    let queries: Vec<(bool, Address, Address, U256)> = (0..QUERIES)
        .map(|i| {
            let exact_in = i % 2 == 0;
            let a = used[rng.gen_range(0..used.len())];
            let mut b = a;
            while b == a {
                b = used[rng.gen_range(0..used.len())];
            }
            let amount = side(if exact_in { a } else { b }, &mut rng);
            (exact_in, a, b, amount)
        })
        .collect();
    let run = |q: &(bool, Address, Address, U256)| -> Result<Route, RouteError> {
        let (exact_in, a, b, amount) = *q;
        if exact_in {
            graph.best_exact_in(a, b, amount, MAX_HOPS)
        } else {
            graph.best_exact_out(a, b, amount, MAX_HOPS)
        }
    };
    for q in queries.iter().take(100) {
        let _ = run(q); // warm-up
    }

    let mut latencies = Vec::with_capacity(QUERIES);
    let (mut no_route, mut hops) = (0usize, 0usize);
    let total = Instant::now();
    for q in &queries {
        let t = Instant::now();
        let r = run(q);
        latencies.push(t.elapsed().as_secs_f64() * 1e3);
        match r {
            Ok(route) => hops += route.hops(),
            Err(RouteError::NoRoute { .. }) => no_route += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    let total_s = total.elapsed().as_secs_f64();

    // The heaviest case: between two hub tokens (the most pools around both).
    let mut hub_latencies: Vec<f64> = (0..HUB_QUERIES)
        .map(|i| {
            let a = hub(&mut rng);
            let b = (a + rng.gen_range(1..HUB_WEIGHTS.len())) % HUB_WEIGHTS.len();
            let amount = side(tokens[if i % 2 == 0 { a } else { b }], &mut rng);
            let q = (i % 2 == 0, tokens[a], tokens[b], amount);
            let t = Instant::now();
            let _ = run(&q);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    hub_latencies.sort_by(f64::total_cmp);
    let (hub_p99, hub_max) = (
        percentile(&hub_latencies, 0.99),
        hub_latencies[hub_latencies.len() - 1],
    );
    latencies.sort_by(f64::total_cmp);
    let (p50, p99, max) = (
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
    );
    let found = QUERIES - no_route;
    let avg_hops = if found == 0 {
        0.0
    } else {
        hops as f64 / found as f64
    };
    let met = p99 < TARGET_P99_MS;
    if json {
        let v = serde_json::json!({
            "pools": graph.pools(),
            "tokens": used.len(),
            "queries": QUERIES,
            "max_hops": MAX_HOPS,
            "build_ms": build_ms,
            "routes_per_s": QUERIES as f64 / total_s,
            "p50_ms": p50,
            "p99_ms": p99,
            "max_ms": max,
            "no_route": no_route,
            "avg_hops": avg_hops,
            "hub_to_hub_queries": HUB_QUERIES,
            "hub_to_hub_p99_ms": hub_p99,
            "hub_to_hub_max_ms": hub_max,
            "target_p99_ms": TARGET_P99_MS,
            "target_met": met,
            "p99_over_target": p99 / TARGET_P99_MS,
        });
        println!("{v}");
        return;
    }
    println!(
        "pools:        {} ({} tokens, built in {build_ms:.2} ms)",
        graph.pools(),
        used.len()
    );
    println!("queries:      {QUERIES} (half exact-in, half exact-out, max {MAX_HOPS} hops)");
    println!("routes/s:     {:.0}", QUERIES as f64 / total_s);
    println!("latency:      p50 {p50:.4} ms, p99 {p99:.4} ms, max {max:.4} ms");
    println!("no route:     {no_route}");
    println!("average hops: {avg_hops:.2}");
    println!("hub to hub:   {HUB_QUERIES} more queries, p99 {hub_p99:.4} ms, max {hub_max:.4} ms");
    println!(
        "target p99 < {TARGET_P99_MS} ms: {} (p99 / target = {:.4})",
        if met { "met" } else { "missed" },
        p99 / TARGET_P99_MS
    );
}
