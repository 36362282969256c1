//! What is on the chain: token metadata, pools and their reserves, balances.

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;

use crate::bindings::{TestToken, TidepoolFactory, TidepoolPair};
use crate::chain::Client;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, TokenInfo};
use crate::route::Pool;

/// A pool with what a trader or LP needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolInfo {
    /// Reserves and tokens, as the router sees them.
    pub pool: Pool,
    /// Total LP supply.
    pub total_supply: U256,
    /// `kLast` (non-zero while the protocol fee is on).
    pub k_last: U256,
}

/// A token or native ETH (traded through WETH).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asset {
    /// Native ETH.
    Eth,
    /// An ERC-20.
    Token(TokenInfo),
}

impl Asset {
    /// Symbol for display.
    pub fn symbol(&self) -> &str {
        match self {
            Self::Eth => "ETH",
            Self::Token(t) => &t.symbol,
        }
    }

    /// Decimals.
    pub fn decimals(&self) -> u8 {
        match self {
            Self::Eth => 18,
            Self::Token(t) => t.decimals,
        }
    }

    /// The ERC-20 the pools hold for it (WETH for ETH).
    pub fn pool_token(&self, manifest: &Manifest) -> Address {
        match self {
            Self::Eth => manifest.weth,
            Self::Token(t) => t.address,
        }
    }
}

/// Reads a token's symbol, name and decimals (see [`crate::tokenmeta::read`]).
pub async fn token_info(client: &Client, address: Address) -> Result<TokenInfo> {
    crate::tokenmeta::read(client, address).await
}

/// Resolves what a person typed: `ETH`, a symbol from the manifest, or an address.
pub async fn resolve_asset(client: &Client, manifest: &Manifest, key: &str) -> Result<Asset> {
    if key.eq_ignore_ascii_case("ETH") {
        return Ok(Asset::Eth);
    }
    if let Some(t) = manifest.token(key) {
        return Ok(Asset::Token(t.clone()));
    }
    if key.starts_with("0x") || key.starts_with("0X") {
        let address: Address = key.parse().map_err(|_| {
            Error::input(format!(
                "`{key}` is not a valid address (expected 0x followed by 40 hex digits)"
            ))
        })?;
        return token_info(client, address).await.map(Asset::Token);
    }
    let known: Vec<&str> = manifest.tokens.iter().map(|t| t.symbol.as_str()).collect();
    Err(Error::input(format!(
        "unknown token `{key}`: use ETH, one of {}, or a token address",
        known.join(", ")
    )))
}

/// Every pool of the factory, with reserves.
pub async fn pools(client: &Client, factory: Address) -> Result<Vec<PoolInfo>> {
    let f = TidepoolFactory::new(factory, &client.provider);
    let n = f
        .allPairsLength()
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    let n: usize = n
        .try_into()
        .map_err(|_| Error::Rpc("absurd pair count".into()))?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let pair = f
            .allPairs(U256::from(i))
            .call()
            .await
            .map_err(|e| client.call_err(e))?;
        out.push(pool(client, pair).await?);
    }
    Ok(out)
}

/// One pool's state.
pub async fn pool(client: &Client, pair: Address) -> Result<PoolInfo> {
    let p = TidepoolPair::new(pair, &client.provider);
    let (t0, t1, reserves, supply, k_last) = tokio::try_join!(
        async { p.token0().call().await },
        async { p.token1().call().await },
        async { p.getReserves().call().await },
        async { p.totalSupply().call().await },
        async { p.kLast().call().await },
    )
    .map_err(|e| client.call_err(e))?;
    Ok(PoolInfo {
        pool: Pool {
            pair,
            token0: t0,
            token1: t1,
            reserve0: U256::from(reserves._reserve0),
            reserve1: U256::from(reserves._reserve1),
        },
        total_supply: supply,
        k_last,
    })
}

/// The balance of `owner` in `asset` (ETH or a token).
pub async fn balance(client: &Client, asset: &Asset, owner: Address) -> Result<U256> {
    match asset {
        Asset::Eth => client
            .provider
            .get_balance(owner)
            .await
            .map_err(|e| client.err(e)),
        Asset::Token(t) => TestToken::new(t.address, &client.provider)
            .balanceOf(owner)
            .call()
            .await
            .map_err(|e| client.call_err(e)),
    }
}

/// How much of `token` `owner` lets `spender` move.
pub async fn allowance(
    client: &Client,
    token: Address,
    owner: Address,
    spender: Address,
) -> Result<U256> {
    TestToken::new(token, &client.provider)
        .allowance(owner, spender)
        .call()
        .await
        .map_err(|e| client.call_err(e))
}

/// Whether the factory's protocol fee is on (`feeTo` set): mint and burn math depend on it.
pub async fn fee_on(client: &Client, factory: Address) -> Result<bool> {
    let to = TidepoolFactory::new(factory, &client.provider)
        .feeTo()
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    Ok(to != Address::ZERO)
}
