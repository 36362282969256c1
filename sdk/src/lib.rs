//! Tidepool's shared Rust code: everything the CLI, the indexer and the desktop
//! app need to talk to a Tidepool (or any Uniswap-V2-style) exchange.
//!
//! - [`bindings`]: typed contract bindings generated from the forge artifacts;
//! - [`math`], [`route`], [`impact`]: re-exported from `tidepool-amm` (pure
//!   AMM math, routing and the price-impact policy, no I/O);
//! - [`pair_address`]: CREATE2 pair addresses;
//! - [`amount`]: decimal amounts as people type them ↔ exact base units;
//! - [`revert`]: revert data decoded into the contract's error by name;
//! - [`keystore`]: keystore V3 files at geth's standard scrypt cost, private
//!   files, zeroized secrets;
//! - [`signer`]: private key, keystore, mnemonic and Anvil dev-account signers;
//! - [`wallet`]: wallets that keep their own keys (external JSON-RPC signers,
//!   the browser-wallet bridge) behind one EIP-1193 interface;
//! - [`chain`]: a connection to an RPC endpoint, checked against the expected chain;
//! - [`manifest`]: the deployment manifest (`deployments/<chain-id>.json`);
//! - [`attach`], [`presets`]: manifests for V2 deployments already on a chain;
//! - [`tokenlist`]: token lists (the standard schema) and what they say of a token;
//! - [`prices`]: USD prices from the market's own pools (deepest path to a
//!   stablecoin, shallow pools ignored);
//! - [`market`]: tokens, pools and balances read from the chain;
//! - [`marketstate`]: every pool of a factory with its reserves, loaded in
//!   batches, kept current from logs (reorg-safe) and cached on disk;
//! - [`trade`], [`liquidity`]: transactions with slippage bounds, deadlines,
//!   approvals and simulation before sending;
//! - [`fot`]: fee-on-transfer tokens found by simulating the trade, traded
//!   through Router02's Supporting functions;
//! - [`fees`]: fee presets from `eth_feeHistory`, custom fees and a cap;
//! - [`txwatch`]: the state of a sent transaction from receipts and the
//!   account's nonce (pending, mined, replaced, dropped), never a timeout;
//! - [`deploy`]: deploying Tidepool's contracts (the seeded local devnet is
//!   the `tidepool-devnet` crate, outside the app's dependency tree).

pub mod amount;
pub mod attach;
pub mod bindings;
pub mod chain;
pub mod deploy;
pub mod error;
pub mod fees;
pub mod fot;
pub mod keystore;
pub mod liquidity;
pub mod manifest;
pub mod market;
pub mod marketstate;
pub mod pair_address;
pub mod presets;
pub mod prices;
pub mod revert;
pub mod signer;
pub mod submit;
pub mod tokenlist;
pub mod tokenmeta;
pub mod trade;
pub mod txwatch;
pub mod wallet;

pub use tidepool_amm::{impact, math, route};

pub use alloy;
pub use alloy::primitives::{Address, B256, U256};
pub use error::{Error, Result};
