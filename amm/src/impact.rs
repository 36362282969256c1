//! Price impact, defined once, and the policy that decides what a trade of a
//! given impact needs. The CLI, the app's Rust side and (through the
//! generated bindings) its UI all read these; none keeps its own thresholds.
//!
//! Price impact is how far the trade moves the price against the trader,
//! *excluding* the LP fee, which is shown on its own (as Uniswap's interface
//! does): `1 − execution / (mid × 0.997^hops)`, never negative. A tiny trade
//! in a deep pool has an impact of about zero, and an LP fee of 0.3% per hop.

use alloy_primitives::U256;
use serde::{Deserialize, Serialize};

/// Basis points in one whole.
pub const BPS: u32 = 10_000;

/// What each pool keeps of the amount in, in thousandths (0.3% fee).
const FEE_KEPT_PER_MILLE: u32 = 997;

/// Price impact as a fraction: `1 − execution / (mid × 0.997^hops)`, clamped
/// to `[0, 1]`. `mid` and `execution` are output per input in the same units.
pub fn price_impact(mid: f64, execution: f64, hops: usize) -> f64 {
    if mid <= 0.0 || !mid.is_finite() || !execution.is_finite() {
        return 0.0;
    }
    let kept = (f64::from(FEE_KEPT_PER_MILLE) / 1000.0).powi(i32::try_from(hops).unwrap_or(3));
    (1.0 - execution / (mid * kept)).clamp(0.0, 1.0)
}

/// A fraction in basis points, rounded, at most 10,000.
pub fn to_bps(fraction: f64) -> u32 {
    (fraction.clamp(0.0, 1.0) * f64::from(BPS)).round() as u32
}

/// The LP fees of a route crossing `hops` pools, in units of the token in:
/// `amount_in × (1 − 0.997^hops)`, rounded the way the pools round.
pub fn lp_fee(amount_in: U256, hops: usize) -> U256 {
    let mut kept = amount_in;
    for _ in 0..hops {
        kept = kept * U256::from(FEE_KEPT_PER_MILLE) / U256::from(1000u32);
    }
    amount_in - kept
}

/// How a trade's price impact is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ImpactTier {
    /// Below 1%: nothing to say.
    None,
    /// From 1%: a note.
    Low,
    /// From 3%: a warning.
    Medium,
    /// From 5%: a strong warning.
    High,
    /// Above 10% (or above 15% where the user allowed such trades): the user
    /// must confirm that they accept it before anything is sent.
    Confirm,
    /// Above 15%: refused unless the user allowed high-impact trades.
    Blocked,
}

/// The thresholds of the tiers, in basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpactPolicy {
    /// From this impact on: [`ImpactTier::Low`].
    pub low_bps: u32,
    /// From this impact on: [`ImpactTier::Medium`].
    pub medium_bps: u32,
    /// From this impact on: [`ImpactTier::High`].
    pub high_bps: u32,
    /// Above this impact: [`ImpactTier::Confirm`].
    pub confirm_above_bps: u32,
    /// Above this impact: [`ImpactTier::Blocked`] (unless allowed).
    pub block_above_bps: u32,
}

impl Default for ImpactPolicy {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// Why the policy stops a trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImpactRefusal {
    /// The impact is above the block threshold and such trades are not allowed.
    #[error("the price impact is {}, above {}: the trade is refused", pct(*impact_bps), pct(*limit_bps))]
    Blocked {
        /// The trade's impact.
        impact_bps: u32,
        /// The threshold it is above.
        limit_bps: u32,
    },
    /// The impact needs the user's confirmation, which was not given.
    #[error("the price impact is {}, above {}: it needs your confirmation", pct(*impact_bps), pct(*limit_bps))]
    NeedsConfirmation {
        /// The trade's impact.
        impact_bps: u32,
        /// The threshold it is above.
        limit_bps: u32,
    },
}

/// Basis points as a percentage: whole percents without decimals ("15%"),
/// others with two ("12.34%", "0.05%").
pub fn pct(bps: u32) -> String {
    if bps.is_multiple_of(100) {
        format!("{}%", bps / 100)
    } else {
        format!("{}.{:02}%", bps / 100, bps % 100)
    }
}

impl ImpactPolicy {
    /// Tidepool's thresholds: 1%, 3%, 5%; confirm above 10%, refuse above 15%.
    pub const STANDARD: Self = Self {
        low_bps: 100,
        medium_bps: 300,
        high_bps: 500,
        confirm_above_bps: 1_000,
        block_above_bps: 1_500,
    };

    /// The tier of a trade with `impact_bps`; `allow_high` turns a blocked
    /// trade into one that needs confirmation.
    pub fn tier(&self, impact_bps: u32, allow_high: bool) -> ImpactTier {
        if impact_bps > self.block_above_bps {
            if allow_high {
                ImpactTier::Confirm
            } else {
                ImpactTier::Blocked
            }
        } else if impact_bps > self.confirm_above_bps {
            ImpactTier::Confirm
        } else if impact_bps >= self.high_bps {
            ImpactTier::High
        } else if impact_bps >= self.medium_bps {
            ImpactTier::Medium
        } else if impact_bps >= self.low_bps {
            ImpactTier::Low
        } else {
            ImpactTier::None
        }
    }

    /// Whether a trade with `impact_bps` may go ahead, given whether
    /// high-impact trades are allowed and whether the user confirmed.
    pub fn check(
        &self,
        impact_bps: u32,
        allow_high: bool,
        confirmed: bool,
    ) -> Result<(), ImpactRefusal> {
        match self.tier(impact_bps, allow_high) {
            ImpactTier::Blocked => Err(ImpactRefusal::Blocked {
                impact_bps,
                limit_bps: self.block_above_bps,
            }),
            ImpactTier::Confirm if !confirmed => Err(ImpactRefusal::NeedsConfirmation {
                impact_bps,
                limit_bps: self.confirm_above_bps,
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_excludes_the_fee() {
        let bps = |m, e, h| to_bps(price_impact(m, e, h));
        assert_eq!(bps(2.0, 2.0 * 0.997, 1), 0);
        assert_eq!(bps(2.0, 2.0 * 0.997 * 0.99, 1), 100);
        assert_eq!(bps(1.0, 0.997f64.powi(2) * 0.8, 2), 2000);
        assert_eq!(bps(0.0, 1.0, 1), 0);
        assert_eq!(bps(1.0, f64::NAN, 1), 0);
        assert_eq!(bps(1.0, 0.0, 1), 10_000);
    }

    #[test]
    fn lp_fee_compounds_per_hop() {
        assert_eq!(lp_fee(U256::from(1000u32), 1), U256::from(3u32));
        assert_eq!(lp_fee(U256::from(1_000_000u32), 2), U256::from(5_991u32));
        assert_eq!(lp_fee(U256::ZERO, 3), U256::ZERO);
    }

    #[test]
    fn tiers_follow_the_thresholds() {
        let p = ImpactPolicy::STANDARD;
        let cases = [
            (0, ImpactTier::None, ImpactTier::None),
            (99, ImpactTier::None, ImpactTier::None),
            (100, ImpactTier::Low, ImpactTier::Low),
            (300, ImpactTier::Medium, ImpactTier::Medium),
            (500, ImpactTier::High, ImpactTier::High),
            (1_000, ImpactTier::High, ImpactTier::High),
            (1_001, ImpactTier::Confirm, ImpactTier::Confirm),
            (1_500, ImpactTier::Confirm, ImpactTier::Confirm),
            (1_501, ImpactTier::Blocked, ImpactTier::Confirm),
            (10_000, ImpactTier::Blocked, ImpactTier::Confirm),
        ];
        for (bps, plain, allowed) in cases {
            assert_eq!(p.tier(bps, false), plain, "{bps}");
            assert_eq!(p.tier(bps, true), allowed, "{bps} allowed");
        }
    }

    #[test]
    fn the_check_refuses_and_asks_as_the_tiers_say() {
        let p = ImpactPolicy::STANDARD;
        assert!(p.check(999, false, false).is_ok());
        assert!(matches!(
            p.check(1_200, false, false),
            Err(ImpactRefusal::NeedsConfirmation {
                impact_bps: 1_200,
                limit_bps: 1_000
            })
        ));
        assert!(p.check(1_200, false, true).is_ok());
        assert!(matches!(
            p.check(1_600, false, true),
            Err(ImpactRefusal::Blocked {
                impact_bps: 1_600,
                limit_bps: 1_500
            })
        ));
        assert!(p.check(1_600, true, false).is_err());
        assert!(p.check(1_600, true, true).is_ok());
        assert_eq!(pct(1_234), "12.34%");
        assert_eq!(pct(5), "0.05%");
        assert_eq!(pct(1_500), "15%");
    }
}
