//! Speeding up and cancelling a pending transaction: a replacement with the
//! same nonce and higher fees (the same call, or a 0-ETH transfer to
//! oneself), followed until one of the two is mined.

use alloy::primitives::TxHash;
use serde::Serialize;
use tidepool_sdk::chain::Client;
use tidepool_sdk::txwatch::{self, Journal as _, SentTx, TxState, Waiting};

use crate::error::{FlowError, Result};
use crate::events::{FlowEvent, Observer, TxKind};
use crate::send;
use crate::tracker::{Replacement, replacement_tx, store_of};

/// What a speed-up or a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceOutcome {
    /// The transaction replaced.
    pub original: TxHash,
    /// The replacement, as sent.
    pub replacement: SentTx,
    /// The replacement's final state (`None` when not waited for). A
    /// replacement that was itself replaced means the original was mined
    /// first.
    pub state: Option<TxState>,
}

/// Replaces the pending transaction `hash` of the client's account as `how`
/// says and, when `wait`, follows the replacement until it or the original
/// is mined. Refused unless the client records into a transaction store,
/// the transaction is the client's account's and still pending.
pub async fn replace(
    client: &Client,
    hash: TxHash,
    how: Replacement,
    wait: bool,
    obs: &dyn Observer,
) -> Result<ReplaceOutcome> {
    let store = store_of(client).ok_or(FlowError::NotReplaceable {
        hash,
        why: "no transaction list is kept for this connection",
    })?;
    let record = store.status(client, hash).await?;
    let me = client.sender()?;
    if record.sent.from != me {
        return Err(FlowError::NotYourTransaction {
            hash,
            from: record.sent.from,
        });
    }
    if !record.state.is_pending() {
        return Err(FlowError::NotReplaceable {
            hash,
            why: "it is not pending any more",
        });
    }
    // No account lock: a replacement reuses the pending transaction's
    // nonce, so it cannot add a send, and the flow that sent the original
    // may be holding the lock while it waits (it then follows the speed-up).
    obs.on_event(&FlowEvent::Checking);
    let tx = replacement_tx(client, &record, how).await?;
    let kind = match how {
        Replacement::Cancel => TxKind::Cancel,
        Replacement::SpeedUp => record.kind.unwrap_or(TxKind::Other),
    };
    let replacement = send::submit(client, tx, kind, obs).await?;
    let state = if wait {
        let h = replacement.hash;
        let on_wait = |w: &Waiting| {
            obs.on_event(&FlowEvent::Waiting {
                hash: h,
                node_unreachable: match w {
                    Waiting::NodeUnreachable(why) => Some(why.clone()),
                    _ => None,
                },
                left_mempool: *w == Waiting::NotInMempool,
            })
        };
        let state = txwatch::wait(client, &replacement, &on_wait).await;
        if let TxState::Replaced { by: Some(by) } = &state {
            // The original won the race.
            if let Ok(s) = txwatch::observe(client, &record.sent).await {
                store.settled(*by, &s);
            }
        }
        Some(state)
    } else {
        None
    };
    Ok(ReplaceOutcome {
        original: hash,
        replacement,
        state,
    })
}
