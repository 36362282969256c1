//! The rows each query returns. uint256 amounts and reserves are exact
//! decimal strings, addresses lower-case `0x…` strings, times unix seconds,
//! prices numbers (`None` when unknown). Field order is column order: the
//! CLI's table and CSV, and the HTTP API's JSON objects, list them so.

use serde::{Deserialize, Serialize};

macro_rules! row {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $t:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $t,)*
        }
    };
}

row! {
    /// A pair with its latest reserves, price, swap count and 24 h volume.
    PairRow {
        /// Pair address.
        address: String,
        /// token0 address.
        token0: String,
        /// token0 symbol (unknown: `None`).
        symbol0: Option<String>,
        /// token0 decimals (unknown: `None`).
        decimals0: Option<i64>,
        /// token1 address.
        token1: String,
        /// token1 symbol.
        symbol1: Option<String>,
        /// token1 decimals.
        decimals1: Option<i64>,
        /// token0 reserve after the latest Sync (none yet: `None`).
        reserve0: Option<String>,
        /// token1 reserve after the latest Sync.
        reserve1: Option<String>,
        /// token1 per token0 in whole tokens.
        price: Option<f64>,
        /// Every swap ever.
        swaps: i64,
        /// token0 paid in + paid out over the 24 h window.
        volume0_24h: String,
        /// token1 paid in + paid out over the 24 h window.
        volume1_24h: String,
        /// Swaps in the 24 h window.
        swaps_24h: i64,
    }
}

row! {
    /// One swap.
    SwapRow {
        /// Block.
        block_number: i64,
        /// Log index in the block.
        log_index: i64,
        /// Block time.
        timestamp: i64,
        /// Transaction hash.
        tx_hash: String,
        /// Pair address.
        pair: String,
        /// The swap's sender (usually the router).
        sender: String,
        /// Who received the output.
        recipient: String,
        /// token0 paid in.
        amount0_in: String,
        /// token1 paid in.
        amount1_in: String,
        /// token0 paid out.
        amount0_out: String,
        /// token1 paid out.
        amount1_out: String,
        /// token0 reserve after the swap.
        reserve0: Option<String>,
        /// token1 reserve after the swap.
        reserve1: Option<String>,
        /// token1 per token0 after the swap, whole tokens.
        price: Option<f64>,
    }
}

row! {
    /// One OHLC candle.
    CandleRow {
        /// Start of the bucket.
        bucket: i64,
        /// First price.
        open: f64,
        /// Highest price.
        high: f64,
        /// Lowest price.
        low: f64,
        /// Last price.
        close: f64,
        /// token0 paid in + out.
        volume0: String,
        /// token1 paid in + out.
        volume1: String,
        /// Swaps.
        swaps: i64,
    }
}

row! {
    /// One pair's exact volume over a window.
    PairVolumeRow {
        /// Pair address.
        pair: String,
        /// token0 address.
        token0: String,
        /// token0 symbol.
        symbol0: Option<String>,
        /// token1 address.
        token1: String,
        /// token1 symbol.
        symbol1: Option<String>,
        /// Window start (inclusive).
        from: i64,
        /// Window end (exclusive).
        to: i64,
        /// token0 paid in + out.
        volume0: String,
        /// token1 paid in + out.
        volume1: String,
        /// Swaps.
        swaps: i64,
    }
}

row! {
    /// One day of a pair.
    PairDayRow {
        /// Start of the UTC day.
        day: i64,
        /// token0 paid in + out.
        volume0: String,
        /// token1 paid in + out.
        volume1: String,
        /// 0.3% of token0 paid in.
        fees0: String,
        /// 0.3% of token1 paid in.
        fees1: String,
        /// Swaps.
        swaps: i64,
        /// token0 reserve at the end of the day.
        reserve0: String,
        /// token1 reserve at the end of the day.
        reserve1: String,
    }
}

row! {
    /// One day of a token over every pair.
    TokenDayRow {
        /// Start of the UTC day.
        day: i64,
        /// Paid in + out.
        volume: String,
        /// 0.3% of what was paid in.
        fees: String,
        /// Swaps.
        swaps: i64,
    }
}

row! {
    /// A pair's reserves after one Sync.
    ReservesRow {
        /// Block time.
        timestamp: i64,
        /// Block.
        block_number: i64,
        /// Log index.
        log_index: i64,
        /// token0 reserve.
        reserve0: String,
        /// token1 reserve.
        reserve1: String,
        /// token1 per token0, whole tokens.
        price: Option<f64>,
    }
}

row! {
    /// A pair's reserves after the last Sync of a bucket.
    BucketReservesRow {
        /// Start of the bucket.
        bucket: i64,
        /// Block time of the Sync.
        timestamp: i64,
        /// Block.
        block_number: i64,
        /// Log index.
        log_index: i64,
        /// token0 reserve.
        reserve0: String,
        /// token1 reserve.
        reserve1: String,
        /// token1 per token0, whole tokens.
        price: Option<f64>,
    }
}

row! {
    /// A token's TVL at the end of a day.
    TokenTvlRow {
        /// Start of the UTC day.
        day: i64,
        /// Held by every pair at the end of the day, base units.
        tvl: String,
    }
}

/// What an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// A swap paying out to the account.
    Swap,
    /// LP tokens minted to the account (a deposit).
    Mint,
    /// LP tokens sent back to the pair (a withdrawal).
    Burn,
    /// LP tokens minted to the protocol fee recipient.
    FeeMint,
}

row! {
    /// One row of an account's history. For a swap, a is what the account
    /// paid in and b what it received; for a mint/burn, a and b are token0
    /// and token1 deposited/withdrawn.
    AccountRow {
        /// What happened.
        kind: Activity,
        /// Block time.
        timestamp: i64,
        /// Block.
        block_number: i64,
        /// Log index.
        log_index: i64,
        /// Transaction hash.
        tx_hash: String,
        /// Pair address.
        pair: String,
        /// Token a.
        token_a: String,
        /// Amount of a (a fee mint: `None`).
        amount_a: Option<String>,
        /// Token b.
        token_b: String,
        /// Amount of b.
        amount_b: Option<String>,
        /// Swaps: b per a in whole tokens.
        execution_price: Option<f64>,
        /// Mints and burns: the LP amount.
        liquidity: Option<String>,
    }
}

row! {
    /// A token the index knows.
    TokenRow {
        /// Address.
        address: String,
        /// Symbol (unreadable: `None`).
        symbol: Option<String>,
        /// Name.
        name: Option<String>,
        /// Decimals.
        decimals: Option<i64>,
    }
}

/// The answer of [`super::volume`]: one of three row shapes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum VolumeRows {
    /// Without pair or token: every pair's 24 h volume.
    Pairs(Vec<PairVolumeRow>),
    /// A pair's days.
    PairDays(Vec<PairDayRow>),
    /// A token's days.
    TokenDays(Vec<TokenDayRow>),
}

/// The answer of [`super::tvl`]: one of three row shapes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum TvlRows {
    /// A pair's reserves after every Sync.
    Reserves(Vec<ReservesRow>),
    /// A pair's reserves, last Sync per bucket.
    Buckets(Vec<BucketReservesRow>),
    /// A token's daily TVL.
    Token(Vec<TokenTvlRow>),
}
