//! The measured stages, each adding its rows to the table and its figures to
//! the JSON.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tidepool_indexer::events::{self, Event, Kind};
use tidepool_sdk::alloy::primitives::Address;
use tidepool_sdk::chain::Client;

use tidepool_indexer::db::Location;
use tidepool_testkit::postgres::PgCluster;

use crate::chain::{Anvil, Meta, Res};
use crate::report::{Row, pct};
use crate::{ceilings, indexer, queries};

type Out = Map<String, Value>;

/// The fetch and insert ceilings; returns their serial combination
/// `1 / (1/fetch + 1/insert)` and keeps the decoded events for the
/// write-path replay.
pub async fn ceilings(
    meta: &Meta,
    url: &str,
    dir: &Path,
    rows: &mut Vec<Row>,
    out: &mut Out,
) -> Res<(f64, Vec<Event>)> {
    eprintln!("[2/6] ceilings");
    let client = Client::connect(url).await?;
    let pairs: Vec<Address> = meta.pairs.iter().map(|p| p.0).collect();
    let topics = events::pair_topics();
    let span = (meta.deploy_block, meta.head);
    let (mut logs, mut tried) = (Vec::new(), Vec::new());
    for chunk in ceilings::CHUNKS {
        for in_flight in ceilings::IN_FLIGHT {
            let mut secs = f64::MAX;
            for _ in 0..2 {
                let t = Instant::now();
                logs =
                    ceilings::pull_logs(&client.provider, &pairs, &topics, span, chunk, in_flight)
                        .await?;
                secs = secs.min(t.elapsed().as_secs_f64());
            }
            tried.push((chunk, in_flight, logs.len() as f64 / secs));
        }
    }
    let (chunk, in_flight, fetch_rate) = tried
        .iter()
        .copied()
        .max_by(|x, y| x.2.total_cmp(&y.2))
        .ok_or("no fetch configuration")?;
    let created = ceilings::pull_logs(
        &client.provider,
        &[meta.factory],
        &[events::pair_created_topic()],
        span,
        1_000,
        4,
    )
    .await?;
    let t = Instant::now();
    let mut evs: Vec<Event> = logs.iter().filter_map(events::decode).collect();
    let decode_secs = t.elapsed().as_secs_f64();
    let swaps = evs
        .iter()
        .filter(|e| matches!(e.kind, Kind::Swap { .. }))
        .count() as u64;
    if swaps != meta.swaps {
        return Err(format!(
            "the chain has {swaps} Swap logs, expected {}: rerun with --fresh",
            meta.swaps
        )
        .into());
    }
    if evs.iter().any(|e| e.timestamp.is_none()) {
        eprintln!("  note: the node's logs carry no blockTimestamp");
    }
    let n_logs = logs.len();
    drop(logs);
    evs.extend(created.iter().filter_map(events::decode));
    evs.sort_by_key(|e| (e.pos.block_number, e.pos.log_index));
    let best = |tag: &str, f: &dyn Fn(&Path) -> Res<(u64, f64)>| -> Res<(u64, f64)> {
        let mut secs = f64::MAX;
        let mut n = 0;
        for i in 0..2 {
            let (rows, s) = f(&dir.join(format!("ceiling-{tag}-{i}.sqlite")))?;
            n = rows;
            secs = secs.min(s);
        }
        Ok((n, secs))
    };
    let (inserted, bare_secs) = best("bare", &|db| {
        ceilings::insert_bare(db, &evs, ceilings::ROWS_PER_TX)
    })?;
    let (_, schema_secs) = best("schema", &|db| {
        ceilings::insert_all(db, &evs, ceilings::ROWS_PER_TX)
    })?;
    let insert_rate = inserted as f64 / bare_secs;
    let schema_rate = inserted as f64 / schema_secs;
    let combined = 1.0 / (1.0 / fetch_rate + 1.0 / insert_rate);
    let all: Vec<String> = tried
        .iter()
        .map(|(c, f, r)| format!("{c}×{f}: {r:.0}"))
        .collect();
    rows.push(Row::info(
        "ceiling fetch: raw eth_getLogs, best of {100, 1,000, 10,000}-block ranges × {1, 4} in flight",
        format!(
            "{fetch_rate:.0} logs/s ({n_logs} logs; best {chunk} blocks × {in_flight}; all: {})",
            all.join(", ")
        ),
    ));
    rows.push(Row::info(
        "ceiling insert: bare batched rusqlite insert of the same rows (text columns, one unique key, 10k rows/tx)",
        format!("{insert_rate:.0} rows/s ({inserted} rows in {bare_secs:.2} s, best of 2)"),
    ));
    rows.push(Row::info(
        "combined ceiling: fetch then insert, 1 / (1/fetch + 1/insert)",
        format!("{combined:.0} events/s"),
    ));
    rows.push(Row::info(
        "  reference: the same rows through the indexer's schema and indexes (the old write ceiling)",
        format!("{schema_rate:.0} rows/s ({schema_secs:.2} s, best of 2)"),
    ));
    out.insert("ceiling_fetch_logs_per_s".into(), json!(fetch_rate));
    out.insert(
        "ceiling_fetch_tried".into(),
        json!(
            tried
                .iter()
                .map(|(c, f, r)| json!({"blocks": c, "in_flight": f, "logs_per_s": r}))
                .collect::<Vec<_>>()
        ),
    );
    out.insert("ceiling_insert_bare_rows_per_s".into(), json!(insert_rate));
    out.insert("ceiling_combined_events_per_s".into(), json!(combined));
    out.insert(
        "insert_indexer_schema_rows_per_s".into(),
        json!(schema_rate),
    );
    out.insert(
        "decode_logs_per_s".into(),
        json!(n_logs as f64 / decode_secs),
    );
    Ok((combined, evs))
}

fn backfill_row(label: &str, run: &indexer::Backfill, ceiling: f64, met: bool) -> Row {
    let ratio = run.rate() / ceiling;
    Row {
        figure: format!("indexer backfill ({label}), events/s ÷ combined ceiling"),
        value: format!(
            "{:.0} events/s ({} events in {:.2} s, {} batches, best of 2)",
            run.rate(),
            run.events,
            run.secs,
            run.batches.len()
        ),
        target: format!("≥ 0.7 × {ceiling:.0}"),
        ratio: Some(ratio),
        met: met.then_some(ratio >= 0.7),
    }
}

/// The backfill (default config, and with the whole chain as one getLogs
/// range), best of two each, then the write-path replays; returns an indexed database.
pub async fn backfill(
    meta: &Meta,
    url: &str,
    dir: &Path,
    ceiling: f64,
    evs: &[Event],
    rows: &mut Vec<Row>,
    out: &mut Out,
) -> Res<(PathBuf, f64)> {
    eprintln!("[3/6] backfill");
    let mut runs = Vec::new();
    for (tag, range) in [("default", None), ("onerange", Some(100_000))] {
        let mut best: Option<indexer::Backfill> = None;
        for i in 0..2 {
            let db = Location::File(dir.join(format!("index-{tag}-{i}.sqlite")));
            let run = indexer::backfill(url, meta, &db, meta.head, range)
                .await
                .map_err(|e| format!("backfill: {e}"))?;
            if best.as_ref().is_none_or(|b| run.secs < b.secs) {
                best = Some(run);
            }
        }
        runs.push((tag, best.ok_or("no backfill run")?));
    }
    for (tag, run) in &runs {
        let (label, met) = match *tag {
            "default" => ("default config".to_string(), true),
            _ => (
                "the whole chain as one getLogs range, config only".to_string(),
                false,
            ),
        };
        rows.push(backfill_row(&label, run, ceiling, met));
        out.insert(
            format!("backfill_{tag}"),
            json!({"events": run.events, "secs": run.secs, "events_per_s": run.rate(),
                   "ratio": run.rate() / ceiling, "batches": run.batches.len()}),
        );
    }
    for (tag, run) in &runs {
        let bounds: Vec<u64> = run.batches.iter().map(|b| b.0).collect();
        let p = indexer::replay(dir, tag, evs, &bounds, &crate::chain::pricing(meta))
            .map_err(|e| format!("replay: {e}"))?;
        let first = run.batches.first().map_or(0.0, |b| b.1);
        rows.push(Row::info(
            format!("  where the time goes ({}: {} batches)", tag.replace("onerange", "one range"), p.batches),
            format!(
                "backfill {:.2} s, first batch committed at {first:.2} s; its write::commit calls replayed alone {:.2} s, of which the raw rows {:.2} s (the rest ≈ {:.2} s: derived tables, blocks, checkpoint)",
                run.secs, p.commit_secs, p.raw_secs, (p.commit_secs - p.raw_secs).max(0.0)
            ),
        ));
        out.insert(
            format!("profile_{tag}"),
            json!({"batches": p.batches, "backfill_secs": run.secs, "first_batch_secs": first,
                   "commit_secs": p.commit_secs, "raw_secs": p.raw_secs}),
        );
    }
    let sqlite_rate = runs
        .iter()
        .find(|(tag, _)| *tag == "default")
        .map_or(f64::NAN, |(_, r)| r.rate());
    Ok((dir.join("index-default-0.sqlite"), sqlite_rate))
}

/// The same backfill (default config) into a database of the private
/// PostgreSQL cluster `pg`, best of two, against the run's combined
/// `ceiling` and beside SQLite's `sqlite_rate`; then its commits replayed
/// alone from `evs`, with the CPU the server and this process spent.
/// Returns the indexed database.
pub async fn backfill_postgres(
    meta: &Meta,
    url: &str,
    pg: &PgCluster,
    (ceiling, sqlite_rate): (f64, f64),
    evs: &[Event],
    rows: &mut Vec<Row>,
    out: &mut Out,
) -> Res<Location> {
    eprintln!("[3/6] backfill into PostgreSQL");
    let mut best: Option<(indexer::Backfill, Location)> = None;
    for i in 0..2 {
        let name = format!("index{i}");
        pg.psql("postgres", &format!("CREATE DATABASE {name}"))?;
        let db = Location::Postgres(pg.url_of(&name));
        let run = indexer::backfill(url, meta, &db, meta.head, None)
            .await
            .map_err(|e| format!("backfill into PostgreSQL: {e}"))?;
        if best.as_ref().is_none_or(|b| run.secs < b.0.secs) {
            best = Some((run, db));
        }
    }
    let (run, db) = best.ok_or("no backfill run")?;
    let ratio = run.rate() / ceiling;
    rows.push(Row {
        figure: "indexer backfill into PostgreSQL (default config), events/s ÷ combined ceiling"
            .into(),
        value: format!(
            "{:.0} events/s ({} events in {:.2} s, {} batches, best of 2; {:.2} × SQLite's)",
            run.rate(),
            run.events,
            run.secs,
            run.batches.len(),
            run.rate() / sqlite_rate
        ),
        target: "beside SQLite (no target)".into(),
        ratio: Some(ratio),
        met: None,
    });
    out.insert(
        "backfill_postgres".into(),
        json!({"events": run.events, "secs": run.secs, "events_per_s": run.rate(),
               "ratio": ratio, "vs_sqlite": run.rate() / sqlite_rate, "batches": run.batches.len()}),
    );
    // Where the time goes: the run's commits replayed alone into a fresh
    // database, with the CPU the server and this process spent meanwhile;
    // what neither spent is waiting (round trips, the other's turn).
    pg.psql("postgres", "CREATE DATABASE replay")?;
    let bounds: Vec<u64> = run.batches.iter().map(|b| b.0).collect();
    let cuts = indexer::cuts(evs, &bounds);
    let postmaster = pg.pid().ok_or("the cluster has no PID")?;
    let (server0, own0) = (
        crate::report::cpu_secs(postmaster, true),
        crate::report::cpu_secs(std::process::id(), false),
    );
    let t = std::time::Instant::now();
    let commit = indexer::replay_commit(
        &Location::Postgres(pg.url_of("replay")),
        evs,
        &cuts,
        &crate::chain::pricing(meta),
    )
    .map_err(|e| format!("replay into PostgreSQL: {e}"))?;
    let wall = t.elapsed().as_secs_f64();
    let server = crate::report::cpu_secs(postmaster, true) - server0;
    let own = crate::report::cpu_secs(std::process::id(), false) - own0;
    rows.push(Row::info(
        format!("  where the time goes (PostgreSQL: {} batches)", cuts.len()),
        format!(
            "backfill {:.2} s; its write::commit calls replayed alone {commit:.2} s ({wall:.2} s with opening the store): the server's CPU {server:.2} s, this process's {own:.2} s, neither (waiting on each other) ≈ {:.2} s",
            run.secs,
            (wall - server - own).max(0.0)
        ),
    ));
    out.insert(
        "profile_postgres".into(),
        json!({"batches": cuts.len(), "backfill_secs": run.secs, "commit_secs": commit,
               "wall_secs": wall, "server_cpu_secs": server, "own_cpu_secs": own}),
    );
    Ok(db)
}

/// Live lag over `blocks` blocks on the indexed database `index` (`what`
/// names its backend in the figures).
pub async fn live(
    anvil: &Anvil,
    meta: &Meta,
    index: &Location,
    what: &str,
    blocks: usize,
    rows: &mut Vec<Row>,
    out: &mut Out,
) -> Res<()> {
    eprintln!("[4/6] live lag over {blocks} blocks ({what})");
    let poll = Duration::from_millis(10);
    let live = indexer::live(anvil, meta, index, blocks, poll).await?;
    let mut lags = live.lags_ms.clone();
    lags.sort_by(f64::total_cmp);
    let (p50, p99) = (pct(&lags, 0.5), pct(&lags, 0.99));
    let max = lags.last().copied().unwrap_or(f64::NAN);
    rows.push(Row::info(
        format!("live lag p50, {what} ({} blocks, poll 10 ms)", lags.len()),
        format!("{p50:.1} ms"),
    ));
    rows.push(Row {
        figure: format!("live lag p99, {what}"),
        value: format!("{p99:.1} ms (max {max:.1} ms, {} timeouts)", live.timeouts),
        target: "< 100 ms".into(),
        ratio: Some(p99 / 100.0),
        met: Some(p99 < 100.0 && live.timeouts == 0),
    });
    out.insert(
        format!("live_lag_ms_{}", what.to_lowercase()),
        json!({"blocks": blocks, "p50": p50, "p99": p99, "max": max, "timeouts": live.timeouts, "poll_ms": 10}),
    );
    Ok(())
}

/// Query latency on a copy of `index` multiplied to ≥ `target` swaps.
pub fn queries(
    index: &Path,
    dir: &Path,
    pg: &PgCluster,
    target: u64,
    runs: usize,
    rows: &mut Vec<Row>,
    out: &mut Out,
) -> Res<()> {
    eprintln!("[5/6] query and GraphQL latency on ≥ {target} swaps");
    let big = dir.join("big.sqlite");
    let db = queries::build(index, &big, target)?;
    rows.push(Row::info(
        "query database",
        format!(
            "{} swaps ({} copies of the indexed ones, a block every {} s) over {:.1} days, {:.0} MB; built in {:.1} s + derived rebuilt in {:.1} s",
            db.swaps,
            db.copies,
            db.block_secs,
            db.span_days,
            std::fs::metadata(&big)?.len() as f64 / 1e6,
            db.copy_secs,
            db.derive_secs
        ),
    ));
    out.insert(
        "query_db".into(),
        json!({"swaps": db.swaps, "span_days": db.span_days, "copy_secs": db.copy_secs, "derive_secs": db.derive_secs}),
    );
    let at = Location::File(big.clone());
    let q = latency_rows("query", 20.0, queries::run(&at, runs)?, rows);
    out.insert("queries".into(), q.into());
    let g = latency_rows("GraphQL", 50.0, crate::graphql::run(&at, runs)?, rows);
    out.insert("graphql".into(), g.into());
    // The same database in PostgreSQL (COPY, then ANALYZE), the same queries.
    pg.psql("postgres", "CREATE DATABASE big")?;
    let url = pg.url_of("big");
    let copy_secs = queries::copy_to_postgres(&big, &url)?;
    let size: String = pg.psql("big", "SELECT pg_database_size('big')")?;
    rows.push(Row::info(
        "query database in PostgreSQL",
        format!(
            "the same rows copied in {copy_secs:.1} s (COPY, then ANALYZE), {:.0} MB",
            size.parse::<f64>().unwrap_or(f64::NAN) / 1e6
        ),
    ));
    let at = Location::Postgres(url);
    let q = latency_rows("query on PostgreSQL", 20.0, queries::run(&at, runs)?, rows);
    out.insert("queries_postgres".into(), q.into());
    let g = latency_rows(
        "GraphQL on PostgreSQL",
        50.0,
        crate::graphql::run(&at, runs)?,
        rows,
    );
    out.insert("graphql_postgres".into(), g.into());
    Ok(())
}

/// One report row per timing (p99 against `target_ms`), and their JSON.
fn latency_rows(
    what: &str,
    target_ms: f64,
    timings: Vec<queries::Timing>,
    rows: &mut Vec<Row>,
) -> Map<String, serde_json::Value> {
    let mut m = Map::new();
    for t in timings {
        let (p50, p99) = (pct(&t.ms, 0.5), pct(&t.ms, 0.99));
        rows.push(Row {
            figure: format!(
                "{what}: {} p99 ({} runs, p50 {p50:.2} ms)",
                t.name,
                t.ms.len()
            ),
            value: format!("{p99:.2} ms"),
            target: format!("< {target_ms:.0} ms"),
            ratio: Some(p99 / target_ms),
            met: Some(p99 < target_ms),
        });
        eprintln!(
            "  {what} {}: {} ({:.0} rows on average)",
            t.name, t.how, t.rows
        );
        m.insert(
            t.name.into(),
            json!({"p50_ms": p50, "p99_ms": p99, "max_ms": t.ms.last(), "runs": t.ms.len(), "rows": t.rows, "how": t.how}),
        );
    }
    m
}

/// A memory figure of this process from /proc/self/status, MiB: `VmHWM`
/// (the peak since the last [`reset_peak`]) or `VmRSS` (now).
fn status_mib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak resident memory to the current one (Linux `clear_refs` 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// `tidepool export swaps` of the query database to Parquet and CSV, beside a
/// bare read of the same rows and columns (the SQLite side alone).
pub fn export(big: &Path, dir: &Path, rows: &mut Vec<Row>, out: &mut Out) -> Res<()> {
    use tidepool_indexer::export::{self, ExportRequest, FileFormat, Table};
    eprintln!("[6/6] export of the query database's swaps");
    let conn = tidepool_indexer::store::Store::open_read_only(big, None)?;
    let db = tidepool_indexer::store::Store::open_reader(&Location::File(big.to_path_buf()), None)?;
    // Reference: the same columns read and dropped, best of two.
    let read_rate = (0..2)
        .map(|_| -> Res<f64> {
            let t = Instant::now();
            let mut stmt = conn.prepare(
                "SELECT block_number, log_index, tx_hash, timestamp, pair, sender, recipient, \
                 amount0_in, amount1_in, amount0_out, amount1_out, reserve0, reserve1, price \
                 FROM swaps ORDER BY block_number, log_index",
            )?;
            let mut q = stmt.query([])?;
            let mut n = 0u64;
            let mut bytes = 0usize;
            while let Some(r) = q.next()? {
                for i in 0..14 {
                    bytes += match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Text(t) => t.len(),
                        _ => 8,
                    };
                }
                n += 1;
            }
            std::hint::black_box(bytes);
            Ok(n as f64 / t.elapsed().as_secs_f64())
        })
        .collect::<Res<Vec<f64>>>()?
        .into_iter()
        .fold(0.0, f64::max);
    let mut formats = Map::new();
    for format in [FileFormat::Parquet, FileFormat::Csv] {
        let path = dir.join(format!("swaps.{}", format.extension()));
        let req = ExportRequest::new(Table::Swaps, format, path.clone());
        let base = status_mib("VmRSS:");
        reset_peak();
        let t = Instant::now();
        let done = export::export(&db, &req, &mut |_, _| {})?;
        let secs = t.elapsed().as_secs_f64();
        let peak = status_mib("VmHWM:");
        let rate = done.rows as f64 / secs;
        let ext = format.extension();
        rows.push(Row {
            figure: format!(
                "export swaps to {ext}: rows/s ({} rows, {:.0} MB file, {secs:.1} s; process memory {} before, peak {} during)",
                done.rows,
                done.bytes as f64 / 1e6,
                base.map_or("?".into(), |p| format!("{p:.0} MiB")),
                peak.map_or("?".into(), |p| format!("{p:.0} MiB"))
            ),
            value: format!("{rate:.0}"),
            target: format!("reference: bare read of the rows {read_rate:.0}/s"),
            ratio: Some(rate / read_rate),
            met: None,
        });
        formats.insert(
            ext.into(),
            json!({"rows": done.rows, "bytes": done.bytes, "secs": secs, "rows_per_sec": rate, "peak_mib": peak, "rss_before_mib": base}),
        );
        std::fs::remove_file(&path)?;
    }
    out.insert(
        "export".into(),
        json!({"bare_read_rows_per_sec": read_rate, "formats": formats}),
    );
    Ok(())
}
