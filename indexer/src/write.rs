//! The write path: one batch of blocks → raw rows, derived analytics and the
//! new checkpoint, committed in one SQLite transaction; and the rollback of
//! orphaned blocks after a reorg.

use std::collections::{BTreeSet, HashMap};

use alloy::primitives::{Address, U256};
use tidepool_sdk::alloy;

use crate::args;
use crate::config::hex;
use crate::db::Sql;
use crate::derived;
use crate::derived::{SwapFact, SyncFact, decimals, price, price_before};
use crate::error::Result;
use crate::events::{Event, Kind};
use crate::pricing::Pricer;
use crate::rpc::Header;
use crate::store::{Store, set_checkpoint};
use crate::tokens::TokenMeta;

static INS_PAIR: &str = "INSERT INTO main.pairs (chain_id, address, token0, token1, pair_index, block_number, log_index, tx_hash, timestamp)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static INS_SYNC: &str = "INSERT INTO main.syncs (chain_id, block_number, log_index, pair, reserve0, reserve1, timestamp,
                        eth_price, derived_eth0, derived_eth1, tracked_reserve_eth)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static INS_SWAP: &str = "INSERT INTO main.swaps (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0_in, amount1_in,
                        amount0_out, amount1_out, reserve0, reserve1, price, timestamp,
                        tracked_usd, tracked_eth, untracked_usd, eth0, usd0, eth1, usd1)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
static INS_MINT: &str = "INSERT INTO main.mints (chain_id, block_number, log_index, tx_hash, pair, sender, amount0, amount1, timestamp, amount_usd)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static INS_BURN: &str = "INSERT INTO main.burns (chain_id, block_number, log_index, tx_hash, pair, sender, recipient, amount0, amount1, timestamp, amount_usd)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static INS_TRANSFER: &str = "INSERT INTO main.lp_transfers (chain_id, block_number, log_index, tx_hash, pair, from_address, to_address, value, timestamp)
     VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/// A block's hash and time (the checkpoint's block is written again as is).
static PUT_BLOCK: &str = "INSERT INTO main.blocks (chain_id, number, hash, timestamp) VALUES (scope_chain(), ?1, ?2, ?3)
     ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp";

fn put_block(tx: &mut dyn Sql, h: &Header) -> Result<()> {
    tx.execute(
        PUT_BLOCK,
        args![h.number as i64, hex(h.hash), h.timestamp as i64],
    )?;
    Ok(())
}

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
    let mut tx = store.db.begin()?;
    let mut written = Written::default();
    for (address, meta) in &batch.tokens {
        let unit = meta.decimals.map(|d| 10f64.powi(i32::from(d)));
        tx.execute(
            "INSERT INTO main.tokens (chain_id, address, symbol, name, decimals, unit) VALUES (scope_chain(), ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (chain_id, address) DO UPDATE SET symbol = excluded.symbol, name = excluded.name,
                 decimals = excluded.decimals, unit = excluded.unit",
            args![hex(address), meta.symbol.clone(), meta.name.clone(), meta.decimals, unit],
        )?;
    }
    let mut last_block = None;
    for h in &batch.blocks {
        // One row per block: a many-row upsert may not name a key twice.
        if last_block.replace(h.number) == Some(h.number) {
            continue;
        }
        // Appended: sent with the rows, many per statement on PostgreSQL.
        tx.append(
            PUT_BLOCK,
            vec![
                (h.number as i64).into(),
                hex(h.hash).into(),
                (h.timestamp as i64).into(),
            ],
        )?;
    }
    let mut swap_facts = Vec::new();
    let mut sync_facts = Vec::new();
    let mut reserves: HashMap<String, (U256, U256)> = HashMap::new();
    let mut dec_cache = HashMap::new();
    // Each insert is prepared once per transaction (`Tx::append`).
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
                tx.append(
                    INS_PAIR,
                    vec![
                        hex(p).into(),
                        hex(token0).into(),
                        hex(token1).into(),
                        (*index as i64).into(),
                        bn.into(),
                        li.into(),
                        txh.into(),
                        ts.into(),
                    ],
                )?;
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
                    Some(pr) => Some(pr.sync(&mut tx, &pair, *reserve0, *reserve1)?),
                    None => None,
                };
                tx.append(
                    INS_SYNC,
                    vec![
                        bn.into(),
                        li.into(),
                        pair.into(),
                        (*reserve0).into(),
                        (*reserve1).into(),
                        ts.into(),
                        p.map(|p| p.eth_price).into(),
                        p.map(|p| p.derived0).into(),
                        p.map(|p| p.derived1).into(),
                        p.map(|p| p.tracked_reserve_eth).into(),
                    ],
                )?;
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
                let d = decimals(&mut tx, &mut dec_cache, &pair)?;
                let p = r.and_then(|(r0, r1)| price(r0, r1, d));
                let amounts = [*amount0_in, *amount1_in, *amount0_out, *amount1_out];
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.swap(&mut tx, &pair, amounts)?),
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
                tx.append(
                    INS_SWAP,
                    vec![
                        bn.into(),
                        li.into(),
                        txh.into(),
                        pair.into(),
                        hex(sender).into(),
                        hex(to).into(),
                        (*amount0_in).into(),
                        (*amount1_in).into(),
                        (*amount0_out).into(),
                        (*amount1_out).into(),
                        r.map(|x| x.0).into(),
                        r.map(|x| x.1).into(),
                        p.into(),
                        ts.into(),
                        usd.map(|u| u.tracked_usd).into(),
                        usd.map(|u| u.tracked_eth).into(),
                        usd.map(|u| u.untracked_usd).into(),
                        usd.map(|u| u.side0.0).into(),
                        usd.map(|u| u.side0.1).into(),
                        usd.map(|u| u.side1.0).into(),
                        usd.map(|u| u.side1.1).into(),
                    ],
                )?;
            }
            Kind::Mint {
                sender,
                amount0,
                amount1,
            } => {
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.liquidity(&mut tx, &pair, *amount0, *amount1)?),
                    None => None,
                };
                tx.append(
                    INS_MINT,
                    vec![
                        bn.into(),
                        li.into(),
                        txh.into(),
                        pair.into(),
                        hex(sender).into(),
                        (*amount0).into(),
                        (*amount1).into(),
                        ts.into(),
                        usd.into(),
                    ],
                )?;
            }
            Kind::Burn {
                sender,
                to,
                amount0,
                amount1,
            } => {
                let usd = match pricer.as_mut() {
                    Some(pr) => Some(pr.liquidity(&mut tx, &pair, *amount0, *amount1)?),
                    None => None,
                };
                tx.append(
                    INS_BURN,
                    vec![
                        bn.into(),
                        li.into(),
                        txh.into(),
                        pair.into(),
                        hex(sender).into(),
                        hex(to).into(),
                        (*amount0).into(),
                        (*amount1).into(),
                        ts.into(),
                        usd.into(),
                    ],
                )?;
            }
            Kind::Transfer { from, to, value } => {
                if let Some(pr) = pricer.as_mut() {
                    pr.transfer(&pair, &hex(from), &hex(to));
                }
                tx.append(
                    INS_TRANSFER,
                    vec![
                        bn.into(),
                        li.into(),
                        txh.into(),
                        pair.into(),
                        hex(from).into(),
                        hex(to).into(),
                        (*value).into(),
                        ts.into(),
                    ],
                )?;
            }
        }
    }
    derived::apply(&mut tx, &swap_facts, &sync_facts)?;
    if let Some(cp) = &batch.checkpoint {
        put_block(&mut tx, cp)?;
        set_checkpoint(&mut tx, cp.number, &hex(cp.hash))?;
    }
    tx.commit()?;
    store.committed();
    Ok(written)
}

/// Deletes everything above block `fork` (rows, pairs, blocks), rebuilds the
/// derived rows they touched and moves the checkpoint to `fork`.
pub fn rollback(store: &mut Store, fork: &Header) -> Result<u64> {
    let mut tx = store.db.begin()?;
    let f = fork.number as i64;
    let mut touched = BTreeSet::new();
    for table in ["swaps", "syncs"] {
        let rows = tx.query(
            &format!("SELECT DISTINCT pair, timestamp FROM {table} WHERE block_number > ?1"),
            args![f],
        )?;
        for r in rows {
            touched.insert((r.get::<String>(0)?, r.get::<i64>(1)?));
        }
    }
    let mut deleted = 0u64;
    for table in ["swaps", "mints", "burns", "syncs", "lp_transfers"] {
        deleted += tx.execute(
            &format!(
                "DELETE FROM main.{table} WHERE chain_id = scope_chain() AND block_number > ?1"
            ),
            args![f],
        )?;
    }
    // Derived rows of pairs that no longer exist go with them.
    for table in ["candles", "pair_days"] {
        tx.execute(&format!("DELETE FROM main.{table} WHERE chain_id = scope_chain() AND pair IN (SELECT address FROM pairs WHERE block_number > ?1)"), args![f])?;
    }
    let mut kept = BTreeSet::new();
    for (p, ts) in touched {
        let created = tx.query_opt(
            "SELECT block_number FROM pairs WHERE address = ?1",
            args![&p],
        )?;
        if let Some(r) = created
            && r.get::<i64>(0)? <= f
        {
            kept.insert((p, ts));
        }
    }
    deleted += tx.execute(
        "DELETE FROM main.pairs WHERE chain_id = scope_chain() AND block_number > ?1",
        args![f],
    )?;
    tx.execute(
        "DELETE FROM main.blocks WHERE chain_id = scope_chain() AND number > ?1",
        args![f],
    )?;
    derived::refresh(&mut tx, &kept)?;
    tx.execute("DELETE FROM main.token_days WHERE chain_id = scope_chain() AND token NOT IN (SELECT token0 FROM pairs UNION SELECT token1 FROM pairs)", &[])?;
    put_block(&mut tx, fork)?;
    set_checkpoint(&mut tx, fork.number, &hex(fork.hash))?;
    tx.commit()?;
    store.committed();
    Ok(deleted)
}

/// The stored blocks below `below`, newest first (for finding a fork point).
pub fn stored_blocks(store: &Store, below: u64, limit: u64) -> Result<Vec<(u64, String)>> {
    store
        .db
        .read(
            "SELECT number, hash FROM blocks WHERE number < ?1 ORDER BY number DESC LIMIT ?2",
            args![below as i64, limit as i64],
        )?
        .iter()
        .map(|r| Ok((r.get::<i64>(0)? as u64, r.get::<String>(1)?)))
        .collect()
}

/// Every pair in the database.
pub fn pairs(store: &Store) -> Result<Vec<Address>> {
    let rows = store
        .db
        .read("SELECT address FROM pairs ORDER BY pair_index", &[])?;
    let mut out = Vec::new();
    for r in rows {
        if let Ok(a) = r.get::<String>(0)?.parse() {
            out.push(a);
        }
    }
    Ok(out)
}
