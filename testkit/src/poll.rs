//! Bounded polling: wait for a condition, fail clearly when it never comes.

use std::time::{Duration, Instant};

/// How often [`wait_for`] asks again.
pub const INTERVAL: Duration = Duration::from_millis(50);

/// Calls `check` every [`INTERVAL`] until it returns `Ok`, and returns that
/// value. `Err(reason)` means "not yet"; after `timeout` the test fails with
/// `what` and the last reason.
pub async fn wait_for<T>(
    what: &str,
    timeout: Duration,
    mut check: impl AsyncFnMut() -> Result<T, String>,
) -> T {
    let t = Instant::now();
    loop {
        match check().await {
            Ok(v) => return v,
            Err(reason) => assert!(
                t.elapsed() < timeout,
                "timed out after {timeout:?} waiting until {what}; last: {reason}"
            ),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}
