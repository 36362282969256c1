//! What a flow fails with: data, not sentences for one front end. The CLI and
//! the app each add their own hint (a flag to pass, a screen to open).

use alloy::primitives::{Address, TxHash, U256};
use tidepool_sdk::impact::ImpactRefusal;

/// Why a flow stopped. Nothing was sent unless the error came from sending
/// or following a transaction (then [`crate::FlowEvent::Sent`] was reported).
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// The sdk failed: the node, a revert, the math, a route, a balance…
    #[error(transparent)]
    Sdk(#[from] tidepool_sdk::Error),
    /// The price-impact policy stops the trade.
    #[error(transparent)]
    Impact(#[from] ImpactRefusal),
    /// The router's allowance is short and the flow was told not to approve.
    #[error("the router may not spend enough {symbol}: it needs an allowance of {need} {symbol}")]
    NeedsApproval {
        /// The token.
        token: Address,
        /// Its symbol.
        symbol: String,
        /// The allowance needed, in base units.
        amount: U256,
        /// The allowance needed, in whole tokens.
        need: String,
    },
    /// The quote was made for another account than the one signing (its
    /// router call pays out to that account).
    #[error("this quote was made for another account")]
    QuoteForAnotherAccount,
    /// An approval was asked for native ETH.
    #[error("ETH needs no approval")]
    NothingToApprove,
    /// Another flow is sending from the same account right now.
    #[error("another transaction from {account} is being sent right now; nothing was sent")]
    SendInProgress {
        /// The account.
        account: Address,
    },
    /// The swap now needs more gas than the limit the person reviewed (the
    /// pools moved since the review); nothing was sent.
    #[error(
        "the swap now needs about {estimate} gas, more than the {reviewed} reviewed; nothing was sent"
    )]
    GasAboveReviewed {
        /// The gas limit reviewed.
        reviewed: u64,
        /// The fresh estimate.
        estimate: u64,
    },
    /// The quote was already executed (a quote is executed once).
    #[error("this quote was already executed; nothing was sent")]
    QuoteUsed,
    /// The transaction store could not be read or written.
    #[error("transaction list: {0}")]
    Store(String),
    /// No record of a transaction with this hash.
    #[error("Tidepool sent no transaction {0} that it remembers")]
    UnknownTransaction(TxHash),
    /// A transaction that cannot be sped up or cancelled.
    #[error("transaction {hash} cannot be replaced: {why}")]
    NotReplaceable {
        /// The transaction.
        hash: TxHash,
        /// Why not.
        why: &'static str,
    },
    /// A transaction of another account.
    #[error("transaction {hash} was sent from {from}, not from this account")]
    NotYourTransaction {
        /// The transaction.
        hash: TxHash,
        /// Its sender.
        from: Address,
    },
    /// A token list could not be read from its file or URL.
    #[error("cannot read the token list {source_name}: {reason}")]
    TokenListSource {
        /// The file or URL given.
        source_name: String,
        /// What went wrong.
        reason: String,
    },
    /// A token on no token list (nor in the manifest) that the person has
    /// not confirmed yet; nothing was sent.
    #[error("{symbol} ({address}) is on none of your token lists{}; anyone can deploy a token with any name", look_alike.as_ref().map(|(s, a)| format!(" and imitates the listed {s} at {a}")).unwrap_or_default())]
    UnverifiedToken {
        /// The token.
        address: Address,
        /// Its symbol.
        symbol: String,
        /// A listed token of the same symbol: (symbol, address).
        look_alike: Option<(String, Address)>,
    },
}

/// A flow's result.
pub type Result<T, E = FlowError> = std::result::Result<T, E>;

impl FlowError {
    /// The sdk error behind this one, if any.
    pub fn sdk(&self) -> Option<&tidepool_sdk::Error> {
        match self {
            Self::Sdk(e) => Some(e),
            _ => None,
        }
    }
}
