//! One round of indexing `[from, to]`: the factory's new pairs first, then
//! their events read in concurrent adaptive ranges off the write path, each
//! committed in chain order with the checkpoint, and only if it continues
//! what is stored.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use alloy::primitives::Address;
use futures::StreamExt;
use tidepool_sdk::alloy;
use tracing::debug;

use super::reorg::still_canonical;
use super::{Indexer, Progress};
use crate::config::hex;
use crate::error::{Error, Result};
use crate::events::{self, Event, Kind};
use crate::rpc::Stopped;
use crate::store::Checkpoint;
use crate::write::{self, Batch};
use crate::{fetch, tokens};

impl Indexer {
    /// Indexes `[from, to]`: discovery first, then pair events in concurrent
    /// ranges, committed in order.
    pub(super) async fn sync_range(
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
        let n: i64 = self
            .store
            .db
            .read_opt(
                "SELECT count(*) FROM tokens WHERE address = ?1",
                crate::args![hex(t)],
            )?
            .map_or(Ok(0), |r| r.get(0))?;
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
