//! What a flow reports while it runs. A front end renders these (the CLI
//! prints lines, the app streams them to its window and keeps its
//! transaction log from them); it never decides anything from them.

use alloy::primitives::{Address, TxHash, U256};

use crate::send::Sent;
use crate::swap::SimulatedSwap;

/// What a transaction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TxKind {
    /// An ERC-20 approval for the router.
    Approval,
    /// A swap through the router.
    Swap,
    /// A deposit into a pool.
    AddLiquidity,
    /// A withdrawal from a pool.
    RemoveLiquidity,
    /// A 0-ETH transfer to oneself replacing a pending transaction.
    Cancel,
    /// Anything else (a deployment, a transfer).
    Other,
}

/// One step of a flow.
#[derive(Debug, Clone)]
pub enum FlowEvent {
    /// The pre-send checks started.
    Checking,
    /// The router's allowance for `token` is short: an approval of `amount`
    /// (`U256::MAX` for unlimited) is signed next.
    Approving {
        /// The token.
        token: Address,
        /// Its symbol.
        symbol: String,
        /// The allowance asked for.
        amount: U256,
        /// The token's decimals.
        decimals: u8,
    },
    /// The wallet does not sign EIP-712 typed data, so the withdrawal goes
    /// ahead with an approval of the LP token instead of a permit.
    PermitRefused {
        /// Which wallet, as the sdk describes it.
        wallet: String,
    },
    /// The swap was simulated against the latest block and is within its bound.
    Simulated(SimulatedSwap),
    /// What the transaction about to be signed will cost with the person's
    /// fee choice (expected and worst case); its cap was checked.
    FeeQuoted(tidepool_sdk::fees::FeeCost),
    /// A transaction is being signed and sent.
    Signing {
        /// What it does.
        kind: TxKind,
    },
    /// The node accepted the transaction; it waits to be mined.
    Sent {
        /// What it does.
        kind: TxKind,
        /// Its hash.
        hash: TxHash,
    },
    /// The transaction is not mined yet (reported when the reason changes).
    Waiting {
        /// Its hash.
        hash: TxHash,
        /// Set while the node cannot be reached (it is asked again).
        node_unreachable: Option<String>,
        /// The node no longer holds it and its nonce is unused: it is
        /// watched a little longer before it is called dropped.
        left_mempool: bool,
    },
    /// The transaction was mined and succeeded.
    Mined {
        /// What it does.
        kind: TxKind,
        /// The receipt's facts and the measured balance changes.
        sent: Sent,
    },
    /// The post-trade check of a mined swap.
    TradeChecked(crate::aftercheck::TradeCheck),
    /// A sent transaction will not succeed: it reverted, was replaced or was
    /// dropped; the error itself is the flow's result.
    Failed {
        /// What it does.
        kind: TxKind,
        /// Its hash.
        hash: TxHash,
    },
}

/// Receives a flow's events.
pub trait Observer: Send + Sync {
    /// Called for each event, in order, from the flow's task.
    fn on_event(&self, event: &FlowEvent);
}

impl<F: Fn(&FlowEvent) + Send + Sync> Observer for F {
    fn on_event(&self, event: &FlowEvent) {
        self(event)
    }
}

/// An observer that ignores every event.
pub struct Quiet;

impl Observer for Quiet {
    fn on_event(&self, _: &FlowEvent) {}
}
