//! Several (RPC, factory) sources followed side by side into one store, one
//! per chain: each source is an [`Indexer`] with its own connection,
//! checkpoint, reorg handling and chain-reset detection; SQLite lets their
//! writers take turns (`Store::open`: immediate transactions).

use futures::future::try_join_all;
use tokio::sync::watch;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{Indexer, Progress, Summary};

/// Opens an indexer per source, in order (the store is migrated once, by the
/// first). Two sources on one chain are refused before anything is written
/// for the second; so is a first backfill's index deferral while several
/// sources share the store (`crate::bulk`: the others' readers need them).
pub async fn open_all(cfgs: Vec<Config>, stop: watch::Receiver<bool>) -> Result<Vec<Indexer>> {
    let several = cfgs.len() > 1;
    let mut out: Vec<Indexer> = Vec::with_capacity(cfgs.len());
    for mut cfg in cfgs {
        if several {
            cfg.defer_indexes = false;
        }
        // Asked before opening: a second devnet on chain 31337 would look
        // like a reset of the first and wipe its rows.
        let chain = tidepool_sdk::chain::Client::connect(&cfg.rpc)
            .await?
            .chain_id;
        if out.iter().any(|ix| ix.chain_id() == chain) {
            return Err(Error::DuplicateChain(chain));
        }
        out.push(Indexer::open(cfg, stop.clone()).await?);
    }
    Ok(out)
}

/// Runs every indexer until each is done (`to_block`) or stopped; the first
/// error stops them all (an interrupted batch is rolled back, never half
/// written). `progress` gets each committed batch with its chain.
pub async fn run_all(
    indexers: &mut [Indexer],
    progress: &(dyn Fn(u64, &Progress) + Sync),
) -> Result<Vec<(u64, Summary)>> {
    try_join_all(indexers.iter_mut().map(|ix| async move {
        let chain = ix.chain_id();
        let summary = ix.run(|p: &Progress| progress(chain, p)).await?;
        Ok::<_, Error>((chain, summary))
    }))
    .await
}
