//! One send per account at a time: a flow that may send holds its account's
//! lock from its first check to its last receipt, so a second request (a
//! double click, the same quote executed twice, two CLI commands at once)
//! gets [`FlowError::SendInProgress`] instead of a second transaction.
//!
//! Within a process the lock is a set of accounts; across processes (two
//! `tidepool` commands) it is an advisory file lock in the transaction
//! store's directory, released by the OS if the process dies.

use std::collections::HashSet;
use std::fs::File;
use std::sync::{Mutex, OnceLock};

use alloy::primitives::Address;
use tidepool_sdk::chain::Client;

use crate::error::{FlowError, Result};
use crate::tracker::store_of;

fn held() -> &'static Mutex<HashSet<(u64, Address)>> {
    static HELD: OnceLock<Mutex<HashSet<(u64, Address)>>> = OnceLock::new();
    HELD.get_or_init(Default::default)
}

/// The right to send from one account, until dropped.
#[derive(Debug)]
pub struct SendGuard {
    key: (u64, Address),
    _file: Option<File>,
}

impl Drop for SendGuard {
    fn drop(&mut self) {
        held()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

/// Takes the client's account's send lock, or fails at once with
/// [`FlowError::SendInProgress`] when another flow holds it.
pub fn acquire(client: &Client) -> Result<SendGuard> {
    let account = client.sender()?;
    let key = (client.chain_id, account);
    if !held().lock().unwrap_or_else(|p| p.into_inner()).insert(key) {
        return Err(FlowError::SendInProgress { account });
    }
    let mut guard = SendGuard { key, _file: None };
    if let Some(store) = store_of(client) {
        let path = store
            .dir()
            .join(format!("send-{}-{account:#x}.lock", client.chain_id));
        let file = File::create(&path)
            .map_err(|e| FlowError::Store(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => guard._file = Some(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(FlowError::SendInProgress { account });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(FlowError::Store(format!("{}: {e}", path.display())));
            }
        }
    }
    Ok(guard)
}
