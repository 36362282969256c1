//! `cargo xtask bench market`: the market state (sdk::marketstate) on a
//! generated chain of 100,000 Tidepool pools: cold load, warm start from the
//! disk cache, refresh after a block that moves 100 pools, and route search
//! over every pool; each figure with its target and against a reference
//! measured in the same run (the per-pair reads the CLI and the app did before,
//! a batched re-read of every reserve, a route graph rebuilt per query).

mod chain;

use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;
use tidepool_sdk::alloy::dyn_abi::DynSolValue;
use tidepool_sdk::alloy::primitives::U256;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::{call_tx, send};
use tidepool_sdk::market;
use tidepool_sdk::marketstate::{MarketState, lens};
use tidepool_sdk::route::RouteGraph;
use tidepool_sdk::signer::SignerSource;

use chain::Res;

struct Row {
    name: &'static str,
    value: f64,
    unit: &'static str,
    target: Option<f64>,
    reference: Option<(f64, &'static str)>,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

async fn run(pools: usize, fresh: bool, json_out: bool) -> Res<()> {
    let seeder = chain::Seeder::load()?;
    let dir = tidepool_testkit::workspace_root().join("target/bench-cache");
    let (anvil, meta, load_secs) = chain::ensure(&dir, pools, fresh, &seeder).await?;
    eprintln!(
        "bench: {} pools on anvil (state loaded in {load_secs:.1} s)",
        meta.pools
    );
    let client = Client::connect(&anvil.url).await?;
    let genesis = client.genesis_hash().await?;
    let new_state = || MarketState::new(client.chain_id, genesis, meta.factory);
    let mut rows = Vec::new();

    // Reference: the per-pair reads (five calls a pool), over 1,000 pools, scaled.
    let t = Instant::now();
    let mut s = new_state();
    s.refresh(&client).await?;
    let cold = secs(t);
    let sample: Vec<_> = s.pairs().iter().take(1_000).map(|p| p.pair).collect();
    let t = Instant::now();
    for p in &sample {
        market::pool(&client, *p).await?;
    }
    let per_pair = secs(t) / sample.len() as f64 * s.pairs().len() as f64;
    assert_eq!(s.pairs().len(), meta.pools, "every pool loaded");
    rows.push(Row {
        name: "cold load (discovery + reserves)",
        value: cold,
        unit: "s",
        target: None,
        reference: Some((per_pair, "per-pair reads")),
    });

    // Warm start from the cache (load + refresh to the same head).
    let cache = dir.join(format!("market-{pools}.cache"));
    s.save(&cache)?;
    let mut warm = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut w = MarketState::load(&cache, client.chain_id, genesis, meta.factory)
            .ok_or("the cache did not load")?;
        w.refresh(&client).await?;
        warm.push(secs(t));
    }
    let warm = sorted(warm);
    rows.push(Row {
        name: "warm start from the cache (median of 5)",
        value: pct(&warm, 0.5),
        unit: "s",
        target: Some(1.5),
        reference: Some((cold, "cold load")),
    });

    // One block moving 100 pools, then a refresh; 20 rounds.
    let trader = client.with_signer(&SignerSource::DevAccount(0).load(client.chain_id)?)?;
    let all: Vec<_> = s.pairs().iter().map(|p| p.pair).collect();
    let mut refresh = Vec::new();
    let mut reread = Vec::new();
    let step = (pools / 100).max(1);
    for round in 0..20usize {
        let data = seeder.call(
            "swapMany",
            &[
                DynSolValue::from(U256::from(round * 13 % step)),
                DynSolValue::from(U256::from(step)),
                DynSolValue::from(U256::from(100u32)),
            ],
        )?;
        send(&trader, call_tx(meta.seeder, data, U256::ZERO)).await?;
        let t = Instant::now();
        let r = s.refresh(&client).await?;
        refresh.push(secs(t) * 1e3);
        assert_eq!(r.changed, 100, "{r:?}");
        if round < 3 {
            let t = Instant::now();
            lens::reserves(&client, &all, s.block().into()).await?;
            reread.push(secs(t) * 1e3);
        }
    }
    let refresh = sorted(refresh);
    let reread = sorted(reread);
    rows.push(Row {
        name: "refresh, 100 pools changed (p50)",
        value: pct(&refresh, 0.5),
        unit: "ms",
        target: None,
        reference: Some((pct(&reread, 0.5), "batched re-read of all")),
    });
    rows.push(Row {
        name: "refresh, 100 pools changed (p99)",
        value: pct(&refresh, 0.99),
        unit: "ms",
        target: Some(50.0),
        reference: Some((pct(&reread, 0.5), "batched re-read of all")),
    });

    // The state equals the chain: 1,000 pools read directly.
    for p in s.pairs().iter().step_by((pools / 1_000).max(1)) {
        let direct = market::pool(&client, p.pair).await?;
        if (U256::from(p.reserve0), U256::from(p.reserve1))
            != (direct.pool.reserve0, direct.pool.reserve1)
        {
            return Err(format!("pool {} differs from the chain", p.pair).into());
        }
    }

    // Route search over every pool: 2,000 random token pairs, exact in, 3 hops.
    let tokens = s.tokens();
    let g = s.graph();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let amount = U256::from(10u64).pow(U256::from(18u8));
    let mut search = Vec::new();
    let mut found = 0;
    for _ in 0..2_000 {
        let a = tokens[next() as usize % tokens.len()];
        let b = tokens[next() as usize % tokens.len()];
        if a == b {
            continue;
        }
        let t = Instant::now();
        found += usize::from(g.best_exact_in(a, b, amount, 3).is_ok());
        search.push(secs(t) * 1e3);
    }
    let search = sorted(search);
    let t = Instant::now();
    let rebuilt = RouteGraph::new(s.pairs().iter().map(MarketState::pool));
    let build = secs(t) * 1e3;
    assert_eq!(rebuilt.pools(), g.pools());
    rows.push(Row {
        name: "route search over every pool (p50)",
        value: pct(&search, 0.5),
        unit: "ms",
        target: None,
        reference: Some((build, "rebuilding the graph")),
    });
    rows.push(Row {
        name: "route search over every pool (p99)",
        value: pct(&search, 0.99),
        unit: "ms",
        target: Some(10.0),
        reference: Some((build, "rebuilding the graph")),
    });
    if found == 0 {
        return Err("no route found".into());
    }

    let date = tidepool_testkit::bench::date();
    let (cpus, model) = tidepool_testkit::bench::machine();
    let machine = format!(
        "{cpus} × {model}, {}",
        tidepool_testkit::bench::anvil_version()
    );
    let table = table(&rows);
    if json_out {
        let v: Vec<_> = rows.iter().map(|r| json!({"name": r.name, "value": r.value, "unit": r.unit, "target": r.target, "reference": r.reference.map(|x| x.0), "referenceIs": r.reference.map(|x| x.1)})).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"date": date, "machine": machine, "pools": pools, "rows": v})
            )?
        );
    } else {
        println!(
            "Measured {date} on {machine}, {pools} pools ({} routes of {} found)\n\n{table}",
            found,
            search.len()
        );
    }
    let md = format!(
        "# Market state benchmark\n\nMeasured {date} on {machine} by `cargo xtask bench market`: {pools} Tidepool pools on anvil (generated by contracts/bench/MarketSeeder.sol, state reloaded), {found} of {} random route searches found a route.\n\n{table}",
        search.len()
    );
    std::fs::write(
        tidepool_testkit::workspace_root().join("benchmarks/market.md"),
        md,
    )?;
    Ok(())
}

fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "| figure | measured | target | vs target | reference | vs reference |\n|---|---:|---:|---:|---|---:|\n",
    );
    for r in rows {
        let target = r.target.map_or("—".into(), |x| format!("< {x} {}", r.unit));
        let vs_target = r
            .target
            .map_or("—".into(), |x| format!("{:.2}", r.value / x));
        let (reference, vs_ref) = r.reference.map_or(("—".into(), "—".into()), |(v, how)| {
            (
                format!("{how}: {} {}", fmt(v), r.unit),
                format!("{:.1}× faster", v / r.value),
            )
        });
        t.push_str(&format!(
            "| {} | {} {} | {target} | {vs_target} | {reference} | {vs_ref} |\n",
            r.name,
            fmt(r.value),
            r.unit
        ));
    }
    t
}

fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pools = args
        .iter()
        .position(|a| a == "--pools")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let fresh = args.iter().any(|a| a == "--fresh");
    let json_out = args.iter().any(|a| a == "--json");
    match run(pools, fresh, json_out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench market: {e}");
            ExitCode::FAILURE
        }
    }
}
