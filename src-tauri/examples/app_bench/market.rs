//! `--market-pools N`: the quote round trip with a big market loaded. The
//! devnet gets N more pools (contracts/bench/MarketSeeder.sol: tokens, and a
//! pool for every pair of them, through the devnet's own factory), the app is
//! launched once, its embedded index is let catch up, then `swap_quote`
//! between two of the seeded tokens is timed as in `quotes` — a route search
//! over every pool. Written to `benchmarks/app-market.md`.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tidepool_sdk::alloy::dyn_abi::DynSolValue;
use tidepool_sdk::alloy::primitives::{Address, U256};
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::rpc::types::TransactionRequest;
use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::SignerSource;
use tidepool_testkit::market::Seeder;

use crate::launch::Session;
use crate::machine::{cmd_out, cpu_model, meminfo_total_gib};
use crate::quotes::{QUOTE_RUNS, QUOTE_WARMUP, Quotes, amounts};
use crate::setup::Bench;
use crate::table::{md_table, ratio, row, text_table};

/// The seeded market on the devnet.
pub(crate) struct Market {
    /// Pools added.
    pub(crate) pools: usize,
    /// Seconds the seeding took.
    pub(crate) seed_secs: f64,
    /// Two seeded tokens (the quotes' pair).
    pub(crate) pair: (Address, Address),
    /// The chain's head once seeded.
    pub(crate) head: u64,
    /// The devnet's RPC URL (to make blocks while quoting).
    pub(crate) url: String,
    /// The seeder contract (it swaps in its pools: `swapMany`).
    pub(crate) seeder: Address,
}

/// The devnet's own pools, before the seeded ones.
const DEVNET_POOLS: usize = 8;

/// Pools each block of the live-chain figure swaps in.
const MOVED_PER_BLOCK: usize = 100;

/// New blocks after each of which the first quote is timed.
const BLOCK_RUNS: usize = 20;

/// Adds `pools` pools to the devnet at `url` through `factory`.
pub(crate) async fn seed(url: &str, factory: Address, pools: usize) -> Result<Market> {
    let t = Instant::now();
    let seeder = Seeder::load()?;
    let base = Client::connect(url).await?;
    let c = base.with_signer(&SignerSource::DevAccount(0).load(base.chain_id)?)?;
    // Blocks of 1e9 gas (as `bench market`'s chain): a few hundred blocks of
    // seeding rather than thousands, each of which anvil would keep a state of.
    base.provider
        .raw_request::<_, Value>("evm_setBlockGasLimit".into(), ("0x3b9aca00",))
        .await
        .context("raising the block gas limit")?;
    base.provider
        .raw_request::<_, Value>("evm_mine".into(), ())
        .await
        .context("mining a block")?;
    let at = seeder.seed(&c, factory, pools).await?;
    let token = |i: u64| {
        let data = seeder.call("tokens", &[DynSolValue::from(U256::from(i))]);
        let p = base.provider.clone();
        async move {
            let tx = TransactionRequest::default().to(at).input(data?.into());
            let out = p.call(tx).await.context("reading a seeded token")?;
            Ok::<_, anyhow::Error>(Address::from_slice(&out[12..32]))
        }
    };
    Ok(Market {
        pools,
        seed_secs: t.elapsed().as_secs_f64(),
        pair: (token(0).await?, token(1).await?),
        head: base.provider.get_block_number().await?,
        url: url.to_string(),
        seeder: at,
    })
}

/// Waits (up to 30 min) until the app's embedded index follows the head;
/// returns the seconds it took.
async fn index_caught_up(s: &Session, head: u64) -> Result<f64> {
    const JS: &str = r#"
const done = arguments[0];
window.__TAURI_INTERNALS__.invoke("status").then((st) => done(st.index), (e) => done({ error: String(e) }));
"#;
    let t = Instant::now();
    loop {
        let v = s.c.execute_async(JS, vec![]).await?;
        let n = |k: &str| v.get(k).and_then(Value::as_u64);
        // Caught up: following, with a checkpoint at (or past) the head the
        // index aimed for, and the head not below the seeded chain's.
        if v.get("following").and_then(Value::as_bool) == Some(true)
            && n("target").is_some()
            && n("checkpoint") >= n("target")
            && n("checkpoint") >= Some(head)
        {
            return Ok(t.elapsed().as_secs_f64());
        }
        if t.elapsed() > Duration::from_secs(1_800) {
            bail!("the app's index did not catch up within 30 minutes: {v}");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Launches the app once on the seeded devnet, waits for its index, times
/// the first quote and then the quote round trip; writes the report.
pub(crate) async fn run(bench: &Bench, m: &Market, json: bool) -> Result<()> {
    let (s, st) = bench.launch("market").await?;
    eprintln!(
        "market: app interactive at {:.0} ms; waiting for its index…",
        st.interactive
    );
    let index_secs = index_caught_up(&s, m.head).await?;
    eprintln!("market: index caught up after {index_secs:.0} s; quoting…");
    let pair = (m.pair.0.to_checksum(None), m.pair.1.to_checksum(None));
    let all = amounts(1 + QUOTE_WARMUP + QUOTE_RUNS);
    let first = bench.quotes_between(&s, &pair, &all[..1], false).await?;
    bench
        .quotes_between(&s, &pair, &all[1..=QUOTE_WARMUP], false)
        .await?;
    let q: Quotes = bench
        .quotes_between(&s, &pair, &all[1 + QUOTE_WARMUP..], true)
        .await?;
    // The reference, in the same app and run: ETH → USDC, whose route search
    // stays among the devnet's own pools (WETH has no pool with the seeded
    // tokens), so the difference is the search over the whole market.
    let r: Quotes = bench.quotes(&s, &all[1 + QUOTE_WARMUP..], true).await?;
    // A live chain: the first quote after each new block, a block in which
    // 100 seeded pools swapped (the app's market state, route graph and USD
    // prices move to it), as the swap screen requotes on every block.
    let node = Client::connect(&m.url).await?;
    let signer = node.with_signer(&SignerSource::DevAccount(0).load(node.chain_id)?)?;
    let seeder = Seeder::load()?;
    let mut after_block = Vec::new();
    for (i, amount) in all.iter().take(BLOCK_RUNS).enumerate() {
        // After the devnet's own pools (the first in `allPairs`; the seeder
        // can only mint its own tokens).
        let first = DEVNET_POOLS + (i * MOVED_PER_BLOCK * 7) % (m.pools - MOVED_PER_BLOCK);
        let data = seeder.call(
            "swapMany",
            &[
                DynSolValue::from(U256::from(first)),
                DynSolValue::from(U256::from(1)),
                DynSolValue::from(U256::from(MOVED_PER_BLOCK)),
            ],
        )?;
        tidepool_sdk::deploy::send(
            &signer,
            tidepool_sdk::deploy::call_tx(m.seeder, data, U256::ZERO),
        )
        .await
        .context("swapping in seeded pools")?;
        // Past the app's head monitor (a few ticks a second) and the one
        // second its head counts as fresh.
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let q = bench
            .quotes_between(&s, &pair, std::slice::from_ref(amount), false)
            .await?;
        after_block.push(q.times[0]);
    }
    after_block.sort_by(f64::total_cmp);
    let app_mib = s
        .app_pid(&bench.app)
        .ok()
        .and_then(|p| std::fs::read_to_string(format!("/proc/{p}/status")).ok())
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0);
    s.close().await;

    let mut t = q.times.clone();
    t.sort_by(f64::total_cmp);
    let p99 = pct(&t, 0.99);
    let mut rt = r.times.clone();
    rt.sort_by(f64::total_cmp);
    let ref_p99 = pct(&rt, 0.99);
    let rows = vec![
        row(
            "pools in the market (devnet + seeded)",
            format!("{} + {DEVNET_POOLS}", m.pools),
            "≥ 100000",
            "–",
        ),
        row(
            "seeding them (not a figure)",
            format!("{:.0} s", m.seed_secs),
            "–",
            "–",
        ),
        row(
            "app's embedded index caught up after launch",
            format!("{index_secs:.0} s"),
            "–",
            "–",
        ),
        row(
            "first quote after launch and index catch-up",
            format!("{:.0} ms", first.times[0]),
            "–",
            "–",
        ),
        row(
            format!("quote round trip p99 ({QUOTE_RUNS} calls, IPC + route over every pool)"),
            format!("{p99:.1} ms"),
            "< 10 ms",
            &ratio(p99, 10.0),
        ),
        row(
            "reference: ETH → USDC p99, same app and run (route among the devnet's pools)",
            format!(
                "{ref_p99:.1} ms (p50 {:.1}, mean {:.2})",
                pct(&rt, 0.5),
                rt.iter().sum::<f64>() / rt.len() as f64
            ),
            "–",
            &format!("× {:.2} (market ÷ reference)", p99 / ref_p99),
        ),
        row(
            "  p50 / p95 / max",
            format!(
                "{:.1} / {:.1} / {:.1} ms",
                pct(&t, 0.5),
                pct(&t, 0.95),
                t[t.len() - 1]
            ),
            "–",
            "–",
        ),
        row(
            "  mean; back to back",
            format!(
                "{:.2} ms; {:.2} ms (page clock tick {:.3} ms)",
                t.iter().sum::<f64>() / t.len() as f64,
                q.block_mean,
                q.resolution
            ),
            "–",
            "–",
        ),
        row(
            format!("first quote after a new block, p50 / max ({BLOCK_RUNS} blocks)"),
            format!(
                "{:.1} / {:.1} ms",
                pct(&after_block, 0.5),
                after_block[after_block.len() - 1]
            ),
            "< 10 ms",
            &ratio(after_block[after_block.len() - 1], 10.0),
        ),
        row(
            "app process resident memory after the quotes",
            format!("{app_mib:.1} MiB"),
            "–",
            "–",
        ),
    ];
    let date = cmd_out("date", &["-u", "+%F"]);
    let machine = format!(
        "{} × {}, {:.1} GiB RAM, {}",
        cmd_out("nproc", &[]),
        cpu_model(),
        meminfo_total_gib(),
        cmd_out("uname", &["-sr"])
    );
    let md = format!(
        "# Desktop app with a big market loaded\n\nMeasured {date} on {machine} by `cargo xtask bench app --market-pools {}`.\n\n{}\nThe devnet gets {} more pools from contracts/bench/MarketSeeder.sol (every pair of {} tokens, through the devnet's own factory); the release app is launched once under Xvfb with a fresh home, its embedded index is let catch up, then `swap_quote` between two seeded tokens (exact in, 0.001–2 tokens) is invoked from the page through Tauri's IPC and timed there as in benchmarks/app.md: {QUOTE_WARMUP} warm-up calls, {QUOTE_RUNS} measured. Then {BLOCK_RUNS} times: a block in which {MOVED_PER_BLOCK} seeded pools swap (`swapMany`, one transaction, automined), 1.5 s later one quote timed, the first at that block. Every seeded token has a pool with every other, so each quote searches routes of up to three hops over the whole market. Sample quote: `{}`.\n",
        m.pools,
        md_table(&rows),
        m.pools,
        tidepool_testkit::market::token_count(m.pools),
        q.sample,
    );
    let path = tidepool_testkit::workspace_root().join("benchmarks/app-market.md");
    std::fs::write(&path, md).with_context(|| format!("writing {}", path.display()))?;
    if json {
        println!(
            "{}",
            serde_json::json!({"pools": m.pools, "p99_ms": p99, "first_ms": first.times[0], "index_secs": index_secs})
        );
    } else {
        println!("\nDesktop app with {} pools, {date}, {machine}\n", m.pools);
        print!("{}", text_table(&rows));
        println!("\nwritten to {}", path.display());
    }
    Ok(())
}
