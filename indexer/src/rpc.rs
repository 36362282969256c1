//! Talking to the node while indexing: every call retried with backoff (an
//! outage is reported and waited out, never skipped), and eth_getLogs split
//! into smaller ranges when the node refuses a range as too large.

use std::future::Future;
use std::time::Duration;

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use alloy::rpc::types::{Filter, Log};
use alloy::transports::{RpcError, TransportError};
use tidepool_sdk::alloy;
use tidepool_sdk::chain::Client;
use tokio::sync::watch;
use tracing::{info, warn};

/// A block's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Number.
    pub number: u64,
    /// Hash.
    pub hash: B256,
    /// Timestamp.
    pub timestamp: u64,
}

/// Stopped while waiting (Ctrl-C during an outage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// The node, with retries.
#[derive(Clone)]
pub struct Node {
    /// The connection.
    pub client: Client,
    stop: watch::Receiver<bool>,
}

/// Whether the node refused the request as too large (so a smaller one may work).
fn too_large(e: &TransportError) -> bool {
    match e {
        RpcError::ErrorResp(p) => {
            let m = p.message.to_lowercase();
            [
                "too many",
                "limit",
                "exceed",
                "range",
                "too large",
                "size",
                "timeout",
                "timed out",
                "more than",
            ]
            .iter()
            .any(|k| m.contains(k))
        }
        RpcError::Transport(k) => k.to_string().to_lowercase().contains("timed out"),
        _ => false,
    }
}

impl Node {
    /// Wraps a connection; `stop` ends retry loops when it turns true.
    pub fn new(client: Client, stop: watch::Receiver<bool>) -> Self {
        Self { client, stop }
    }

    /// Runs `f` until it succeeds, backing off from 100 ms to 5 s between tries
    /// and logging the outage and the recovery.
    pub async fn retry<T, F, Fut>(&self, what: &str, mut f: F) -> Result<T, Stopped>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, TransportError>>,
    {
        let mut delay = Duration::from_millis(100);
        let mut failures = 0u32;
        loop {
            if *self.stop.borrow() {
                return Err(Stopped);
            }
            match f().await {
                Ok(v) => {
                    if failures > 0 {
                        info!(what, failures, "the RPC endpoint answers again");
                    }
                    return Ok(v);
                }
                Err(e) => {
                    failures += 1;
                    warn!(what, error = %first_line(&e.to_string()), retry_in_ms = delay.as_millis() as u64, "RPC call failed; retrying");
                    let mut stop = self.stop.clone();
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = stop.wait_for(|s| *s) => return Err(Stopped),
                    }
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    /// The latest block number.
    pub async fn head(&self) -> Result<u64, Stopped> {
        let p = self.client.provider.clone();
        self.retry("eth_blockNumber", || {
            let p = p.clone();
            async move { p.get_block_number().await }
        })
        .await
    }

    /// Block `n`'s header; `None` when the chain is shorter.
    pub async fn header(&self, n: u64) -> Result<Option<Header>, Stopped> {
        let p = self.client.provider.clone();
        let block = self
            .retry("eth_getBlockByNumber", || {
                let p = p.clone();
                async move { p.get_block_by_number(BlockNumberOrTag::Number(n)).await }
            })
            .await?;
        Ok(block.map(|b| Header {
            number: b.header.number,
            hash: b.header.hash,
            timestamp: b.header.timestamp,
        }))
    }

    /// Logs of `addresses` (of any address when empty) with topic0 in `topics`
    /// over `[from, to]`; `None` when the chain got shorter than `to` while
    /// asking (a reorg dropped blocks: the caller re-checks the chain). A
    /// range the node refuses as too large, or that fails twice in a row, is
    /// halved (recursively); a single block is retried.
    pub async fn logs(
        &self,
        addresses: &[Address],
        topics: &[B256],
        from: u64,
        to: u64,
    ) -> Result<Option<Vec<Log>>, Stopped> {
        let mut out = Vec::new();
        let mut stack = vec![(from, to)];
        while let Some((a, b)) = stack.pop() {
            let mut filter = Filter::new()
                .event_signature(topics.to_vec())
                .from_block(a)
                .to_block(b);
            if !addresses.is_empty() {
                filter = filter.address(addresses.to_vec());
            }
            let mut delay = Duration::from_millis(100);
            let mut failures = 0u32;
            loop {
                if *self.stop.borrow() {
                    return Err(Stopped);
                }
                match self.client.provider.get_logs(&filter).await {
                    Ok(logs) => {
                        out.extend(logs);
                        break;
                    }
                    // A range that says it is too large, or fails twice in a
                    // row (nodes answer an oversized response with anything
                    // from -32600 "Invalid request" to a dropped connection),
                    // is halved; one block is retried until it succeeds.
                    // Nodes refuse a range past their head (anvil: "block
                    // height is N but requested was M"): retrying would wait
                    // for blocks that may never come.
                    Err(_) if self.head().await? < b => return Ok(None),
                    Err(e) if b > a && (too_large(&e) || failures >= 1) => {
                        let mid = a + (b - a) / 2;
                        // Pushed in reverse so the lower half is fetched first.
                        stack.push((mid + 1, b));
                        stack.push((a, mid));
                        break;
                    }
                    Err(e) => {
                        failures += 1;
                        warn!(from = a, to = b, error = %first_line(&e.to_string()), "eth_getLogs failed; retrying");
                        let mut stop = self.stop.clone();
                        tokio::select! {
                            _ = tokio::time::sleep(delay) => {}
                            _ = stop.wait_for(|s| *s) => return Err(Stopped),
                        }
                        delay = (delay * 2).min(Duration::from_secs(5));
                    }
                }
            }
        }
        Ok(Some(out))
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).chars().take(200).collect()
}
