//! The indexer's error.

use thiserror::Error;

/// What can go wrong, in words a person can act on.
#[derive(Debug, Error)]
pub enum Error {
    /// SQLite failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("PostgreSQL error: {}", pg_message(.0))]
    Pg(#[from] tokio_postgres::Error),
    /// A column held another type than the code reads it as.
    #[error("column {column} holds {found}, not {wanted}")]
    Value {
        /// The column's position in the row.
        column: usize,
        /// What the code reads.
        wanted: &'static str,
        /// What the column held.
        found: String,
    },
    /// A query that must return a row returned none.
    #[error("the query returned no row")]
    NoRow,
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
    /// No index database where one was expected (a read-only open).
    #[error("no index database at {path}")]
    NoDatabase {
        /// The path.
        path: String,
    },
    /// The store already indexes another factory on this chain.
    #[error("this database indexes factory {indexed} on chain {chain_id}, not {factory}")]
    OtherFactory {
        /// The chain.
        chain_id: u64,
        /// The factory the database records for it.
        indexed: String,
        /// The factory asked for.
        factory: String,
    },
    /// A read asked for a chain the store does not hold.
    #[error("the index holds no chain {chain_id} (it holds {})", list(held))]
    UnknownChain {
        /// The chain asked for.
        chain_id: u64,
        /// The chains it holds.
        held: Vec<u64>,
    },
    /// A read named no chain, and the store holds several.
    #[error(
        "the index holds several chains ({}), and no chain was named",
        list(held)
    )]
    ChainNeeded {
        /// The chains it holds.
        held: Vec<u64>,
    },
    /// Two sources of one run name the same chain.
    #[error("two sources index chain {0}; one store follows one factory per chain")]
    DuplicateChain(u64),
    /// No contract at the factory address.
    #[error("there is no contract at the factory address {factory} on chain {chain_id}")]
    NoFactory {
        /// The address.
        factory: alloy::primitives::Address,
        /// The node's chain id.
        chain_id: u64,
    },
    /// The contract at the factory address does not answer `allPairsLength()`.
    #[error("the contract at {0} is not a Uniswap-V2-style factory (no allPairsLength())")]
    NotAFactory(alloy::primitives::Address),
    /// The start block is past the chain's head.
    #[error("the chain is shorter than the start block {0}")]
    ChainShorterThanStart(u64),
    /// The HTTP API cannot listen on its address.
    #[error("cannot listen on {addr}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The sdk failed (RPC, decoding).
    #[error(transparent)]
    Sdk(#[from] tidepool_sdk::Error),
    /// A query's parameters are invalid.
    #[error("{0}")]
    BadQuery(String),
    /// An export file cannot be written (nothing is left at its path).
    #[error("cannot write {path}: {reason}")]
    Export {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The server's own words (with its detail and hint) where it sent them;
/// otherwise the client's, with each cause (tokio-postgres's own text is only
/// the kind: "error serializing parameter 3", "error connecting to server").
pub(crate) fn pg_message(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            m.push_str(&format!(" ({d})"));
        }
        if let Some(h) = db.hint() {
            m.push_str(&format!("; hint: {h}"));
        }
        return m;
    }
    let mut out = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        out.push_str(&format!(": {c}"));
        cause = c.source();
    }
    out
}

fn list(held: &[u64]) -> String {
    if held.is_empty() {
        return "none".into();
    }
    held.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The indexer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
