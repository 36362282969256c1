//! WAL checkpoints off the write path. SQLite's automatic checkpoint runs
//! inside the writer's `COMMIT` that crosses the threshold, copying the WAL
//! into the database while the next batch waits (a tenth of a backfill's
//! commit time, by profile). This thread, on its own connection, runs a
//! passive checkpoint after every commit instead: it never blocks the writer
//! or readers, and a crash at any point leaves the WAL for SQLite to recover
//! as before. The writer keeps an automatic checkpoint at a higher threshold
//! ([`WRITER_AUTOCHECKPOINT_PAGES`]) as a backstop, so the WAL stays bounded
//! when this thread falls behind.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;
use tracing::warn;

/// The writer connection's own automatic checkpoint threshold, in WAL pages
/// (SQLite's default is 1,000): reached only when the background checkpoints
/// fall behind.
pub const WRITER_AUTOCHECKPOINT_PAGES: i64 = 8_000;

/// How long the thread sleeps without a commit before checkpointing anyway.
const IDLE_INTERVAL: Duration = Duration::from_secs(1);

/// A background checkpointing thread for one database; stops when dropped.
pub struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the WAL database at `path`.
    pub fn start(path: &Path) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (nudge, nudged) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while let Ok(()) | Err(RecvTimeoutError::Timeout) =
                    nudged.recv_timeout(IDLE_INTERVAL)
                {
                    if let Err(e) =
                        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        warn!(error = %e, "a WAL checkpoint failed; retrying after the next commit");
                    }
                }
            })?;
        Ok(Self {
            nudge: Some(nudge),
            thread: Some(thread),
        })
    }

    /// Tells the thread a transaction was committed (never blocks: a nudge
    /// already pending covers this one).
    pub fn committed(&self) {
        if let Some(n) = &self.nudge {
            let _ = n.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudge.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
