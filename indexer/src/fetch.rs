//! Reading one block range of pair events, off the write path: the range's
//! end header, its logs, decoded and timestamped, and the header of the
//! block before it read *after* the logs, so the writer can tell whether the
//! range still continues what it stored (a reorg between the reads is seen
//! there). Ranges are read concurrently; all the writer does in chain order
//! is compare two hashes and commit.

use std::collections::{BTreeMap, BTreeSet};

use alloy::primitives::{Address, B256};
use tidepool_sdk::alloy;

use crate::events::{self, Event};
use crate::rpc::{Header, Node, Stopped};

/// The most pair addresses put in one `eth_getLogs` filter; above it pair
/// events are read by topic and filtered here.
pub const MAX_FILTER_ADDRESSES: usize = 2_000;

/// What the pair addresses and event topics of a read are.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Pair addresses, sorted.
    pub addresses: Vec<Address>,
    /// Event signatures (topic 0).
    pub topics: Vec<B256>,
}

/// One range, read.
#[derive(Debug)]
pub struct Range {
    /// Its first block.
    pub from: u64,
    /// Its last block.
    pub to: u64,
    /// The logs the node returned (for sizing the next ranges).
    pub logs: usize,
    /// `None` when the chain got shorter than the range or moved under the
    /// reads (a header of another chain than the logs): nothing of it may be
    /// written; the next round re-checks the chain.
    pub read: Option<Read>,
}

/// A range's consistent contents.
#[derive(Debug)]
pub struct Read {
    /// The last block's header: the checkpoint after this range.
    pub end: Header,
    /// Events in chain order, timestamps filled in (PairCreated included).
    pub events: Vec<Event>,
    /// One header per block with events.
    pub blocks: Vec<Header>,
    /// The block before the range as the node had it after the logs were
    /// read (`None` for block 0 or when it is gone).
    pub before: Option<Header>,
}

/// Reads `[from, to]`: the end header, the logs, then the header of
/// `from - 1`. `created` are the range's PairCreated events (read before,
/// from the factory), merged in chain order.
pub async fn range(
    node: Node,
    filter: &Filter,
    (from, to): (u64, u64),
    created: Vec<Event>,
) -> Result<Range, Stopped> {
    let gone = |logs| Range {
        from,
        to,
        logs,
        read: None,
    };
    // The end block's header first: its hash is the checkpoint's, and a
    // reorg after this read shows up as a mismatch with the logs or later.
    let Some(end) = node.header(to).await? else {
        return Ok(gone(0)); // the chain got shorter
    };
    let logs = if filter.addresses.is_empty() {
        Vec::new()
    } else if filter.addresses.len() > MAX_FILTER_ADDRESSES {
        // Too many pairs for one filter (100,000 addresses are a 4 MB
        // request, which nodes refuse): by topic, kept here.
        match node.logs(&[], &filter.topics, from, to).await? {
            Some(mut logs) => {
                logs.retain(|l| filter.addresses.binary_search(&l.address()).is_ok());
                logs
            }
            None => return Ok(gone(0)),
        }
    } else {
        match node
            .logs(&filter.addresses, &filter.topics, from, to)
            .await?
        {
            Some(logs) => logs,
            None => return Ok(gone(0)),
        }
    };
    let n = logs.len();
    let mut evs: Vec<Event> = logs.iter().filter_map(events::decode).collect();
    drop(logs);
    if !created.is_empty() {
        evs.extend(created);
        evs.sort_by_key(|e| (e.pos.block_number, e.pos.log_index));
    }
    let Some(blocks) = fill_timestamps(&node, &mut evs).await? else {
        return Ok(gone(n)); // the chain moved under the reads
    };
    if evs
        .iter()
        .any(|e| e.pos.block_number == end.number && e.pos.block_hash != end.hash)
    {
        return Ok(gone(n)); // the end block is of another chain than the logs
    }
    let before = match from.checked_sub(1) {
        Some(b) => node.header(b).await?,
        None => None,
    };
    Ok(Range {
        from,
        to,
        logs: n,
        read: Some(Read {
            end,
            events: evs,
            blocks,
            before,
        }),
    })
}

/// Fills in timestamps the node did not put in the logs (from the block
/// headers) and returns one header per block with events; `None` when a
/// header read is of another chain than the logs (a reorg between the reads).
pub async fn fill_timestamps(
    node: &Node,
    evs: &mut [Event],
) -> Result<Option<Vec<Header>>, Stopped> {
    let mut headers: BTreeMap<u64, Header> = BTreeMap::new();
    for e in evs.iter() {
        if let Some(ts) = e.timestamp {
            headers.entry(e.pos.block_number).or_insert(Header {
                number: e.pos.block_number,
                hash: e.pos.block_hash,
                timestamp: ts,
            });
        }
    }
    let missing: BTreeSet<u64> = evs
        .iter()
        .map(|e| e.pos.block_number)
        .filter(|n| !headers.contains_key(n))
        .collect();
    for n in missing {
        if let Some(h) = node.header(n).await? {
            headers.insert(n, h);
        }
    }
    // A header of another chain than the logs' (a reorg between the reads).
    if evs.iter().any(|e| {
        headers
            .get(&e.pos.block_number)
            .is_none_or(|h| h.hash != e.pos.block_hash)
    }) {
        return Ok(None);
    }
    for e in evs.iter_mut() {
        if e.timestamp.is_none() {
            e.timestamp = headers.get(&e.pos.block_number).map(|h| h.timestamp);
        }
    }
    Ok(Some(headers.into_values().collect()))
}
