//! Backfill and live follow: pairs discovered from the factory's PairCreated,
//! their events fetched in adaptive block ranges with bounded concurrency and
//! committed in chain order with the checkpoint; a reorg rolls back to the
//! fork point, a chain reset rebuilds the index.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use futures::StreamExt;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TidepoolFactory;
use tidepool_sdk::chain::Client;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use crate::bulk;
use crate::config::{Config, hex};
use crate::error::{Error, Result};
use crate::events::{self, Event, Kind};
use crate::fetch;
use crate::pricing::PricingConfig;
use crate::rpc::{Node, Stopped};
use crate::scope;
use crate::store::{Binding, Checkpoint, Store};
use crate::tokens;
use crate::write::{self, Batch};

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
        let mut store = Store::open(&cfg.db)?;
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
            && scope::chains(&self.store.conn)?.len() == 1;
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

    /// Compares the checkpoint with the chain; on a mismatch finds the fork
    /// point and rolls back, or rebuilds after a chain reset.
    async fn check_chain(&mut self, head: u64) -> Result<(), Option<Error>> {
        let Some(cp) = self.store.checkpoint().map_err(Some)? else {
            return Ok(());
        };
        if cp.number <= head {
            let h = self.node.header(cp.number).await.map_err(|Stopped| None)?;
            if h.is_some_and(|h| hex(h.hash) == cp.hash) {
                return Ok(());
            }
        }
        let genesis = self
            .node
            .header(0)
            .await
            .map_err(|Stopped| None)?
            .map(|h| h.hash);
        if genesis != Some(self.genesis) {
            let g = genesis.unwrap_or_default();
            warn!(old = %hex(self.genesis), new = %hex(g), "the chain was reset (anvil restarted?): rebuilding the index");
            self.store.reset(&hex(g)).map_err(Some)?;
            self.genesis = g;
            self.pairs.clear();
            self.summary.resets += 1;
            return Ok(());
        }
        let mut fork = None;
        for (number, hash) in
            write::stored_blocks(&self.store, cp.number, self.cfg.reorg_window).map_err(Some)?
        {
            if number > head {
                continue;
            }
            let h = self.node.header(number).await.map_err(|Stopped| None)?;
            if let Some(h) = h.filter(|h| hex(h.hash) == hash) {
                fork = Some(h);
                break;
            }
        }
        let fork = match fork {
            Some(f) => f,
            None if self.cfg.from_block == 0 => {
                warn!(
                    "no common block with the chain within the reorg window: rebuilding the index"
                );
                self.store.reset(&hex(self.genesis)).map_err(Some)?;
                self.pairs.clear();
                self.summary.resets += 1;
                return Ok(());
            }
            None => match self
                .node
                .header(self.cfg.from_block - 1)
                .await
                .map_err(|Stopped| None)?
            {
                Some(h) => h,
                None => {
                    return Err(Some(Error::ChainShorterThanStart(self.cfg.from_block)));
                }
            },
        };
        let deleted = write::rollback(&mut self.store, &fork).map_err(Some)?;
        self.pairs = write::pairs(&self.store)
            .map_err(Some)?
            .into_iter()
            .collect();
        self.summary.reorgs += 1;
        warn!(
            checkpoint = cp.number,
            fork = fork.number,
            rows_removed = deleted,
            "reorg: block {} is no longer on the chain; rolled back to block {} and re-indexing",
            cp.number,
            fork.number
        );
        Ok(())
    }

    /// Indexes `[from, to]`: discovery first, then pair events in concurrent
    /// ranges, committed in order.
    async fn sync_range(
        &mut self,
        from: u64,
        to: u64,
        progress: &mut (dyn FnMut(&Progress) + Send),
        start: u64,
        started: Instant,
    ) -> Result<(), Option<Error>> {
        // 1. New pairs (the factory's logs are few: one pass over the whole span).
        let created = self
            .node
            .logs(
                &[self.cfg.factory],
                &[events::pair_created_topic()],
                from,
                to,
            )
            .await
            .map_err(|Stopped| None)?;
        let Some(created) = created else {
            return Ok(()); // the chain got shorter: re-check next round
        };
        let mut by_block: BTreeMap<u64, Vec<Event>> = BTreeMap::new();
        let mut unknown: Vec<Address> = Vec::new();
        let mut new_pairs = Vec::new();
        for log in &created {
            if let Some(e) = events::decode(log)
                && let Kind::PairCreated {
                    token0,
                    token1,
                    pair,
                    ..
                } = e.kind
            {
                for t in [token0, token1] {
                    if !unknown.contains(&t) && !self.token_known(t).map_err(Some)? {
                        unknown.push(t);
                    }
                }
                new_pairs.push(pair);
                by_block.entry(e.pos.block_number).or_default().push(e);
            }
        }
        // Their metadata, all tokens at once (three calls each).
        let metas =
            futures::future::try_join_all(unknown.iter().map(|t| tokens::fetch(&self.node, *t)))
                .await
                .map_err(|Stopped| None)?;
        let mut new_tokens: Vec<_> = unknown.into_iter().zip(metas).collect();
        let mut addresses: Vec<Address> = self
            .pairs
            .iter()
            .copied()
            .chain(new_pairs.iter().copied())
            .collect();
        addresses.sort();
        addresses.dedup();
        // 2. Pair events over ranges, read (decoded, timestamped, checked)
        // concurrently, committed in order.
        let mut ranges = Vec::new();
        let mut a = from;
        while a <= to {
            let b = to.min(a.saturating_add(self.range - 1));
            ranges.push((a, b));
            a = b + 1;
        }
        let filter = Arc::new(fetch::Filter {
            addresses,
            topics: events::pair_topics(),
        });
        let node = self.node.clone();
        let mut reads = futures::stream::iter(ranges.into_iter().map(|(a, b)| {
            let (node, filter) = (node.clone(), filter.clone());
            let created: Vec<Event> = by_block
                .range(a..=b)
                .flat_map(|(_, v)| v.iter().cloned())
                .collect();
            tokio::spawn(async move { fetch::range(node, &filter, (a, b), created).await })
        }))
        .buffered(self.cfg.concurrency.max(1));
        // What the next range must continue: the stored checkpoint, then
        // each committed range's end.
        let mut below = self.store.checkpoint().map_err(Some)?;
        let mut first_batch = true;
        while let Some(joined) = reads.next().await {
            let r = match joined {
                Ok(Ok(r)) => r,
                Ok(Err(Stopped)) => return Err(None),
                Err(e) => return Err(Some(Error::Config(format!("a fetch task failed: {e}")))),
            };
            let (a, b) = (r.from, r.to);
            debug!(from = a, to = b, logs = r.logs, "read");
            let Some(read) = r.read else {
                return Ok(()); // the chain got shorter or moved: re-check next round
            };
            self.adapt(r.logs, b - a + 1);
            let continues = match &below {
                None => true,
                Some(cp) if cp.number + 1 == a => {
                    read.before.as_ref().is_some_and(|h| hex(h.hash) == cp.hash)
                }
                Some(cp) => still_canonical(&self.node, Some(cp.clone())).await?,
            };
            if !continues {
                // A reorg during the reads: the blocks already stored are of
                // another chain than this range. Nothing of it is written;
                // the next round's check finds the fork.
                return Ok(());
            }
            let batch = Batch {
                tokens: if first_batch {
                    std::mem::take(&mut new_tokens)
                } else {
                    Vec::new()
                },
                events: read.events,
                blocks: read.blocks,
                checkpoint: Some(read.end),
            };
            first_batch = false;
            let w = write::commit(&mut self.store, &batch).map_err(Some)?;
            debug!(to = b, events = w.events, "committed");
            below = batch.checkpoint.as_ref().map(|h| Checkpoint {
                number: h.number,
                hash: hex(h.hash),
            });
            for e in &batch.events {
                if let Kind::PairCreated { pair, .. } = e.kind {
                    self.pairs.insert(pair);
                }
            }
            self.summary.events += w.events;
            progress(&self.progress(start, to, started, false));
            if *self.stop.borrow() {
                return Err(None);
            }
        }
        Ok(())
    }

    fn token_known(&self, t: Address) -> Result<bool> {
        let n: i64 = self.store.conn.query_row(
            "SELECT count(*) FROM tokens WHERE address = ?1",
            [hex(t)],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Grows the range while responses are small, shrinks it when they are large.
    fn adapt(&mut self, logs: usize, span: u64) {
        if span < self.range {
            return;
        }
        if logs < 2_000 {
            self.range = (self.range * 2).min(self.cfg.max_range.max(1));
        } else if logs > 20_000 {
            self.range = (self.range / 2).max(1);
        }
    }
}

/// Whether the stored checkpoint `cp` is still on the chain (a batch fetched
/// after a reorg below it must not be stacked on top of it).
async fn still_canonical(node: &Node, cp: Option<Checkpoint>) -> Result<bool, Option<Error>> {
    let Some(cp) = cp else {
        return Ok(true);
    };
    let now = node.header(cp.number).await.map_err(|Stopped| None)?;
    Ok(now.is_some_and(|h| hex(h.hash) == cp.hash))
}
