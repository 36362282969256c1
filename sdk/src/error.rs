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
    #[error("cannot reach the RPC endpoint {url}: {reason}")]
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
    #[error("the RPC endpoint is on chain {actual}, but chain {expected} was expected")]
    WrongChain {
        /// The chain id configured or recorded in the manifest.
        expected: u64,
        /// The node's chain id.
        actual: u64,
    },
    /// A contract the manifest names has no code on this chain.
    #[error(
        "no contract at {address} ({what}) on this chain: the deployment manifest belongs to another chain or an earlier devnet"
    )]
    NoCode {
        /// What the address should be.
        what: &'static str,
        /// The address.
        address: Address,
    },
    /// A transaction or call reverted.
    #[error(transparent)]
    Reverted(Revert),
    /// The math says no (the contract would revert the same way).
    #[error(transparent)]
    Math(#[from] MathError),
    /// No route between the tokens.
    #[error(transparent)]
    Route(#[from] RouteError),
    /// The price moved past the slippage bound between quote and simulation.
    #[error(
        "slippage exceeded: the trade would give {actual} where the bound is {bound}; nothing was sent"
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
    /// No account is configured to send from.
    #[error("no account to send from")]
    NoAccount,
    /// The manifest's chain id matches but its genesis block does not: the
    /// chain was reset since the manifest was written.
    #[error(
        "the deployment manifest was written for another chain with id {chain_id} (its genesis block differs; was the devnet restarted?)"
    )]
    GenesisMismatch {
        /// The chain id both share.
        chain_id: u64,
    },
    /// No manifest file where one was expected.
    #[error("no deployment manifest at {path}")]
    NoManifest {
        /// The path looked at.
        path: String,
    },
    /// Anvil's public dev keys were asked for on a chain that is not Anvil's.
    #[error(
        "dev accounts are Anvil's public test keys and are only offered on chain id {anvil}; this chain is {chain_id}"
    )]
    DevAccountOffChain {
        /// The chain the node is on.
        chain_id: u64,
        /// Anvil's chain id.
        anvil: u64,
    },
    /// A deposit into a pool that does not exist yet gave only one amount.
    #[error("there is no {a}/{b} pool yet: give both amounts; their ratio sets the pool's price")]
    NoPoolYet {
        /// The first token's symbol.
        a: String,
        /// The second token's symbol.
        b: String,
    },
    /// A withdrawal percentage outside (0, 100].
    #[error("the percentage to remove must be above 0 and at most 100, not {0}")]
    BadPercent(f64),
    /// A withdrawal that says neither how many LP tokens nor what share.
    #[error("say how much to remove: a percentage or an amount of LP tokens")]
    NoRemoveAmount,
    /// A wallet that keeps its own key (an external signer or a browser
    /// wallet) failed or refused.
    #[error("{wallet}: {failure}")]
    Wallet {
        /// Which wallet, e.g. "the external signer at http://127.0.0.1:1248".
        wallet: String,
        /// What happened (part of this message, so not a separate cause).
        failure: crate::wallet::WalletFailure,
    },
    /// A deployment could not be attached (`tidepool attach`).
    #[error(transparent)]
    Attach(crate::attach::AttachError),
    /// Bad user input (an amount, an address, a token name…).
    #[error("{0}")]
    Input(String),
    /// The person declined in the confirmation step before signing.
    #[error("cancelled at the confirmation: nothing was signed or sent")]
    Declined,
    /// The password does not open the keystore.
    #[error("wrong password for the keystore")]
    WrongPassword,
    /// A keystore file that cannot be read as keystore V3.
    #[error("not a usable keystore V3 file: {0}")]
    BadKeystore(String),
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
    /// The fees a transaction would pay are above the person's cap.
    #[error(
        "the max fee of {max_fee} per gas is above your fee cap of {cap}{}; nothing was sent",
        base_fee.as_ref().map(|b| format!(" (the next block's base fee is {b})")).unwrap_or_default()
    )]
    FeeAboveCap {
        /// The max fee (formatted in gwei).
        max_fee: String,
        /// The cap (formatted in gwei).
        cap: String,
        /// The next block's base fee (formatted), on EIP-1559 chains.
        base_fee: Option<String>,
    },
    /// Another transaction with the same nonce was mined instead.
    #[error(
        "transaction {hash} was replaced{} (same nonce); it will not be mined",
        by.map(|b| format!(" by {b}")).unwrap_or_default()
    )]
    Replaced {
        /// The transaction sent.
        hash: alloy::primitives::TxHash,
        /// What was mined in its place, when known.
        by: Option<alloy::primitives::TxHash>,
    },
    /// The node dropped the transaction before mining it.
    #[error(
        "transaction {hash} was dropped by the node before it was mined: nothing was spent, and it can be sent again"
    )]
    Dropped {
        /// The transaction.
        hash: alloy::primitives::TxHash,
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
