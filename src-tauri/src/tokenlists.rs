//! The person's token lists and confirmations in the app: import a list from
//! a file or URL, see the lists, confirm an unverified token once. The rules
//! (what is listed, what imitates, what is refused) are the shared flows'
//! [`tidepool_flows::tokens::TokenTrust`], the same the CLI applies.

use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::market::Asset;
use tidepool_sdk::tokenlist::TokenList;

use crate::core::Core;
use crate::error::AppResult;
use crate::views::{TokenListView, TokenView};

fn list_view(l: &TokenList, chain_id: Option<u64>) -> TokenListView {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    TokenListView {
        name: l.name.clone(),
        version: format!(
            "{}.{}.{}",
            l.version.major, l.version.minor, l.version.patch
        ),
        tokens: count(l.tokens.len()),
        on_this_chain: count(
            l.tokens
                .iter()
                .filter(|t| Some(t.chain_id) == chain_id)
                .count(),
        ),
        published: l.timestamp.clone(),
    }
}

impl Core {
    /// The chain the lists are counted for: the connected one, else the expected one.
    fn list_chain(&self) -> Option<u64> {
        self.live()
            .ok()
            .map(|l| l.client.chain_id)
            .or(Some(self.settings().chain_id))
    }

    /// The imported token lists.
    pub fn token_lists(&self) -> Vec<TokenListView> {
        let chain = self.list_chain();
        self.trust()
            .lists()
            .lists()
            .iter()
            .map(|l| list_view(l, chain))
            .collect()
    }

    /// Imports a token list (the standard token-list JSON) from a file path or
    /// an http(s) URL; a list of the same name is replaced.
    pub async fn token_list_import(&self, source: &str) -> AppResult<TokenListView> {
        self.user_action();
        let list = tidepool_flows::tokens::read_list(source.trim()).await?;
        let view = list_view(&list, self.list_chain());
        self.trust().lists().import(list)?;
        self.quotes.clear();
        Ok(view)
    }

    /// Records that the person checked an unverified token and wants to trade
    /// it on this chain (asked once, before its first trade).
    pub async fn token_confirm(&self, address: &str) -> AppResult<TokenView> {
        self.user_action();
        let live = self.live()?;
        let k = crate::tokens::resolve(self, &live, address).await?;
        if let Asset::Token(t) = &k.asset {
            self.trust().trust(live.client.chain_id, t.address)?;
        }
        Ok(self.token_view(&live.manifest, &k.asset, k.source))
    }

    /// Refuses to trade an unverified token the person has not confirmed
    /// (before anything is signed).
    pub(crate) fn check_tokens(&self, manifest: &Manifest, assets: &[&Asset]) -> AppResult<()> {
        let trust = self.trust();
        for a in assets {
            trust.check(manifest, a)?;
        }
        Ok(())
    }
}
