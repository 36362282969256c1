//! Loading and refreshing a [`MarketState`] from the node.

use std::collections::BTreeSet;

use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::primitives::B256;
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use futures::{StreamExt, TryStreamExt};

use super::lens::{self, PAIRS_PER_CALL, PairRow};
use super::{Head, MAX_LOG_GAP, MarketState, Refresh};
use crate::bindings::{TidepoolFactory::PairCreated, TidepoolPair::Sync};
use crate::chain::Client;
use crate::error::{Error, Result};

/// Batched calls in flight during a full load.
const IN_FLIGHT: usize = 4;

struct NodeHead {
    number: u64,
    hash: B256,
    parent: B256,
}

impl MarketState {
    /// Brings the state to the node's latest block: a full load the first
    /// time, after a chain reset or a fork deeper than the kept heads; logs
    /// since the last head otherwise (a batched re-read after a long gap).
    pub async fn refresh(&mut self, client: &Client) -> Result<Refresh> {
        if client.chain_id != self.chain_id {
            return Err(Error::WrongChain {
                expected: self.chain_id,
                actual: client.chain_id,
            });
        }
        let head = node_head(client).await?;
        let Some(last) = self.heads.back().cloned() else {
            return self.reload(client, &head).await;
        };
        if (head.number, head.hash) == (last.number, last.hash) {
            return Ok(Refresh::default());
        }
        let mut out = Refresh::default();
        let mut dirty = BTreeSet::new();
        let on_chain = if head.number == last.number + 1 {
            head.parent == last.hash
        } else {
            hash_at(client, last.number).await? == Some(last.hash)
        };
        if !on_chain {
            // Roll back to the newest kept head the node still has.
            loop {
                let Some(h) = self.heads.back().cloned() else {
                    return self.reload(client, &head).await;
                };
                if hash_at(client, h.number).await? == Some(h.hash) {
                    self.truncate(h.pair_count);
                    dirty.retain(|&i| i < h.pair_count);
                    out.rolled_back = last.number - h.number;
                    break;
                }
                dirty.extend(h.touched.iter().copied());
                self.heads.pop_back();
            }
        }
        let from = self.block() + 1;
        let at = BlockId::number(head.number);
        let mut touched: BTreeSet<u32> = BTreeSet::new();
        if head.number + 1 - from > MAX_LOG_GAP {
            let known = self.pairs.len() as u64;
            let (created, _) = load_pairs(client, self.factory, known, at).await?;
            out.created = created.len();
            for row in created {
                touched.insert(self.push_pair(row));
            }
            dirty.extend(0..known as u32);
        } else if head.number >= from {
            let created_filter = Filter::new()
                .address(self.factory)
                .event_signature(PairCreated::SIGNATURE_HASH)
                .from_block(from)
                .to_block(head.number);
            let sync_filter = Filter::new()
                .event_signature(Sync::SIGNATURE_HASH)
                .from_block(from)
                .to_block(head.number);
            let (created, syncs) = tokio::try_join!(
                client.provider.get_logs(&created_filter),
                client.provider.get_logs(&sync_filter),
            )
            .map_err(|e| client.err(e))?;
            for log in created {
                let e = PairCreated::decode_log_data(log.data())
                    .map_err(|e| Error::Rpc(format!("a PairCreated log does not decode: {e}")))?;
                out.created += 1;
                touched.insert(self.push_pair(PairRow {
                    pair: e.pair,
                    token0: e.token0,
                    token1: e.token1,
                    reserve0: 0,
                    reserve1: 0,
                }));
            }
            for log in syncs {
                let Some(&i) = self.index.get(&log.address()) else {
                    continue; // a Sync of another exchange's pair
                };
                let Ok(e) = Sync::decode_log_data(log.data()) else {
                    continue;
                };
                self.set_reserves(i, e.reserve0.to(), e.reserve1.to());
                touched.insert(i);
            }
        }
        if !dirty.is_empty() {
            let idx: Vec<u32> = dirty.into_iter().collect();
            let addrs: Vec<_> = idx.iter().map(|&i| self.pairs[i as usize].pair).collect();
            let reserves = lens::reserves(client, &addrs, at).await?;
            for (&i, (r0, r1)) in idx.iter().zip(reserves) {
                let row = self.pairs[i as usize];
                if (row.reserve0, row.reserve1) != (r0, r1) {
                    touched.insert(i);
                }
                self.set_reserves(i, r0, r1);
            }
        }
        out.changed = touched.len();
        self.push_head(Head {
            number: head.number,
            hash: head.hash,
            pair_count: self.pairs.len() as u32,
            touched: touched.into_iter().collect(),
        });
        Ok(out)
    }

    /// Reads every pair again at the node's head.
    async fn reload(&mut self, client: &Client, head: &NodeHead) -> Result<Refresh> {
        self.clear();
        self.genesis = client.genesis_hash().await?;
        let (rows, _) = load_pairs(client, self.factory, 0, BlockId::number(head.number)).await?;
        self.pairs = rows;
        self.reindex();
        self.push_head(Head {
            number: head.number,
            hash: head.hash,
            pair_count: self.pairs.len() as u32,
            touched: vec![],
        });
        Ok(Refresh {
            created: self.pairs.len(),
            changed: 0,
            rolled_back: 0,
            reloaded: true,
        })
    }
}

/// Pairs `start..` of `factory` at `at`, [`PAIRS_PER_CALL`] a call, a few in flight.
async fn load_pairs(
    client: &Client,
    factory: alloy::primitives::Address,
    start: u64,
    at: BlockId,
) -> Result<(Vec<PairRow>, u64)> {
    let (length, mut rows) =
        lens::pairs(client, factory, start, start + PAIRS_PER_CALL as u64, at).await?;
    let ranges: Vec<(u64, u64)> = (start + PAIRS_PER_CALL as u64..length)
        .step_by(PAIRS_PER_CALL)
        .map(|s| (s, (s + PAIRS_PER_CALL as u64).min(length)))
        .collect();
    let rest: Vec<Vec<PairRow>> = futures::stream::iter(ranges)
        .map(|(s, e)| async move { lens::pairs(client, factory, s, e, at).await.map(|r| r.1) })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await?;
    rows.extend(rest.into_iter().flatten());
    Ok((rows, length))
}

async fn node_head(client: &Client) -> Result<NodeHead> {
    let b = client
        .provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .map_err(|e| client.err(e))?
        .ok_or_else(|| Error::Rpc("the node has no latest block".into()))?;
    Ok(NodeHead {
        number: b.header.number,
        hash: b.header.hash,
        parent: b.header.parent_hash,
    })
}

async fn hash_at(client: &Client, number: u64) -> Result<Option<B256>> {
    Ok(client
        .provider
        .get_block_by_number(number.into())
        .await
        .map_err(|e| client.err(e))?
        .map(|b| b.header.hash))
}
