//! What a flow fails with: data, not sentences for one front end. The CLI and
//! the app each add their own hint (a flag to pass, a screen to open).

use alloy::primitives::{Address, U256};
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
