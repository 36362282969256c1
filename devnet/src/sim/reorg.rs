//! Reorgs on demand: every `every` simulated blocks, the latest `depth`
//! blocks are rolled back (anvil's `anvil_rollback`) and replaced. Either
//! the orphaned transactions are re-included, each orphaned block's in a
//! replacement block of its own at a later timestamp (same transactions,
//! other blocks), or they are dropped and the market goes on without them
//! (the agents' nonces are read again). Which, and the depth, come from the
//! seed.

use std::fmt;
use std::str::FromStr;

/// When and how deep to reorg.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reorgs {
    /// Simulated blocks between reorgs.
    pub every: u64,
    /// Fewest blocks replaced.
    pub min_depth: u64,
    /// Most blocks replaced.
    pub max_depth: u64,
}

/// A depth: `D` or a range `MIN-MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth(pub u64, pub u64);

impl FromStr for Depth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let num = |x: &str| {
            x.trim().parse::<u64>().map_err(|_| {
                format!("`{s}` is not a depth: give a number of blocks (3) or a range (1-5)")
            })
        };
        let (lo, hi) = match s.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => {
                let d = num(s)?;
                (d, d)
            }
        };
        if lo == 0 || lo > hi {
            return Err(format!(
                "`{s}` is not a depth: at least 1 block, and the range's first number no larger than its second"
            ));
        }
        if hi > MAX_DEPTH {
            return Err(format!(
                "a reorg of {hi} blocks is deeper than the {MAX_DEPTH} the simulation keeps"
            ));
        }
        Ok(Depth(lo, hi))
    }
}

impl fmt::Display for Depth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == self.1 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{}-{}", self.0, self.1)
        }
    }
}

/// The deepest reorg (blocks the simulation remembers).
pub const MAX_DEPTH: u64 = 64;

/// What the reorgs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReorgCount {
    /// Reorgs.
    pub reorgs: u64,
    /// Blocks replaced.
    pub blocks: u64,
    /// Orphaned transactions mined again.
    pub reincluded: u64,
    /// Orphaned transactions dropped.
    pub dropped: u64,
}
