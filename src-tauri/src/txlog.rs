//! The app's own transaction log: every transaction the app sent, pending →
//! confirmed / failed, kept from the flows' events and saved in the data
//! directory (the index does not know approvals, pending or failed ones).

use std::path::PathBuf;

use alloy::primitives::{Address, B256, TxHash, U256};
use serde::{Deserialize, Serialize};
use tidepool_sdk::manifest::TokenInfo;

use crate::error::AppResult;
use crate::views::{BalanceChange, HistoryKind, HistoryRow, HistoryStatus};
use crate::wallet::vault::write_atomic;

/// The most rows the log keeps.
const KEEP: usize = 5_000;

/// A log entry: the row, whose it is, on which chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The row as shown.
    pub row: HistoryRow,
    /// The sender.
    pub account: Address,
    /// The chain's genesis.
    pub genesis: B256,
}

/// How a logged transaction ended.
#[derive(Debug, Clone)]
pub enum TxOutcome {
    /// Mined; the measured balance changes.
    Mined {
        /// Block.
        block: u64,
        /// Changes.
        changes: Vec<BalanceChange>,
    },
    /// Reverted or dropped, with the decoded reason.
    Failed(String),
}

/// Unix time in seconds.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Entry {
    /// An entry not yet sent.
    pub fn new(
        kind: HistoryKind,
        pair: Option<String>,
        a: (&str, &str, u8),
        b: (&str, &str, u8),
    ) -> Self {
        Self {
            row: HistoryRow {
                kind,
                status: HistoryStatus::Pending,
                timestamp: 0,
                block: None,
                tx_hash: String::new(),
                pair,
                symbol_a: a.0.to_string(),
                amount_a: a.1.to_string(),
                decimals_a: a.2,
                symbol_b: b.0.to_string(),
                amount_b: b.1.to_string(),
                decimals_b: b.2,
                detail: None,
                token_a: None,
                token_b: None,
                verified_a: true,
                verified_b: true,
                value_usd: None,
            },
            account: Address::ZERO,
            genesis: B256::ZERO,
        }
    }

    /// An approval of `amount` of `token`.
    pub fn approve(token: &TokenInfo, amount: U256) -> Self {
        let shown = if amount == U256::MAX {
            "unlimited".to_string()
        } else {
            amount.to_string()
        };
        Self::new(
            HistoryKind::Approve,
            None,
            (&token.symbol, &shown, token.decimals),
            ("", "0", 0),
        )
    }

    /// The entry, sent as `hash` by `account` on the chain of `genesis`.
    pub fn pending(mut self, hash: TxHash, account: Address, genesis: B256) -> Self {
        self.row.tx_hash = format!("{hash}");
        self.row.timestamp = now();
        self.account = account;
        self.genesis = genesis;
        self
    }
}

/// The app's own transactions, saved in the data directory.
pub struct TxLog {
    path: PathBuf,
    entries: Vec<Entry>,
}

impl TxLog {
    /// Loads the log (a missing or unreadable file starts an empty one).
    pub fn open(path: PathBuf) -> AppResult<Self> {
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ok(Self { path, entries })
    }

    fn save(&self) {
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match serde_json::to_vec(&self.entries) {
            Ok(json) => {
                if let Err(e) = write_atomic(&self.path, &json) {
                    tracing::warn!("cannot save the transaction log: {}", e.message);
                }
            }
            Err(e) => tracing::warn!("cannot encode the transaction log: {e}"),
        }
    }

    /// Adds a sent transaction.
    pub fn record(&mut self, e: Entry) {
        self.entries.push(e);
        if self.entries.len() > KEEP {
            self.entries.remove(0);
        }
        self.save();
    }

    /// Marks a transaction mined or failed.
    pub fn finish(&mut self, hash: TxHash, outcome: TxOutcome) {
        let h = format!("{hash}");
        if let Some(e) = self.entries.iter_mut().find(|e| e.row.tx_hash == h) {
            match outcome {
                TxOutcome::Mined { block, changes } => {
                    e.row.status = HistoryStatus::Confirmed;
                    e.row.block = Some(block);
                    for c in changes.iter().filter(|c| c.token != "ETH") {
                        let abs = c.delta.trim_start_matches('-').to_string();
                        if c.symbol == e.row.symbol_a && c.delta.starts_with('-') {
                            e.row.amount_a = abs;
                        } else if c.symbol == e.row.symbol_b && !c.delta.starts_with('-') {
                            e.row.amount_b = abs;
                        }
                    }
                }
                TxOutcome::Failed(why) => {
                    e.row.status = HistoryStatus::Failed;
                    e.row.detail = Some(why);
                }
            }
            self.save();
        }
    }

    /// The entries of `account` on the chain of `genesis`.
    pub fn of(&self, account: Address, genesis: B256) -> Vec<HistoryRow> {
        self.entries
            .iter()
            .filter(|e| e.account == account && e.genesis == genesis)
            .map(|e| e.row.clone())
            .collect()
    }
}
