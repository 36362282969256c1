//! The embedded indexer: the indexer library running in the background
//! against the app's node, writing to the app's data directory, so pools,
//! charts, positions and history come from the user's own machine. It is
//! restarted when the settings change or after an error; a chain reset is
//! handled inside the indexer (it rebuilds the index).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tidepool_indexer::config::Config;
use tidepool_indexer::db::{Db, Location};
use tidepool_indexer::ingest::Indexer;
use tidepool_indexer::store::Store;
use tokio::sync::watch;

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::views::IndexProgress;

/// Progress events are pushed at most this often while catching up.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Runs the indexer for as long as the app runs.
pub async fn supervise(core: Arc<Core>) {
    let mut shutdown = core.shutdown.subscribe();
    let mut generation = core.generation.subscribe();
    loop {
        if *shutdown.borrow() {
            return;
        }
        let Some(live) = core.live_opt() else {
            let mut chain = core.watch_chain();
            tokio::select! {
                _ = chain.wait_for(|c| c.live.is_some()) => {}
                _ = shutdown.changed() => return,
            }
            continue;
        };
        let db = core.index_path(live.client.chain_id, live.manifest.factory);
        if let Some(dir) = db.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut cfg = Config::new(live.client.url.clone(), live.manifest.factory, db);
        cfg.pricing = Some(tidepool_indexer::pricing::PricingConfig::from_manifest(
            &live.manifest,
        ));
        cfg.from_block = live.manifest.deploy_block;
        cfg.poll_interval = Duration::from_millis(200);
        let (stop_tx, stop_rx) = watch::channel(false);
        let run = {
            let core = core.clone();
            async move {
                let mut ix = Indexer::open(cfg, stop_rx).await?;
                let mut last = Instant::now() - PROGRESS_EVERY;
                let mut was_following = false;
                ix.run(move |p| {
                    if p.following != was_following || last.elapsed() >= PROGRESS_EVERY {
                        last = Instant::now();
                        was_following = p.following;
                        core.set_index_progress(IndexProgress {
                            checkpoint: Some(p.checkpoint),
                            target: Some(p.target),
                            following: p.following,
                            events: p.events,
                            error: None,
                        });
                    }
                })
                .await
            }
        };
        // A reset chain (the monitor saw another genesis) restarts the run at
        // once, rather than when the indexer's own retries notice it.
        let genesis = live.genesis;
        let mut chain = core.watch_chain();
        let reset = async move {
            // Woken by the monitor's updates, not by polling the node again.
            while chain.changed().await.is_ok() {
                if chain
                    .borrow_and_update()
                    .live
                    .as_ref()
                    .is_some_and(|l| l.genesis != genesis)
                {
                    return;
                }
            }
            // The app is closing: the shutdown branch ends the run.
            std::future::pending::<()>().await;
        };
        tokio::pin!(run);
        let outcome = tokio::select! {
            r = &mut run => Some(r),
            _ = shutdown.changed() => None,
            _ = generation.changed() => None,
            _ = reset => None,
        };
        match outcome {
            None => {
                let _ = stop_tx.send(true);
                let _ = tokio::time::timeout(Duration::from_secs(5), run).await;
                core.set_index_progress(IndexProgress::default());
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                tracing::warn!("embedded indexer stopped: {e}; restarting");
                let mut p = core.index_progress();
                p.error = Some(format!("{e}; retrying"));
                p.following = false;
                core.set_index_progress(p);
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// A read-only connection to the current chain's index.
pub fn open_index(core: &Core) -> AppResult<Db> {
    let live = core.live()?;
    let path = core.index_path(live.client.chain_id, live.manifest.factory);
    if !path.is_file() {
        return Err(AppError::internal(
            "the local index is still being created: try again in a moment",
        ));
    }
    Ok(Store::open_reader(
        &Location::File(path),
        Some(live.client.chain_id),
    )?)
}

/// Runs typed queries (`tidepool_indexer::query`) over the current chain's
/// index: the app reads the index only through them, never with SQL of its own.
pub fn read<T>(core: &Core, f: impl FnOnce(&Db) -> tidepool_indexer::Result<T>) -> AppResult<T> {
    Ok(f(&open_index(core)?)?)
}
