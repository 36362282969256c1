//! Tidepool's application layer: every value-moving flow, written once and
//! called by both front ends (the `tidepool` CLI and the desktop app).
//!
//! A front end collects input, builds a plan with the sdk (a quote is a plan:
//! [`swap::quote`], [`tidepool_sdk::liquidity::plan_add`], …) and hands it to a
//! flow here. The flow decides: it runs the pre-send checks in a fixed order
//! (price-impact policy, balance, the router's own quote against the bound,
//! allowance, simulation), approves when the caller's [`ApproveMode`] allows,
//! signs and sends, follows the transaction to its receipt and measures the
//! sender's balance changes. Progress is reported as typed [`FlowEvent`]s to an
//! [`Observer`]; failures are typed [`FlowError`]s that each front end words
//! in its own terms. Nothing is sent when a check fails.
//!
//! - [`events`]: the events, the observer and the stages a front end shows;
//! - [`send`]: signing, sending, following and measuring one transaction;
//! - [`swap`]: quotes with price impact and the swap flow;
//! - [`liquidity`]: the deposit and withdrawal flows;
//! - [`tracker`]: the persisted record of every transaction sent, its state
//!   from the chain, speed-up and cancel;
//! - [`lock`]: one send per account at a time;
//! - [`tokens`]: which tokens may be traded without asking (lists, manifest,
//!   confirmations);
//! - [`market`]: the market state (every pool, current, cached on disk) the
//!   front ends route and list from.

pub mod aftercheck;
pub mod approvals;
pub mod error;
pub mod events;
pub mod liquidity;
pub mod lock;
pub mod market;
pub mod replace;
pub mod send;
pub mod swap;
pub mod tokens;
pub mod tracker;

pub use error::{FlowError, Result};
pub use events::{FlowEvent, Observer, TxKind};
pub use send::{BalanceChange, Sent};

/// How a flow obtains a missing ERC-20 allowance for the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ApproveMode {
    /// Approve exactly what this transaction may take.
    #[default]
    Exact,
    /// Approve an unlimited amount (one approval for every later trade).
    Unlimited,
    /// Never approve inside the flow: a missing allowance is
    /// [`FlowError::NeedsApproval`] (the caller approves as a separate step).
    Never,
}
