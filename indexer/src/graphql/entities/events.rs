//! Events: transactions and their swaps, mints and burns.

use super::super::model::Kind::{BigInt, Bool, Decimal, Real, Text};
use super::super::model::{Entity, f, l, opt, r};
use super::tx_ref;

/// `Transaction`.
pub const TRANSACTION: Entity = Entity {
    name: "Transaction",
    single: "transaction",
    plural: "transactions",
    from: "(SELECT block_number, tx_hash, min(timestamp) AS timestamp FROM (
              SELECT block_number, tx_hash, timestamp FROM swaps
              UNION ALL SELECT block_number, tx_hash, timestamp FROM mints
              UNION ALL SELECT block_number, tx_hash, timestamp FROM burns) e
            GROUP BY block_number, tx_hash) x",
    base: "TRUE",
    id: "x.tx_hash",
    hint: Some("x.block_number"),
    natural: "x.block_number, x.tx_hash",
    fields: &[
        f("id", "ID", Text, "x.tx_hash"),
        f("blockNumber", "BigInt", BigInt, "x.block_number"),
        f("timestamp", "BigInt", BigInt, "x.timestamp"),
    ],
    lists: &[
        l("mints", "Mint", "transaction"),
        l("burns", "Burn", "transaction"),
        l("swaps", "Swap", "transaction"),
    ],
};

/// `Swap`.
pub const SWAP: Entity = Entity {
    name: "Swap",
    single: "swap",
    plural: "swaps",
    from: concat!(
        "swaps s JOIN pairs p ON p.address = s.pair ",
        "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
    ),
    base: "TRUE",
    id: event_id!("swaps", "s"),
    hint: None,
    natural: "s.block_number, s.log_index",
    fields: &[
        f("id", "ID", Text, event_id!("swaps", "s")),
        tx_ref("s.tx_hash", "s.block_number"),
        f("timestamp", "BigInt", BigInt, "s.timestamp"),
        r("pair", "Pair", "s.pair"),
        f("sender", "Bytes", Text, "s.sender"),
        f("to", "Bytes", Text, "s.recipient"),
        amount!("amount0In", "s.amount0_in", "t0"),
        amount!("amount1In", "s.amount1_in", "t1"),
        amount!("amount0Out", "s.amount0_out", "t0"),
        amount!("amount1Out", "s.amount1_out", "t1"),
        f("logIndex", "BigInt", BigInt, "s.log_index"),
        real!(
            "amountUSD",
            "CASE WHEN s.tracked_usd = 0 THEN s.untracked_usd ELSE s.tracked_usd END"
        ),
    ],
    lists: &[],
};

/// `Mint`.
pub const MINT: Entity = Entity {
    name: "Mint",
    single: "mint",
    plural: "mints",
    from: concat!(
        "mints m JOIN pairs p ON p.address = m.pair ",
        "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
    ),
    base: "TRUE",
    id: event_id!("mints", "m"),
    hint: None,
    natural: "m.block_number, m.log_index",
    fields: &[
        f("id", "ID", Text, event_id!("mints", "m")),
        tx_ref("m.tx_hash", "m.block_number"),
        f("timestamp", "BigInt", BigInt, "m.timestamp"),
        r("pair", "Pair", "m.pair"),
        f(
            "to",
            "Bytes",
            Text,
            concat!(
                "coalesce(",
                transfer!("to_address", "m", liquidity_to!()),
                ", ",
                zero!(),
                ")"
            ),
        ),
        f(
            "liquidity",
            "BigDecimal",
            Decimal(concat!(
                "CAST(",
                transfer!("value", "m", liquidity_to!()),
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!(
                "coalesce(u256_dec(",
                transfer!("value", "m", liquidity_to!()),
                ", 18), '0')"
            ),
        ),
        opt("sender", "Bytes", Text, "m.sender"),
        amount!("amount0", "m.amount0", "t0"),
        amount!("amount1", "m.amount1", "t1"),
        opt("logIndex", "BigInt", BigInt, "m.log_index"),
        opt("amountUSD", "BigDecimal", Real, "m.amount_usd"),
        opt(
            "feeTo",
            "Bytes",
            Text,
            fee_mint!("to_address", "m", liquidity_to!()),
        ),
        opt(
            "feeLiquidity",
            "BigDecimal",
            Decimal(concat!(
                "CAST(",
                fee_mint!("value", "m", liquidity_to!()),
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!(
                "u256_dec(",
                fee_mint!("value", "m", liquidity_to!()),
                ", 18)"
            ),
        ),
    ],
    lists: &[],
};

/// `Burn`.
pub const BURN: Entity = Entity {
    name: "Burn",
    single: "burn",
    plural: "burns",
    from: concat!(
        "burns b JOIN pairs p ON p.address = b.pair ",
        "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
    ),
    base: "TRUE",
    id: event_id!("burns", "b"),
    hint: None,
    natural: "b.block_number, b.log_index",
    fields: &[
        f("id", "ID", Text, event_id!("burns", "b")),
        tx_ref("b.tx_hash", "b.block_number"),
        f("timestamp", "BigInt", BigInt, "b.timestamp"),
        r("pair", "Pair", "b.pair"),
        f(
            "liquidity",
            "BigDecimal",
            Decimal(concat!(
                "CAST(",
                transfer!("value", "b", burnt!()),
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!(
                "coalesce(u256_dec(",
                transfer!("value", "b", burnt!()),
                ", 18), '0')"
            ),
        ),
        opt("sender", "Bytes", Text, "b.sender"),
        amount!("amount0", "b.amount0", "t0"),
        amount!("amount1", "b.amount1", "t1"),
        opt("to", "Bytes", Text, "b.recipient"),
        opt("logIndex", "BigInt", BigInt, "b.log_index"),
        opt("amountUSD", "BigDecimal", Real, "b.amount_usd"),
        f("needsComplete", "Boolean", Bool, "FALSE"),
        opt(
            "feeTo",
            "Bytes",
            Text,
            fee_mint!("to_address", "b", burnt!()),
        ),
        opt(
            "feeLiquidity",
            "BigDecimal",
            Decimal(concat!(
                "CAST(",
                fee_mint!("value", "b", burnt!()),
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!("u256_dec(", fee_mint!("value", "b", burnt!()), ", 18)"),
        ),
    ],
    lists: &[],
};
