//! Token lists in the standard token-list JSON schema (the one Uniswap's lists
//! use: `name`, `timestamp`, `version`, `tokens[]` of `chainId`, `address`,
//! `name`, `symbol`, `decimals`, …), kept in a directory, and what they say
//! about a token: listed (by which lists), or not — and then whether its
//! symbol imitates a listed token's.

use std::path::{Path, PathBuf};

use alloy::primitives::Address;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A list's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
}

/// One token of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedToken {
    /// The chain it is on.
    pub chain_id: u64,
    /// Its contract.
    pub address: Address,
    /// Its name.
    pub name: String,
    /// Its symbol.
    pub symbol: String,
    /// Its decimals.
    pub decimals: u8,
    /// An image, if any.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "logoURI")]
    pub logo_uri: Option<String>,
}

/// A token list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenList {
    /// The list's name.
    pub name: String,
    /// When it was published (ISO 8601).
    pub timestamp: String,
    /// Its version.
    pub version: Version,
    /// The tokens.
    pub tokens: Vec<ListedToken>,
}

/// What the lists say about one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// On these lists (or the deployment's own manifest).
    Listed(Vec<String>),
    /// On no list; `look_alike` names a listed token with the same symbol.
    Unlisted {
        /// A listed token of the same symbol on this chain, if any.
        look_alike: Option<ListedToken>,
    },
}

impl TokenList {
    /// Parses and checks a list: a name, and per token a chain id, a symbol
    /// of 1–20 characters and a name of at most 60 (the schema's bounds).
    pub fn parse(text: &str) -> Result<Self> {
        let list: Self = serde_json::from_str(text).map_err(|e| {
            Error::input(format!(
                "not a token list (the standard token-list JSON): {e}"
            ))
        })?;
        if list.name.trim().is_empty() {
            return Err(Error::input("the token list has no name"));
        }
        for (i, t) in list.tokens.iter().enumerate() {
            let bad = |what: &str| {
                Error::input(format!(
                    "token {} ({}) of the list `{}`: {what}",
                    i + 1,
                    t.address,
                    list.name
                ))
            };
            if t.chain_id == 0 {
                return Err(bad("chainId 0"));
            }
            if t.symbol.is_empty() || t.symbol.chars().count() > 20 {
                return Err(bad("its symbol must have 1 to 20 characters"));
            }
            if t.name.chars().count() > 60 {
                return Err(bad("its name is longer than 60 characters"));
            }
        }
        Ok(list)
    }
}

/// The lists a person imported, kept as files in one directory.
#[derive(Debug, Clone, Default)]
pub struct TokenLists {
    dir: Option<PathBuf>,
    lists: Vec<TokenList>,
}

fn file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}.json", s.trim_matches('-'))
}

impl TokenLists {
    /// The lists in `dir` (`<data dir>/tokenlists`); a file that is not a
    /// valid list is skipped with a warning, never trusted.
    pub fn open(dir: &Path) -> Self {
        let mut lists = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
            {
                match std::fs::read_to_string(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|t| TokenList::parse(&t).map_err(|e| e.to_string()))
                {
                    Ok(l) => lists.push(l),
                    Err(e) => {
                        tracing::warn!(file = %p.display(), error = %e, "skipping a token list")
                    }
                }
            }
        }
        Self {
            dir: Some(dir.to_path_buf()),
            lists,
        }
    }

    /// Adds (or replaces, by name) a list and saves it in the directory.
    pub fn import(&mut self, list: TokenList) -> Result<PathBuf> {
        let dir = self
            .dir
            .clone()
            .ok_or_else(|| Error::input("no token list directory"))?;
        let path = dir.join(file_name(&list.name));
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(&list).expect("a list serializes"),
        )
        .map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        self.lists.retain(|l| l.name != list.name);
        self.lists.push(list);
        Ok(path)
    }

    /// The lists.
    pub fn lists(&self) -> &[TokenList] {
        &self.lists
    }

    /// What the lists (and `own`, the deployment's manifest tokens) say about `address`.
    pub fn verdict(
        &self,
        chain_id: u64,
        address: Address,
        symbol: &str,
        own: &[Address],
    ) -> Verdict {
        let mut by: Vec<String> = self
            .lists
            .iter()
            .filter(|l| {
                l.tokens
                    .iter()
                    .any(|t| t.chain_id == chain_id && t.address == address)
            })
            .map(|l| l.name.clone())
            .collect();
        if own.contains(&address) {
            by.insert(0, "the deployment's manifest".into());
        }
        if !by.is_empty() {
            return Verdict::Listed(by);
        }
        let look_alike = self
            .lists
            .iter()
            .flat_map(|l| &l.tokens)
            .find(|t| {
                t.chain_id == chain_id
                    && t.address != address
                    && t.symbol.trim().eq_ignore_ascii_case(symbol.trim())
            })
            .cloned();
        Verdict::Unlisted { look_alike }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{
      "name": "Test List", "timestamp": "2026-12-01T00:00:00Z",
      "version": {"major": 1, "minor": 0, "patch": 0},
      "tokens": [
        {"chainId": 1, "address": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "name": "USD Coin", "symbol": "USDC", "decimals": 6, "logoURI": "ipfs://x"},
        {"chainId": 31337, "address": "0x0000000000000000000000000000000000000001", "name": "Dev USD", "symbol": "USDC", "decimals": 6}
      ]
    }"#;

    #[test]
    fn lists_say_listed_unlisted_and_look_alike() {
        let dir = tempfile::tempdir().unwrap();
        let mut lists = TokenLists::open(dir.path());
        let path = lists.import(TokenList::parse(LIST).unwrap()).unwrap();
        assert!(path.ends_with("test-list.json"));
        let lists = TokenLists::open(dir.path());
        assert_eq!(lists.lists().len(), 1);
        let one = Address::with_last_byte(1);
        assert_eq!(
            lists.verdict(31337, one, "USDC", &[]),
            Verdict::Listed(vec!["Test List".into()])
        );
        let fake = Address::with_last_byte(9);
        match lists.verdict(31337, fake, "usdc ", &[]) {
            Verdict::Unlisted {
                look_alike: Some(t),
            } => assert_eq!(t.address, one),
            v => panic!("{v:?}"),
        }
        assert_eq!(
            lists.verdict(31337, fake, "XYZ", &[]),
            Verdict::Unlisted { look_alike: None }
        );
        assert_eq!(
            lists.verdict(31337, fake, "XYZ", &[fake]),
            Verdict::Listed(vec!["the deployment's manifest".into()])
        );
        // The same address on another chain is not listed there.
        assert!(matches!(
            lists.verdict(5, one, "USDC", &[]),
            Verdict::Unlisted { .. }
        ));
    }

    #[test]
    fn bad_lists_are_refused_with_the_reason() {
        for (text, want) in [
            ("{}", "not a token list"),
            (
                r#"{"name":"","timestamp":"t","version":{"major":1,"minor":0,"patch":0},"tokens":[]}"#,
                "has no name",
            ),
            (
                r#"{"name":"L","timestamp":"t","version":{"major":1,"minor":0,"patch":0},"tokens":[{"chainId":1,"address":"0x0000000000000000000000000000000000000001","name":"n","symbol":"ABCDEFGHIJKLMNOPQRSTUVWXYZ","decimals":6}]}"#,
                "1 to 20 characters",
            ),
            (
                r#"{"name":"L","timestamp":"t","version":{"major":1,"minor":0,"patch":0},"tokens":[{"chainId":1,"address":"0x12","name":"n","symbol":"A","decimals":6}]}"#,
                "not a token list",
            ),
        ] {
            let e = TokenList::parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
    }
}
