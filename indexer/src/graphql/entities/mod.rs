//! The Uniswap V2 subgraph's entities over the index's tables. Each field is
//! one SQL expression; amounts are exact (`u256_dec()`, `u256_sum()`), and the
//! expressions only run for the fields a query asks for.

use super::model::{Entity, Field, Kind, f};

/// The zero address, as stored.
macro_rules! zero {
    () => {
        "'0x0000000000000000000000000000000000000000'"
    };
}

/// The latest reserve `$n` (0 or 1) of the pair `$pair`, strictly before
/// `$until` (a timestamp expression) when given.
macro_rules! reserve {
    ($n:literal, $pair:literal) => {
        concat!(
            "(SELECT reserve",
            $n,
            " FROM syncs y WHERE y.pair = ",
            $pair,
            " ORDER BY y.timestamp DESC, y.block_number DESC, y.log_index DESC LIMIT 1)"
        )
    };
    ($n:literal, $pair:literal, $until:literal) => {
        concat!(
            "(SELECT reserve",
            $n,
            " FROM syncs y WHERE y.pair = ",
            $pair,
            " AND y.timestamp < ",
            $until,
            " ORDER BY y.timestamp DESC, y.block_number DESC, y.log_index DESC LIMIT 1)"
        )
    };
}

/// The LP supply of `$pair` before `$until`: minted (from zero, including
/// the 1,000 locked at zero) less burnt (to zero, from anyone else).
macro_rules! lp_supply {
    ($pair:literal, $until:literal) => {
        concat!(
            "u256_sub((SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = ",
            $pair,
            " AND l.from_address = ",
            zero!(),
            " AND l.timestamp < ",
            $until,
            "), ",
            "(SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = ",
            $pair,
            " AND l.to_address = ",
            zero!(),
            " AND l.from_address != ",
            zero!(),
            " AND l.timestamp < ",
            $until,
            "))"
        )
    };
}

/// `$expr` over `y`, the latest Sync of `$pair` (strictly before `$until`).
macro_rules! latest {
    ($expr:expr, $pair:literal) => {
        concat!(
            "(SELECT ",
            $expr,
            " FROM syncs y WHERE y.pair = ",
            $pair,
            " ORDER BY y.timestamp DESC, y.block_number DESC, y.log_index DESC LIMIT 1)"
        )
    };
    ($expr:expr, $pair:literal, $until:literal) => {
        concat!(
            "(SELECT ",
            $expr,
            " FROM syncs y WHERE y.pair = ",
            $pair,
            " AND y.timestamp < ",
            $until,
            " ORDER BY y.timestamp DESC, y.block_number DESC, y.log_index DESC LIMIT 1)"
        )
    };
}

/// `Pair.reserveETH` at the Sync `y` (token aliases `t0`, `t1`).
macro_rules! reserve_eth_y {
    () => {
        "((CAST(y.reserve0 AS DOUBLE PRECISION) / coalesce(t0.unit, 1)) * coalesce(y.derived_eth0, 0) + (CAST(y.reserve1 AS DOUBLE PRECISION) / coalesce(t1.unit, 1)) * coalesce(y.derived_eth1, 0))"
    };
}

/// `Pair.reserveUSD` at the Sync `y`.
macro_rules! reserve_usd_y {
    () => {
        concat!("(", reserve_eth_y!(), " * coalesce(y.eth_price, 0))")
    };
}

/// `$c0` (if `$token` is the pair's token0) or `$c1` of the latest Sync over
/// all of `$token`'s pairs before `$until`: the token's state when it was
/// last priced. (Each pair's latest Sync is one index probe; the ORDER BY is
/// on a plain column, which SQLite resolves where correlated subqueries in
/// ORDER BY are refused.)
macro_rules! token_latest {
    ($c0:literal, $c1:literal, $token:literal, $until:literal) => {
        concat!(
            "(SELECT CASE WHEN z.is0 THEN z.v0 ELSE z.v1 END FROM (SELECT q.token0 = ",
            $token,
            " AS is0, ",
            latest!($c0, "q.address", $until),
            " AS v0, ",
            latest!($c1, "q.address", $until),
            " AS v1, ",
            latest!("y.block_number * 100000 + y.log_index", "q.address", $until),
            " AS pos FROM pairs q WHERE q.token0 = ",
            $token,
            " OR q.token1 = ",
            $token,
            ") z ORDER BY z.pos DESC NULLS LAST LIMIT 1)"
        )
    };
}

/// The ETH price at the last Sync of any pair before `$until`.
macro_rules! eth_before {
    ($until:literal) => {
        concat!(
            "(SELECT z.v FROM (SELECT ",
            latest!("y.eth_price", "q.address", $until),
            " AS v, ",
            latest!("y.block_number * 100000 + y.log_index", "q.address", $until),
            " AS pos FROM pairs q) z ORDER BY z.pos DESC NULLS LAST LIMIT 1)"
        )
    };
}

/// A sum of millionths (an INTEGER expression) as an exact BigDecimal.
macro_rules! micro {
    ($name:literal, $sum:expr) => {
        f(
            $name,
            "BigDecimal",
            Decimal(concat!(
                "(CAST(coalesce(",
                $sum,
                ", 0) AS DOUBLE PRECISION) / 1e6)"
            )),
            concat!("coalesce(u256_dec(CAST(", $sum, " AS TEXT), 6), '0')"),
        )
    };
}

/// A REAL that is 0 when there is nothing to read.
macro_rules! real {
    ($name:literal, $expr:expr) => {
        f(
            $name,
            "BigDecimal",
            Real,
            concat!("coalesce(", $expr, ", 0)"),
        )
    };
}

/// `Bundle.ethPrice` now: the latest Sync's.
macro_rules! eth_now {
    () => {
        "(SELECT eth_price FROM syncs ORDER BY block_number DESC, log_index DESC LIMIT 1)"
    };
}

/// An exact amount in whole tokens, and its REAL for comparisons.
macro_rules! amount {
    ($name:literal, $raw:expr, $token:literal) => {
        f(
            $name,
            "BigDecimal",
            Decimal(concat!(
                "(CAST(",
                $raw,
                " AS DOUBLE PRECISION) / coalesce(",
                $token,
                ".unit, 1))"
            )),
            concat!("coalesce(u256_dec(", $raw, ", ", $token, ".decimals), '0')"),
        )
    };
}

/// Mints and burns of `$pair` with timestamps in `[$from, $to)`.
macro_rules! liquidity_events {
    ($pair:literal, $from:literal, $to:literal) => {
        concat!(
            "(SELECT count(*) FROM mints m2 WHERE m2.pair = ",
            $pair,
            " AND m2.timestamp >= ",
            $from,
            " AND m2.timestamp < ",
            $to,
            ") + (SELECT count(*) FROM burns b2 WHERE b2.pair = ",
            $pair,
            " AND b2.timestamp >= ",
            $from,
            " AND b2.timestamp < ",
            $to,
            ")"
        )
    };
}

/// The n-th event of its kind in its transaction: the subgraph's
/// `txhash-n` ids of swaps, mints and burns.
macro_rules! event_id {
    ($table:literal, $a:literal) => {
        concat!(
            $a,
            ".tx_hash || '-' || (SELECT count(*) FROM ",
            $table,
            " x WHERE x.block_number = ",
            $a,
            ".block_number AND x.tx_hash = ",
            $a,
            ".tx_hash AND x.log_index < ",
            $a,
            ".log_index)"
        )
    };
}

/// `Swap.transaction` and the like: a hash, narrowed by the block.
pub(super) const fn tx_ref(expr: &'static str, block: &'static str) -> Field {
    f(
        "transaction",
        "Transaction",
        Kind::Ref {
            target: "Transaction",
            hint: Some(block),
        },
        expr,
    )
}

/// The transfer at log index `$at` of block `$block` (same pair, same
/// transaction), column `$col`.
macro_rules! transfer {
    ($col:literal, $a:literal, $at:expr) => {
        concat!(
            "(SELECT l2.",
            $col,
            " FROM lp_transfers l2 WHERE l2.block_number = ",
            $a,
            ".block_number AND l2.tx_hash = ",
            $a,
            ".tx_hash AND l2.pair = ",
            $a,
            ".pair AND l2.log_index = ",
            $at,
            ")"
        )
    };
}

/// A protocol-fee mint right before `$at` (from zero, to a non-zero address).
macro_rules! fee_mint {
    ($col:literal, $a:literal, $at:expr) => {
        concat!(
            "(SELECT l3.",
            $col,
            " FROM lp_transfers l3 WHERE l3.block_number = ",
            $a,
            ".block_number AND l3.tx_hash = ",
            $a,
            ".tx_hash AND l3.pair = ",
            $a,
            ".pair AND l3.from_address = ",
            zero!(),
            " AND l3.to_address != ",
            zero!(),
            " AND l3.log_index = ",
            $at,
            " - 1)"
        )
    };
}

macro_rules! liquidity_to {
    () => {
        "(SELECT l.log_index FROM lp_transfers l WHERE l.block_number = m.block_number AND l.tx_hash = m.tx_hash AND l.pair = m.pair AND l.from_address = '0x0000000000000000000000000000000000000000' AND l.to_address != '0x0000000000000000000000000000000000000000' AND l.log_index < m.log_index ORDER BY l.log_index DESC LIMIT 1)"
    };
}

macro_rules! burnt {
    () => {
        "(SELECT l.log_index FROM lp_transfers l WHERE l.block_number = b.block_number AND l.tx_hash = b.tx_hash AND l.pair = b.pair AND l.from_address = b.pair AND l.to_address = '0x0000000000000000000000000000000000000000' AND l.log_index < b.log_index ORDER BY l.log_index DESC LIMIT 1)"
    };
}

mod events;
mod market;
mod series;

/// Every entity of the schema.
pub static ENTITIES: &[Entity] = &[
    market::UNISWAP_FACTORY,
    market::BUNDLE,
    market::TOKEN,
    market::PAIR,
    events::TRANSACTION,
    events::SWAP,
    events::MINT,
    events::BURN,
    series::PAIR_DAY_DATA,
    series::PAIR_HOUR_DATA,
    series::TOKEN_DAY_DATA,
    series::USER,
    series::LIQUIDITY_POSITION,
    series::UNISWAP_DAY_DATA,
];

/// An entity by GraphQL type name.
pub fn entity(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.name == name)
}
