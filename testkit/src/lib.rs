//! The one test kit of every Tidepool test and benchmark, instead of a copy
//! per crate:
//!
//! - [`anvil()`]: the anvil binary (the checkout's pinned one, or `$TIDEPOOL_ANVIL`);
//! - [`free_port`] and [`wait_listening`]: loopback ports;
//! - [`devnet`]: a seeded [`tidepool_devnet::Devnet`] on a free port, its
//!   manifest saved into a temporary directory ([`DevnetFixture`]);
//! - [`foreign`]: a bare anvil on another chain id ([`foreign::ForeignChain`]);
//! - [`cli`]: the built `tidepool` binary and `tidepool devnet` run from it
//!   ([`CliDevnet`]);
//! - [`bench`]: the date, machine and anvil version benchmarks report;
//! - [`postgres`]: a private PostgreSQL cluster (initdb into a temporary
//!   directory, a free loopback port, stopped by PID);
//! - [`wait_for`]: a bounded poll that fails with what it waited for;
//! - [`procs`]: child processes stopped with their whole tree;
//! - [`signer_proxy`]: a recording JSON-RPC proxy in front of anvil standing
//!   in for an external signer (and answering 4001, another chain, …);
//! - [`uniswap`]: Uniswap V2's official factory and Router02 deployed from
//!   the npm artifacts;
//! - `browser` (feature `browser`): headless Chromium through chromedriver
//!   and a stand-in EIP-6963 wallet injected into the bridge page, answered
//!   from Rust against anvil;
//! - `gui` (feature `gui`): Xvfb, tauri-driver and a WebDriver session on the
//!   desktop app.

pub mod anvil;
pub mod bench;
#[cfg(feature = "browser")]
pub mod browser;
pub mod cli;
pub mod devnet;
pub mod foreign;
#[cfg(feature = "gui")]
pub mod gui;
pub mod market;
pub mod poll;
pub mod ports;
pub mod postgres;
pub mod procs;
pub mod signer_proxy;
pub mod uniswap;

pub use anvil::{anvil, try_anvil, workspace_root};
pub use cli::{CliDevnet, tidepool_bin};
pub use devnet::{DevnetFixture, start_devnet};
pub use poll::wait_for;
pub use ports::{free_port, wait_listening};
