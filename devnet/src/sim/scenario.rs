//! A scenario: how each token's reference price moves. TOML, every key
//! optional; tokens not named keep their defaults:
//!
//! ```toml
//! seed = 7
//! block_time = 12          # seconds between simulated blocks
//!
//! [tokens.WETH]
//! price = 3000.0           # USD at the start
//! drift = 0.05             # per year (the log price's expected growth is drift - volatility²/2)
//! volatility = 0.8         # per year
//! jumps_per_day = 0.5      # Poisson rate of jumps
//! jump_size = 0.08         # standard deviation of a jump's log size
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::{ETH_USD, TOKENS};

/// A token's reference price process.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenProcess {
    /// Symbol (as in the deployment).
    pub symbol: String,
    /// USD at the start.
    pub price: f64,
    /// Drift per year.
    pub drift: f64,
    /// Volatility per year.
    pub volatility: f64,
    /// Jumps per day (Poisson rate).
    pub jumps_per_day: f64,
    /// Standard deviation of a jump's log size.
    pub jump_size: f64,
}

/// A parsed, checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The seed every random choice derives from.
    pub seed: u64,
    /// Seconds between simulated blocks.
    pub block_time: u64,
    /// Every token's process, in the deployment's order.
    pub tokens: Vec<TokenProcess>,
}

/// A scenario that cannot be used: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    /// 1-based line of the offending key, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    seed: Option<u64>,
    block_time: Option<Spanned<u64>>,
    #[serde(default)]
    tokens: BTreeMap<Spanned<String>, FileToken>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToken {
    price: Option<Spanned<f64>>,
    drift: Option<Spanned<f64>>,
    volatility: Option<Spanned<f64>>,
    jumps_per_day: Option<Spanned<f64>>,
    jump_size: Option<Spanned<f64>>,
}

/// The default process of a devnet token: stablecoins barely move, ETH and
/// BTC move like majors, TIDE like a small token with jumps.
fn default_process(symbol: &str, price: f64) -> TokenProcess {
    let (volatility, jumps_per_day, jump_size) = match symbol {
        "USDC" | "USDT" | "DAI" => (0.01, 0.0, 0.0),
        "WETH" => (0.7, 0.2, 0.04),
        "WBTC" => (0.6, 0.2, 0.04),
        _ => (1.2, 1.0, 0.10),
    };
    TokenProcess {
        symbol: symbol.into(),
        price,
        drift: 0.0,
        volatility,
        jumps_per_day,
        jump_size,
    }
}

/// The devnet's tokens (WETH first) with their default processes.
pub fn devnet_defaults() -> Vec<TokenProcess> {
    std::iter::once(default_process("WETH", ETH_USD as f64))
        .chain(
            TOKENS
                .iter()
                .map(|(_, symbol, _, price)| default_process(symbol, *price as f64)),
        )
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Scenario {
    /// The defaults for `tokens`, seed 1, 12-second blocks.
    pub fn defaults(tokens: Vec<TokenProcess>) -> Self {
        Scenario {
            seed: 1,
            block_time: 12,
            tokens,
        }
    }

    /// Reads a scenario over `defaults` (the deployment's tokens): a token
    /// the deployment does not have, a negative or non-finite parameter, a
    /// misspelt key or malformed TOML is one error naming its line.
    pub fn parse(text: &str, defaults: Vec<TokenProcess>) -> Result<Self, ScenarioError> {
        let file: File = toml::from_str(text).map_err(|e| ScenarioError {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().to_string(),
        })?;
        let mut s = Scenario::defaults(defaults);
        if let Some(seed) = file.seed {
            s.seed = seed;
        }
        if let Some(bt) = file.block_time {
            if *bt.get_ref() == 0 {
                return Err(ScenarioError {
                    line: Some(line_of(text, bt.span().start)),
                    message: "block_time must be at least 1 second".into(),
                });
            }
            s.block_time = *bt.get_ref();
        }
        for (name, t) in file.tokens {
            let line = line_of(text, name.span().start);
            let known: Vec<String> = s.tokens.iter().map(|p| p.symbol.clone()).collect();
            let Some(p) = s
                .tokens
                .iter_mut()
                .find(|p| p.symbol.eq_ignore_ascii_case(name.get_ref()))
            else {
                return Err(ScenarioError {
                    line: Some(line),
                    message: format!(
                        "unknown token {:?}: the deployment's tokens are {}",
                        name.get_ref(),
                        known.join(", ")
                    ),
                });
            };
            let fields = [
                ("price", t.price, &mut p.price, true),
                ("drift", t.drift, &mut p.drift, false),
                ("volatility", t.volatility, &mut p.volatility, false),
                (
                    "jumps_per_day",
                    t.jumps_per_day,
                    &mut p.jumps_per_day,
                    false,
                ),
                ("jump_size", t.jump_size, &mut p.jump_size, false),
            ];
            for (key, value, slot, positive) in fields {
                let Some(v) = value else { continue };
                let x = *v.get_ref();
                let bad = !x.is_finite() || (key != "drift" && x < 0.0) || (positive && x <= 0.0);
                if bad {
                    let want = if positive {
                        "a number above 0"
                    } else if key == "drift" {
                        "a finite number"
                    } else {
                        "a number ≥ 0"
                    };
                    return Err(ScenarioError {
                        line: Some(line_of(text, v.span().start)),
                        message: format!("{key} of {} must be {want}, got {x}", p.symbol),
                    });
                }
                *slot = x;
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_scenario_in_the_repository_is_usable() {
        let s = Scenario::parse(
            include_str!("../../scenarios/volatile.toml"),
            devnet_defaults(),
        )
        .unwrap();
        assert_eq!((s.seed, s.block_time), (7, 12));
        let weth = s.tokens.iter().find(|t| t.symbol == "WETH").unwrap();
        assert_eq!((weth.price, weth.volatility), (3300.0, 1.2));
        let tide = s.tokens.iter().find(|t| t.symbol == "TIDE").unwrap();
        assert_eq!(tide.jumps_per_day, 12.0);
    }

    #[test]
    fn a_scenario_overrides_the_defaults_it_names() {
        let s = Scenario::parse(
            "seed = 42\nblock_time = 2\n[tokens.weth]\nvolatility = 1.5\nprice = 2500.0\n",
            devnet_defaults(),
        )
        .unwrap();
        assert_eq!((s.seed, s.block_time), (42, 2));
        let weth = &s.tokens[0];
        assert_eq!(
            (weth.symbol.as_str(), weth.price, weth.volatility),
            ("WETH", 2500.0, 1.5)
        );
        assert_eq!(
            s.tokens[1],
            devnet_defaults()[1],
            "tokens not named keep their defaults"
        );
        assert_eq!(
            Scenario::parse("", devnet_defaults()).unwrap(),
            Scenario::defaults(devnet_defaults())
        );
    }

    #[test]
    fn bad_scenarios_name_the_line() {
        let err = |t: &str| {
            Scenario::parse(t, devnet_defaults())
                .unwrap_err()
                .to_string()
        };
        let e = err("seed = 1\n\n[tokens.DOGE]\nvolatility = 1.0\n");
        assert!(e.starts_with("line 3: unknown token \"DOGE\""), "{e}");
        assert!(e.contains("WETH, USDC"), "{e}");
        let e = err("[tokens.TIDE]\ndrift = 0.1\nvolatility = -0.5\n");
        assert!(
            e.starts_with("line 3: volatility of TIDE must be a number ≥ 0, got -0.5"),
            "{e}"
        );
        let e = err("[tokens.USDC]\nprice = 0.0\n");
        assert!(
            e.starts_with("line 2: price of USDC must be a number above 0"),
            "{e}"
        );
        let e = err("seed = 1\nblock_time = 12 x\n[tokens.WETH]\n");
        assert!(e.starts_with("line 2"), "{e}");
        let e = err("seed = 1\n[tokens.WETH]\nvolatilty = 0.3\n");
        assert!(e.starts_with("line 3: unknown field `volatilty`"), "{e}");
        let e = err("block_time = 0\n");
        assert!(
            e.starts_with("line 1: block_time must be at least 1 second"),
            "{e}"
        );
    }
}
