//! The bridge's errors.

use thiserror::Error;

/// Why the bridge could not start, or a wait on it ended without an answer.
#[derive(Debug, Error)]
pub enum BridgeError {
    /// The loopback port could not be bound (taken, or not allowed).
    #[error("cannot listen on 127.0.0.1:{port} for the browser-wallet page: {source}")]
    Bind {
        /// The port asked for (0: any free port).
        port: u16,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// Nobody connected a wallet in the page in time.
    #[error(
        "no wallet was connected in the browser page within {secs} s; open the page and pick a wallet"
    )]
    TimedOut {
        /// Seconds waited.
        secs: u64,
    },
    /// The bridge was shut down while waiting.
    #[error("the browser-wallet bridge was shut down")]
    Closed,
}
