//! Tidepool's pure AMM code, shared by the sdk, the application layer, the
//! CLI and the desktop app. It performs no I/O and needs no async runtime:
//!
//! - [`math`]: the contracts' constant-product math, bit for bit, failures included;
//! - [`route`]: the best exact-in / exact-out route over up to three pools;
//! - [`impact`]: the one definition of price impact and the one policy that
//!   decides when a trade needs confirmation or is refused.

pub mod impact;
pub mod math;
pub mod route;
