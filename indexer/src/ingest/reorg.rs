//! Is what is stored still the chain? Before every round the checkpoint is
//! compared with the node: on a mismatch the stored block hashes are walked
//! back to the fork point and the orphaned rows rolled back; a changed
//! genesis (a devnet restarted) rebuilds this chain's rows.

use tracing::warn;

use super::Indexer;
use crate::config::hex;
use crate::error::Error;
use crate::rpc::{Node, Stopped};
use crate::store::Checkpoint;
use crate::write;

impl Indexer {
    /// Compares the checkpoint with the chain; on a mismatch finds the fork
    /// point and rolls back, or rebuilds after a chain reset.
    pub(super) async fn check_chain(&mut self, head: u64) -> Result<(), Option<Error>> {
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
}

/// Whether the stored checkpoint `cp` is still on the chain (a batch fetched
/// after a reorg below it must not be stacked on top of it).
pub(super) async fn still_canonical(
    node: &Node,
    cp: Option<Checkpoint>,
) -> Result<bool, Option<Error>> {
    let Some(cp) = cp else {
        return Ok(true);
    };
    let now = node.header(cp.number).await.map_err(|Stopped| None)?;
    Ok(now.is_some_and(|h| hex(h.hash) == cp.hash))
}
