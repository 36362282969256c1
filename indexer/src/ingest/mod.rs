//! Backfill and live follow: pairs discovered from the factory's PairCreated,
//! their events fetched in adaptive block ranges with bounded concurrency and
//! committed in chain order with the checkpoint; a reorg rolls back to the
//! fork point, a chain reset rebuilds the index.

use std::collections::BTreeSet;
use std::time::Instant;

use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TidepoolFactory;
use tidepool_sdk::chain::Client;
use tokio::sync::watch;
use tracing::{info, warn};

use crate::bulk;
use crate::config::{Config, hex};
use crate::error::{Error, Result};
use crate::pricing::PricingConfig;
use crate::rpc::Node;
use crate::scope;
use crate::store::{Binding, Store};
use crate::write;

mod reorg;
mod sync;

/// Where the indexer is, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Last committed block.
    pub checkpoint: u64,
    /// The block being caught up to.
    pub target: u64,
    /// The first block of this run.
    pub start: u64,
    /// Events written in this run.
    pub events: u64,
    /// Seconds since the run started.
    pub elapsed: f64,
    /// Whether the indexer is at the head, following.
    pub following: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Last committed block.
    pub checkpoint: Option<u64>,
    /// Events written.
    pub events: u64,
    /// Reorgs handled.
    pub reorgs: u64,
    /// Chain resets handled.
    pub resets: u64,
}

/// The indexer.
pub struct Indexer {
    cfg: Config,
    node: Node,
    /// The store (open for reads by the embedding process too).
    pub store: Store,
    pairs: BTreeSet<Address>,
    genesis: B256,
    stop: watch::Receiver<bool>,
    range: u64,
    summary: Summary,
    /// The secondary indexes are left for the head (`crate::bulk`).
    deferred: bool,
    /// New-head notifications, on a WebSocket endpoint.
    heads: Option<alloy::pubsub::Subscription<alloy::rpc::types::Header>>,
}

impl Indexer {
    /// Connects, checks the factory and the database, and loads the known pairs.
    /// Bad configuration fails here with one clear error.
    pub async fn open(cfg: Config, stop: watch::Receiver<bool>) -> Result<Self> {
        let client = Client::connect(&cfg.rpc).await?;
        let genesis = client.genesis_hash().await?;
        let code = client
            .provider
            .get_code_at(cfg.factory)
            .await
            .map_err(|e| client.err(e))?;
        if code.is_empty() {
            return Err(Error::NoFactory {
                factory: cfg.factory,
                chain_id: client.chain_id,
            });
        }
        TidepoolFactory::new(cfg.factory, &client.provider)
            .allPairsLength()
            .call()
            .await
            .map_err(|_| Error::NotAFactory(cfg.factory))?;
        let mut store = Store::open_at(&cfg.db)?;
        let mut summary = Summary {
            checkpoint: None,
            events: 0,
            reorgs: 0,
            resets: 0,
        };
        match store.bind(
            client.chain_id,
            &hex(genesis),
            &hex(cfg.factory),
            cfg.from_block,
        )? {
            Binding::ChainReset => {
                warn!(
                    "the chain was reset (its genesis block changed): rebuilding the index from block {}",
                    cfg.from_block
                );
                store.reset(&hex(genesis))?;
                summary.resets += 1;
            }
            Binding::New | Binding::Same => {}
        }
        // Given pricing wins; else what the index was priced with; else the chain's default.
        let pricing = match (&cfg.pricing, store.stored_pricing()?) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(_)) => None,
            (None, None) => Some(PricingConfig::for_chain(client.chain_id)),
        };
        if let Some(p) = pricing {
            let n = store.set_pricing(&p)?;
            if n > 0 {
                info!("priced {n} stored events again with the new pricing settings");
            }
        }
        let pairs = write::pairs(&store)?.into_iter().collect();
        let range = cfg.initial_range.max(1);
        let deferred = store.indexes_deferred()?;
        Ok(Self {
            node: Node::new(client, stop.clone()),
            cfg,
            store,
            pairs,
            genesis,
            stop,
            range,
            summary,
            deferred,
            heads: None,
        })
    }

    /// The chain this indexer follows.
    pub fn chain_id(&self) -> u64 {
        self.node.client.chain_id
    }

    /// Runs until `to_block` is indexed (backfill) or until stopped (follow).
    /// `progress` is called after every committed batch.
    pub async fn run(&mut self, mut progress: impl FnMut(&Progress) + Send) -> Result<Summary> {
        let started = Instant::now();
        let start = self.next_block()?;
        // A first backfill (nothing stored yet) of more than a couple of
        // ranges writes without the secondary indexes; see `crate::bulk`.
        // Not while other chains share the store: their readers need the indexes.
        let mut fresh = self.cfg.defer_indexes
            && self.store.checkpoint()?.is_none()
            && scope::chains_db(&self.store.db)?.len() == 1;
        loop {
            if *self.stop.borrow() {
                break;
            }
            let Ok(head) = self.node.head().await else {
                break;
            };
            let target = self.cfg.to_block.map_or(head, |t| t.min(head));
            match self.check_chain(head).await {
                Ok(()) => {}
                Err(Some(e)) => return Err(e),
                Err(None) => break,
            }
            let next = self.next_block()?;
            if next > target {
                fresh = false;
                self.build_deferred_indexes()?;
                if self.cfg.to_block.is_some_and(|t| next > t) {
                    break;
                }
                progress(&self.progress(start, target, started, true));
                if self.wait_for_block().await {
                    break;
                }
                continue;
            }
            if fresh && !self.deferred && target - next + 1 > 2 * self.range {
                self.store.defer_indexes()?;
                self.deferred = true;
                info!(
                    "a first backfill of {} blocks: building {} secondary indexes once at the head",
                    target - next + 1,
                    bulk::DEFERRABLE.len()
                );
            }
            match self
                .sync_range(
                    next,
                    target,
                    &mut |p: &Progress| progress(p),
                    start,
                    started,
                )
                .await
            {
                Ok(()) => {}
                Err(Some(e)) => return Err(e),
                Err(None) => break,
            }
        }
        self.summary.checkpoint = self.store.checkpoint()?.map(|c| c.number);
        Ok(self.summary)
    }

    /// Builds the indexes a first backfill left for the head, if any.
    fn build_deferred_indexes(&mut self) -> Result<()> {
        if self.deferred {
            let t = Instant::now();
            self.store.build_deferred_indexes()?;
            self.deferred = false;
            info!(
                "built {} secondary indexes at the head in {:.2} s",
                bulk::DEFERRABLE.len(),
                t.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }

    fn progress(&self, start: u64, target: u64, started: Instant, following: bool) -> Progress {
        Progress {
            checkpoint: self
                .store
                .checkpoint()
                .ok()
                .flatten()
                .map_or(start.saturating_sub(1), |c| c.number),
            target,
            start,
            events: self.summary.events,
            elapsed: started.elapsed().as_secs_f64(),
            following,
        }
    }

    /// Waits for the next block: a new-head notification on a WebSocket
    /// endpoint (with a poll every 20 intervals as a safety net), else one poll
    /// interval. Returns true when stopped.
    async fn wait_for_block(&mut self) -> bool {
        let mut stop = self.stop.clone();
        if self.heads.is_none() && self.cfg.rpc.starts_with("ws") {
            self.heads = self.node.client.provider.subscribe_blocks().await.ok();
        }
        let Some(heads) = self.heads.as_mut() else {
            tokio::select! {
                _ = tokio::time::sleep(self.cfg.poll_interval) => return false,
                _ = stop.wait_for(|s| *s) => return true,
            }
        };
        let closed = tokio::select! {
            r = heads.recv() => r.is_err(),
            _ = tokio::time::sleep(self.cfg.poll_interval * 20) => false,
            _ = stop.wait_for(|s| *s) => return true,
        };
        if closed {
            // The socket dropped: subscribe again on the next wait.
            self.heads = None;
        }
        false
    }

    fn next_block(&self) -> Result<u64> {
        Ok(self
            .store
            .checkpoint()?
            .map_or(self.cfg.from_block, |c| c.number + 1))
    }
}
