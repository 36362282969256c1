//! Prices and sums straight from an index's raw rows (reserves, amounts,
//! counts): what the GraphQL answers are checked against. Read through
//! `db::Db`, from a SQLite file or a PostgreSQL database alike.

use std::collections::HashMap;
use std::rc::Rc;

use tidepool_indexer::args;
use tidepool_indexer::db::{Db, Location};
use tidepool_sdk::alloy::primitives::U256;

/// A pair as the raw rows have it.
#[derive(Debug, Clone)]
pub struct RawPair {
    pub address: String,
    pub token0: String,
    pub token1: String,
    pub dec0: i32,
    pub dec1: i32,
    /// Latest Sync, base units.
    pub r0: U256,
    pub r1: U256,
}

impl RawPair {
    pub fn whole(&self) -> (f64, f64) {
        let f = |x: U256, d: i32| x.to_string().parse::<f64>().unwrap() / 10f64.powi(d);
        (f(self.r0, self.dec0), f(self.r1, self.dec1))
    }
}

pub struct Oracle {
    /// One connection, shared by the markets of [`Oracle::at`].
    pub conn: Rc<Db>,
    /// Pairs with their latest reserves.
    pub pairs: Vec<RawPair>,
    weth: String,
    stables: Vec<String>,
    whitelist: Vec<String>,
}

/// A chain position: (block, log index).
pub type Pos = (i64, i64);

pub fn u(s: &str) -> U256 {
    s.parse().unwrap()
}

impl Oracle {
    pub fn new(db: &Location, weth: &str, stables: &[String], whitelist: &[String]) -> Self {
        let conn = Rc::new(super::common::open(db));
        let pairs = conn
            .read(
                "SELECT p.address, p.token0, p.token1, t0.decimals, t1.decimals,
                        (SELECT reserve0 FROM syncs y WHERE y.pair = p.address ORDER BY block_number DESC, log_index DESC LIMIT 1),
                        (SELECT reserve1 FROM syncs y WHERE y.pair = p.address ORDER BY block_number DESC, log_index DESC LIMIT 1)
                 FROM pairs p JOIN tokens t0 ON t0.address = p.token0 JOIN tokens t1 ON t1.address = p.token1",
                &[],
            )
            .unwrap()
            .into_iter()
            .map(|r| RawPair {
                address: r.get(0).unwrap(),
                token0: r.get(1).unwrap(),
                token1: r.get(2).unwrap(),
                dec0: r.get(3).unwrap(),
                dec1: r.get(4).unwrap(),
                r0: u(&r.get::<Option<String>>(5).unwrap().unwrap_or("0".into())),
                r1: u(&r.get::<Option<String>>(6).unwrap().unwrap_or("0".into())),
            })
            .collect();
        Oracle {
            conn,
            pairs,
            weth: weth.into(),
            stables: stables.to_vec(),
            whitelist: whitelist.to_vec(),
        }
    }

    /// The market as it stood at `pos` (reserves of each pair's last Sync
    /// at or before it).
    pub fn at(&self, pos: Pos) -> Oracle {
        let pairs = self
            .pairs
            .iter()
            .map(|p| {
                let r: Option<(String, String)> = self
                    .conn
                    .read_opt(
                        "SELECT reserve0, reserve1 FROM syncs WHERE pair = ?1 AND (block_number < ?2 OR (block_number = ?2 AND log_index <= ?3))
                         ORDER BY block_number DESC, log_index DESC LIMIT 1",
                        args![&p.address, pos.0, pos.1],
                    )
                    .unwrap()
                    .map(|r| (r.get(0).unwrap(), r.get(1).unwrap()));
                let (r0, r1) = r.map_or((U256::ZERO, U256::ZERO), |(a, b)| (u(&a), u(&b)));
                RawPair { r0, r1, ..p.clone() }
            })
            .collect();
        Oracle {
            conn: self.conn.clone(),
            pairs,
            weth: self.weth.clone(),
            stables: self.stables.clone(),
            whitelist: self.whitelist.clone(),
        }
    }

    /// Where `pair` last synced.
    pub fn last_sync(&self, pair: &str) -> Pos {
        let r = self
            .conn
            .read_opt(
                "SELECT block_number, log_index FROM syncs WHERE pair = ?1 ORDER BY block_number DESC, log_index DESC LIMIT 1",
                args![pair],
            )
            .unwrap()
            .expect("a Sync");
        (r.get(0).unwrap(), r.get(1).unwrap())
    }

    /// The last Sync of any pair of `token`.
    pub fn last_sync_of_token(&self, token: &str) -> Pos {
        self.pairs
            .iter()
            .filter(|p| p.token0 == token || p.token1 == token)
            .map(|p| self.last_sync(&p.address))
            .max()
            .unwrap()
    }

    fn pair_of(&self, a: &str, b: &str) -> Option<&RawPair> {
        self.pairs
            .iter()
            .find(|p| (p.token0 == a && p.token1 == b) || (p.token0 == b && p.token1 == a))
    }

    /// USD per ETH: the stablecoins' WETH pairs, weighted by their WETH.
    pub fn eth_price(&self) -> f64 {
        let (mut usd, mut eth) = (0.0, 0.0);
        for s in &self.stables {
            if let Some(p) = self.pair_of(s, &self.weth) {
                let (a, b) = p.whole();
                let (w, x) = if p.token0 == self.weth {
                    (a, b)
                } else {
                    (b, a)
                };
                eth += w;
                usd += x;
            }
        }
        usd / eth
    }

    /// ETH per whole token, through its first whitelisted pair with WETH
    /// pricing (one hop deep, enough for the pools the tests build).
    pub fn eth_per(&self, token: &str) -> f64 {
        if token == self.weth {
            return 1.0;
        }
        for w in &self.whitelist {
            if let Some(p) = self.pair_of(token, w) {
                let (a, b) = p.whole();
                let (mine, theirs) = if p.token0 == token { (a, b) } else { (b, a) };
                let other = if p.token0 == token {
                    &p.token1
                } else {
                    &p.token0
                };
                let other_eth = if *other == self.weth {
                    1.0
                } else {
                    self.pair_of(other, &self.weth).map_or(0.0, |q| {
                        let (x, y) = q.whole();
                        if q.token0 == self.weth { x / y } else { y / x }
                    })
                };
                // reserveETH: both sides at this price, so twice the other side.
                if 2.0 * theirs * other_eth > 2.0 {
                    return theirs / mine * other_eth;
                }
            }
        }
        0.0
    }

    pub fn usd(&self, token: &str) -> f64 {
        self.eth_per(token) * self.eth_price()
    }

    pub fn listed(&self, token: &str) -> bool {
        self.whitelist.iter().any(|w| w == token)
    }

    /// Swaps of `pair`: (amount0 total, amount1 total) base units and
    /// position, in chain order.
    pub fn swaps(&self, pair: &str) -> Vec<(U256, U256, Pos)> {
        self.conn
            .read(
                "SELECT amount0_in, amount0_out, amount1_in, amount1_out, block_number, log_index FROM swaps WHERE pair = ?1
                 ORDER BY block_number, log_index",
                args![pair],
            )
            .unwrap()
            .into_iter()
            .map(|r| {
                let g = |i| u(&r.get::<String>(i).unwrap());
                (
                    g(0) + g(1),
                    g(2) + g(3),
                    (r.get(4).unwrap(), r.get(5).unwrap()),
                )
            })
            .collect()
    }

    /// Swaps, mints and burns of `pair`.
    pub fn tx_count(&self, pair: &str) -> i64 {
        self.conn
            .read_opt(
                "SELECT (SELECT count(*) FROM swaps WHERE pair = ?1) + (SELECT count(*) FROM mints WHERE pair = ?1)
                      + (SELECT count(*) FROM burns WHERE pair = ?1)",
                args![pair],
            )
            .unwrap()
            .expect("a row")
            .get(0)
            .unwrap()
    }

    /// The tracked USD of a swap at today's prices (the subgraph's rule).
    pub fn tracked(&self, p: &RawPair, a0: U256, a1: U256) -> f64 {
        let f = |x: U256, d: i32| x.to_string().parse::<f64>().unwrap() / 10f64.powi(d);
        let (u0, u1) = (
            f(a0, p.dec0) * self.usd(&p.token0),
            f(a1, p.dec1) * self.usd(&p.token1),
        );
        match (self.listed(&p.token0), self.listed(&p.token1)) {
            (true, true) => (u0 + u1) / 2.0,
            (true, false) => u0,
            (false, true) => u1,
            _ => 0.0,
        }
    }

    /// Exact totals per pair: (volume0, volume1) in base units.
    pub fn volumes(&self) -> HashMap<String, (U256, U256)> {
        self.pairs
            .iter()
            .map(|p| {
                let v = self
                    .swaps(&p.address)
                    .into_iter()
                    .fold((U256::ZERO, U256::ZERO), |a, s| (a.0 + s.0, a.1 + s.1));
                (p.address.clone(), v)
            })
            .collect()
    }
}
