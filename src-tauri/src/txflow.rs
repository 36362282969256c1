//! Sending one transaction from the active account the way every screen
//! does: the signing checks, status updates through the UI's channel, the
//! app's transaction log (pending → confirmed / failed), and the balance
//! changes measured before and after.

use alloy::primitives::{Address, I256, TxHash, U256};
use alloy::rpc::types::TransactionRequest;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy;
use tidepool_sdk::market::{self, Asset};

use crate::core::Core;
use crate::error::AppResult;
use crate::history::{Entry, TxOutcome};
use crate::views::{BalanceChange, TxResult, TxStage, TxStatus};

/// Where status updates go (a Tauri channel in the app, a closure in tests).
pub struct Notify(Box<dyn Fn(TxStatus) + Send + Sync>);

impl Notify {
    /// Updates go to `f`.
    pub fn new(f: impl Fn(TxStatus) + Send + Sync + 'static) -> Self {
        Self(Box::new(f))
    }

    /// Updates go nowhere.
    pub fn none() -> Self {
        Self::new(|_| {})
    }

    /// Sends one update.
    pub fn stage(&self, stage: TxStage, message: &str, hash: Option<TxHash>) {
        (self.0)(TxStatus {
            stage,
            message: message.to_string(),
            hash: hash.map(|h| format!("{h}")),
        });
    }
}

/// The assets whose balances are measured around a transaction (ETH always).
pub struct Measure(Vec<Asset>);

impl Measure {
    /// Only ETH (gas).
    pub fn none() -> Self {
        Self(vec![Asset::Eth])
    }

    /// These assets and ETH.
    pub fn of(assets: &[&Asset]) -> Self {
        let mut v = vec![Asset::Eth];
        for a in assets {
            if !v.contains(a) {
                v.push((*a).clone());
            }
        }
        Self(v)
    }
}

async fn balances(client: &Client, m: &Measure, owner: Address) -> AppResult<Vec<U256>> {
    let mut out = Vec::with_capacity(m.0.len());
    for a in &m.0 {
        let b = match market::balance(client, a, owner).await {
            Ok(b) => b,
            // A pool this transaction creates has no LP token yet.
            Err(_) if matches!(a, Asset::Token(t) if !deploy::has_code(client, t.address).await?) => {
                U256::ZERO
            }
            Err(e) => return Err(e.into()),
        };
        out.push(b);
    }
    Ok(out)
}

fn signed(after: U256, before: U256) -> I256 {
    let a = I256::try_from(after).unwrap_or(I256::MAX);
    let b = I256::try_from(before).unwrap_or(I256::MAX);
    a - b
}

/// Signs and sends `tx` from the active account, reporting each stage, and
/// logs it. `first` is the stage shown while signing (Approving or Signing).
pub async fn send(
    core: &Core,
    tx: TransactionRequest,
    first: TxStage,
    entry: Entry,
    measure: Measure,
    notify: &Notify,
) -> AppResult<TxResult> {
    let fail = |e: crate::error::AppError, hash: Option<TxHash>| {
        notify.stage(TxStage::Failed, &e.message, hash);
        e
    };
    let (live, client, _signer) = core.signing().map_err(|e| fail(e, None))?;
    let owner = client.sender().map_err(|e| fail(e.into(), None))?;
    let before = balances(&client, &measure, owner)
        .await
        .map_err(|e| fail(e, None))?;
    notify.stage(first, "signing and sending", None);
    let sent = std::sync::Mutex::new(None);
    let result = deploy::send_observed(&client, tx, |h| {
        *sent.lock().unwrap_or_else(|p| p.into_inner()) = Some(h);
        core.txlog()
            .record(entry.clone().pending(h, owner, live.genesis));
        notify.stage(TxStage::Sent, "sent, waiting to be mined", Some(h));
    })
    .await;
    let hash = *sent.lock().unwrap_or_else(|p| p.into_inner());
    let receipt = match result {
        Ok(r) => r,
        Err(e) => {
            let e = crate::error::AppError::from(e);
            if let Some(h) = hash {
                core.txlog().finish(h, TxOutcome::Failed(e.message.clone()));
            }
            return Err(fail(e, hash));
        }
    };
    let block = receipt.block_number.unwrap_or_default();
    let after = balances(&client, &measure, owner)
        .await
        .unwrap_or(before.clone());
    let changes: Vec<BalanceChange> = measure
        .0
        .iter()
        .zip(before.iter().zip(&after))
        .map(|(a, (b, x))| crate::swap::change(a, signed(*x, *b)))
        .filter(|c| c.delta != "0")
        .collect();
    core.txlog().finish(
        receipt.transaction_hash,
        TxOutcome::Mined {
            block,
            changes: changes.clone(),
        },
    );
    notify.stage(
        TxStage::Mined,
        &format!("mined in block {block}"),
        Some(receipt.transaction_hash),
    );
    Ok(TxResult {
        hash: format!("{}", receipt.transaction_hash),
        block,
        gas_used: receipt.gas_used,
        changes,
    })
}
