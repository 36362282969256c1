//! The Uniswap V2 subgraph's entities over the index's tables. Each field is
//! one SQL expression; amounts are exact (`dec()`, `u256_sum()`), and the
//! expressions only run for the fields a query asks for.

use super::model::Kind::{BigInt, Bool, Decimal, Int, Real, Text};
use super::model::{Entity, Field, Kind, f, l, opt, r};

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

/// An exact amount in whole tokens, and its REAL for comparisons.
macro_rules! amount {
    ($name:literal, $raw:expr, $token:literal) => {
        f(
            $name,
            "BigDecimal",
            Decimal(concat!(
                "(CAST(",
                $raw,
                " AS REAL) / coalesce(",
                $token,
                ".unit, 1))"
            )),
            concat!("coalesce(dec(", $raw, ", ", $token, ".decimals), '0')"),
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

const fn tx_ref(expr: &'static str, block: &'static str) -> Field {
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

/// Every entity of the schema.
pub static ENTITIES: &[Entity] = &[
    Entity {
        name: "UniswapFactory",
        single: "uniswapFactory",
        plural: "uniswapFactories",
        from: "(SELECT value AS address FROM meta WHERE key = 'factory') fa",
        base: "1",
        id: "fa.address",
        hint: None,
        natural: "fa.address",
        fields: &[
            f("id", "ID", Text, "fa.address"),
            f("pairCount", "Int", Int, "(SELECT count(*) FROM pairs)"),
            f(
                "txCount",
                "BigInt",
                BigInt,
                "(SELECT count(*) FROM swaps) + (SELECT count(*) FROM mints) + (SELECT count(*) FROM burns)",
            ),
        ],
        lists: &[],
    },
    Entity {
        name: "Token",
        single: "token",
        plural: "tokens",
        from: "tokens t",
        base: "1",
        id: "t.address",
        hint: None,
        natural: "t.address",
        fields: &[
            f("id", "ID", Text, "t.address"),
            f("symbol", "String", Text, "coalesce(t.symbol, '')"),
            f("name", "String", Text, "coalesce(t.name, '')"),
            f("decimals", "BigInt", BigInt, "coalesce(t.decimals, 0)"),
            amount!(
                "tradeVolume",
                "(SELECT u256_sum(volume) FROM token_days k WHERE k.token = t.address)",
                "t"
            ),
            f(
                "txCount",
                "BigInt",
                BigInt,
                concat!(
                    "(SELECT coalesce(sum(swaps), 0) FROM token_days k WHERE k.token = t.address)",
                    " + (SELECT count(*) FROM pairs q JOIN mints m ON m.pair = q.address WHERE q.token0 = t.address OR q.token1 = t.address)",
                    " + (SELECT count(*) FROM pairs q JOIN burns b ON b.pair = q.address WHERE q.token0 = t.address OR q.token1 = t.address)"
                ),
            ),
            amount!(
                "totalLiquidity",
                concat!(
                    "(SELECT u256_sum(CASE WHEN q.token0 = t.address THEN ",
                    reserve!("0", "q.address"),
                    " ELSE ",
                    reserve!("1", "q.address"),
                    " END) FROM pairs q WHERE q.token0 = t.address OR q.token1 = t.address)"
                ),
                "t"
            ),
        ],
        lists: &[
            l("pairBase", "Pair", "token0"),
            l("pairQuote", "Pair", "token1"),
            l("tokenDayData", "TokenDayData", "token"),
            l("pairDayDataBase", "PairDayData", "token0"),
            l("pairDayDataQuote", "PairDayData", "token1"),
        ],
    },
    Entity {
        name: "Pair",
        single: "pair",
        plural: "pairs",
        from: "pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1",
        base: "1",
        id: "p.address",
        hint: None,
        natural: "p.address",
        fields: &[
            f("id", "ID", Text, "p.address"),
            r("token0", "Token", "p.token0"),
            r("token1", "Token", "p.token1"),
            amount!("reserve0", reserve!("0", "p.address"), "t0"),
            amount!("reserve1", reserve!("1", "p.address"), "t1"),
            f(
                "totalSupply",
                "BigDecimal",
                Decimal(concat!(
                    "CAST(",
                    lp_supply!("p.address", "9223372036854775807"),
                    " AS REAL) / 1e18"
                )),
                concat!(
                    "dec(",
                    lp_supply!("p.address", "9223372036854775807"),
                    ", 18)"
                ),
            ),
            f(
                "token0Price",
                "BigDecimal",
                Real,
                concat!(
                    "coalesce((CAST(",
                    reserve!("0", "p.address"),
                    " AS REAL) / coalesce(t0.unit, 1)) / nullif(CAST(",
                    reserve!("1", "p.address"),
                    " AS REAL) / coalesce(t1.unit, 1), 0), 0)"
                ),
            ),
            f(
                "token1Price",
                "BigDecimal",
                Real,
                concat!(
                    "coalesce((CAST(",
                    reserve!("1", "p.address"),
                    " AS REAL) / coalesce(t1.unit, 1)) / nullif(CAST(",
                    reserve!("0", "p.address"),
                    " AS REAL) / coalesce(t0.unit, 1), 0), 0)"
                ),
            ),
            amount!(
                "volumeToken0",
                "(SELECT u256_sum(volume0) FROM pair_days d WHERE d.pair = p.address)",
                "t0"
            ),
            amount!(
                "volumeToken1",
                "(SELECT u256_sum(volume1) FROM pair_days d WHERE d.pair = p.address)",
                "t1"
            ),
            f(
                "txCount",
                "BigInt",
                BigInt,
                concat!(
                    "(SELECT coalesce(sum(swaps), 0) FROM pair_days d WHERE d.pair = p.address) + ",
                    liquidity_events!("p.address", "0", "9223372036854775807")
                ),
            ),
            f("createdAtTimestamp", "BigInt", BigInt, "p.timestamp"),
            f("createdAtBlockNumber", "BigInt", BigInt, "p.block_number"),
        ],
        lists: &[
            l("swaps", "Swap", "pair"),
            l("mints", "Mint", "pair"),
            l("burns", "Burn", "pair"),
            l("pairHourData", "PairHourData", "pair"),
            l("liquidityPositions", "LiquidityPosition", "pair"),
        ],
    },
    Entity {
        name: "Transaction",
        single: "transaction",
        plural: "transactions",
        from: "(SELECT block_number, tx_hash, min(timestamp) AS timestamp FROM (
                  SELECT block_number, tx_hash, timestamp FROM swaps
                  UNION ALL SELECT block_number, tx_hash, timestamp FROM mints
                  UNION ALL SELECT block_number, tx_hash, timestamp FROM burns)
                GROUP BY block_number, tx_hash) x",
        base: "1",
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
    },
    Entity {
        name: "Swap",
        single: "swap",
        plural: "swaps",
        from: concat!(
            "swaps s JOIN pairs p ON p.address = s.pair ",
            "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
        ),
        base: "1",
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
        ],
        lists: &[],
    },
    Entity {
        name: "Mint",
        single: "mint",
        plural: "mints",
        from: concat!(
            "mints m JOIN pairs p ON p.address = m.pair ",
            "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
        ),
        base: "1",
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
                    " AS REAL) / 1e18"
                )),
                concat!(
                    "coalesce(dec(",
                    transfer!("value", "m", liquidity_to!()),
                    ", 18), '0')"
                ),
            ),
            opt("sender", "Bytes", Text, "m.sender"),
            amount!("amount0", "m.amount0", "t0"),
            amount!("amount1", "m.amount1", "t1"),
            opt("logIndex", "BigInt", BigInt, "m.log_index"),
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
                    " AS REAL) / 1e18"
                )),
                concat!("dec(", fee_mint!("value", "m", liquidity_to!()), ", 18)"),
            ),
        ],
        lists: &[],
    },
    Entity {
        name: "Burn",
        single: "burn",
        plural: "burns",
        from: concat!(
            "burns b JOIN pairs p ON p.address = b.pair ",
            "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
        ),
        base: "1",
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
                    " AS REAL) / 1e18"
                )),
                concat!(
                    "coalesce(dec(",
                    transfer!("value", "b", burnt!()),
                    ", 18), '0')"
                ),
            ),
            opt("sender", "Bytes", Text, "b.sender"),
            amount!("amount0", "b.amount0", "t0"),
            amount!("amount1", "b.amount1", "t1"),
            opt("to", "Bytes", Text, "b.recipient"),
            opt("logIndex", "BigInt", BigInt, "b.log_index"),
            f("needsComplete", "Boolean", Bool, "0"),
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
                    " AS REAL) / 1e18"
                )),
                concat!("dec(", fee_mint!("value", "b", burnt!()), ", 18)"),
            ),
        ],
        lists: &[],
    },
    Entity {
        name: "PairDayData",
        single: "pairDayData",
        plural: "pairDayDatas",
        from: concat!(
            "pair_days d JOIN pairs p ON p.address = d.pair ",
            "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
        ),
        base: "1",
        id: "d.pair || '-' || (d.day / 86400)",
        hint: None,
        natural: "d.pair, d.day",
        fields: &[
            f("id", "ID", Text, "d.pair || '-' || (d.day / 86400)"),
            f("date", "Int", Int, "d.day"),
            f("pairAddress", "Bytes", Text, "d.pair"),
            r("token0", "Token", "p.token0"),
            r("token1", "Token", "p.token1"),
            amount!("reserve0", "d.reserve0", "t0"),
            amount!("reserve1", "d.reserve1", "t1"),
            f(
                "totalSupply",
                "BigDecimal",
                Decimal(concat!(
                    "CAST(",
                    lp_supply!("d.pair", "d.day + 86400"),
                    " AS REAL) / 1e18"
                )),
                concat!("dec(", lp_supply!("d.pair", "d.day + 86400"), ", 18)"),
            ),
            amount!("dailyVolumeToken0", "d.volume0", "t0"),
            amount!("dailyVolumeToken1", "d.volume1", "t1"),
            f(
                "dailyTxns",
                "BigInt",
                BigInt,
                concat!(
                    "d.swaps + ",
                    liquidity_events!("d.pair", "d.day", "d.day + 86400")
                ),
            ),
        ],
        lists: &[],
    },
    Entity {
        name: "PairHourData",
        single: "pairHourData",
        plural: "pairHourDatas",
        from: concat!(
            "candles c JOIN pairs p ON p.address = c.pair ",
            "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
        ),
        base: "c.interval = 3600",
        id: "c.pair || '-' || (c.bucket / 3600)",
        hint: None,
        natural: "c.pair, c.bucket",
        fields: &[
            f("id", "ID", Text, "c.pair || '-' || (c.bucket / 3600)"),
            f("hourStartUnix", "Int", Int, "c.bucket"),
            r("pair", "Pair", "c.pair"),
            amount!("reserve0", reserve!("0", "c.pair", "c.bucket + 3600"), "t0"),
            amount!("reserve1", reserve!("1", "c.pair", "c.bucket + 3600"), "t1"),
            f(
                "totalSupply",
                "BigDecimal",
                Decimal(concat!(
                    "CAST(",
                    lp_supply!("c.pair", "c.bucket + 3600"),
                    " AS REAL) / 1e18"
                )),
                concat!("dec(", lp_supply!("c.pair", "c.bucket + 3600"), ", 18)"),
            ),
            amount!("hourlyVolumeToken0", "c.volume0", "t0"),
            amount!("hourlyVolumeToken1", "c.volume1", "t1"),
            f(
                "hourlyTxns",
                "BigInt",
                BigInt,
                concat!(
                    "c.swaps + ",
                    liquidity_events!("c.pair", "c.bucket", "c.bucket + 3600")
                ),
            ),
        ],
        lists: &[],
    },
    Entity {
        name: "TokenDayData",
        single: "tokenDayData",
        plural: "tokenDayDatas",
        from: "token_days k JOIN tokens t ON t.address = k.token",
        base: "1",
        id: "k.token || '-' || (k.day / 86400)",
        hint: None,
        natural: "k.token, k.day",
        fields: &[
            f("id", "ID", Text, "k.token || '-' || (k.day / 86400)"),
            f("date", "Int", Int, "k.day"),
            r("token", "Token", "k.token"),
            amount!("dailyVolumeToken", "k.volume", "t"),
            f(
                "dailyTxns",
                "BigInt",
                BigInt,
                concat!(
                    "k.swaps + (SELECT count(*) FROM pairs q JOIN mints m ON m.pair = q.address WHERE (q.token0 = k.token OR q.token1 = k.token)",
                    " AND m.timestamp >= k.day AND m.timestamp < k.day + 86400)",
                    " + (SELECT count(*) FROM pairs q JOIN burns b ON b.pair = q.address WHERE (q.token0 = k.token OR q.token1 = k.token)",
                    " AND b.timestamp >= k.day AND b.timestamp < k.day + 86400)"
                ),
            ),
            amount!("totalLiquidityToken", "k.tvl", "t"),
        ],
        lists: &[],
    },
    Entity {
        name: "User",
        single: "user",
        plural: "users",
        from: "(SELECT to_address AS address FROM lp_transfers UNION SELECT from_address FROM lp_transfers) u",
        base: concat!(
            "u.address != ",
            zero!(),
            " AND u.address NOT IN (SELECT address FROM pairs)"
        ),
        id: "u.address",
        hint: None,
        natural: "u.address",
        fields: &[f("id", "ID", Text, "u.address")],
        lists: &[l("liquidityPositions", "LiquidityPosition", "user")],
    },
    Entity {
        name: "LiquidityPosition",
        single: "liquidityPosition",
        plural: "liquidityPositions",
        from: "(SELECT pair, to_address AS user FROM lp_transfers UNION SELECT pair, from_address FROM lp_transfers) lp",
        base: concat!("lp.user != ", zero!(), " AND lp.user != lp.pair"),
        id: "lp.pair || '-' || lp.user",
        hint: None,
        natural: "lp.pair, lp.user",
        fields: &[
            f("id", "ID", Text, "lp.pair || '-' || lp.user"),
            r("user", "User", "lp.user"),
            r("pair", "Pair", "lp.pair"),
            f(
                "liquidityTokenBalance",
                "BigDecimal",
                Decimal(concat!(
                    "(SELECT total(CAST(value AS REAL)) FROM lp_transfers l WHERE l.pair = lp.pair AND l.to_address = lp.user) / 1e18",
                    " - (SELECT total(CAST(value AS REAL)) FROM lp_transfers l WHERE l.pair = lp.pair AND l.from_address = lp.user) / 1e18"
                )),
                concat!(
                    "dec(u256_sub((SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = lp.pair AND l.to_address = lp.user),",
                    " (SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = lp.pair AND l.from_address = lp.user)), 18)"
                ),
            ),
        ],
        lists: &[],
    },
];

/// An entity by GraphQL type name.
pub fn entity(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.name == name)
}
