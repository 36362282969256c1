//! Tidepool's shared Rust code.
//!
//! [`math`] is the constant-product math of the contracts, bit for bit: the
//! same formulas, the same rounding, and the same failures (a checked
//! overflow in Solidity is [`math::MathError::ArithmeticOverflow`] here, and
//! so on), so a quote computed off-chain is exactly what the router computes.

pub mod math;

pub use alloy_primitives::U256;
