//! What an account has let others spend: every allowance it granted, found
//! from the ERC-20 `Approval` logs it is the owner of and confirmed with
//! `allowance()` now, and revoking one (setting it to 0).

use std::collections::BTreeSet;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use serde::Serialize;
use tidepool_sdk::bindings::TestToken;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::{Manifest, TokenInfo};
use tidepool_sdk::market::{self, Asset};

use crate::error::Result;
use crate::events::Observer;
use crate::send::{self, Sent};

/// The widest block range asked for in one `eth_getLogs`; halved when the
/// node refuses a range as too large.
const MAX_RANGE: u64 = 50_000;

/// One allowance an account granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Allowance {
    /// The token.
    pub token: TokenInfo,
    /// Who may spend it.
    pub spender: Address,
    /// The spender's name when Tidepool knows it ("router").
    pub spender_name: Option<String>,
    /// How much, in base units.
    pub amount: U256,
    /// Whether it is unlimited (`2^256 − 1`, which tokens do not decrease).
    pub unlimited: bool,
}

fn spender_name(manifest: &Manifest, spender: Address) -> Option<String> {
    (spender == manifest.router).then(|| "router".to_string())
}

/// Every (token, spender) `owner` approved since `from_block`, as the
/// chain's `Approval` logs say; ranges a node refuses as too large are split.
async fn approved_pairs(
    client: &Client,
    owner: Address,
    from_block: u64,
) -> Result<BTreeSet<(Address, Address)>> {
    let latest = client
        .provider
        .get_block_number()
        .await
        .map_err(|e| client.err(e))?;
    let topic_owner = B256::left_padding_from(owner.as_slice());
    let mut out = BTreeSet::new();
    let mut start = from_block;
    let mut range = MAX_RANGE;
    while start <= latest {
        let end = (start + range - 1).min(latest);
        let filter = Filter::new()
            .from_block(start)
            .to_block(end)
            .event_signature(TestToken::Approval::SIGNATURE_HASH)
            .topic1(topic_owner);
        match client.provider.get_logs(&filter).await {
            Ok(logs) => {
                for l in logs {
                    if let Some(spender) = l.topics().get(2) {
                        out.insert((l.address(), Address::from_word(*spender)));
                    }
                }
                start = end + 1;
                range = (range * 2).min(MAX_RANGE);
            }
            Err(e) if range > 1 => {
                tracing::debug!("eth_getLogs {start}..{end} refused ({e}); halving the range");
                range /= 2;
            }
            Err(e) => return Err(client.err(e).into()),
        }
    }
    Ok(out)
}

/// Every non-zero allowance `owner` has granted: to the router and to any
/// spender in its `Approval` logs since `from_block`, each confirmed with
/// `allowance()` at the latest block. Tokens of the manifest and the router
/// are always looked at, even without a log.
pub async fn list(
    client: &Client,
    manifest: &Manifest,
    owner: Address,
    from_block: u64,
) -> Result<Vec<Allowance>> {
    let mut pairs = approved_pairs(client, owner, from_block).await?;
    for t in &manifest.tokens {
        pairs.insert((t.address, manifest.router));
    }
    let mut out = Vec::new();
    for (token, spender) in pairs {
        let Ok(amount) = market::allowance(client, token, owner, spender).await else {
            // Not an ERC-20 (another contract's Approval event).
            continue;
        };
        if amount.is_zero() {
            continue;
        }
        let info = match manifest.tokens.iter().find(|t| t.address == token) {
            Some(t) => t.clone(),
            None => market::token_info(client, token).await?,
        };
        out.push(Allowance {
            token: info,
            spender,
            spender_name: spender_name(manifest, spender),
            amount,
            unlimited: amount == U256::MAX,
        });
    }
    Ok(out)
}

/// Sets the client's account's allowance of `token` for `spender` to 0.
pub async fn revoke(
    client: &Client,
    token: &TokenInfo,
    spender: Address,
    obs: &dyn Observer,
) -> Result<Sent> {
    let _guard = crate::lock::acquire(client)?;
    send::approve(
        client,
        &Asset::Token(token.clone()),
        spender,
        U256::ZERO,
        obs,
    )
    .await
}
