//! A growing delay after wrong wallet passwords. Each check of the wallet
//! password (unlock, and adding an account to a wallet that has one) passes
//! through the session's [`PasswordGate`]: one check at a time; after the
//! n-th wrong password in a row the reply is held back for
//! [`delay_after`]`(n)`, and any attempt during that wait is refused at once.
//! The right password resets the count.

use std::time::{Duration, Instant};

use crate::error::{AppError, AppResult};

/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// How long the reply to the `failures`-th wrong password in a row is held
/// back: nothing for a first typo, then 1, 2, 4, 8, 16 and at most 30 s.
pub fn delay_after(failures: u32) -> Duration {
    if failures < 2 {
        return Duration::ZERO;
    }
    let secs = 1u64.checked_shl(failures - 2).unwrap_or(u64::MAX);
    Duration::from_secs(secs).min(MAX_DELAY)
}

/// Wrong-password throttling state (one per session).
#[derive(Debug, Default)]
pub struct PasswordGate {
    failures: u32,
    checking: bool,
    until: Option<Instant>,
}

impl PasswordGate {
    /// Admits one password check (release it with [`PasswordGate::release`]),
    /// or refuses while another runs or while a wrong password's delay lasts.
    pub fn admit(&mut self) -> AppResult<()> {
        let left = self.until.map_or(Duration::ZERO, |u| {
            u.saturating_duration_since(Instant::now())
        });
        if !left.is_zero() {
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(AppError::wallet(format!(
                "the wallet password was wrong {} times in a row: wait {secs} s before trying again",
                self.failures
            )));
        }
        if self.checking {
            return Err(AppError::wallet(
                "the wallet password is being checked: try again once it is answered",
            ));
        }
        self.checking = true;
        Ok(())
    }

    /// Records a wrong password; returns how long to hold the reply back.
    pub fn wrong(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let delay = delay_after(self.failures);
        self.until = Some(Instant::now() + delay);
        delay
    }

    /// Records the right password: the count starts again.
    pub fn right(&mut self) {
        self.failures = 0;
        self.until = None;
    }

    /// Ends the admitted check (after the reply's delay, if any).
    pub fn release(&mut self) {
        self.checking = false;
    }

    /// Wrong passwords in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_the_second_miss_up_to_30_s() {
        let secs: Vec<u64> = (0..10).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(secs, [0, 0, 1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn one_check_at_a_time_refusals_during_the_wait_and_a_reset() {
        let mut g = PasswordGate::default();
        g.admit().unwrap();
        let busy = g.admit().unwrap_err();
        assert!(busy.message.contains("being checked"), "{}", busy.message);
        assert_eq!(g.wrong(), Duration::ZERO);
        g.release();
        g.admit().unwrap();
        assert_eq!(g.wrong(), Duration::from_secs(1));
        let wait = g.admit().unwrap_err();
        assert!(
            wait.message
                .contains("wrong 2 times in a row: wait 1 s before trying again"),
            "{}",
            wait.message
        );
        g.release();
        assert!(
            g.admit().is_err(),
            "still refused after the release: the wait goes on"
        );
        g.until = Some(Instant::now());
        g.admit().unwrap();
        g.right();
        g.release();
        assert_eq!(g.failures(), 0);
        g.admit().unwrap();
        assert_eq!(g.wrong(), Duration::ZERO, "the count started again");
    }
}
