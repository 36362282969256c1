//! The devnet's market simulation (issue 16), built up in steps:
//! - [`scenario`]: the TOML scenario file (per-token price processes), read
//!   with errors that name the line;
//! - [`reference`]: the reference prices, a geometric Brownian motion with
//!   Merton jumps per token, advanced per block, deterministic for a seed;
//! - [`run`]: the block loop with noise traders and an arbitrageur.
//!
//! The agents (noise traders, arbitrageurs, liquidity providers, a sandwich
//! bot) and reorg injection drive the chain from these prices.

pub mod reference;
pub mod run;
pub mod scenario;

pub use reference::ReferencePrices;
pub use run::{Block, Options, Summary, run};
pub use scenario::{Scenario, ScenarioError, TokenProcess};
