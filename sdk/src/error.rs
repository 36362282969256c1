//! The sdk's error: what went wrong, in words a person can act on.

use alloy::primitives::Address;
use thiserror::Error;

use crate::math::MathError;
use crate::revert::Revert;
use crate::route::RouteError;

/// Anything the sdk can fail with. Every message names what is wrong and,
/// where there is one, what to do about it.
#[derive(Debug, Error)]
pub enum Error {
    /// The RPC endpoint could not be reached.
    #[error("cannot reach the RPC endpoint {url}: {reason}. Is the node running? Check --rpc")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What the transport said.
        reason: String,
    },
    /// The RPC URL is not a URL.
    #[error(
        "`{0}` is not a valid RPC URL (expected e.g. http://127.0.0.1:8545 or ws://127.0.0.1:8545)"
    )]
    BadUrl(String),
    /// The node is on another chain than the one expected.
    #[error(
        "the RPC endpoint is on chain {actual}, but chain {expected} was expected; point --rpc at the right node or fix --chain-id"
    )]
    WrongChain {
        /// The chain id configured or recorded in the manifest.
        expected: u64,
        /// The node's chain id.
        actual: u64,
    },
    /// A contract the manifest names has no code on this chain.
    #[error(
        "no contract at {address} ({what}) on this chain: the deployment manifest belongs to another chain or an earlier devnet; redeploy or pass the right --manifest"
    )]
    NoCode {
        /// What the address should be.
        what: &'static str,
        /// The address.
        address: Address,
    },
    /// A transaction or call reverted.
    #[error("{0}")]
    Reverted(Revert),
    /// The math says no (the contract would revert the same way).
    #[error("{0}")]
    Math(#[from] MathError),
    /// No route between the tokens.
    #[error("{0}")]
    Route(#[from] RouteError),
    /// The price moved past the slippage bound between quote and simulation.
    #[error(
        "slippage exceeded: the trade would give {actual} where the bound is {bound}; nothing was sent. Retry, or allow more --slippage"
    )]
    SlippageExceeded {
        /// What the trade gives now (formatted).
        actual: String,
        /// The bound (formatted).
        bound: String,
    },
    /// Not enough of a token or of ETH.
    #[error("insufficient {what}: the account holds {have}, the transaction needs {need}")]
    InsufficientBalance {
        /// The token symbol or "ETH".
        what: String,
        /// Balance (formatted).
        have: String,
        /// Need (formatted).
        need: String,
    },
    /// Bad user input (an amount, an address, a token name…).
    #[error("{0}")]
    Input(String),
    /// A signer could not be made.
    #[error("{0}")]
    Signer(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Anything else the node or transport said.
    #[error("RPC error: {0}")]
    Rpc(String),
}

/// The sdk's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Bad input, with a message.
    pub fn input(msg: impl Into<String>) -> Self {
        Self::Input(msg.into())
    }
}
