//! The tokens the app knows: native ETH, the deployment's tokens, tokens the
//! indexer found in pools, and tokens the user imported by address (read on
//! chain, with a warning).

use alloy::primitives::Address;
use tidepool_sdk::manifest::TokenInfo;
use tidepool_sdk::market::{self, Asset};

use crate::core::{Core, Live};
use crate::error::{AppError, AppResult};
use crate::views::{TokenSource, TokenView};

/// The warning shown for tokens outside the deployment's list.
pub const UNLISTED: &str = "This token is not in the deployment's token list. Anyone can create a token with any name and symbol: check the address before trading it.";

/// A known token and where it was found.
#[derive(Debug, Clone)]
pub struct Known {
    /// The asset.
    pub asset: Asset,
    /// Its source.
    pub source: TokenSource,
}

/// A token's view (without a balance).
pub fn view(asset: &Asset, source: TokenSource) -> TokenView {
    let (address, name) = match asset {
        Asset::Eth => ("ETH".to_string(), "Ether".to_string()),
        Asset::Token(t) => (t.address.to_checksum(None), t.name.clone()),
    };
    TokenView {
        address,
        symbol: asset.symbol().to_string(),
        name,
        decimals: asset.decimals(),
        source,
        balance: None,
        price_usd: None,
        warning: matches!(source, TokenSource::Indexed | TokenSource::Imported)
            .then(|| UNLISTED.to_string()),
    }
}

/// The index's tokens with a symbol and decimals, by symbol.
fn indexed(core: &Core) -> Vec<TokenInfo> {
    let rows = crate::embedded::read(core, tidepool_indexer::query::tokens).unwrap_or_default();
    rows.into_iter()
        .filter_map(|t| {
            let symbol = t.symbol?;
            Some(TokenInfo {
                address: t.address.parse().ok()?,
                name: t.name.unwrap_or_else(|| symbol.clone()),
                symbol,
                decimals: u8::try_from(t.decimals?).ok()?,
            })
        })
        .collect()
}

/// Every known token: ETH, the manifest's, the index's, the imported ones.
pub async fn known(core: &Core, live: &Live) -> Vec<Known> {
    let mut out = vec![Known {
        asset: Asset::Eth,
        source: TokenSource::Native,
    }];
    let mut seen = std::collections::HashSet::new();
    for t in &live.manifest.tokens {
        if seen.insert(t.address) {
            out.push(Known {
                asset: Asset::Token(t.clone()),
                source: TokenSource::Manifest,
            });
        }
    }
    for t in indexed(core) {
        if seen.insert(t.address) {
            out.push(Known {
                asset: Asset::Token(t),
                source: TokenSource::Indexed,
            });
        }
    }
    let chain = live.client.chain_id;
    let imported: Vec<Address> = core
        .settings_file()
        .imported
        .iter()
        .filter(|(c, _)| *c == chain)
        .map(|(_, a)| *a)
        .collect();
    for a in imported {
        if seen.insert(a)
            && let Ok(t) = market::token_info(&live.client, a).await
        {
            out.push(Known {
                asset: Asset::Token(t),
                source: TokenSource::Imported,
            });
        }
    }
    out
}

/// Parses "ETH" or an address.
pub fn parse_key(key: &str) -> AppResult<Option<Address>> {
    let k = key.trim();
    if k.eq_ignore_ascii_case("eth") {
        return Ok(None);
    }
    k.parse::<Address>().map(Some).map_err(|_| {
        AppError::input(format!(
            "`{k}` is not a token address (0x followed by 40 hex digits) or ETH"
        ))
    })
}

/// Resolves "ETH" or an address to an asset: a known token, else read on chain.
pub async fn resolve(core: &Core, live: &Live, key: &str) -> AppResult<Known> {
    let Some(address) = parse_key(key)? else {
        return Ok(Known {
            asset: Asset::Eth,
            source: TokenSource::Native,
        });
    };
    // The deployment's own tokens first: no index read on the quote path.
    if let Some(t) = live.manifest.tokens.iter().find(|t| t.address == address) {
        return Ok(Known {
            asset: Asset::Token(t.clone()),
            source: TokenSource::Manifest,
        });
    }
    if let Some(k) = known(core, live)
        .await
        .into_iter()
        .find(|k| matches!(&k.asset, Asset::Token(t) if t.address == address))
    {
        return Ok(k);
    }
    let info = market::token_info(&live.client, address).await?;
    Ok(Known {
        asset: Asset::Token(info),
        source: TokenSource::Imported,
    })
}

impl Core {
    /// Known tokens with the active account's balances.
    pub async fn tokens_list(&self) -> AppResult<Vec<TokenView>> {
        let live = self.live()?;
        let owner = self.active_address();
        let prices = self.prices(&live).await?;
        let mut out = Vec::new();
        for k in known(self, &live).await {
            let mut v = view(&k.asset, k.source);
            v.price_usd = prices.usd(&k.asset.pool_token(&live.manifest), k.asset.decimals());
            if let Some(o) = owner {
                v.balance = Some(
                    market::balance(&live.client, &k.asset, o)
                        .await?
                        .to_string(),
                );
            }
            out.push(v);
        }
        Ok(out)
    }

    /// Reads a token on chain for the import preview.
    pub async fn token_lookup(&self, address: &str) -> AppResult<TokenView> {
        let live = self.live()?;
        let Some(a) = parse_key(address)? else {
            return Ok(view(&Asset::Eth, TokenSource::Native));
        };
        let info = market::token_info(&live.client, a).await.map_err(|e| {
            AppError::input(format!(
                "{a} does not look like an ERC-20 token on this chain: {e}"
            ))
        })?;
        let source = if live.manifest.tokens.iter().any(|t| t.address == a) {
            TokenSource::Manifest
        } else {
            TokenSource::Imported
        };
        Ok(view(&Asset::Token(info), source))
    }

    /// Imports a token by address (remembered per chain).
    pub async fn token_import(&self, address: &str) -> AppResult<TokenView> {
        self.user_action();
        let v = self.token_lookup(address).await?;
        let live = self.live()?;
        if v.source == TokenSource::Imported {
            let a: Address = v
                .address
                .parse()
                .map_err(|_| AppError::input("bad address"))?;
            let mut file = self.settings_file();
            if !file.imported.contains(&(live.client.chain_id, a)) {
                file.imported.push((live.client.chain_id, a));
                file.save(&self.dirs.config.join("settings.json"))?;
            }
        }
        Ok(v)
    }
}
