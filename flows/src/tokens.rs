//! Which tokens may be traded without asking: those of the deployment's
//! manifest, of the person's token lists, and those they confirmed once
//! (remembered per chain in `<data dir>/trusted-tokens.json`). Everything
//! else is refused with [`FlowError::UnverifiedToken`] until confirmed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tidepool_sdk::Address;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::market::Asset;
use tidepool_sdk::tokenlist::{ListedToken, TokenList, TokenLists, Verdict};

use crate::{FlowError, Result};

/// The person's token lists and confirmed tokens.
#[derive(Debug)]
pub struct TokenTrust {
    lists: TokenLists,
    path: PathBuf,
    trusted: BTreeSet<(u64, Address)>,
}

impl TokenTrust {
    /// Reads the lists and confirmations under `data_dir`.
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join("trusted-tokens.json");
        let trusted = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<(u64, Address)>>(&b).ok())
            .unwrap_or_default()
            .into_iter()
            .collect();
        Self {
            lists: TokenLists::open(&data_dir.join("tokenlists")),
            path,
            trusted,
        }
    }

    /// The lists.
    pub fn lists(&mut self) -> &mut TokenLists {
        &mut self.lists
    }

    /// What the lists say about `asset` (ETH and the manifest's tokens are listed).
    pub fn verdict(&self, manifest: &Manifest, asset: &Asset) -> Verdict {
        match asset {
            Asset::Eth => Verdict::Listed(vec!["native".into()]),
            Asset::Token(t) => {
                let own: Vec<Address> = manifest
                    .tokens
                    .iter()
                    .map(|k| k.address)
                    .chain([manifest.weth])
                    .collect();
                match self
                    .lists
                    .verdict(manifest.chain_id, t.address, &t.symbol, &own)
                {
                    // The deployment's own tokens are listed too: a token
                    // copying one of their symbols imitates it.
                    Verdict::Unlisted { look_alike: None } => Verdict::Unlisted {
                        look_alike: manifest
                            .tokens
                            .iter()
                            .find(|m| {
                                m.address != t.address
                                    && m.symbol.trim().eq_ignore_ascii_case(t.symbol.trim())
                            })
                            .map(|m| ListedToken {
                                chain_id: manifest.chain_id,
                                address: m.address,
                                name: m.name.clone(),
                                symbol: m.symbol.clone(),
                                decimals: m.decimals,
                                logo_uri: None,
                            }),
                    },
                    v => v,
                }
            }
        }
    }

    /// Refuses an unlisted token the person has not confirmed.
    pub fn check(&self, manifest: &Manifest, asset: &Asset) -> Result<()> {
        let Asset::Token(t) = asset else {
            return Ok(());
        };
        match self.verdict(manifest, asset) {
            Verdict::Listed(_) => Ok(()),
            Verdict::Unlisted { .. } if self.trusted.contains(&(manifest.chain_id, t.address)) => {
                Ok(())
            }
            Verdict::Unlisted { look_alike } => Err(FlowError::UnverifiedToken {
                address: t.address,
                symbol: t.symbol.clone(),
                look_alike: look_alike.map(|l| (l.symbol, l.address)),
            }),
        }
    }

    /// Whether the person confirmed `token` on `chain_id`.
    pub fn confirmed(&self, chain_id: u64, token: Address) -> bool {
        self.trusted.contains(&(chain_id, token))
    }

    /// Remembers that the person confirmed `token` on `chain_id`.
    pub fn trust(&mut self, chain_id: u64, token: Address) -> Result<()> {
        if self.trusted.insert((chain_id, token)) {
            let all: Vec<&(u64, Address)> = self.trusted.iter().collect();
            let text = serde_json::to_vec_pretty(&all).expect("addresses serialize");
            let tmp = self.path.with_extension("json.tmp");
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| FlowError::Store(e.to_string()))?;
            }
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, &self.path))
                .map_err(|e| FlowError::Store(format!("{}: {e}", self.path.display())))?;
        }
        Ok(())
    }
}

/// Reads and parses a token list from a file path or an http(s) URL.
pub async fn read_list(source: &str) -> Result<TokenList> {
    let err = |reason: String| FlowError::TokenListSource {
        source_name: source.to_string(),
        reason,
    };
    let text = if source.starts_with("http://") || source.starts_with("https://") {
        let r = reqwest::get(source)
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| err(e.to_string()))?;
        r.text().await.map_err(|e| err(e.to_string()))?
    } else {
        std::fs::read_to_string(source).map_err(|e| err(e.to_string()))?
    };
    Ok(TokenList::parse(&text)?)
}
