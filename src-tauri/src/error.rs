//! The error every command returns: a kind the UI can style and a sentence a
//! person can act on. Secrets never reach a message: errors are built from
//! addresses, amounts and the node's words, never from key material.

use serde::Serialize;
use specta::Type;
use tidepool_flows::FlowError;
use tidepool_sdk::Error as SdkError;
use tidepool_sdk::impact::{ImpactRefusal, pct};
use tidepool_sdk::wallet::WalletFailure;

/// What kind of failure, so the UI can choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The user's input is wrong (amount, address, form field).
    Input,
    /// The wallet is locked, the password is wrong, or a key cannot be used.
    Wallet,
    /// The change asked for weakens protection: ask for the wallet password.
    PasswordRequired,
    /// The node cannot be reached or answered with an error.
    Network,
    /// The node is on another chain than the settings expect.
    ChainMismatch,
    /// The contracts would revert (or did).
    Revert,
    /// The price moved past the slippage bound.
    Slippage,
    /// The price impact is above what the user allowed.
    PriceImpact,
    /// A token on none of the person's lists, not confirmed yet: show its
    /// address and ask (`token_confirm`) before trading it.
    UnverifiedToken,
    /// Anything else (a bug or a local file problem).
    Internal,
}

/// A command's error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind.
    pub kind: ErrorKind,
    /// What is wrong and what to do.
    pub message: String,
}

/// A command's result.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// Bad input.
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Input, message)
    }

    /// A wallet problem.
    pub fn wallet(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Wallet, message)
    }

    /// A local failure (files, the index database).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

/// What the user can do about an sdk error, in the app's terms (its
/// screens and settings); `None` when the message says it all.
fn hint(e: &SdkError) -> Option<&'static str> {
    Some(match e {
        SdkError::Unreachable { .. } => "is the node running? Check the RPC URL in Settings",
        SdkError::WrongChain { .. } => {
            "point the RPC URL in Settings at the right node or fix the expected chain id"
        }
        SdkError::NoCode { .. } => "redeploy, or set the right manifest in Settings",
        SdkError::Attach(a) => match a {
            tidepool_sdk::attach::AttachError::WrongInitCodeHash { .. }
            | tidepool_sdk::attach::AttachError::UnknownInitCodeHash(_) => {
                "give the deployment's init code hash (keccak-256 of its pair creation code)"
            }
            tidepool_sdk::attach::AttachError::Unverifiable(_) => {
                "create a pool on it first, so the init code hash can be checked"
            }
            _ => "check the addresses and that the RPC URL is a node of the deployment's chain",
        },
        SdkError::GenesisMismatch { .. } => "redeploy, or restart the devnet from its saved state",
        SdkError::NoManifest { .. } => "set the deployment manifest in Settings",
        SdkError::NoAccount => "unlock the wallet or choose an account in Wallet",
        SdkError::DevAccountOffChain { .. } => "create or import a wallet in Wallet",
        SdkError::SlippageExceeded { .. } => "retry, or allow more slippage in Settings",
        SdkError::WrongPassword => "check the password and try again",
        SdkError::FeeAboveCap { .. } => {
            "choose a slower fee or a lower max fee, raise the fee cap in Settings, or wait for lower fees"
        }
        SdkError::Dropped { .. } => "check your balance, then send again",
        SdkError::Wallet { failure, .. } => match failure {
            WalletFailure::WrongChain { .. } => {
                "switch the network in your wallet (or use Switch network in Wallet)"
            }
            WalletFailure::UnknownChain { .. } => "add this network to your wallet first",
            WalletFailure::Unauthorized | WalletFailure::NoAccount => {
                "unlock your wallet and allow Tidepool to use the account"
            }
            WalletFailure::Closed(_) => "is your wallet running? Reconnect it in Wallet",
            _ => return None,
        },
        SdkError::Reverted(r) => match r.name.as_str() {
            "Expired" | "PermitExpired" => "retry, or allow a later deadline in Settings",
            "InsufficientOutputAmount"
            | "ExcessiveInputAmount"
            | "InsufficientAAmount"
            | "InsufficientBAmount" => "retry, or allow more slippage in Settings",
            "TransferFromFailed" | "InsufficientAllowance" => "approve the token first",
            _ => return None,
        },
        _ => return None,
    })
}

impl From<SdkError> for AppError {
    fn from(e: SdkError) -> Self {
        let kind = match &e {
            SdkError::Unreachable { .. } | SdkError::BadUrl(_) | SdkError::Rpc(_) => {
                ErrorKind::Network
            }
            SdkError::WrongChain { .. }
            | SdkError::NoCode { .. }
            | SdkError::GenesisMismatch { .. }
            | SdkError::NoManifest { .. } => ErrorKind::ChainMismatch,
            SdkError::Reverted(_) | SdkError::Math(_) => ErrorKind::Revert,
            SdkError::SlippageExceeded { .. } => ErrorKind::Slippage,
            SdkError::Route(_)
            | SdkError::InsufficientBalance { .. }
            | SdkError::Input(_)
            | SdkError::NoPoolYet { .. }
            | SdkError::BadPercent(_)
            | SdkError::NoRemoveAmount
            | SdkError::FeeAboveCap { .. }
            | SdkError::Attach(_) => ErrorKind::Input,
            SdkError::Replaced { .. } | SdkError::Dropped { .. } => ErrorKind::Network,
            SdkError::Signer(_)
            | SdkError::NoAccount
            | SdkError::DevAccountOffChain { .. }
            | SdkError::WrongPassword
            | SdkError::Declined
            | SdkError::BadKeystore(_)
            | SdkError::Wallet { .. } => ErrorKind::Wallet,
            SdkError::Io { .. } => ErrorKind::Internal,
        };
        let message = match hint(&e) {
            Some(h) => format!("{e}; {h}"),
            None => e.to_string(),
        };
        Self::new(kind, message)
    }
}

impl From<FlowError> for AppError {
    fn from(e: FlowError) -> Self {
        match e {
            FlowError::Sdk(e) => e.into(),
            FlowError::Impact(ImpactRefusal::Blocked {
                impact_bps,
                limit_bps,
            }) => Self::new(
                ErrorKind::PriceImpact,
                format!(
                    "the price impact is {}, above {}: this trade is blocked. Trade a smaller amount, or allow high-impact trades in Settings",
                    pct(impact_bps),
                    pct(limit_bps)
                ),
            ),
            FlowError::Impact(ImpactRefusal::NeedsConfirmation {
                impact_bps,
                limit_bps,
            }) => Self::new(
                ErrorKind::PriceImpact,
                format!(
                    "the price impact is {}, above {}: confirm that you accept it before swapping",
                    pct(impact_bps),
                    pct(limit_bps)
                ),
            ),
            FlowError::NeedsApproval { symbol, .. } => Self::input(format!(
                "the router may not spend your {symbol} yet: approve it first"
            )),
            FlowError::QuoteForAnotherAccount => {
                Self::input("this quote was made for another account: get a new quote")
            }
            FlowError::NothingToApprove => Self::input("ETH needs no approval"),
            FlowError::SendInProgress { .. } => Self::input(
                "another transaction from this account is being sent right now: wait for it (see Pending), then try again; nothing was sent",
            ),
            e @ FlowError::GasAboveReviewed { .. } => {
                Self::input(format!("{e}: review the swap again"))
            }
            FlowError::QuoteUsed => Self::input(
                "this quote was already executed: nothing more was sent; get a new quote for another trade",
            ),
            FlowError::Store(m) => Self::internal(format!("transaction list: {m}")),
            e @ FlowError::TokenListSource { .. } => Self::input(format!(
                "{e}: give a file path or an http(s) URL of a token list (the standard token-list JSON)"
            )),
            e @ FlowError::UnverifiedToken { .. } => Self::new(
                ErrorKind::UnverifiedToken,
                format!(
                    "{e}: check its address where you trust, or add a token list; nothing was sent"
                ),
            ),
            e @ (FlowError::UnknownTransaction(_)
            | FlowError::NotReplaceable { .. }
            | FlowError::NotYourTransaction { .. }) => Self::input(e.to_string()),
        }
    }
}

impl From<tidepool_indexer::Error> for AppError {
    fn from(e: tidepool_indexer::Error) -> Self {
        match e {
            tidepool_indexer::Error::Sdk(e) => e.into(),
            tidepool_indexer::Error::BadQuery(m) => Self::input(m),
            other => Self::internal(format!("local index: {other}")),
        }
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal(format!("local index: {e}"))
    }
}
