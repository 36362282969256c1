//! The devnet's market simulation (issue 16):
//! - [`scenario`]: the TOML scenario file (per-token price processes), read
//!   with errors that name the line;
//! - [`reference`]: the reference prices, a geometric Brownian motion with
//!   Merton jumps per token, advanced per block, deterministic for a seed;
//! - [`market`]: the pools, their reserves and the router calls;
//! - [`agents`]: noise traders, an arbitrageur, liquidity providers and a
//!   sandwich bot;
//! - [`chain`]: the agents' accounts, signing, sending, mining, rollbacks;
//! - [`reorg`]: reorgs on demand;
//! - [`run`]: the block loop.

pub mod agents;
pub mod chain;
pub mod market;
pub mod reference;
pub mod reorg;
pub mod run;
pub mod scenario;

pub use reference::ReferencePrices;
pub use reorg::{Depth, ReorgCount, Reorgs};
pub use run::{Block, Options, Status, Summary, run};
pub use scenario::{Scenario, ScenarioError, TokenProcess};
