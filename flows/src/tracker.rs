//! The transaction tracker: owns the record of every transaction Tidepool
//! sends (persisted, so pending ones are followed again after a restart),
//! decides each one's state from the chain ([`txwatch`]), and replaces a
//! pending one to speed it up or cancel it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use alloy::primitives::{Address, TxHash, U256};
use alloy::rpc::types::TransactionRequest;
use serde::{Deserialize, Serialize};
use tidepool_sdk::chain::Client;
use tidepool_sdk::fees::Fees;
use tidepool_sdk::keystore::write_private;
use tidepool_sdk::txwatch::{self, Journal, SentTx, TxState};

use crate::error::{FlowError, Result};
use crate::events::TxKind;

/// The most records kept (the oldest settled ones go first).
const KEEP: usize = 2_000;

/// One transaction Tidepool sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TxRecord {
    /// What was sent.
    #[serde(flatten)]
    pub sent: SentTx,
    /// What it does (`None` until the flow that sent it said).
    pub kind: Option<TxKind>,
    /// Where it stands, as last seen.
    #[serde(flatten)]
    pub state: TxState,
    /// The transaction this one replaces (a speed-up or a cancellation).
    pub replaces: Option<TxHash>,
}

/// How to replace a pending transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Replacement {
    /// The same transaction with higher fees.
    SpeedUp,
    /// A 0-ETH transfer to oneself with the same nonce and higher fees.
    Cancel,
}

/// Every transaction sent through clients that carry this store, saved as
/// `transactions.json` in its directory.
pub struct TxStore {
    dir: PathBuf,
    records: Mutex<Vec<TxRecord>>,
}

impl std::fmt::Debug for TxStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TxStore({})", self.dir.display())
    }
}

impl TxStore {
    /// Opens the store in `dir` (created, private), reading what an earlier
    /// run saved.
    pub fn open(dir: &Path) -> Result<Arc<Self>> {
        tidepool_sdk::keystore::private_dir(dir)?;
        let store = Self {
            dir: dir.to_path_buf(),
            records: Mutex::new(Vec::new()),
        };
        *store.lock() = store.read_file()?;
        Ok(Arc::new(store))
    }

    /// The store's directory (also where per-account send locks live).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self) -> PathBuf {
        self.dir.join("transactions.json")
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TxRecord>> {
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn read_file(&self) -> Result<Vec<TxRecord>> {
        match std::fs::read(self.path()) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                FlowError::Store(format!(
                    "{} is not a transaction list Tidepool can read ({e}); move it away to start a new one",
                    self.path().display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(FlowError::Store(format!("{}: {e}", self.path().display()))),
        }
    }

    /// Changes the records under a lock on the file shared with other
    /// processes (two CLI commands at once): reads what is saved, merges
    /// this process's view, applies `f`, saves.
    fn update<T>(&self, f: impl FnOnce(&mut Vec<TxRecord>) -> T) -> T {
        let lock = File::create(self.dir.join("transactions.lock")).ok();
        if let Some(l) = &lock {
            let _ = l.lock();
        }
        let mut mine = self.lock();
        if let Ok(saved) = self.read_file() {
            for r in saved {
                match mine.iter_mut().find(|m| m.sent.hash == r.sent.hash) {
                    Some(m) if m.state.is_pending() && !r.state.is_pending() => *m = r,
                    Some(m) if m.kind.is_none() => m.kind = r.kind,
                    Some(_) => {}
                    None => mine.push(r),
                }
            }
            mine.sort_by_key(|r| r.sent.sent_at);
        }
        let out = f(&mut mine);
        while mine.len() > KEEP {
            match mine.iter().position(|r| !r.state.is_pending()) {
                Some(i) => mine.remove(i),
                None => break,
            };
        }
        match serde_json::to_vec_pretty(&*mine) {
            Ok(json) => {
                if let Err(e) = write_private(&self.path(), &json) {
                    tracing::warn!("cannot save the transaction list: {e}");
                }
            }
            Err(e) => tracing::warn!("cannot encode the transaction list: {e}"),
        }
        out
    }

    /// Says what a sent transaction does.
    pub fn set_kind(&self, hash: TxHash, kind: TxKind) {
        self.update(|rs| {
            if let Some(r) = rs.iter_mut().find(|r| r.sent.hash == hash) {
                r.kind = Some(kind);
            }
        });
    }

    /// Every record of `from` (all accounts when `None`) on `chain_id`, newest first.
    pub fn list(&self, chain_id: u64, from: Option<Address>) -> Vec<TxRecord> {
        let mut v: Vec<TxRecord> = self
            .update(|rs| rs.clone())
            .into_iter()
            .filter(|r| r.sent.chain_id == chain_id && from.is_none_or(|f| r.sent.from == f))
            .collect();
        v.reverse();
        v
    }

    /// The record of `hash`.
    pub fn get(&self, hash: TxHash) -> Option<TxRecord> {
        self.update(|rs| rs.iter().find(|r| r.sent.hash == hash).cloned())
    }

    /// Looks at the chain again for every pending record of the client's
    /// chain (after a restart, or on demand) and returns them all, updated.
    pub async fn refresh(&self, client: &Client) -> Result<Vec<TxRecord>> {
        let pending: Vec<TxRecord> = self
            .list(client.chain_id, None)
            .into_iter()
            .filter(|r| r.state.is_pending())
            .collect();
        for r in pending {
            let state = txwatch::observe(client, &r.sent).await?;
            if !state.is_pending() {
                self.settled(r.sent.hash, &state);
            }
        }
        Ok(self.list(client.chain_id, None))
    }

    /// One record, looked at again on the chain.
    pub async fn status(&self, client: &Client, hash: TxHash) -> Result<TxRecord> {
        let r = self.get(hash).ok_or(FlowError::UnknownTransaction(hash))?;
        let state = txwatch::observe(client, &r.sent).await?;
        if state != r.state {
            self.settled(hash, &state);
        }
        self.get(hash).ok_or(FlowError::UnknownTransaction(hash))
    }
}

impl Journal for TxStore {
    fn sent(&self, tx: &SentTx) {
        self.update(|rs| {
            // Only a pending transaction of the same nonce is being replaced
            // (one that was dropped or mined is not).
            let replaces = tx.nonce.and_then(|n| {
                rs.iter()
                    .find(|r| {
                        r.sent.from == tx.from
                            && r.sent.nonce == Some(n)
                            && r.sent.hash != tx.hash
                            && r.state.is_pending()
                    })
                    .map(|r| r.sent.hash)
            });
            match rs.iter_mut().find(|r| r.sent.hash == tx.hash) {
                // The same signed bytes again (e.g. after a drop): pending again.
                Some(r) => {
                    r.sent = tx.clone();
                    r.state = TxState::Pending;
                }
                None => rs.push(TxRecord {
                    sent: tx.clone(),
                    kind: None,
                    state: TxState::Pending,
                    replaces,
                }),
            }
        });
    }

    fn settled(&self, hash: TxHash, state: &TxState) {
        self.update(|rs| {
            if let Some(r) = rs.iter_mut().find(|r| r.sent.hash == hash) {
                r.state = state.clone();
            }
            // A mined replacement settles the others of its nonce.
            let Some((from, Some(nonce))) = rs
                .iter()
                .find(|r| r.sent.hash == hash)
                .map(|r| (r.sent.from, r.sent.nonce))
            else {
                return;
            };
            if matches!(state, TxState::Mined { .. }) {
                for r in rs.iter_mut() {
                    if r.sent.from == from
                        && r.sent.nonce == Some(nonce)
                        && r.sent.hash != hash
                        && r.state.is_pending()
                    {
                        r.state = TxState::Replaced { by: Some(hash) };
                    }
                }
            }
        });
    }

    fn siblings(&self, from: Address, nonce: u64) -> Vec<TxHash> {
        self.lock()
            .iter()
            .filter(|r| r.sent.from == from && r.sent.nonce == Some(nonce))
            .map(|r| r.sent.hash)
            .collect()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The store a client records into, if it has one.
pub fn store_of(client: &Client) -> Option<&TxStore> {
    client
        .journal
        .as_deref()
        .and_then(|j| j.as_any().downcast_ref::<TxStore>())
}

/// The transaction that replaces `r`: the same call (speed-up) or a 0-ETH
/// transfer to the sender (cancel), with its nonce and fees that both beat
/// its own by the nodes' replacement margin and today's fast preset.
pub async fn replacement_tx(
    client: &Client,
    r: &TxRecord,
    how: Replacement,
) -> Result<TransactionRequest> {
    let nonce = r.sent.nonce.ok_or(FlowError::NotReplaceable {
        hash: r.sent.hash,
        why: "its nonce is not known yet",
    })?;
    let market = client.fee_market().await?;
    let floor = market.preset(tidepool_sdk::fees::Speed::Fast);
    let old = r.sent.fees.unwrap_or(floor);
    let fees: Fees = old.bumped(&floor);
    if let Some(cap) = client.fees.cap
        && fees.max_per_gas() > cap
    {
        return Err(tidepool_sdk::Error::FeeAboveCap {
            max_fee: tidepool_sdk::fees::gwei(fees.max_per_gas()),
            cap: tidepool_sdk::fees::gwei(cap),
            base_fee: market.base_fee.map(tidepool_sdk::fees::gwei),
        }
        .into());
    }
    let mut tx = TransactionRequest {
        from: Some(r.sent.from),
        nonce: Some(nonce),
        ..Default::default()
    };
    match how {
        Replacement::SpeedUp => {
            tx.to = r.sent.to.map(Into::into);
            tx.value = Some(r.sent.value);
            tx.input = r.sent.input.clone().into();
            tx.gas = Some(r.sent.gas_limit);
        }
        Replacement::Cancel => {
            tx.to = Some(r.sent.from.into());
            tx.value = Some(U256::ZERO);
            tx.gas = Some(21_000);
        }
    }
    fees.apply(&mut tx);
    Ok(tx)
}
