//! Day and hour data, and liquidity providers.

use super::super::model::Kind::{BigInt, Decimal, Int, Real, Text};
use super::super::model::{Entity, f, l, r};

/// `PairDayData`.
pub const PAIR_DAY_DATA: Entity = Entity {
    name: "PairDayData",
    single: "pairDayData",
    plural: "pairDayDatas",
    from: concat!(
        "pair_days d JOIN pairs p ON p.address = d.pair ",
        "LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1"
    ),
    base: "TRUE",
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
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!("u256_dec(", lp_supply!("d.pair", "d.day + 86400"), ", 18)"),
        ),
        amount!("dailyVolumeToken0", "d.volume0", "t0"),
        amount!("dailyVolumeToken1", "d.volume1", "t1"),
        micro!("dailyVolumeUSD", "d.volume_usd"),
        real!(
            "reserveUSD",
            latest!(reserve_usd_y!(), "d.pair", "d.day + 86400")
        ),
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
};

/// `PairHourData`.
pub const PAIR_HOUR_DATA: Entity = Entity {
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
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!(
                "u256_dec(",
                lp_supply!("c.pair", "c.bucket + 3600"),
                ", 18)"
            ),
        ),
        amount!("hourlyVolumeToken0", "c.volume0", "t0"),
        amount!("hourlyVolumeToken1", "c.volume1", "t1"),
        micro!("hourlyVolumeUSD", "c.volume_usd"),
        real!(
            "reserveUSD",
            latest!(reserve_usd_y!(), "c.pair", "c.bucket + 3600")
        ),
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
};

/// `TokenDayData`.
pub const TOKEN_DAY_DATA: Entity = Entity {
    name: "TokenDayData",
    single: "tokenDayData",
    plural: "tokenDayDatas",
    from: "token_days k JOIN tokens t ON t.address = k.token",
    base: "TRUE",
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
        micro!("dailyVolumeETH", "k.side_eth"),
        micro!("dailyVolumeUSD", "k.side_usd"),
        real!(
            "totalLiquidityETH",
            concat!(
                "(CAST(k.tvl AS DOUBLE PRECISION) / coalesce(t.unit, 1)) * ",
                token_latest!(
                    "y.derived_eth0",
                    "y.derived_eth1",
                    "k.token",
                    "k.day + 86400"
                )
            )
        ),
        real!(
            "totalLiquidityUSD",
            concat!(
                "(CAST(k.tvl AS DOUBLE PRECISION) / coalesce(t.unit, 1)) * ",
                token_latest!(
                    "y.derived_eth0 * y.eth_price",
                    "y.derived_eth1 * y.eth_price",
                    "k.token",
                    "k.day + 86400"
                )
            )
        ),
        real!(
            "priceUSD",
            token_latest!(
                "y.derived_eth0 * y.eth_price",
                "y.derived_eth1 * y.eth_price",
                "k.token",
                "k.day + 86400"
            )
        ),
    ],
    lists: &[],
};

/// `User`.
pub const USER: Entity = Entity {
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
};

/// `LiquidityPosition`.
pub const LIQUIDITY_POSITION: Entity = Entity {
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
                "(SELECT coalesce(sum(CAST(value AS DOUBLE PRECISION)), 0.0) FROM lp_transfers l WHERE l.pair = lp.pair AND l.to_address = lp.user) / 1e18",
                " - (SELECT coalesce(sum(CAST(value AS DOUBLE PRECISION)), 0.0) FROM lp_transfers l WHERE l.pair = lp.pair AND l.from_address = lp.user) / 1e18"
            )),
            concat!(
                "u256_dec(u256_sub((SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = lp.pair AND l.to_address = lp.user),",
                " (SELECT u256_sum(value) FROM lp_transfers l WHERE l.pair = lp.pair AND l.from_address = lp.user)), 18)"
            ),
        ),
    ],
    lists: &[],
};

/// `UniswapDayData`: every pair on a UTC day, with running totals.
pub const UNISWAP_DAY_DATA: Entity = Entity {
    name: "UniswapDayData",
    single: "uniswapDayData",
    plural: "uniswapDayDatas",
    from: "(SELECT DISTINCT day FROM pair_days) ud",
    base: "TRUE",
    id: "CAST(ud.day / 86400 AS TEXT)",
    hint: None,
    natural: "ud.day",
    fields: &[
        f("id", "ID", Text, "CAST(ud.day / 86400 AS TEXT)"),
        f("date", "Int", Int, "ud.day"),
        micro!(
            "dailyVolumeETH",
            "(SELECT sum(volume_eth) FROM pair_days d WHERE d.day = ud.day)"
        ),
        micro!(
            "dailyVolumeUSD",
            "(SELECT sum(volume_usd) FROM pair_days d WHERE d.day = ud.day)"
        ),
        micro!(
            "dailyVolumeUntracked",
            "(SELECT sum(untracked_usd) FROM pair_days d WHERE d.day = ud.day)"
        ),
        micro!(
            "totalVolumeETH",
            "(SELECT sum(volume_eth) FROM pair_days d WHERE d.day <= ud.day)"
        ),
        micro!(
            "totalVolumeUSD",
            "(SELECT sum(volume_usd) FROM pair_days d WHERE d.day <= ud.day)"
        ),
        real!(
            "totalLiquidityETH",
            concat!(
                "(SELECT coalesce(sum(",
                latest!("y.tracked_reserve_eth", "q.address", "ud.day + 86400"),
                "), 0.0) FROM pairs q)"
            )
        ),
        real!(
            "totalLiquidityUSD",
            concat!(
                "(SELECT coalesce(sum(",
                latest!("y.tracked_reserve_eth", "q.address", "ud.day + 86400"),
                "), 0.0) FROM pairs q) * ",
                eth_before!("ud.day + 86400")
            )
        ),
        f(
            "txCount",
            "BigInt",
            BigInt,
            "(SELECT coalesce(sum(swaps), 0) FROM pair_days d WHERE d.day <= ud.day)
             + (SELECT count(*) FROM mints WHERE timestamp < ud.day + 86400)
             + (SELECT count(*) FROM burns WHERE timestamp < ud.day + 86400)",
        ),
    ],
    lists: &[],
};
