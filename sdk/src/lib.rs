//! Tidepool's shared Rust code: everything the CLI, the indexer and the desktop
//! app need to talk to a Tidepool (or any Uniswap-V2-style) exchange.
//!
//! - [`bindings`]: typed contract bindings generated from the forge artifacts;
//! - [`math`]: the contracts' constant-product math, bit for bit, failures included;
//! - [`route`]: the best exact-in / exact-out route over up to three pools;
//! - [`pair_address`]: CREATE2 pair addresses;
//! - [`amount`]: decimal amounts as people type them ↔ exact base units;
//! - [`revert`]: revert data decoded into the contract's error by name;
//! - [`signer`]: private key, keystore, mnemonic and Anvil dev-account signers;
//! - [`chain`]: a connection to an RPC endpoint, checked against the expected chain;
//! - [`manifest`]: the deployment manifest (`deployments/<chain-id>.json`);
//! - [`market`]: tokens, pools and balances read from the chain;
//! - [`trade`], [`liquidity`]: transactions with slippage bounds, deadlines,
//!   approvals and simulation before sending;
//! - [`deploy`], [`devnet`]: deploying Tidepool, and a seeded local Anvil devnet.

pub mod amount;
pub mod bindings;
pub mod chain;
pub mod deploy;
pub mod devnet;
pub mod error;
pub mod liquidity;
pub mod manifest;
pub mod market;
pub mod math;
pub mod pair_address;
pub mod revert;
pub mod route;
pub mod signer;
pub mod trade;

pub use alloy;
pub use alloy::primitives::{Address, B256, U256};
pub use error::{Error, Result};
