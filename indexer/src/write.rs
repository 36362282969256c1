//! The write path: one batch of blocks → raw rows, derived analytics and the
//! new checkpoint, committed in one SQLite transaction; and the rollback of
//! orphaned blocks after a reorg.

use std::collections::{BTreeSet, HashMap};

use alloy::primitives::{Address, U256};
use rusqlite::params;
use tidepool_sdk::alloy;

use crate::config::hex;
use crate::derived;
use crate::derived::{SwapFact, SyncFact, decimals, price, price_before};
use crate::error::Result;
use crate::events::{Event, Kind};
use crate::pricing::Pricer;
use crate::rpc::Header;
use crate::store::{Store, set_checkpoint};
use crate::tokens::TokenMeta;

/// Everything one batch writes.
#[derive(Debug, Default)]
pub struct Batch {
    /// Events in chain order, each with its block timestamp filled in.
    pub events: Vec<Event>,
    /// Metadata of tokens first seen in this batch.
    pub tokens: Vec<(Address, TokenMeta)>,
    /// Headers of the blocks the events are in.
    pub blocks: Vec<Header>,
    /// The last block the batch covers: the new checkpoint.
    pub checkpoint: Option<Header>,
}

/// Row counts written by a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Events written (all kinds).
    pub events: u64,
    /// Pairs discovered.
    pub pairs: u64,
}

/// Writes a batch atomically.
pub fn commit(store: &mut Store, batch: &Batch) -> Result<Written> {
    let pricing = store.pricing.clone();
    let mut pricer = Pricer::new(&pricing);
    let tx = store.conn.transaction()?;
    let mut written = Written::default();
    for (address, meta) in &batch.tokens {
        let unit = meta.decimals.map(|d| 10f64.powi(i32::from(d)));
        tx.prepare_cached(
            "INSERT OR REPLACE INTO main.tokens (chain_id, address, symbol, name, decimals, unit) VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![hex(address), meta.symbol, meta.name, meta.decimals, unit])?;
    }
    for h in &batch.blocks {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO main.blocks (chain_id, number, hash, timestamp) VALUES (scope_chain(), ?1, ?2, ?3)",
        )?
        .execute(params![h.number as i64, hex(h.hash), h.timestamp as i64])?;
    }
    let mut swap_facts = Vec::new();
    let mut sync_facts = Vec::new();
    let mut reserves: HashMap<String, (U256, U256)> = HashMap::new();
    let mut dec_cache = HashMap::new();
    // Each insert prepared once per batch, not looked up per row.
    let mut ins_pair = tx.prepare_cached(
        "INSERT INTO main.pairs (chain_id, address, token0, token1, pair_index, block_number, log_index, tx_hash, timestamp)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut ins_sync = tx.prepare_cached(
        "INSERT INTO main.syncs (chain_id, block_number, log_index, pair, reserve0, reserve1, timestamp,
                                        eth_price, derived_eth0, derived_eth1, tracked_reserve_eth)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut ins_swap = tx.prepare_cached(
        "INSERT INTO main.swaps (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0_in, amount1_in,
                                        amount0_out, amount1_out, reserve0, reserve1, price, timestamp,
                                        tracked_usd, tracked_eth, untracked_usd, eth0, usd0, eth1, usd1)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?;
    let mut ins_mint = tx.prepare_cached(
        "INSERT INTO main.mints (chain_id, block_number, log_index, tx_hash, pair, sender, amount0, amount1, timestamp, amount_usd)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut ins_burn = tx.prepare_cached(
        "INSERT INTO main.burns (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0, amount1, timestamp, amount_usd)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut ins_transfer = tx.prepare_cached(
        "INSERT INTO main.lp_transfers (chain_id, block_number, log_index, tx_hash, pair, from_address, to_address, value, timestamp)
                     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in &batch.events {
        let (bn, li, txh) = (
            e.pos.block_number as i64,
            e.pos.log_index as i64,
            hex(e.pos.tx_hash),
        );
        let ts = e.timestamp.unwrap_or_default() as i64;
        let pair = hex(e.address);
        written.events += 1;
        match &e.kind {
            Kind::PairCreated {
                token0,
                token1,
                pair: p,
                index,
            } => {
                written.pairs += 1;
                ins_pair.execute(params![
                    hex(p),
                    hex(token0),
                    hex(token1),
                    *index as i64,
                    bn,
                    li,
                    txh,
                    ts
                ])?;
                if let Some(pr) = pricer.as_mut() {
                    pr.pair_created();
                }
            }
            Kind::Sync { reserve0, reserve1 } => {
                reserves.insert(pair.clone(), (*reserve0, *reserve1));
                sync_facts.push(SyncFact {
                    pair: pair.clone(),
                    ts,
                    reserves: (*reserve0, *reserve1),
                });
                let p = match pricer.as_mut() {
                    Some(pr) => Some(pr.sync(&tx, &pair, *reserve0, *reserve1)?),
                    None => None,
                };
                ins_sync.execute(params![
                    bn,
                    li,
                    pair,
                    reserve0.to_string(),
                    reserve1.to_string(),
                    ts,
                    p.map(|p| p.eth_price),
                    p.map(|p| p.derived0),
                    p.map(|p| p.derived1),
                    p.map(|p| p.tracked_reserve_eth)
                ])?;
            }
            Kind::Swap {
                sender,
                to,
                amount0_in,
                amount1_in,
                amount0_out,
                amount1_out,
            } => {
                // V2 emits the Sync with the new reserves right before the Swap.
                let r = reserves.get(&pair).copied();
                let d = decimals(&tx, &mut dec_cache, &pair)?;
                let p = r.and_then(|(r0, r1)| price(r0, r1, d));
                let amounts = [*amount0_in, *amount1_in, *amount0_out, *amount1_out];
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.swap(&tx, &pair, amounts)?),
                    None => None,
                };
                swap_facts.push(SwapFact {
                    pair: pair.clone(),
                    ts,
                    price: p,
                    before: price_before(r, amounts, d),
                    amounts,
                    micro: usd.as_ref().map(derived::micro).unwrap_or_default(),
                });
                ins_swap.execute(params![
                    bn,
                    li,
                    txh,
                    pair,
                    hex(sender),
                    hex(to),
                    amount0_in.to_string(),
                    amount1_in.to_string(),
                    amount0_out.to_string(),
                    amount1_out.to_string(),
                    r.map(|x| x.0.to_string()),
                    r.map(|x| x.1.to_string()),
                    p,
                    ts,
                    usd.map(|u| u.tracked_usd),
                    usd.map(|u| u.tracked_eth),
                    usd.map(|u| u.untracked_usd),
                    usd.map(|u| u.side0.0),
                    usd.map(|u| u.side0.1),
                    usd.map(|u| u.side1.0),
                    usd.map(|u| u.side1.1)
                ])?;
            }
            Kind::Mint {
                sender,
                amount0,
                amount1,
            } => {
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.liquidity(&tx, &pair, *amount0, *amount1)?),
                    None => None,
                };
                ins_mint.execute(params![
                    bn,
                    li,
                    txh,
                    pair,
                    hex(sender),
                    amount0.to_string(),
                    amount1.to_string(),
                    ts,
                    usd
                ])?;
            }
            Kind::Burn {
                sender,
                to,
                amount0,
                amount1,
            } => {
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.liquidity(&tx, &pair, *amount0, *amount1)?),
                    None => None,
                };
                ins_burn.execute(params![
                    bn,
                    li,
                    txh,
                    pair,
                    hex(sender),
                    hex(to),
                    amount0.to_string(),
                    amount1.to_string(),
                    ts,
                    usd
                ])?;
            }
            Kind::Transfer { from, to, value } => {
                if let Some(pr) = pricer.as_mut() {
                    pr.transfer(&pair, &hex(from), &hex(to));
                }
                ins_transfer.execute(params![
                    bn,
                    li,
                    txh,
                    pair,
                    hex(from),
                    hex(to),
                    value.to_string(),
                    ts
                ])?;
            }
        }
    }
    drop((
        ins_pair,
        ins_sync,
        ins_swap,
        ins_mint,
        ins_burn,
        ins_transfer,
    ));
    derived::apply(&tx, &swap_facts, &sync_facts)?;
    if let Some(cp) = &batch.checkpoint {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO main.blocks (chain_id, number, hash, timestamp) VALUES (scope_chain(), ?1, ?2, ?3)",
        )?
        .execute(params![cp.number as i64, hex(cp.hash), cp.timestamp as i64])?;
        set_checkpoint(&tx, cp.number, &hex(cp.hash))?;
    }
    tx.commit()?;
    store.committed();
    Ok(written)
}

/// Deletes everything above block `fork` (rows, pairs, blocks), rebuilds the
/// derived rows they touched and moves the checkpoint to `fork`.
pub fn rollback(store: &mut Store, fork: &Header) -> Result<u64> {
    let tx = store.conn.transaction()?;
    let f = fork.number as i64;
    let mut touched = BTreeSet::new();
    for table in ["swaps", "syncs"] {
        let mut stmt = tx.prepare(&format!(
            "SELECT DISTINCT pair, timestamp FROM {table} WHERE block_number > ?1"
        ))?;
        let rows = stmt.query_map([f], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            touched.insert(row?);
        }
    }
    let mut deleted = 0u64;
    for table in ["swaps", "mints", "burns", "syncs", "lp_transfers"] {
        deleted += tx.execute(
            &format!(
                "DELETE FROM main.{table} WHERE chain_id = scope_chain() AND block_number > ?1"
            ),
            [f],
        )? as u64;
    }
    // Derived rows of pairs that no longer exist go with them.
    for table in ["candles", "pair_days"] {
        tx.execute(&format!("DELETE FROM main.{table} WHERE chain_id = scope_chain() AND pair IN (SELECT address FROM pairs WHERE block_number > ?1)"), [f])?;
    }
    touched.retain(|(p, _)| {
        tx.query_row(
            "SELECT block_number FROM pairs WHERE address = ?1",
            [p],
            |r| r.get::<_, i64>(0),
        )
        .map(|b| b <= f)
        .unwrap_or(false)
    });
    deleted += tx.execute(
        "DELETE FROM main.pairs WHERE chain_id = scope_chain() AND block_number > ?1",
        [f],
    )? as u64;
    tx.execute(
        "DELETE FROM main.blocks WHERE chain_id = scope_chain() AND number > ?1",
        [f],
    )?;
    derived::refresh(&tx, &touched)?;
    tx.execute("DELETE FROM main.token_days WHERE chain_id = scope_chain() AND token NOT IN (SELECT token0 FROM pairs UNION SELECT token1 FROM pairs)", [])?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO main.blocks (chain_id, number, hash, timestamp) VALUES (scope_chain(), ?1, ?2, ?3)",
    )?
    .execute(params![f, hex(fork.hash), fork.timestamp as i64])?;
    set_checkpoint(&tx, fork.number, &hex(fork.hash))?;
    tx.commit()?;
    store.committed();
    Ok(deleted)
}

/// The stored blocks below `below`, newest first (for finding a fork point).
pub fn stored_blocks(store: &Store, below: u64, limit: u64) -> Result<Vec<(u64, String)>> {
    let mut stmt = store.conn.prepare(
        "SELECT number, hash FROM blocks WHERE number < ?1 ORDER BY number DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![below as i64, limit as i64], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every pair in the database.
pub fn pairs(store: &Store) -> Result<Vec<Address>> {
    let mut stmt = store
        .conn
        .prepare("SELECT address FROM pairs ORDER BY pair_index")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for r in rows {
        if let Ok(a) = r?.parse() {
            out.push(a);
        }
    }
    Ok(out)
}
