//! Query latency on a database of ≥ 1,000,000 swaps: the indexed database
//! copied, its swaps and syncs repeated back to back (block numbers shifted,
//! times stretched so the whole spans 31 days), the derived tables rebuilt
//! with the indexer's own `derived::refresh`, then the query API timed.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use rusqlite::{Connection, params};
use tidepool_indexer::derived::{self, DAY};
use tidepool_indexer::query::{Params, Query};
use tidepool_indexer::store::Store;

use crate::chain::Res;

/// Days the multiplied swaps span.
const SPAN_DAYS: i64 = 31;

/// The multiplied database.
pub struct BigDb {
    /// Swaps in it.
    pub swaps: u64,
    /// Copies of the indexed swaps (the original included).
    pub copies: u64,
    /// Seconds between consecutive blocks after stretching.
    pub block_secs: i64,
    /// Days from the first to the last swap.
    pub span_days: f64,
    /// Seconds to copy and multiply the raw rows.
    pub copy_secs: f64,
    /// Seconds to rebuild candles, pair/day and token/day rows.
    pub derive_secs: f64,
}

fn one(conn: &Connection, sql: &str) -> Res<i64> {
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

/// Builds `dst` from the indexed database `src` with at least `target` swaps.
pub fn build(src: &Path, dst: &Path, target: u64) -> Res<BigDb> {
    let started = Instant::now();
    let _ = std::fs::remove_file(dst);
    Connection::open(src)?.execute("VACUUM INTO ?1", [dst.to_str().unwrap_or_default()])?;
    let mut store = Store::open(dst)?;
    let conn = store.sqlite_mut().expect("a SQLite store");
    let n = one(conn, "SELECT count(*) FROM swaps")?.max(1) as u64;
    let b0 = one(conn, "SELECT min(block_number) FROM syncs")?;
    let b1 = one(conn, "SELECT max(block_number) FROM syncs")?;
    let t0 = one(conn, "SELECT min(timestamp) FROM syncs")?;
    let span = b1 - b0 + 1;
    let copies = target.div_ceil(n).max(1);
    let secs = ((SPAN_DAYS * DAY + copies as i64 * span - 1) / (copies as i64 * span)).max(1);
    let tx = conn.transaction()?;
    for table in ["swaps", "syncs", "mints", "burns", "lp_transfers"] {
        tx.execute(
            &format!("UPDATE {table} SET timestamp = ?1 + (block_number - ?2) * ?3 WHERE block_number >= ?2"),
            params![t0, b0, secs],
        )?;
    }
    for c in 1..copies as i64 {
        let shift = c * span;
        tx.execute(
            "INSERT INTO swaps (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0_in, amount1_in,
                                amount0_out, amount1_out, reserve0, reserve1, price, timestamp, tracked_usd, tracked_eth,
                                untracked_usd, eth0, usd0, eth1, usd1)
             SELECT chain_id, block_number + ?1, log_index, tx_hash, pair, sender, recipient,
                    amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1, price, timestamp + ?2,
                    tracked_usd, tracked_eth, untracked_usd, eth0, usd0, eth1, usd1
             FROM swaps WHERE block_number <= ?3",
            params![shift, shift * secs, b1],
        )?;
        tx.execute(
            "INSERT INTO syncs (chain_id, block_number, log_index, pair, reserve0, reserve1, timestamp,
                                eth_price, derived_eth0, derived_eth1, tracked_reserve_eth)
             SELECT chain_id, block_number + ?1, log_index, pair, reserve0, reserve1, timestamp + ?2,
                    eth_price, derived_eth0, derived_eth1, tracked_reserve_eth
             FROM syncs WHERE block_number <= ?3",
            params![shift, shift * secs, b1],
        )?;
    }
    tx.commit()?;
    let copy_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    // The derived rows are rebuilt the indexer's way: on a connection scoped
    // to the indexed chain.
    let chain = one(conn, "SELECT chain_id FROM chains")?;
    tidepool_indexer::scope::enter(conn, chain as u64)?;
    let tx = conn.transaction()?;
    for table in ["candles", "pair_days", "token_days"] {
        tx.execute(
            &format!("DELETE FROM main.{table} WHERE chain_id = scope_chain()"),
            [],
        )?;
    }
    let mut touched = BTreeSet::new();
    {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT pair, timestamp - timestamp % 60 FROM swaps
             UNION SELECT DISTINCT pair, timestamp - timestamp % 60 FROM syncs",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for r in rows {
            touched.insert(r?);
        }
    }
    derived::refresh(&mut &*tx, &touched)?;
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    let derive_secs = started.elapsed().as_secs_f64();
    let swaps = one(conn, "SELECT count(*) FROM swaps")? as u64;
    let first = one(conn, "SELECT min(timestamp) FROM swaps")?;
    let last = one(conn, "SELECT max(timestamp) FROM swaps")?;
    Ok(BigDb {
        swaps,
        copies,
        block_secs: secs,
        span_days: (last - first) as f64 / DAY as f64,
        copy_secs,
        derive_secs,
    })
}

/// Latencies of one query kind.
pub struct Timing {
    /// What was asked.
    pub name: &'static str,
    /// How (which API, which parameters).
    pub how: String,
    /// Milliseconds per run, sorted.
    pub ms: Vec<f64>,
    /// Average rows returned.
    pub rows: f64,
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as i64
    }
}

fn time(
    conn: &tidepool_indexer::db::Db,
    runs: usize,
    name: &'static str,
    how: String,
    mut query: impl FnMut(usize) -> Query,
) -> Res<Timing> {
    for i in 0..runs / 10 {
        query(i).run(conn)?; // warm-up
    }
    let (mut ms, mut rows) = (Vec::with_capacity(runs), 0usize);
    for i in 0..runs {
        let q = query(i);
        let t = Instant::now();
        let table = q.run(conn)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        rows += table.rows.len();
    }
    ms.sort_by(f64::total_cmp);
    Ok(Timing {
        name,
        how,
        ms,
        rows: rows as f64 / runs as f64,
    })
}

/// Times the three queries, `runs` times each, through `tidepool_indexer::query`.
pub fn run(db: &Path, runs: usize) -> Res<Vec<Timing>> {
    let conn = Store::open_read_only(db, None)?;
    // The queries read through the store seam, as the CLI and the API do.
    let reader = Store::open_reader(&db.into(), None)?;
    let first = one(&conn, "SELECT min(timestamp) FROM swaps")?;
    let last = one(&conn, "SELECT max(timestamp) FROM swaps")?;
    let pairs: Vec<String> = conn
        .prepare("SELECT address FROM pairs ORDER BY pair_index")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let accounts: Vec<(String, i64)> = conn
        .prepare("SELECT recipient, count(*) AS n FROM swaps GROUP BY recipient ORDER BY n DESC LIMIT 10")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let latest = (last - first - 30 * DAY).max(1);
    let volume = time(
        &reader,
        runs,
        "24 h volume per pair",
        format!(
            "Query::Volume (all {} pairs), `at` random after the first day",
            pairs.len()
        ),
        |_| {
            Query::Volume(Params {
                at: Some(first + DAY + rng.below(last - first - DAY + 1)),
                ..Default::default()
            })
        },
    )?;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let candles = time(
        &reader,
        runs,
        "1 h candles, one pair, 30 days",
        "Query::Candles interval 3600, from = to - 30 d, pairs in turn".into(),
        |i| {
            let to = last - rng.below(latest);
            Query::Candles(Params {
                pair: Some(pairs[i % pairs.len()].clone()),
                interval: Some(3600),
                from: Some(to - 30 * DAY),
                to: Some(to),
                ..Default::default()
            })
        },
    )?;
    let (lo, hi) = (
        accounts.last().map_or(0, |a| a.1),
        accounts.first().map_or(0, |a| a.1),
    );
    let account = time(
        &reader,
        runs,
        "one account's history",
        format!(
            "Query::Account limit 100, the 10 most active accounts in turn ({lo}–{hi} swaps each)"
        ),
        |i| {
            Query::Account(Params {
                account: Some(accounts[i % accounts.len()].0.clone()),
                limit: Some(100),
                ..Default::default()
            })
        },
    )?;
    Ok(vec![volume, candles, account])
}
