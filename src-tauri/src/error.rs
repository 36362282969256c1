//! The error every command returns: a kind the UI can style and a sentence a
//! person can act on. Secrets never reach a message: errors are built from
//! addresses, amounts and the node's words, never from key material.

use serde::Serialize;
use specta::Type;
use tidepool_sdk::Error as SdkError;

/// What kind of failure, so the UI can choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The user's input is wrong (amount, address, form field).
    Input,
    /// The wallet is locked, the password is wrong, or a key cannot be used.
    Wallet,
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

/// The sdk's messages name the CLI's flags; in the app the same settings live
/// in the Settings screen and the swap form.
fn for_the_app(message: String) -> String {
    message
        .replace("check --rpc", "check the RPC URL in Settings")
        .replace("Check --rpc", "Check the RPC URL in Settings")
        .replace(
            "point --rpc at the right node or fix --chain-id",
            "point the RPC URL in Settings at the right node or fix the expected chain id",
        )
        .replace("allow more --slippage", "allow more slippage")
        .replace("(--amount-b)", "")
        .replace(
            "pass the right --manifest",
            "set the right manifest in Settings",
        )
}

impl From<SdkError> for AppError {
    fn from(e: SdkError) -> Self {
        let kind = match &e {
            SdkError::Unreachable { .. } | SdkError::BadUrl(_) | SdkError::Rpc(_) => {
                ErrorKind::Network
            }
            SdkError::WrongChain { .. } => ErrorKind::ChainMismatch,
            SdkError::NoCode { .. } => ErrorKind::ChainMismatch,
            SdkError::Reverted(_) | SdkError::Math(_) => ErrorKind::Revert,
            SdkError::SlippageExceeded { .. } => ErrorKind::Slippage,
            SdkError::Route(_) | SdkError::InsufficientBalance { .. } | SdkError::Input(_) => {
                ErrorKind::Input
            }
            SdkError::Signer(_) => ErrorKind::Wallet,
            SdkError::Io { .. } => ErrorKind::Internal,
        };
        Self::new(kind, for_the_app(e.to_string()))
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
