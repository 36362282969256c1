//! The pricing state machine ([`Pricer`]) and a full re-pricing pass.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use alloy::primitives::U256;
use tidepool_sdk::alloy;

use super::PricingConfig;
use crate::args;
use crate::config::hex;
use crate::db::Sql;
use crate::error::Result;

/// A Sync's prices: the state right after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncPrices {
    /// `Bundle.ethPrice`.
    pub eth_price: f64,
    /// token0's `derivedETH`.
    pub derived0: f64,
    /// token1's `derivedETH`.
    pub derived1: f64,
    /// `Pair.trackedReserveETH`.
    pub tracked_reserve_eth: f64,
}

/// A swap's values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SwapUsd {
    /// Counted in `volumeUSD` (whitelisted sides only).
    pub tracked_usd: f64,
    /// `trackedAmountUSD / ethPrice`.
    pub tracked_eth: f64,
    /// Counted in `untrackedVolumeUSD` (both sides at derived prices, halved).
    pub untracked_usd: f64,
    /// token0's amount (in + out) in ETH and USD: its `TokenDayData` volume.
    pub side0: (f64, f64),
    /// token1's, likewise.
    pub side1: (f64, f64),
}

#[derive(Debug, Clone)]
struct PairState {
    token0: Rc<str>,
    token1: Rc<str>,
    dec0: i32,
    dec1: i32,
    r0: f64,
    r1: f64,
    reserve_eth: f64,
}

/// The pair of one token with each other token looked up (`None`: no pair).
type PairsWith = HashMap<Rc<str>, Option<Rc<str>>>;

/// Liquidity providers of a pair, as far as the "fewer than 5" rule needs them.
#[derive(Debug, Default)]
struct Providers {
    seen: HashSet<String>,
}

const ZERO: &str = "0x0000000000000000000000000000000000000000";

/// A whole-token amount of `raw` base units.
fn whole(raw: U256, decimals: i32) -> f64 {
    f64::from(raw) / 10f64.powi(decimals)
}

/// The state, read lazily from the rows already written (or, re-pricing from
/// the start, from nothing) and kept per batch.
///
/// Token and pair addresses are shared strings (`Rc<str>`): a Sync looks up
/// a dozen of them, and cloning a state or a list must not allocate.
pub struct Pricer<'c> {
    weth: Rc<str>,
    stables: Rc<[Rc<str>]>,
    whitelist: Rc<[Rc<str>]>,
    min_eth: f64,
    min_usd: f64,
    /// Re-pricing from the first event: the database holds later rows, so
    /// nothing dynamic is read from it.
    fresh: bool,
    pairs: HashMap<Rc<str>, PairState>,
    derived: HashMap<Rc<str>, f64>,
    eth_price: Option<f64>,
    providers: HashMap<String, Providers>,
    /// token a → token b → their pair, if any.
    pair_of: HashMap<Rc<str>, PairsWith>,
    _cfg: std::marker::PhantomData<&'c PricingConfig>,
}

impl<'c> Pricer<'c> {
    /// A pricer for `cfg`; `None` when the config prices nothing (no WETH).
    pub fn new(cfg: &'c PricingConfig) -> Option<Self> {
        let weth: Rc<str> = hex(cfg.weth?).into();
        Some(Self {
            weth,
            stables: cfg.stablecoins.iter().map(|a| hex(*a).into()).collect(),
            whitelist: cfg.whitelist.iter().map(|a| hex(*a).into()).collect(),
            min_eth: cfg.min_eth_liquidity,
            min_usd: cfg.min_usd_new_pairs,
            fresh: false,
            pairs: HashMap::new(),
            derived: HashMap::new(),
            eth_price: None,
            providers: HashMap::new(),
            pair_of: HashMap::new(),
            _cfg: std::marker::PhantomData,
        })
    }

    fn pair(&mut self, c: &mut dyn Sql, pair: &str) -> Result<PairState> {
        if let Some(p) = self.pairs.get(pair) {
            return Ok(p.clone());
        }
        let r = c.query_one(
            "SELECT p.token0, p.token1, t0.decimals, t1.decimals FROM pairs p
             LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1
             WHERE p.address = ?1",
            args![pair],
        )?;
        let (token0, token1, d0, d1): (String, String, Option<i32>, Option<i32>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let (dec0, dec1) = (d0.unwrap_or(0), d1.unwrap_or(0));
        let mut state = PairState {
            token0: token0.into(),
            token1: token1.into(),
            dec0,
            dec1,
            r0: 0.0,
            r1: 0.0,
            reserve_eth: 0.0,
        };
        if !self.fresh {
            let last = c.query_opt(
                "SELECT reserve0, reserve1, derived_eth0, derived_eth1 FROM syncs WHERE pair = ?1
                 ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
                args![pair],
            )?;
            if let Some(r) = last {
                let (r0, r1, e0, e1): (U256, U256, Option<f64>, Option<f64>) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                state.r0 = whole(r0, dec0);
                state.r1 = whole(r1, dec1);
                state.reserve_eth = state.r0 * e0.unwrap_or(0.0) + state.r1 * e1.unwrap_or(0.0);
            }
        }
        self.pairs.insert(pair.into(), state.clone());
        Ok(state)
    }

    fn derived(&mut self, c: &mut dyn Sql, token: &str) -> Result<f64> {
        if token == &*self.weth {
            return Ok(1.0);
        }
        if let Some(d) = self.derived.get(token) {
            return Ok(*d);
        }
        let mut best: Option<((i64, i64), f64)> = None;
        if !self.fresh {
            let pairs: Vec<(String, bool)> = c
                .query(
                    "SELECT address, token0 = ?1 FROM pairs WHERE token0 = ?1 OR token1 = ?1",
                    args![token],
                )?
                .iter()
                .map(|r| Ok((r.get(0)?, r.get(1)?)))
                .collect::<Result<_>>()?;
            for (pair, is0) in pairs {
                let row: Option<(i64, i64, Option<f64>, Option<f64>)> = c
                    .query_opt(
                        "SELECT block_number, log_index, derived_eth0, derived_eth1 FROM syncs WHERE pair = ?1
                         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT 1",
                        args![&pair],
                    )?
                    .map(|r| Ok::<_, crate::Error>((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .transpose()?;
                if let Some((b, l, e0, e1)) = row
                    && best.is_none_or(|(pos, _)| (b, l) > pos)
                {
                    best = Some(((b, l), if is0 { e0 } else { e1 }.unwrap_or(0.0)));
                }
            }
        }
        let d = best.map_or(0.0, |(_, d)| d);
        self.derived.insert(token.into(), d);
        Ok(d)
    }

    fn eth_price(&mut self, c: &mut dyn Sql) -> Result<f64> {
        if let Some(p) = self.eth_price {
            return Ok(p);
        }
        let p = if self.fresh {
            None
        } else {
            c.query_opt(
                "SELECT eth_price FROM syncs ORDER BY block_number DESC, log_index DESC LIMIT 1",
                &[],
            )?
            .map(|r| r.get::<Option<f64>>(0))
            .transpose()?
            .flatten()
        };
        let p = p.unwrap_or(0.0);
        self.eth_price = Some(p);
        Ok(p)
    }

    fn pair_of(&mut self, c: &mut dyn Sql, a: &str, b: &str) -> Result<Option<Rc<str>>> {
        if let Some(p) = self.pair_of.get(a).and_then(|m| m.get(b)) {
            return Ok(p.clone());
        }
        let p: Option<String> = c
            .query_opt(
                "SELECT address FROM pairs WHERE (token0 = ?1 AND token1 = ?2) OR (token0 = ?2 AND token1 = ?1)",
                args![a, b],
            )?
            .map(|r| r.get(0))
            .transpose()?;
        let p: Option<Rc<str>> = p.map(Into::into);
        self.pair_of
            .entry(a.into())
            .or_default()
            .insert(b.into(), p.clone());
        Ok(p)
    }

    /// Liquidity providers of `pair` (not zero, not the pair), counted up to 5.
    fn providers(&mut self, c: &mut dyn Sql, pair: &str) -> Result<usize> {
        if !self.providers.contains_key(pair) {
            let mut p = Providers::default();
            if !self.fresh {
                let rows = c.query(
                    "SELECT a FROM (SELECT to_address AS a FROM lp_transfers WHERE pair = ?1
                                    UNION SELECT from_address FROM lp_transfers WHERE pair = ?1) AS holders
                     WHERE a != ?2 AND a != ?1 LIMIT 5",
                    args![pair, ZERO],
                )?;
                for r in rows {
                    p.seen.insert(r.get(0)?);
                }
            }
            self.providers.insert(pair.to_string(), p);
        }
        Ok(self.providers[pair].seen.len())
    }

    /// A pair was created: lookups that found none may find it now.
    pub fn pair_created(&mut self) {
        for m in self.pair_of.values_mut() {
            m.retain(|_, p| p.is_some());
        }
    }

    /// An LP token transfer of `pair`.
    pub fn transfer(&mut self, pair: &str, from: &str, to: &str) {
        if let Some(p) = self.providers.get_mut(pair) {
            for a in [from, to] {
                if a != ZERO && a != pair && p.seen.len() < 5 {
                    p.seen.insert(a.to_string());
                }
            }
        }
    }

    fn find_eth_per_token(&mut self, c: &mut dyn Sql, token: &str) -> Result<f64> {
        if token == &*self.weth {
            return Ok(1.0);
        }
        for w in self.whitelist.clone().iter() {
            let Some(pair) = self.pair_of(c, token, w)? else {
                continue;
            };
            let p = self.pair(c, &pair)?;
            if p.reserve_eth > self.min_eth {
                return Ok(if &*p.token0 == token {
                    let price = if p.r0 != 0.0 { p.r1 / p.r0 } else { 0.0 };
                    price * self.derived(c, &p.token1)?
                } else {
                    let price = if p.r1 != 0.0 { p.r0 / p.r1 } else { 0.0 };
                    price * self.derived(c, &p.token0)?
                });
            }
        }
        Ok(0.0)
    }

    /// WETH's price in USD: the stablecoins' WETH pairs, weighted by their WETH.
    fn eth_price_now(&mut self, c: &mut dyn Sql) -> Result<f64> {
        let (mut usd, mut eth) = (0.0, 0.0);
        for s in self.stables.clone().iter() {
            let weth = self.weth.clone();
            let Some(pair) = self.pair_of(c, s, &weth)? else {
                continue;
            };
            let p = self.pair(c, &pair)?;
            let (w, x) = if p.token0 == weth {
                (p.r0, p.r1)
            } else {
                (p.r1, p.r0)
            };
            eth += w;
            usd += x;
        }
        Ok(if eth > 0.0 { usd / eth } else { 0.0 })
    }

    fn listed(&self, token: &str) -> bool {
        self.whitelist.iter().any(|w| &**w == token)
    }

    fn tracked_liquidity_usd(&mut self, c: &mut dyn Sql, p: &PairState, eth: f64) -> Result<f64> {
        let p0 = self.derived(c, &p.token0)? * eth;
        let p1 = self.derived(c, &p.token1)? * eth;
        Ok(match (self.listed(&p.token0), self.listed(&p.token1)) {
            (true, true) => p.r0 * p0 + p.r1 * p1,
            (true, false) => p.r0 * p0 * 2.0,
            (false, true) => p.r1 * p1 * 2.0,
            (false, false) => 0.0,
        })
    }

    /// A Sync of `pair`: reserves, then `ethPrice`, then each token's
    /// `derivedETH` (token0 first), then the pair's tracked and total ETH, in
    /// the subgraph's order.
    pub fn sync(&mut self, c: &mut dyn Sql, pair: &str, r0: U256, r1: U256) -> Result<SyncPrices> {
        let mut p = self.pair(c, pair)?;
        p.r0 = whole(r0, p.dec0);
        p.r1 = whole(r1, p.dec1);
        if let Some(stored) = self.pairs.get_mut(pair) {
            (stored.r0, stored.r1) = (p.r0, p.r1);
        }
        let eth = self.eth_price_now(c)?;
        self.eth_price = Some(eth);
        let d0 = self.find_eth_per_token(c, &p.token0)?;
        self.derived.insert(p.token0.clone(), d0);
        let d1 = self.find_eth_per_token(c, &p.token1)?;
        self.derived.insert(p.token1.clone(), d1);
        let (d0, d1) = (self.derived(c, &p.token0)?, self.derived(c, &p.token1)?);
        let tracked_usd = self.tracked_liquidity_usd(c, &p, eth)?;
        let tracked_reserve_eth = if eth != 0.0 { tracked_usd / eth } else { 0.0 };
        if let Some(stored) = self.pairs.get_mut(pair) {
            stored.reserve_eth = p.r0 * d0 + p.r1 * d1;
        }
        Ok(SyncPrices {
            eth_price: eth,
            derived0: d0,
            derived1: d1,
            tracked_reserve_eth,
        })
    }

    /// A swap of `pair` (amounts in, in, out, out).
    pub fn swap(
        &mut self,
        c: &mut dyn Sql,
        pair: &str,
        [a0i, a1i, a0o, a1o]: [U256; 4],
    ) -> Result<SwapUsd> {
        let p = self.pair(c, pair)?;
        let a0 = whole(a0i.saturating_add(a0o), p.dec0);
        let a1 = whole(a1i.saturating_add(a1o), p.dec1);
        let (d0, d1, eth) = (
            self.derived(c, &p.token0)?,
            self.derived(c, &p.token1)?,
            self.eth_price(c)?,
        );
        let untracked_usd = (d1 * a1 + d0 * a0) / 2.0 * eth;
        let (p0, p1) = (d0 * eth, d1 * eth);
        let (l0, l1) = (self.listed(&p.token0), self.listed(&p.token1));
        let mut tracked_usd = match (l0, l1) {
            (true, true) => (a0 * p0 + a1 * p1) / 2.0,
            (true, false) => a0 * p0,
            (false, true) => a1 * p1,
            (false, false) => 0.0,
        };
        if self.providers(c, pair)? < 5 {
            let (u0, u1) = (p.r0 * p0, p.r1 * p1);
            let reserve_usd = match (l0, l1) {
                (true, true) => u0 + u1,
                (true, false) => u0 * 2.0,
                (false, true) => u1 * 2.0,
                (false, false) => f64::INFINITY,
            };
            if reserve_usd < self.min_usd {
                tracked_usd = 0.0;
            }
        }
        Ok(SwapUsd {
            tracked_usd,
            tracked_eth: if eth != 0.0 { tracked_usd / eth } else { 0.0 },
            untracked_usd,
            side0: (a0 * d0, a0 * d0 * eth),
            side1: (a1 * d1, a1 * d1 * eth),
        })
    }

    /// A mint's or burn's `amountUSD`.
    pub fn liquidity(&mut self, c: &mut dyn Sql, pair: &str, a0: U256, a1: U256) -> Result<f64> {
        let p = self.pair(c, pair)?;
        let (d0, d1, eth) = (
            self.derived(c, &p.token0)?,
            self.derived(c, &p.token1)?,
            self.eth_price(c)?,
        );
        Ok((whole(a0, p.dec0) * d0 + whole(a1, p.dec1) * d1) * eth)
    }
}

/// Events re-priced per page (keyset pages in chain order).
const PAGE: i64 = 10_000;

/// Prices every stored event again from the first, in chain order, with
/// `cfg` (the pricing changed, or an index from before pricing existed).
pub fn reprice_all(c: &mut dyn Sql, cfg: &PricingConfig) -> Result<u64> {
    let Some(mut pricer) = Pricer::new(cfg) else {
        c.batch(
            "UPDATE main.syncs SET eth_price = NULL, derived_eth0 = NULL, derived_eth1 = NULL, tracked_reserve_eth = NULL
                 WHERE chain_id = scope_chain();
             UPDATE main.swaps SET tracked_usd = NULL, tracked_eth = NULL, untracked_usd = NULL, usd0 = NULL, usd1 = NULL, eth0 = NULL, eth1 = NULL
                 WHERE chain_id = scope_chain();
             UPDATE main.mints SET amount_usd = NULL WHERE chain_id = scope_chain();
             UPDATE main.burns SET amount_usd = NULL WHERE chain_id = scope_chain();",
        )?;
        return Ok(0);
    };
    pricer.fresh = true;
    let mut n = 0u64;
    let mut after = (-1i64, -1i64);
    loop {
        // Every event after `after`, a page at a time (the updates below
        // run on the same connection, so no cursor stays open across them).
        let page = c.query(
            "SELECT kind, block_number, log_index, pair, x, y, z, w FROM (
                 SELECT 0 AS kind, block_number, log_index, pair, CAST(reserve0 AS TEXT) AS x, CAST(reserve1 AS TEXT) AS y,
                        CAST(NULL AS TEXT) AS z, CAST(NULL AS TEXT) AS w FROM syncs
                 UNION ALL SELECT 1, block_number, log_index, pair, CAST(amount0_in AS TEXT), CAST(amount1_in AS TEXT),
                        CAST(amount0_out AS TEXT), CAST(amount1_out AS TEXT) FROM swaps
                 UNION ALL SELECT 2, block_number, log_index, pair, CAST(amount0 AS TEXT), CAST(amount1 AS TEXT), NULL, NULL FROM mints
                 UNION ALL SELECT 3, block_number, log_index, pair, CAST(amount0 AS TEXT), CAST(amount1 AS TEXT), NULL, NULL FROM burns
                 UNION ALL SELECT 4, block_number, log_index, pair, from_address, to_address, NULL, NULL FROM lp_transfers
             ) AS events
             WHERE block_number > ?1 OR (block_number = ?1 AND log_index > ?2)
             ORDER BY block_number, log_index LIMIT ?3",
            args![after.0, after.1, PAGE],
        )?;
        let Some(last) = page.last() else { break };
        after = (last.get(1)?, last.get(2)?);
        for r in &page {
            reprice_one(c, &mut pricer, r)?;
            n += 1;
        }
    }
    Ok(n)
}

fn reprice_one(c: &mut dyn Sql, pricer: &mut Pricer<'_>, r: &crate::db::Row) -> Result<()> {
    let (kind, b, l, pair): (i64, i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
    let u = |i| r.get::<Option<U256>>(i).map(Option::unwrap_or_default);
    match kind {
        0 => {
            let s = pricer.sync(c, &pair, u(4)?, u(5)?)?;
            c.execute(
                "UPDATE main.syncs SET eth_price = ?3, derived_eth0 = ?4, derived_eth1 = ?5, tracked_reserve_eth = ?6
                 WHERE chain_id = scope_chain() AND block_number = ?1 AND log_index = ?2",
                args![b, l, s.eth_price, s.derived0, s.derived1, s.tracked_reserve_eth],
            )?;
        }
        1 => {
            let s = pricer.swap(c, &pair, [u(4)?, u(5)?, u(6)?, u(7)?])?;
            write_swap(c, b, l, &s)?;
        }
        2 | 3 => {
            let v = pricer.liquidity(c, &pair, u(4)?, u(5)?)?;
            let table = if kind == 2 { "mints" } else { "burns" };
            c.execute(
                &format!(
                    "UPDATE main.{table} SET amount_usd = ?3 WHERE chain_id = scope_chain() AND block_number = ?1 AND log_index = ?2"
                ),
                args![b, l, v],
            )?;
        }
        _ => {
            let (from, to): (String, String) = (r.get(4)?, r.get(5)?);
            pricer.transfer(&pair, &from, &to);
        }
    }
    Ok(())
}

/// Stores a swap's values on its row.
pub fn write_swap(c: &mut dyn Sql, block: i64, log: i64, s: &SwapUsd) -> Result<()> {
    c.execute(
        "UPDATE main.swaps SET tracked_usd = ?3, tracked_eth = ?4, untracked_usd = ?5, eth0 = ?6, usd0 = ?7, eth1 = ?8, usd1 = ?9
         WHERE chain_id = scope_chain() AND block_number = ?1 AND log_index = ?2",
        args![block, log, s.tracked_usd, s.tracked_eth, s.untracked_usd, s.side0.0, s.side0.1, s.side1.0, s.side1.1],
    )?;
    Ok(())
}
