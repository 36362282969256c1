//! The two ceilings an indexer cannot beat, each with no indexer code around
//! it: pulling the logs from the node (eth_getLogs, the best of several
//! range sizes and requests in flight) and a bare batched insert of the same
//! rows into SQLite (text columns, one unique key per table, 10k rows per
//! transaction, WAL, synchronous=NORMAL). Also the old write ceiling, which
//! inserts through the indexer's own schema and indexes (a reference for
//! what the schema costs, not a ceiling).

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use futures::StreamExt;
use rusqlite::{Transaction, params};
use tidepool_indexer::config::hex;
use tidepool_indexer::events::{Event, Kind};
use tidepool_indexer::store::Store;
use tidepool_sdk::alloy::primitives::{Address, B256, U256};
use tidepool_sdk::alloy::providers::{DynProvider, Provider};
use tidepool_sdk::alloy::rpc::types::{Filter, Log};

use crate::chain::Res;

/// Blocks per eth_getLogs request, tried for the fetch ceiling.
pub const CHUNKS: [u64; 3] = [100, 1_000, 10_000];
/// Requests in flight, tried for the fetch ceiling.
pub const IN_FLIGHT: [usize; 2] = [1, 4];
/// Rows per SQLite transaction.
pub const ROWS_PER_TX: usize = 10_000;

/// Logs of `addresses` with topic0 in `topics` over `[from, to]`, in chain
/// order, `chunk` blocks per request and `in_flight` requests at once.
pub async fn pull_logs(
    provider: &DynProvider,
    addresses: &[Address],
    topics: &[B256],
    (from, to): (u64, u64),
    chunk: u64,
    in_flight: usize,
) -> Res<Vec<Log>> {
    let mut ranges = Vec::new();
    let mut a = from;
    while a <= to {
        let b = to.min(a + chunk - 1);
        ranges.push((a, b));
        a = b + 1;
    }
    let mut chunks = futures::stream::iter(ranges.into_iter().map(|(a, b)| {
        let filter = Filter::new()
            .address(addresses.to_vec())
            .event_signature(topics.to_vec())
            .from_block(a)
            .to_block(b);
        let p = provider.clone();
        tokio::spawn(async move { p.get_logs(&filter).await })
    }))
    .buffered(in_flight);
    let mut out = Vec::new();
    while let Some(r) = chunks.next().await {
        out.extend(r??);
    }
    Ok(out)
}

/// The rows of `events` inserted the way the indexer stores them (swaps carry
/// the reserves of the Sync before them and the price). `reserves` carries
/// the last Sync of each pair across calls.
pub fn insert_events(
    tx: &Transaction<'_>,
    events: &[Event],
    reserves: &mut HashMap<Address, (U256, U256)>,
) -> Res<u64> {
    let f = |x: U256| x.to_string().parse::<f64>().ok();
    for e in events {
        let (bn, li, txh) = (
            e.pos.block_number as i64,
            e.pos.log_index as i64,
            hex(e.pos.tx_hash),
        );
        let ts = e.timestamp.unwrap_or_default() as i64;
        let pair = hex(e.address);
        match &e.kind {
            Kind::PairCreated {
                token0,
                token1,
                pair: p,
                index,
            } => {
                tx.prepare_cached(
                    "INSERT INTO pairs (chain_id, address, token0, token1, pair_index, block_number, log_index, tx_hash, timestamp)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![hex(p), hex(token0), hex(token1), *index as i64, bn, li, txh, ts])?;
            }
            Kind::Sync { reserve0, reserve1 } => {
                reserves.insert(e.address, (*reserve0, *reserve1));
                tx.prepare_cached(
                    "INSERT INTO syncs (chain_id, block_number, log_index, pair, reserve0, reserve1, timestamp) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![bn, li, pair, reserve0.to_string(), reserve1.to_string(), ts])?;
            }
            Kind::Swap {
                sender,
                to,
                amount0_in,
                amount1_in,
                amount0_out,
                amount1_out,
            } => {
                let r = reserves.get(&e.address).copied();
                let price = r.and_then(|(r0, r1)| Some(f(r1)? / f(r0)?));
                tx.prepare_cached(
                    "INSERT INTO swaps (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0_in, amount1_in,
                                        amount0_out, amount1_out, reserve0, reserve1, price, timestamp)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )?
                .execute(params![
                    bn, li, txh, pair, hex(sender), hex(to),
                    amount0_in.to_string(), amount1_in.to_string(),
                    amount0_out.to_string(), amount1_out.to_string(),
                    r.map(|x| x.0.to_string()), r.map(|x| x.1.to_string()),
                    price, ts
                ])?;
            }
            Kind::Mint {
                sender,
                amount0,
                amount1,
            } => {
                tx.prepare_cached(
                    "INSERT INTO mints (chain_id, block_number, log_index, tx_hash, pair, sender, amount0, amount1, timestamp)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![bn, li, txh, pair, hex(sender), amount0.to_string(), amount1.to_string(), ts])?;
            }
            Kind::Burn {
                sender,
                to,
                amount0,
                amount1,
            } => {
                tx.prepare_cached(
                    "INSERT INTO burns (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0, amount1, timestamp)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![bn, li, txh, pair, hex(sender), hex(to), amount0.to_string(), amount1.to_string(), ts])?;
            }
            Kind::Transfer { from, to, value } => {
                tx.prepare_cached(
                    "INSERT INTO lp_transfers (chain_id, block_number, log_index, tx_hash, pair, from_address, to_address, value, timestamp)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![bn, li, txh, pair, hex(from), hex(to), value.to_string(), ts])?;
            }
        }
    }
    Ok(events.len() as u64)
}

/// Ceiling (b): every row into a fresh database, `per_tx` rows per
/// transaction; returns rows and seconds.
pub fn insert_all(db: &Path, events: &[Event], per_tx: usize) -> Res<(u64, f64)> {
    let mut store = Store::open(db)?;
    let started = Instant::now();
    let mut reserves = HashMap::new();
    let mut rows = 0;
    for chunk in events.chunks(per_tx.max(1)) {
        let tx = store.sqlite_mut().expect("a SQLite store").transaction()?;
        rows += insert_events(&tx, chunk, &mut reserves)?;
        tx.commit()?;
    }
    Ok((rows, started.elapsed().as_secs_f64()))
}

/// The bare write ceiling: `events` as text rows into one plain table per
/// event kind (block, log index and the event's fields as text; the only
/// index its unique key), `per_tx` rows per transaction; rows and seconds.
pub fn insert_bare(db: &Path, events: &[Event], per_tx: usize) -> Res<(u64, f64)> {
    let conn = rusqlite::Connection::open(db)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    for t in ["pairs", "syncs", "swaps", "mints", "burns", "transfers"] {
        conn.execute_batch(&format!(
            "CREATE TABLE {t} (block INTEGER NOT NULL, log INTEGER NOT NULL, tx TEXT NOT NULL,
             address TEXT NOT NULL, a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT,
             UNIQUE (block, log))"
        ))?;
    }
    let mut conn = conn;
    let started = Instant::now();
    let mut rows = 0;
    let h = |a: &Address| format!("{a:#x}");
    for chunk in events.chunks(per_tx.max(1)) {
        let tx = conn.transaction()?;
        for e in chunk {
            let (bn, li) = (e.pos.block_number as i64, e.pos.log_index as i64);
            let (txh, addr) = (format!("{:#x}", e.pos.tx_hash), h(&e.address));
            let (table, f): (&str, [Option<String>; 6]) = match &e.kind {
                Kind::PairCreated {
                    token0,
                    token1,
                    pair,
                    index,
                } => (
                    "pairs",
                    [
                        Some(h(token0)),
                        Some(h(token1)),
                        Some(h(pair)),
                        Some(index.to_string()),
                        None,
                        None,
                    ],
                ),
                Kind::Sync { reserve0, reserve1 } => (
                    "syncs",
                    [
                        Some(reserve0.to_string()),
                        Some(reserve1.to_string()),
                        None,
                        None,
                        None,
                        None,
                    ],
                ),
                Kind::Swap {
                    sender,
                    to,
                    amount0_in,
                    amount1_in,
                    amount0_out,
                    amount1_out,
                } => (
                    "swaps",
                    [
                        Some(h(sender)),
                        Some(h(to)),
                        Some(amount0_in.to_string()),
                        Some(amount1_in.to_string()),
                        Some(amount0_out.to_string()),
                        Some(amount1_out.to_string()),
                    ],
                ),
                Kind::Mint {
                    sender,
                    amount0,
                    amount1,
                } => (
                    "mints",
                    [
                        Some(h(sender)),
                        Some(amount0.to_string()),
                        Some(amount1.to_string()),
                        None,
                        None,
                        None,
                    ],
                ),
                Kind::Burn {
                    sender,
                    to,
                    amount0,
                    amount1,
                } => (
                    "burns",
                    [
                        Some(h(sender)),
                        Some(h(to)),
                        Some(amount0.to_string()),
                        Some(amount1.to_string()),
                        None,
                        None,
                    ],
                ),
                Kind::Transfer { from, to, value } => (
                    "transfers",
                    [
                        Some(h(from)),
                        Some(h(to)),
                        Some(value.to_string()),
                        None,
                        None,
                        None,
                    ],
                ),
            };
            tx.prepare_cached(&format!(
                "INSERT INTO {table} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ))?
            .execute(params![
                bn, li, txh, addr, f[0], f[1], f[2], f[3], f[4], f[5]
            ])?;
            rows += 1;
        }
        tx.commit()?;
    }
    Ok((rows, started.elapsed().as_secs_f64()))
}
