//! What became of a sent transaction, decided from the chain: its receipt
//! (mined: succeeded or reverted), the sender's nonce (used by another
//! transaction: replaced) and whether the node still holds it (dropped).
//! Never from a timeout: a transaction that can still be mined is pending,
//! however long it waits, and an unreachable node is waited for.

use std::time::Duration;

use alloy::consensus::Transaction as _;
use alloy::eips::BlockNumberOrTag;
use alloy::network::TransactionResponse as _;
use alloy::primitives::{Address, Bytes, TxHash, U256};
use alloy::providers::Provider;
use serde::{Deserialize, Serialize};

use crate::chain::Client;
use crate::error::Result;
use crate::fees::Fees;

/// The most blocks looked through for the transaction that replaced one.
const REPLACEMENT_SCAN: u64 = 256;

/// A transaction as it was sent: enough to follow it, and to replace it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentTx {
    /// Its hash.
    pub hash: TxHash,
    /// The chain it was sent on.
    pub chain_id: u64,
    /// The sender.
    pub from: Address,
    /// Its nonce (`None` while a wallet that picked it has not said).
    pub nonce: Option<u64>,
    /// The recipient (`None` for a deployment).
    pub to: Option<Address>,
    /// ETH sent, wei.
    pub value: U256,
    /// Calldata.
    pub input: Bytes,
    /// Gas limit.
    pub gas_limit: u64,
    /// The fees it offers, when known.
    pub fees: Option<Fees>,
    /// The latest block when it was sent.
    pub sent_block: u64,
    /// Unix time when it was sent.
    pub sent_at: u64,
}

/// Where a sent transaction stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "state"
)]
pub enum TxState {
    /// Not mined yet; it can still be.
    Pending,
    /// Mined in `block`.
    Mined {
        /// The block.
        block: u64,
        /// Whether it succeeded (false: it reverted).
        success: bool,
        /// Gas used.
        gas_used: u64,
        /// The fee paid, wei.
        fee_paid: U256,
    },
    /// Another transaction with the same nonce was mined instead.
    Replaced {
        /// That transaction, when it was found.
        by: Option<TxHash>,
    },
    /// The node no longer holds it and its nonce is unused: it will not be
    /// mined unless someone sends it again.
    Dropped,
}

impl TxState {
    /// Whether the state can still change by itself.
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending)
    }
}

/// Keeps a record of every transaction sent through a [`Client`] that has one
/// (the application layer persists them; see `tidepool-flows`).
pub trait Journal: Send + Sync {
    /// A transaction was accepted by the node or the wallet.
    fn sent(&self, tx: &SentTx);
    /// A transaction's state changed (or was learnt again).
    fn settled(&self, hash: TxHash, state: &TxState);
    /// Other transactions sent from `from` with `nonce` (speed-ups and
    /// cancellations of one another).
    fn siblings(&self, from: Address, nonce: u64) -> Vec<TxHash>;
    /// The journal itself, for the application layer that made it.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Why a transaction is still waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waiting {
    /// The node holds it and has not mined it.
    InMempool,
    /// The node no longer holds it and its nonce is unused: it is watched a
    /// little longer before it is called dropped.
    NotInMempool,
    /// The node cannot be asked right now; it is asked again.
    NodeUnreachable(String),
}

/// Looks once at where `tx` stands.
pub async fn observe(client: &Client, tx: &SentTx) -> Result<TxState> {
    if let Some(state) = mined(client, tx.hash).await? {
        return Ok(state);
    }
    let known = client
        .provider
        .get_transaction_by_hash(tx.hash)
        .await
        .map_err(|e| client.err(e))?;
    let nonce = tx.nonce.or_else(|| known.as_ref().map(|t| t.nonce()));
    if let Some(nonce) = nonce {
        let used = client
            .provider
            .get_transaction_count(tx.from)
            .block_id(BlockNumberOrTag::Latest.into())
            .await
            .map_err(|e| client.err(e))?;
        if used > nonce {
            // Mined between the two questions?
            if let Some(state) = mined(client, tx.hash).await? {
                return Ok(state);
            }
            let mut by = None;
            if let Some(journal) = &client.journal {
                for h in journal.siblings(tx.from, nonce) {
                    if h != tx.hash && mined(client, h).await?.is_some() {
                        by = Some(h);
                    }
                }
            }
            if by.is_none() {
                match find_replacement(client, tx, nonce).await? {
                    // Our own transaction, mined: its receipt is not served yet.
                    Some(h) if h == tx.hash => return Ok(TxState::Pending),
                    Some(h) => by = Some(h),
                    // The node counts the nonce as used before its blocks and
                    // receipts show it (seen on a loaded anvil): look again,
                    // unless the nonce was used longer ago than the scan reaches.
                    None if !scanned_past(client, tx).await? => return Ok(TxState::Pending),
                    None => {}
                }
            }
            return Ok(TxState::Replaced { by });
        }
    }
    Ok(match (known, nonce) {
        (Some(_), _) => TxState::Pending,
        // A wallet may send through its own node; until ours sees the
        // transaction, nothing says it is gone.
        (None, None) => TxState::Pending,
        // Replaced in the mempool by a speed-up or a cancellation that is
        // not mined yet: the nonce's outcome is still open.
        (None, Some(n)) if sibling_pending(client, tx, n).await? => TxState::Pending,
        (None, Some(_)) => TxState::Dropped,
    })
}

/// Whether the node holds another transaction Tidepool sent from `tx.from`
/// with nonce `n`.
async fn sibling_pending(client: &Client, tx: &SentTx, n: u64) -> Result<bool> {
    let Some(journal) = &client.journal else {
        return Ok(false);
    };
    for h in journal.siblings(tx.from, n) {
        if h != tx.hash
            && client
                .provider
                .get_transaction_by_hash(h)
                .await
                .map_err(|e| client.err(e))?
                .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

async fn mined(client: &Client, hash: TxHash) -> Result<Option<TxState>> {
    let receipt = client
        .provider
        .get_transaction_receipt(hash)
        .await
        .map_err(|e| client.err(e))?;
    Ok(receipt.map(|r| TxState::Mined {
        block: r.block_number.unwrap_or_default(),
        success: r.status(),
        gas_used: r.gas_used,
        fee_paid: U256::from(r.gas_used) * U256::from(r.effective_gas_price),
    }))
}

/// Whether the blocks since `tx` was sent reach beyond what
/// [`find_replacement`] looks through.
async fn scanned_past(client: &Client, tx: &SentTx) -> Result<bool> {
    let latest = client
        .provider
        .get_block_number()
        .await
        .map_err(|e| client.err(e))?;
    Ok(latest > tx.sent_block + REPLACEMENT_SCAN)
}

/// The transaction from `tx.from` with `nonce` mined since `tx` was sent,
/// looking through at most [`REPLACEMENT_SCAN`] blocks.
async fn find_replacement(client: &Client, tx: &SentTx, nonce: u64) -> Result<Option<TxHash>> {
    let latest = client
        .provider
        .get_block_number()
        .await
        .map_err(|e| client.err(e))?;
    let first = tx.sent_block.max(latest.saturating_sub(REPLACEMENT_SCAN));
    for n in first..=latest {
        let Some(block) = client
            .provider
            .get_block_by_number(n.into())
            .full()
            .await
            .map_err(|e| client.err(e))?
        else {
            continue;
        };
        let mut found = None;
        for t in block.transactions.txns() {
            if t.from() == tx.from && t.nonce() == nonce {
                found = Some(t.tx_hash());
                break;
            }
        }
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// How long a followed transaction must stay out of the node's mempool,
/// with its nonce unused, to be called dropped: a wallet that replaced it
/// through another node gets that long for the replacement to be mined
/// (about one Ethereum block).
const DROPPED_AFTER: Duration = Duration::from_secs(12);

/// Follows `tx` until it is mined, replaced or dropped, telling `on_wait`
/// why it still waits each time that changes. Never gives up: an
/// unreachable node is asked again every few seconds. A transaction is
/// called dropped only after every look for [`DROPPED_AFTER`] agrees.
pub async fn wait(
    client: &Client,
    tx: &SentTx,
    on_wait: &(dyn Fn(&Waiting) + Send + Sync),
) -> TxState {
    let mut delay = Duration::from_millis(5);
    let mut last: Option<Waiting> = None;
    let mut dropped_since: Option<tokio::time::Instant> = None;
    loop {
        let waiting = match observe(client, tx).await {
            Ok(TxState::Pending) => {
                dropped_since = None;
                Waiting::InMempool
            }
            Ok(TxState::Dropped) if dropped_since.is_none_or(|t| t.elapsed() < DROPPED_AFTER) => {
                dropped_since.get_or_insert_with(tokio::time::Instant::now);
                Waiting::NotInMempool
            }
            Ok(state) => {
                if let Some(j) = &client.journal {
                    j.settled(tx.hash, &state);
                }
                return state;
            }
            Err(e) => Waiting::NodeUnreachable(e.to_string()),
        };
        if last.as_ref() != Some(&waiting) {
            on_wait(&waiting);
            last = Some(waiting.clone());
        }
        let cap = match waiting {
            Waiting::InMempool | Waiting::NotInMempool => Duration::from_secs(1),
            Waiting::NodeUnreachable(_) => Duration::from_secs(3),
        };
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(cap);
    }
}

/// Unix time now, in seconds.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
