//! The market's state: the factory, tokens and pairs.

use super::super::model::Kind::{BigInt, Decimal, Int, Real, Text};
use super::super::model::{Entity, f, l, r};

/// `UniswapFactory`.
pub const UNISWAP_FACTORY: Entity = Entity {
    name: "UniswapFactory",
    single: "uniswapFactory",
    plural: "uniswapFactories",
    from: "(SELECT factory AS address FROM chains) fa",
    base: "TRUE",
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
        micro!("totalVolumeUSD", "(SELECT sum(volume_usd) FROM pair_days)"),
        micro!("totalVolumeETH", "(SELECT sum(volume_eth) FROM pair_days)"),
        micro!(
            "untrackedVolumeUSD",
            "(SELECT sum(untracked_usd) FROM pair_days)"
        ),
        real!(
            "totalLiquidityETH",
            concat!(
                "(SELECT coalesce(sum(",
                latest!("y.tracked_reserve_eth", "q.address"),
                "), 0.0) FROM pairs q)"
            )
        ),
        real!(
            "totalLiquidityUSD",
            concat!(
                "(SELECT coalesce(sum(",
                latest!("y.tracked_reserve_eth", "q.address"),
                "), 0.0) FROM pairs q) * ",
                eth_now!()
            )
        ),
    ],
    lists: &[],
};

/// `Bundle`: the one ETH price.
pub const BUNDLE: Entity = Entity {
    name: "Bundle",
    single: "bundle",
    plural: "bundles",
    from: "(SELECT '1' AS id) bu",
    base: "TRUE",
    id: "bu.id",
    hint: None,
    natural: "bu.id",
    fields: &[f("id", "ID", Text, "bu.id"), real!("ethPrice", eth_now!())],
    lists: &[],
};

/// `Token`.
pub const TOKEN: Entity = Entity {
    name: "Token",
    single: "token",
    plural: "tokens",
    from: "tokens t",
    base: "TRUE",
    id: "t.address",
    hint: None,
    natural: "t.address",
    fields: &[
        f("id", "ID", Text, "t.address"),
        f("symbol", "String", Text, "coalesce(t.symbol, '')"),
        f("name", "String", Text, "coalesce(t.name, '')"),
        f("decimals", "BigInt", BigInt, "coalesce(t.decimals, 0)"),
        real!(
            "derivedETH",
            token_latest!(
                "y.derived_eth0",
                "y.derived_eth1",
                "t.address",
                "9223372036854775807"
            )
        ),
        micro!(
            "tradeVolumeUSD",
            "(SELECT sum(volume_usd) FROM token_days k WHERE k.token = t.address)"
        ),
        micro!(
            "untrackedVolumeUSD",
            "(SELECT sum(untracked_usd) FROM token_days k WHERE k.token = t.address)"
        ),
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
};

/// `Pair`.
pub const PAIR: Entity = Entity {
    name: "Pair",
    single: "pair",
    plural: "pairs",
    from: "pairs p LEFT JOIN tokens t0 ON t0.address = p.token0 LEFT JOIN tokens t1 ON t1.address = p.token1",
    base: "TRUE",
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
                " AS DOUBLE PRECISION) / 1e18"
            )),
            concat!(
                "u256_dec(",
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
                " AS DOUBLE PRECISION) / coalesce(t0.unit, 1)) / nullif(CAST(",
                reserve!("1", "p.address"),
                " AS DOUBLE PRECISION) / coalesce(t1.unit, 1), 0), 0)"
            ),
        ),
        f(
            "token1Price",
            "BigDecimal",
            Real,
            concat!(
                "coalesce((CAST(",
                reserve!("1", "p.address"),
                " AS DOUBLE PRECISION) / coalesce(t1.unit, 1)) / nullif(CAST(",
                reserve!("0", "p.address"),
                " AS DOUBLE PRECISION) / coalesce(t0.unit, 1), 0), 0)"
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
        real!("reserveETH", latest!(reserve_eth_y!(), "p.address")),
        real!("reserveUSD", latest!(reserve_usd_y!(), "p.address")),
        real!(
            "trackedReserveETH",
            latest!("y.tracked_reserve_eth", "p.address")
        ),
        micro!(
            "volumeUSD",
            "(SELECT sum(volume_usd) FROM pair_days d WHERE d.pair = p.address)"
        ),
        micro!(
            "untrackedVolumeUSD",
            "(SELECT sum(untracked_usd) FROM pair_days d WHERE d.pair = p.address)"
        ),
        f(
            "liquidityProviderCount",
            "BigInt",
            BigInt,
            concat!(
                "(SELECT count(*) FROM (SELECT to_address AS a FROM lp_transfers l WHERE l.pair = p.address",
                " UNION SELECT from_address FROM lp_transfers l WHERE l.pair = p.address) z",
                " WHERE a != ",
                zero!(),
                " AND a != p.address)"
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
};
