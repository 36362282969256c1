//! The chain as the connection monitor last saw it: the connection state
//! shown in the status bar, the working connection (node, deployment,
//! genesis) and the latest block. The monitor (`network`) is its only
//! writer; everything else reads a snapshot or subscribes to its `watch`
//! channel instead of asking the node again.

use std::time::{Duration, Instant};

use tidepool_sdk::B256;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;

use crate::views::ConnectionState;

/// How old a head the quote path may use without asking the node (the
/// monitor reads one every 400 ms).
const HEAD_FRESH: Duration = Duration::from_millis(1_000);

/// A working connection: the node, the deployment it carries, its genesis.
#[derive(Clone, Debug)]
pub struct Live {
    /// Read-only client.
    pub client: Client,
    /// The deployment.
    pub manifest: Manifest,
    /// The chain's genesis hash (a change means the chain was reset).
    pub genesis: B256,
}

/// The latest block as the monitor last read it.
#[derive(Debug, Clone, Copy)]
pub struct Head {
    /// The chain's genesis.
    pub genesis: B256,
    /// Block number.
    pub number: u64,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// When it was read.
    pub seen: Instant,
}

/// What changed when a connection was replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    /// Another genesis or deployment than the last working connection:
    /// quotes and cached routes no longer apply.
    pub other_chain: bool,
    /// Another genesis: the chain was reset.
    pub reset: bool,
}

/// What the monitor publishes.
#[derive(Debug, Clone)]
pub struct ChainState {
    /// The status bar's connection state.
    pub connection: ConnectionState,
    /// The working connection, if the checks passed.
    pub live: Option<Live>,
    /// The latest block read.
    pub head: Option<Head>,
    /// The genesis and deployment of the last working connection (to tell a
    /// reset or another deployment from a reconnect to the same chain).
    pub last: Option<(B256, Manifest)>,
}

impl ChainState {
    /// The state before the first connection attempt.
    pub fn new(connection: ConnectionState) -> Self {
        Self {
            connection,
            live: None,
            head: None,
            last: None,
        }
    }

    /// The latest block (number, time) on the chain of `genesis`, if read
    /// within the last second.
    pub fn fresh_head(&self, genesis: B256) -> Option<(u64, u64)> {
        self.head
            .filter(|h| h.genesis == genesis && h.seen.elapsed() < HEAD_FRESH)
            .map(|h| (h.number, h.timestamp))
    }

    /// Replaces the working connection and says what that changed.
    pub fn replace_live(&mut self, live: Option<Live>) -> Change {
        let mut change = Change::default();
        if let Some(new) = &live {
            if let Some((genesis, manifest)) = &self.last
                && (*genesis != new.genesis || *manifest != new.manifest)
            {
                change.other_chain = true;
                change.reset = *genesis != new.genesis;
            }
            self.last = Some((new.genesis, new.manifest.clone()));
        }
        self.live = live;
        change
    }
}
