//! Pools from the local index: the list with price, TVL and 24 h volume, and
//! a pool page with candles and recent swaps. While the index is still being
//! created the list falls back to the chain (reserves, no volume).

use std::collections::HashMap;

use alloy::primitives::{Address, U256};
use tidepool_indexer::query::{self, CandlesParams, PairRow, PairsParams, SwapsParams};
use tidepool_sdk::amount::to_f64;
use tidepool_sdk::manifest::TokenInfo;
use tidepool_sdk::market::{self, Asset};

use crate::core::{Core, Live};
use crate::error::{AppError, AppResult};
use crate::views::{Candle, PoolDetail, PoolView, SwapRow, TokenSource};

fn checksum(address: &str) -> String {
    address
        .parse::<Address>()
        .map_or_else(|_| address.to_string(), |a| a.to_checksum(None))
}

fn token(
    core: &Core,
    live: &Live,
    address: &str,
    symbol: String,
    decimals: u8,
) -> crate::views::TokenView {
    let a: Address = address.parse().unwrap_or_default();
    let source = if live.manifest.tokens.iter().any(|t| t.address == a) || a == live.manifest.weth {
        TokenSource::Manifest
    } else {
        TokenSource::Indexed
    };
    core.token_view(
        &live.manifest,
        &Asset::Token(TokenInfo {
            name: symbol.clone(),
            symbol,
            decimals,
            address: a,
            oddities: Vec::new(),
        }),
        source,
    )
}

fn rows_to_pools(core: &Core, live: &Live, rows: Vec<PairRow>) -> Vec<PoolView> {
    let dec = |d: Option<i64>| d.and_then(|d| u8::try_from(d).ok()).unwrap_or(18);
    rows.into_iter()
        .map(|r| PoolView {
            pair: checksum(&r.address),
            token0: token(
                core,
                live,
                &r.token0,
                r.symbol0.unwrap_or_default(),
                dec(r.decimals0),
            ),
            token1: token(
                core,
                live,
                &r.token1,
                r.symbol1.unwrap_or_default(),
                dec(r.decimals1),
            ),
            reserve0: r.reserve0.unwrap_or_default(),
            reserve1: r.reserve1.unwrap_or_default(),
            price: r.price.unwrap_or(0.0),
            tvl_eth: None,
            tvl_usd: None,
            volume24h_usd: None,
            volume0_24h: r.volume0_24h,
            volume1_24h: r.volume1_24h,
            swaps24h: u64::try_from(r.swaps_24h).unwrap_or(0),
        })
        .collect()
}

/// TVL and 24 h volume in USD from whichever side has a price (a pool's
/// two sides are worth the same at its own price).
fn in_usd(p: &mut PoolView, prices: &tidepool_sdk::prices::Prices) {
    let amount = |s: &str| U256::from_str_radix(s, 10).unwrap_or_default();
    let addr = |t: &crate::views::TokenView| t.address.parse::<Address>().unwrap_or_default();
    let (a0, a1) = (addr(&p.token0), addr(&p.token1));
    let side0 = prices.value(&a0, amount(&p.reserve0));
    let side1 = prices.value(&a1, amount(&p.reserve1));
    p.tvl_usd = match (side0, side1) {
        (Some(x), Some(y)) => Some(x + y),
        (Some(x), None) | (None, Some(x)) => Some(2.0 * x),
        (None, None) => None,
    };
    p.volume24h_usd = prices
        .value(&a0, amount(&p.volume0_24h))
        .or_else(|| prices.value(&a1, amount(&p.volume1_24h)));
}

fn whole(p: &PoolView) -> (f64, f64) {
    let r = |s: &str, d: u8| to_f64(U256::from_str_radix(s, 10).unwrap_or_default(), d);
    (
        r(&p.reserve0, p.token0.decimals),
        r(&p.reserve1, p.token1.decimals),
    )
}

/// Values both reserves of every pool in ETH, pricing each token through its
/// deepest WETH pool.
pub fn price_in_eth(pools: &mut [PoolView], weth: Address) {
    let weth = weth.to_checksum(None);
    let mut eth_per: HashMap<String, (f64, f64)> = HashMap::new(); // token → (price, depth)
    eth_per.insert(weth.to_lowercase(), (1.0, f64::MAX));
    for p in pools.iter() {
        let (r0, r1) = whole(p);
        let pairs = [
            (&p.token0.address, &p.token1.address, r1 / r0, r1),
            (&p.token1.address, &p.token0.address, r0 / r1, r0),
        ];
        for (tok, other, price, depth) in pairs {
            if other.eq_ignore_ascii_case(&weth) && price.is_finite() {
                let e = eth_per.entry(tok.to_lowercase()).or_insert((price, 0.0));
                if depth > e.1 {
                    *e = (price, depth);
                }
            }
        }
    }
    for p in pools.iter_mut() {
        let (r0, r1) = whole(p);
        let v0 = eth_per
            .get(&p.token0.address.to_lowercase())
            .map(|e| e.0 * r0);
        let v1 = eth_per
            .get(&p.token1.address.to_lowercase())
            .map(|e| e.0 * r1);
        p.tvl_eth = match (v0, v1) {
            (Some(a), Some(b)) => Some(a + b),
            (Some(a), None) => Some(2.0 * a),
            (None, Some(b)) => Some(2.0 * b),
            _ => None,
        };
    }
}

async fn from_chain(core: &Core, live: &Live) -> AppResult<Vec<PoolView>> {
    let mut out = Vec::new();
    let mut infos = HashMap::new();
    for p in core.market_pairs(live).await? {
        for t in [p.token0, p.token1] {
            if let std::collections::hash_map::Entry::Vacant(e) = infos.entry(t) {
                e.insert(market::token_info(&live.client, t).await?);
            }
        }
        let (t0, t1) = (infos[&p.token0].clone(), infos[&p.token1].clone());
        let (r0, r1) = (U256::from(p.reserve0), U256::from(p.reserve1));
        let price = to_f64(r1, t1.decimals) / to_f64(r0, t0.decimals);
        out.push(PoolView {
            pair: p.pair.to_checksum(None),
            token0: token(core, live, &t0.address.to_string(), t0.symbol, t0.decimals),
            token1: token(core, live, &t1.address.to_string(), t1.symbol, t1.decimals),
            reserve0: r0.to_string(),
            reserve1: r1.to_string(),
            price: if price.is_finite() { price } else { 0.0 },
            tvl_eth: None,
            tvl_usd: None,
            volume24h_usd: None,
            volume0_24h: "0".into(),
            volume1_24h: "0".into(),
            swaps24h: 0,
        });
    }
    Ok(out)
}

impl Core {
    /// Every pool with price, TVL in ETH and 24 h volume.
    pub async fn pools_list(&self) -> AppResult<Vec<PoolView>> {
        let live = self.live()?;
        let indexed = crate::embedded::read(self, |c| query::pairs(c, &PairsParams::default()));
        let mut pools = match indexed {
            Ok(rows) if !rows.is_empty() => rows_to_pools(self, &live, rows),
            _ => from_chain(self, &live).await?,
        };
        price_in_eth(&mut pools, live.manifest.weth);
        let prices = self.prices(&live).await?;
        for p in &mut pools {
            in_usd(p, &prices);
        }
        Ok(pools)
    }

    /// A pool's page: the pool, candles at `interval` seconds, recent swaps.
    pub async fn pool_detail(&self, pair: &str, interval: u32) -> AppResult<PoolDetail> {
        if ![60, 300, 3_600, 86_400].contains(&interval) {
            return Err(AppError::input(
                "the candle interval must be 60, 300, 3600 or 86400 seconds",
            ));
        }
        let pair = pair.trim().to_lowercase();
        let pool = self
            .pools_list()
            .await?
            .into_iter()
            .find(|p| p.pair.to_lowercase() == pair)
            .ok_or_else(|| AppError::input(format!("{pair} is not a pool of this deployment")))?;
        let (candles, swaps) = crate::embedded::read(self, |c| {
            let candles = query::candles(
                c,
                &CandlesParams {
                    pair: Some(pair.clone()),
                    interval: Some(i64::from(interval)),
                    limit: Some(500),
                    ..CandlesParams::default()
                },
            )?;
            let swaps = query::swaps(
                c,
                &SwapsParams {
                    pair: Some(pair),
                    limit: Some(50),
                    ..SwapsParams::default()
                },
            )?;
            Ok((candles, swaps))
        })?;
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(PoolDetail {
            candles: candles
                .into_iter()
                .map(|c| Candle {
                    time: u(c.bucket),
                    open: c.open,
                    high: c.high,
                    low: c.low,
                    close: c.close,
                    volume0: c.volume0,
                    volume1: c.volume1,
                    swaps: u(c.swaps),
                })
                .collect(),
            swaps: swaps
                .into_iter()
                .map(|s| SwapRow {
                    timestamp: u(s.timestamp),
                    block: u(s.block_number),
                    tx_hash: s.tx_hash,
                    recipient: s.recipient,
                    amount0_in: s.amount0_in,
                    amount1_in: s.amount1_in,
                    amount0_out: s.amount0_out,
                    amount1_out: s.amount1_out,
                    price: s.price.unwrap_or(0.0),
                })
                .collect(),
            pool,
        })
    }
}
