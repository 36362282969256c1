//! The tokens the app knows: native ETH, the deployment's tokens, tokens the
//! indexer found in pools, and tokens the user imported by address (read on
//! chain, with a warning).

use alloy::primitives::Address;
use std::collections::HashMap;

use alloy::eips::BlockId;
use tidepool_sdk::manifest::{Manifest, TokenInfo};
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::marketstate::lens;
use tidepool_sdk::tokenlist::Verdict;

use crate::core::{Core, Live};
use crate::error::{AppError, AppResult};
use crate::views::{TokenOddity, TokenSource, TokenView};

/// A known token and where it was found.
#[derive(Debug, Clone)]
pub struct Known {
    /// The asset.
    pub asset: Asset,
    /// Its source.
    pub source: TokenSource,
}

/// A token's view (without a balance), before the token lists are consulted:
/// only ETH and the deployment's own tokens count as verified here.
pub fn view(asset: &Asset, source: TokenSource) -> TokenView {
    let (address, name, oddities) = match asset {
        Asset::Eth => ("ETH".to_string(), "Ether".to_string(), Vec::new()),
        Asset::Token(t) => (
            t.address.to_checksum(None),
            t.name.clone(),
            t.oddities.clone(),
        ),
    };
    let mut v = TokenView {
        address,
        symbol: asset.symbol().to_string(),
        name,
        decimals: asset.decimals(),
        source,
        balance: None,
        price_usd: None,
        lists: Vec::new(),
        verified: matches!(source, TokenSource::Native | TokenSource::Manifest),
        confirmed: false,
        imitates: None,
        oddities,
        warning: None,
    };
    v.warning = warning(&v);
    v
}

/// What the person should know about a token, in words (`None` for a
/// verified, well-behaved one).
pub fn warning(v: &TokenView) -> Option<String> {
    let mut out = Vec::new();
    if let Some(real) = &v.imitates {
        out.push(format!(
            "Imitates the listed {} at {real}: this is another token. Anyone can create a token with any name and symbol.",
            v.symbol
        ));
    } else if !v.verified && v.confirmed {
        out.push("On none of your token lists; you confirmed it on this chain.".to_string());
    } else if !v.verified {
        out.push(format!(
            "On none of your token lists. Anyone can create a token with any name and symbol: check the full address {} where you trust before the first trade.",
            v.address
        ));
    }
    for o in &v.oddities {
        out.push(match o {
            TokenOddity::Bytes32Symbol => "Its symbol is an old-style bytes32, not a string.".to_string(),
            TokenOddity::NoSymbol => "It has no readable symbol (shown as ?).".to_string(),
            TokenOddity::NoName => "It has no readable name.".to_string(),
            TokenOddity::AbsurdDecimals => format!(
                "It claims {} decimals: no real token needs that many, amounts of it are not meaningful.",
                v.decimals
            ),
            TokenOddity::BalanceUnreadable => {
                "Its balanceOf reverts: balances cannot be read and trades with it will fail.".to_string()
            }
        });
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// The index's tokens with a symbol and decimals, by symbol.
fn indexed(core: &Core) -> Vec<TokenInfo> {
    let rows = crate::embedded::read(core, tidepool_indexer::query::tokens).unwrap_or_default();
    rows.into_iter()
        .filter_map(|t| {
            // No decimals: amounts of it cannot be shown, so it is left out.
            let decimals = u8::try_from(t.decimals?).ok()?;
            let mut oddities = Vec::new();
            if decimals > tidepool_sdk::tokenmeta::MAX_SANE_DECIMALS {
                oddities.push(TokenOddity::AbsurdDecimals);
            }
            let symbol = t.symbol.unwrap_or_else(|| {
                oddities.push(TokenOddity::NoSymbol);
                "?".into()
            });
            Some(TokenInfo {
                address: t.address.parse().ok()?,
                name: t.name.unwrap_or_else(|| symbol.clone()),
                symbol,
                decimals,
                oddities,
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
    // Imported tokens are read on chain (with their oddities): before the
    // index's copy of the same token.
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
    for t in indexed(core) {
        if seen.insert(t.address) {
            out.push(Known {
                asset: Asset::Token(t),
                source: TokenSource::Indexed,
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
    // Other tokens are read on chain once (with their oddities), then kept:
    // no index scan or node call on the next quote's path.
    if let Some(k) = core.quotes.token(live.genesis, address) {
        return Ok(k);
    }
    let info = market::token_info(&live.client, address).await?;
    let imported = core
        .settings_file()
        .imported
        .contains(&(live.client.chain_id, address));
    let k = Known {
        asset: Asset::Token(info),
        source: if imported {
            TokenSource::Imported
        } else {
            TokenSource::Indexed
        },
    };
    core.quotes.keep_token(live.genesis, address, k.clone());
    Ok(k)
}

impl Core {
    /// A token's view with what the person's token lists and confirmations say.
    pub fn token_view(&self, manifest: &Manifest, asset: &Asset, source: TokenSource) -> TokenView {
        let mut v = view(asset, source);
        let trust = self.trust();
        match trust.verdict(manifest, asset) {
            Verdict::Listed(by) => {
                v.lists = by;
                v.verified = true;
            }
            Verdict::Unlisted { look_alike } => {
                v.verified = matches!(asset, Asset::Eth);
                v.imitates = look_alike.map(|l| l.address.to_checksum(None));
                if let Asset::Token(t) = asset {
                    v.confirmed = trust.confirmed(manifest.chain_id, t.address);
                }
            }
        }
        v.warning = warning(&v);
        v
    }

    /// Known tokens with the active account's balances (one batched read:
    /// a token whose `balanceOf` reverts is marked, the others still show).
    pub async fn tokens_list(&self) -> AppResult<Vec<TokenView>> {
        let live = self.live()?;
        let owner = self.active_address();
        let prices = self.prices(&live).await?;
        let known = known(self, &live).await;
        let balances = match owner {
            Some(o) => {
                let addrs: Vec<Address> = known
                    .iter()
                    .filter_map(|k| match &k.asset {
                        Asset::Token(t) => Some(t.address),
                        Asset::Eth => None,
                    })
                    .collect();
                let read = lens::balances(&live.client, o, &addrs, BlockId::latest()).await?;
                let eth = market::balance(&live.client, &Asset::Eth, o).await?;
                Some((eth, addrs.into_iter().zip(read).collect::<HashMap<_, _>>()))
            }
            None => None,
        };
        let mut out = Vec::new();
        for k in known {
            let mut v = self.token_view(&live.manifest, &k.asset, k.source);
            v.price_usd = prices.usd(&k.asset.pool_token(&live.manifest), k.asset.decimals());
            if let Some((eth, tokens)) = &balances {
                let b = match &k.asset {
                    Asset::Eth => Some(*eth),
                    Asset::Token(t) => tokens.get(&t.address).copied().flatten(),
                };
                match b {
                    Some(b) => v.balance = Some(b.to_string()),
                    None => {
                        v.oddities.push(TokenOddity::BalanceUnreadable);
                        v.warning = warning(&v);
                    }
                }
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
        Ok(self.token_view(&live.manifest, &Asset::Token(info), source))
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
                self.quotes.forget_token(live.genesis, a);
            }
        }
        Ok(v)
    }
}
