//! The indexer itself: a backfill of the whole chain, a replay of its write
//! path against the raw rows alone (where the time goes), and
//! live lag (a block mined → its swap queryable).

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use tidepool_indexer::config::Config;
use tidepool_indexer::db::{Db, Location};
use tidepool_indexer::events::Event;
use tidepool_indexer::ingest::Indexer;
use tidepool_indexer::rpc::Header;
use tidepool_indexer::store::Store;
use tidepool_indexer::write::{self, Batch};
use tidepool_sdk::signer::{dev_address, dev_signer};
use tokio::sync::watch;

use crate::ceilings::insert_events;
use crate::chain::{Anvil, Meta, Res};
use crate::swaps::SwapGen;

/// A backfill run.
pub struct Backfill {
    /// Wall time from `Indexer::open` to the end of `run`.
    pub secs: f64,
    /// Events written (Summary.events).
    pub events: u64,
    /// After each committed batch: checkpoint block and seconds since the start.
    pub batches: Vec<(u64, f64)>,
}

impl Backfill {
    /// Events per second.
    pub fn rate(&self) -> f64 {
        self.events as f64 / self.secs
    }
}

fn config(url: &str, meta: &Meta, db: &Location) -> Config {
    let mut cfg = Config::new(url, meta.factory, db.clone());
    cfg.from_block = meta.deploy_block;
    cfg.pricing = Some(crate::chain::pricing(meta));
    cfg
}

/// Indexes `[deploy block, to]` into a fresh `db`; `range` pins the getLogs
/// range (default: the indexer's adaptive one).
pub async fn backfill(
    url: &str,
    meta: &Meta,
    db: &Location,
    to: u64,
    range: Option<u64>,
) -> Res<Backfill> {
    let (_stop, stop_rx) = watch::channel(false);
    let mut cfg = config(url, meta, db);
    cfg.to_block = Some(to);
    if let Some(r) = range {
        cfg.initial_range = r;
        cfg.max_range = r;
    }
    let started = Instant::now();
    let mut indexer = Indexer::open(cfg, stop_rx).await?;
    let mut batches = Vec::new();
    let summary = indexer
        .run(|p| {
            if !p.following {
                batches.push((p.checkpoint, started.elapsed().as_secs_f64()));
            }
        })
        .await?;
    let secs = started.elapsed().as_secs_f64();
    if summary.checkpoint != Some(to) {
        return Err(format!("the backfill stopped at {:?}, not {to}", summary.checkpoint).into());
    }
    Ok(Backfill {
        secs,
        events: summary.events,
        batches,
    })
}

/// Where the write path's time goes, replaying the backfill's batches.
pub struct Profile {
    /// Batches replayed.
    pub batches: usize,
    /// `write::commit` of every batch (raw rows + derived tables + checkpoint).
    pub commit_secs: f64,
    /// The same raw rows alone, batch by batch, one transaction each.
    pub raw_secs: f64,
}

/// `events` cut at the batch boundaries `bounds`: (end block, start, end) ranges.
pub fn cuts(events: &[Event], bounds: &[u64]) -> Vec<(u64, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for b in bounds {
        let end = start + events[start..].partition_point(|e| e.pos.block_number <= *b);
        out.push((*b, start, end));
        start = end;
    }
    out
}

/// Seconds `write::commit` takes for every batch, into a fresh `db`.
pub fn replay_commit(
    db: &Location,
    events: &[Event],
    cuts: &[(u64, usize, usize)],
    pricing: &tidepool_indexer::pricing::PricingConfig,
) -> Res<f64> {
    let header = |e: &Event| Header {
        number: e.pos.block_number,
        hash: e.pos.block_hash,
        timestamp: e.timestamp.unwrap_or_default(),
    };
    let mut store = Store::open_at(db)?;
    // A replay of the bench chain's events: bound to its chain id like a run.
    store.bind(31337, "replay", "replay", 0)?;
    store.set_pricing(pricing)?;
    let mut secs = 0.0;
    for (b, s, e) in cuts {
        let evs = events[*s..*e].to_vec();
        let mut blocks: Vec<Header> = evs.iter().map(header).collect();
        blocks.dedup_by_key(|h| h.number);
        let checkpoint = blocks.last().map(|h| Header { number: *b, ..*h });
        let batch = Batch {
            events: evs,
            tokens: Vec::new(),
            blocks,
            checkpoint,
        };
        let t = Instant::now();
        write::commit(&mut store, &batch)?;
        secs += t.elapsed().as_secs_f64();
    }
    Ok(secs)
}

/// Seconds the raw rows of the same batches take alone, into a fresh `db`.
fn replay_raw(db: &Path, events: &[Event], cuts: &[(u64, usize, usize)]) -> Res<f64> {
    let mut store = Store::open(db)?;
    let mut reserves = Default::default();
    let t = Instant::now();
    for (_, s, e) in cuts {
        let tx = store.sqlite_mut().expect("a SQLite store").transaction()?;
        insert_events(&tx, &events[*s..*e], &mut reserves)?;
        tx.commit()?;
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Replays `events` (chain order, PairCreated included) cut at the backfill's
/// batch boundaries `bounds` into fresh databases in `dir` (named after
/// `tag`), twice each way, alternating; the best of each.
pub fn replay(
    dir: &Path,
    tag: &str,
    events: &[Event],
    bounds: &[u64],
    pricing: &tidepool_indexer::pricing::PricingConfig,
) -> Res<Profile> {
    let cuts = cuts(events, bounds);
    let mut p = Profile {
        batches: cuts.len(),
        commit_secs: f64::MAX,
        raw_secs: f64::MAX,
    };
    for i in 0..2 {
        let db = Location::File(dir.join(format!("replay-commit-{tag}-{i}.sqlite")));
        p.commit_secs = p
            .commit_secs
            .min(replay_commit(&db, events, &cuts, pricing)?);
        let db = dir.join(format!("replay-raw-{tag}-{i}.sqlite"));
        p.raw_secs = p.raw_secs.min(replay_raw(&db, events, &cuts)?);
    }
    Ok(p)
}

/// Live lag samples.
pub struct Live {
    /// Milliseconds from `evm_mine` returning to the swap row being visible.
    pub lags_ms: Vec<f64>,
    /// Blocks whose row did not appear within 10 s.
    pub timeouts: usize,
}

fn checkpoint(db: &Db) -> Res<u64> {
    let v: Option<i64> = match db.read_opt("SELECT max(checkpoint_block) FROM chains", &[])? {
        Some(r) => r.get(0)?,
        None => None,
    };
    Ok(v.unwrap_or(0) as u64)
}

/// Follows the chain with the indexer (polling every `poll`) while `blocks`
/// blocks of one swap each are mined; `db` is already caught up to the head.
pub async fn live(
    anvil: &Anvil,
    meta: &Meta,
    db: &Location,
    blocks: usize,
    poll: Duration,
) -> Res<Live> {
    let rpc = &anvil.rpc;
    rpc.call(
        "anvil_setBlockTimestampInterval",
        json!([crate::chain::BLOCK_SECS]),
    )
    .await?;
    rpc.call("evm_setAutomine", json!([false])).await?;
    let signer = dev_signer(1);
    let nonce = rpc.nonce(dev_address(1)).await?;
    let mut swap_gen = SwapGen::new(0x11fe_1a65, meta);
    let raws = (0..blocks as u64)
        .map(|i| swap_gen.swap(&signer, nonce + i))
        .collect::<Res<Vec<_>>>()?;
    let (stop, stop_rx) = watch::channel(false);
    let mut cfg = config(&anvil.url, meta, db);
    cfg.poll_interval = poll;
    let mut indexer = Indexer::open(cfg, stop_rx).await?;
    let task = tokio::spawn(async move { indexer.run(|_| {}).await });
    let reader = Store::open_reader(db, None)?;
    let head = rpc.block_number().await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while checkpoint(&reader)? < head {
        if Instant::now() > deadline {
            return Err("the indexer did not reach the head within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut lags_ms = Vec::with_capacity(blocks);
    let mut timeouts = 0;
    for (i, raw) in raws.iter().enumerate() {
        rpc.call("eth_sendRawTransaction", json!([raw])).await?;
        rpc.call("evm_mine", json!([])).await?;
        let mined = Instant::now();
        let number = (head + 1 + i as u64) as i64;
        let seen = tokio::task::block_in_place(|| -> Res<bool> {
            loop {
                let found = reader
                    .read_opt(
                        "SELECT EXISTS(SELECT 1 FROM swaps WHERE block_number = ?1)",
                        tidepool_indexer::args![number],
                    )?
                    .map(|r| r.get::<bool>(0))
                    .transpose()?;
                if found == Some(true) {
                    return Ok(true);
                }
                if mined.elapsed() > Duration::from_secs(10) {
                    return Ok(false);
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        })?;
        if seen {
            lags_ms.push(mined.elapsed().as_secs_f64() * 1e3);
        } else {
            timeouts += 1;
        }
    }
    let _ = stop.send(true);
    task.await??;
    let end = rpc.block_number().await?;
    if end != head + blocks as u64 {
        return Err(format!(
            "expected head {} after the live phase, got {end}",
            head + blocks as u64
        )
        .into());
    }
    Ok(Live { lags_ms, timeouts })
}
