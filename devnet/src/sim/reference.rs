//! Reference prices: for each token, a geometric Brownian motion with Merton
//! jumps, advanced one block at a time. Each token draws from its own ChaCha
//! stream of the seed, so a token's path depends only on the seed, its place
//! in the list and its own parameters.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Poisson, StandardNormal};

use super::scenario::{Scenario, TokenProcess};

const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;

struct Path {
    process: TokenProcess,
    rng: ChaCha8Rng,
    log_price: f64,
    jumps: u64,
}

/// Every token's reference price, in USD.
pub struct ReferencePrices {
    paths: Vec<Path>,
    dt_years: f64,
    dt_days: f64,
    block: u64,
}

impl ReferencePrices {
    /// The prices at the scenario's start.
    pub fn new(s: &Scenario) -> Self {
        let paths = s
            .tokens
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
                rng.set_stream(i as u64);
                Path {
                    process: p.clone(),
                    rng,
                    log_price: p.price.ln(),
                    jumps: 0,
                }
            })
            .collect();
        let dt = s.block_time as f64;
        ReferencePrices {
            paths,
            dt_years: dt / SECONDS_PER_YEAR,
            dt_days: dt / 86_400.0,
            block: 0,
        }
    }

    /// Advances one block.
    pub fn step(&mut self) {
        let dt = self.dt_years;
        for p in &mut self.paths {
            let TokenProcess {
                drift,
                volatility,
                jumps_per_day,
                jump_size,
                ..
            } = p.process;
            let z: f64 = StandardNormal.sample(&mut p.rng);
            let mut x = (drift - volatility * volatility / 2.0) * dt + volatility * dt.sqrt() * z;
            let rate = jumps_per_day * self.dt_days;
            if rate > 0.0 && jump_size > 0.0 {
                // Both distributions are valid for these parameters (rate > 0, size > 0).
                let n = Poisson::new(rate).map_or(0.0, |d| d.sample(&mut p.rng)) as u64;
                if let Ok(size) = Normal::new(0.0, jump_size) {
                    for _ in 0..n {
                        x += size.sample(&mut p.rng);
                    }
                }
                p.jumps += n;
            }
            p.log_price += x;
        }
        self.block += 1;
    }

    /// Blocks advanced so far.
    pub fn block(&self) -> u64 {
        self.block
    }

    /// `symbol`'s price now (USD), if it is simulated.
    pub fn price(&self, symbol: &str) -> Option<f64> {
        self.paths
            .iter()
            .find(|p| p.process.symbol == symbol)
            .map(|p| p.log_price.exp())
    }

    /// Every token's (symbol, USD price, jumps so far).
    pub fn all(&self) -> impl Iterator<Item = (&str, f64, u64)> {
        self.paths
            .iter()
            .map(|p| (p.process.symbol.as_str(), p.log_price.exp(), p.jumps))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::devnet_defaults;
    use super::*;

    fn run(s: &Scenario, blocks: usize) -> Vec<Vec<f64>> {
        let mut r = ReferencePrices::new(s);
        (0..blocks)
            .map(|_| {
                r.step();
                r.all().map(|(_, p, _)| p).collect()
            })
            .collect()
    }

    #[test]
    fn one_seed_one_path_and_tokens_do_not_disturb_each_other() {
        let s = Scenario::defaults(devnet_defaults());
        assert_eq!(run(&s, 500), run(&s, 500));
        let other = Scenario {
            seed: 2,
            ..s.clone()
        };
        assert_ne!(run(&s, 500), run(&other, 500));
        // Another token's parameters change its path only.
        let mut louder = s.clone();
        louder.tokens[5].volatility *= 2.0;
        let (a, b) = (run(&s, 200), run(&louder, 200));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x[..5], y[..5]);
            assert_ne!(x[5], y[5]);
        }
    }

    /// Realized volatility and the jump count match the parameters: per-block
    /// log returns have variance σ²·dt, and jumps arrive at λ·t.
    #[test]
    fn paths_have_the_volatility_and_jump_rate_asked_for() {
        let mut s = Scenario::defaults(devnet_defaults());
        s.block_time = 12;
        for t in &mut s.tokens {
            (t.drift, t.volatility, t.jumps_per_day, t.jump_size) = (0.1, 0.5, 0.0, 0.0);
        }
        s.tokens[0].jumps_per_day = 50.0;
        s.tokens[0].jump_size = 1e-9; // counted, too small to disturb the variance
        let blocks = 100_000;
        let mut r = ReferencePrices::new(&s);
        let mut last: Vec<f64> = r.all().map(|(_, p, _)| p.ln()).collect();
        let mut sum_sq = vec![0.0; last.len()];
        for _ in 0..blocks {
            r.step();
            for (i, (_, p, _)) in r.all().enumerate() {
                let x = p.ln() - last[i];
                sum_sq[i] += x * x;
                last[i] = p.ln();
            }
        }
        let dt = 12.0 / SECONDS_PER_YEAR;
        for (i, ss) in sum_sq.iter().enumerate() {
            let sigma = (ss / blocks as f64 / dt).sqrt();
            // The estimate's relative error is about 1/sqrt(2n) = 0.22%.
            assert!((sigma / 0.5 - 1.0).abs() < 0.02, "token {i}: σ {sigma}");
        }
        let days = blocks as f64 * 12.0 / 86_400.0;
        let want = 50.0 * days; // ≈ 694
        let jumps = r.all().next().unwrap().2 as f64;
        assert!(
            (jumps - want).abs() < 5.0 * want.sqrt(),
            "{jumps} jumps, {want} expected"
        );
    }
}
