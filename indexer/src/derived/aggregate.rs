//! The one aggregate of the derived tables: swaps and syncs folded into
//! candle and pair/day accumulators. Pure (no I/O): the forward path extends
//! stored rows with it, rebuilds fold raw rows from nothing.

use std::collections::BTreeMap;

use alloy::primitives::U256;
use tidepool_sdk::alloy;

use super::{DAY, INTERVALS, PairDecimals, bucket, fee};

/// One swap as the derived tables see it.
#[derive(Debug, Clone)]
pub struct SwapFact {
    /// Pair address (lower-case hex).
    pub pair: String,
    /// Block timestamp.
    pub ts: i64,
    /// token1 per token0 after the swap.
    pub price: Option<f64>,
    /// token1 per token0 before the swap (see [`price_before`]): what a
    /// candle opening with this swap opens at.
    pub before: Option<f64>,
    /// amount0_in, amount1_in, amount0_out, amount1_out.
    pub amounts: [U256; 4],
    /// Its priced values in millionths ([`Micro`]); zero when unpriced.
    pub micro: Micro,
}

/// A swap's priced values in millionths of a dollar or an ether (integers:
/// sums are exact and do not depend on how they are grouped): tracked USD,
/// tracked ETH, untracked USD, token0's side in ETH and USD, token1's.
pub type Micro = [i64; 7];

/// The [`Micro`] of a swap's values.
pub fn micro(s: &crate::pricing::SwapUsd) -> Micro {
    micro_of([
        s.tracked_usd,
        s.tracked_eth,
        s.untracked_usd,
        s.side0.0,
        s.side0.1,
        s.side1.0,
        s.side1.1,
    ])
}

/// Values (in [`Micro`]'s order) in millionths, rounded.
pub fn micro_of(values: [f64; 7]) -> Micro {
    values.map(|x| {
        if x.is_finite() {
            (x * 1e6).round() as i64
        } else {
            0
        }
    })
}

fn add(a: Micro, b: Micro) -> Micro {
    std::array::from_fn(|i| a[i].saturating_add(b[i]))
}

/// One Sync: the pair's reserves at a time.
#[derive(Debug, Clone)]
pub struct SyncFact {
    /// Pair address.
    pub pair: String,
    /// Block timestamp.
    pub ts: i64,
    /// reserve0, reserve1.
    pub reserves: (U256, U256),
}

/// token1 per token0 in whole tokens at reserves `(r0, r1)`; `None` when
/// reserve0 is zero.
pub fn price(r0: U256, r1: U256, d: PairDecimals) -> Option<f64> {
    // ruint rounds to the nearest f64, as parsing the decimal string did
    // (`f64_of_u256_rounds_like_parsing_its_decimal`), without the string.
    let (a, b) = (f64::from(r0), f64::from(r1));
    if a == 0.0 {
        return None;
    }
    let (d0, d1) = d.map_or((0, 0), |(x, y)| (x.unwrap_or(0), y.unwrap_or(0)));
    Some(b / a * 10f64.powi(i32::from(d0) - i32::from(d1)))
}

/// The price before a swap: a V2 pair computes a swap's amounts in from its
/// balances, so the reserves before are exactly those after (`reserves`),
/// less what came in, plus what went out. `None` when the reserves are
/// unknown or do not add up (a candle then opens at the swap's own price).
pub fn price_before(
    reserves: Option<(U256, U256)>,
    [a0i, a1i, a0o, a1o]: [U256; 4],
    d: PairDecimals,
) -> Option<f64> {
    let (r0, r1) = reserves?;
    let b0 = r0.checked_add(a0o)?.checked_sub(a0i)?;
    let b1 = r1.checked_add(a1o)?.checked_sub(a1i)?;
    price(b0, b1, d).filter(|p| *p > 0.0)
}

/// A candle's accumulator; swaps without a price count in volume only.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candle {
    pub(super) open: Option<f64>,
    pub(super) high: f64,
    pub(super) low: f64,
    pub(super) close: f64,
    pub(super) v0: U256,
    pub(super) v1: U256,
    pub(super) n: i64,
    /// Tracked volume, micro-USD.
    pub(super) usd: i64,
}

impl Default for Candle {
    fn default() -> Self {
        Self {
            open: None,
            high: f64::MIN,
            low: f64::MAX,
            close: 0.0,
            v0: U256::ZERO,
            v1: U256::ZERO,
            n: 0,
            usd: 0,
        }
    }
}

impl Candle {
    fn swap(&mut self, s: &SwapFact) {
        let [a0i, a1i, a0o, a1o] = s.amounts;
        // Opens where the price stood before the swap, so a bucket holding one
        // swap still shows its move; high and low take in the open.
        let open = s.price.map(|p| s.before.unwrap_or(p));
        let (hi, lo) = match (open, s.price) {
            (Some(o), Some(p)) => (o.max(p), o.min(p)),
            _ => (f64::MIN, f64::MAX),
        };
        self.then(&Candle {
            open,
            high: hi,
            low: lo,
            close: s.price.unwrap_or(0.0),
            v0: a0i.saturating_add(a0o),
            v1: a1i.saturating_add(a1o),
            n: 1,
            usd: s.micro[0],
        });
    }

    /// Extends this candle with a later one.
    pub(super) fn then(&mut self, later: &Candle) {
        if let Some(p) = later.open {
            self.open.get_or_insert(p);
            self.high = self.high.max(later.high);
            self.low = self.low.min(later.low);
            self.close = later.close;
        }
        self.v0 = self.v0.saturating_add(later.v0);
        self.v1 = self.v1.saturating_add(later.v1);
        self.n += later.n;
        self.usd = self.usd.saturating_add(later.usd);
    }
}

/// A pair/day accumulator.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Day {
    pub(super) v0: U256,
    pub(super) v1: U256,
    pub(super) f0: U256,
    pub(super) f1: U256,
    pub(super) n: i64,
    pub(super) close: Option<(U256, U256)>,
    pub(super) micro: Micro,
}

impl Day {
    fn swap(&mut self, s: &SwapFact) {
        let [a0i, a1i, a0o, a1o] = s.amounts;
        self.then(&Day {
            v0: a0i.saturating_add(a0o),
            v1: a1i.saturating_add(a1o),
            f0: fee(a0i),
            f1: fee(a1i),
            n: 1,
            close: None,
            micro: s.micro,
        });
    }

    /// Extends this day with a later part of it.
    pub(super) fn then(&mut self, later: &Day) {
        self.v0 = self.v0.saturating_add(later.v0);
        self.v1 = self.v1.saturating_add(later.v1);
        self.f0 = self.f0.saturating_add(later.f0);
        self.f1 = self.f1.saturating_add(later.f1);
        self.n += later.n;
        self.close = later.close.or(self.close);
        self.micro = add(self.micro, later.micro);
    }
}

/// Swaps and syncs (in chain order) folded into candles and pair/days.
#[derive(Debug, Default)]
pub struct Aggregate {
    pub(super) candles: BTreeMap<(String, i64, i64), Candle>,
    pub(super) days: BTreeMap<(String, i64), Day>,
}

impl Aggregate {
    /// Adds one swap.
    pub fn swap(&mut self, s: &SwapFact) {
        for i in INTERVALS {
            let key = (s.pair.clone(), i, bucket(s.ts, i));
            self.candles.entry(key).or_default().swap(s);
        }
        let key = (s.pair.clone(), bucket(s.ts, DAY));
        self.days.entry(key).or_default().swap(s);
    }

    /// Adds one Sync.
    pub fn sync(&mut self, s: &SyncFact) {
        let key = (s.pair.clone(), bucket(s.ts, DAY));
        self.days.entry(key).or_default().close = Some(s.reserves);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swap(ts: i64, price: Option<f64>, a: u64) -> SwapFact {
        SwapFact {
            pair: "0xp".into(),
            ts,
            price,
            before: None,
            amounts: [U256::from(a), U256::ZERO, U256::ZERO, U256::from(a / 2)],
            micro: [a as i64, 1, 2, 3, 4, 5, 6],
        }
    }

    /// A candle opens at the price before its first swap: a bucket holding
    /// one swap spans that swap's move (it is not a flat line at its close).
    #[test]
    fn a_candle_opens_where_the_price_stood_before_its_first_swap() {
        // 10 token0 in, 2 token1 out: reserves (100, 400) before, (110, 398) after.
        let amounts = [U256::from(10), U256::ZERO, U256::ZERO, U256::from(2)];
        let reserves = Some((U256::from(110), U256::from(398)));
        let d = Some((Some(6), Some(0)));
        let after = price(U256::from(110), U256::from(398), d).unwrap();
        let before = price_before(reserves, amounts, d).unwrap();
        assert_eq!(before, price(U256::from(100), U256::from(400), d).unwrap());
        assert_eq!((before, after), (4e6, 398.0 / 110.0 * 1e6));
        let mut agg = Aggregate::default();
        let fact = |ts, price, before| SwapFact {
            pair: "0xp".into(),
            ts,
            price: Some(price),
            before: Some(before),
            amounts,
            micro: Micro::default(),
        };
        agg.swap(&fact(65, after, before));
        agg.swap(&fact(130, 3.0e6, after));
        let c = |start| agg.candles[&("0xp".to_string(), 60, start)].clone();
        let (one, two) = (c(60), c(120));
        assert_eq!(
            (one.open, one.high, one.low, one.close),
            (Some(before), before, after, after)
        );
        assert_eq!((two.open, two.high, two.low), (Some(after), after, 3.0e6));
        // Reserves that do not add up leave the open at the swap's own price.
        let short = Some((U256::from(5), U256::from(398)));
        assert_eq!(price_before(short, amounts, d), None);
        assert_eq!(price_before(None, amounts, d), None);
    }

    /// Folding in one go equals folding two parts and extending the first
    /// with the second: why forward batches and rebuilds agree.
    #[test]
    fn folding_in_parts_equals_folding_at_once() {
        let swaps = [
            swap(10, Some(2.0), 1000),
            swap(20, None, 7),
            swap(70, Some(1.5), 999),
            swap(80, Some(3.0), 5),
        ];
        for cut in 0..=swaps.len() {
            let mut whole = Aggregate::default();
            swaps.iter().for_each(|s| whole.swap(s));
            let (mut a, mut b) = (Aggregate::default(), Aggregate::default());
            swaps[..cut].iter().for_each(|s| a.swap(s));
            swaps[cut..].iter().for_each(|s| b.swap(s));
            for (k, later) in &b.candles {
                a.candles.entry(k.clone()).or_default().then(later);
            }
            for (k, later) in &b.days {
                a.days.entry(k.clone()).or_default().then(later);
            }
            assert_eq!(a.candles, whole.candles, "cut at {cut}");
            assert_eq!(a.days, whole.days, "cut at {cut}");
        }
        let mut agg = Aggregate::default();
        swaps.iter().for_each(|s| agg.swap(s));
        let minute = &agg.candles[&("0xp".to_string(), 60, 0)];
        assert_eq!((minute.open, minute.close, minute.n), (Some(2.0), 2.0, 2));
        let day = &agg.days[&("0xp".to_string(), 0)];
        assert_eq!(day.f0, U256::from(3 + 2)); // 0.3% of 1000 and of 999, rounded down per swap
        assert_eq!(day.micro, [1000 + 7 + 999 + 5, 4, 8, 12, 16, 20, 24]);
        assert_eq!(minute.usd, 1000 + 7);
    }

    /// The f64 of a 256-bit amount is the nearest double, exactly as parsing
    /// its decimal string gives (prices stored before and after the switch
    /// agree bit for bit), across magnitudes and rounding boundaries.
    #[test]
    fn f64_of_u256_rounds_like_parsing_its_decimal() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let limbs = [next(), next(), next(), next()];
            let shift = (next() % 256) as usize;
            let v = U256::from_limbs(limbs) >> shift;
            // Halfway cases too: a 54-bit odd value shifted is a tie.
            let tie =
                (U256::from(next() >> 10 | 1) << 1 | U256::from(1u8)) << (next() % 190) as usize;
            for v in [v, tie, v.saturating_add(U256::from(1u8))] {
                let parsed: f64 = v.to_string().parse().unwrap();
                assert_eq!(f64::from(v).to_bits(), parsed.to_bits(), "{v}");
            }
        }
    }
}
