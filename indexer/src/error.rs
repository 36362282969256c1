//! The indexer's error.

use thiserror::Error;

/// What can go wrong, in words a person can act on.
#[derive(Debug, Error)]
pub enum Error {
    /// SQLite failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The database file cannot be opened or created.
    #[error("cannot open the database {path}: {reason}")]
    Open {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The database holds another chain's or another factory's index.
    #[error("{0}")]
    Mismatch(String),
    /// Bad configuration.
    #[error("{0}")]
    Config(String),
    /// The sdk failed (RPC, decoding).
    #[error("{0}")]
    Sdk(#[from] tidepool_sdk::Error),
    /// A query's parameters are invalid.
    #[error("{0}")]
    BadQuery(String),
}

/// The indexer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
