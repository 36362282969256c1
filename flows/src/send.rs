//! Signing, sending and following one transaction, with the sender's
//! balance changes measured before and after (ETH always, for gas).

use std::sync::Mutex;

use alloy::primitives::{Address, I256, TxHash, U256};
use alloy::rpc::types::TransactionRequest;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy;
use tidepool_sdk::market::{self, Asset};

use crate::error::Result;
use crate::events::{FlowEvent, Observer, TxKind};

/// A signed change of one asset's balance, in base units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceChange {
    /// The asset.
    pub asset: Asset,
    /// After minus before (ETH includes the gas paid).
    pub delta: I256,
}

/// A transaction that was mined and succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Its hash.
    pub hash: TxHash,
    /// The block it was mined in.
    pub block: u64,
    /// Gas used.
    pub gas_used: u64,
    /// The sender's balance changes that are not zero.
    pub changes: Vec<BalanceChange>,
}

/// ETH and `assets`, each once.
fn measured(assets: &[&Asset]) -> Vec<Asset> {
    let mut v = vec![Asset::Eth];
    for a in assets {
        if !v.contains(a) {
            v.push((*a).clone());
        }
    }
    v
}

async fn balances(client: &Client, assets: &[Asset], owner: Address) -> Result<Vec<U256>> {
    let mut out = Vec::with_capacity(assets.len());
    for a in assets {
        let b = match market::balance(client, a, owner).await {
            Ok(b) => b,
            // A pool this transaction creates has no LP token yet.
            Err(_) if matches!(a, Asset::Token(t) if !deploy::has_code(client, t.address).await?) => {
                U256::ZERO
            }
            Err(e) => return Err(e.into()),
        };
        out.push(b);
    }
    Ok(out)
}

fn signed(v: U256) -> I256 {
    I256::try_from(v).unwrap_or(I256::MAX)
}

/// Signs `tx` as the client's account, sends it, follows it to its receipt
/// and measures the balance changes of ETH and `measure`. Reports
/// [`FlowEvent::Signing`], [`FlowEvent::Sent`], then [`FlowEvent::Mined`] or
/// [`FlowEvent::Failed`].
pub async fn send(
    client: &Client,
    tx: TransactionRequest,
    kind: TxKind,
    measure: &[&Asset],
    obs: &dyn Observer,
) -> Result<Sent> {
    let owner = client.sender()?;
    let assets = measured(measure);
    let before = balances(client, &assets, owner).await?;
    obs.on_event(&FlowEvent::Signing { kind });
    let sent_hash = Mutex::new(None);
    let result = deploy::send_observed(client, tx, |hash| {
        *sent_hash.lock().unwrap_or_else(|p| p.into_inner()) = Some(hash);
        obs.on_event(&FlowEvent::Sent { kind, hash });
    })
    .await;
    let receipt = match result {
        Ok(r) => r,
        Err(e) => {
            if let Some(hash) = *sent_hash.lock().unwrap_or_else(|p| p.into_inner()) {
                obs.on_event(&FlowEvent::Failed { kind, hash });
            }
            return Err(e.into());
        }
    };
    let after = balances(client, &assets, owner)
        .await
        .unwrap_or_else(|_| before.clone());
    let changes = assets
        .into_iter()
        .zip(before.iter().zip(&after))
        .map(|(asset, (b, a))| BalanceChange {
            asset,
            delta: signed(*a) - signed(*b),
        })
        .filter(|c| !c.delta.is_zero())
        .collect();
    let sent = Sent {
        hash: receipt.transaction_hash,
        block: receipt.block_number.unwrap_or_default(),
        gas_used: receipt.gas_used,
        changes,
    };
    obs.on_event(&FlowEvent::Mined {
        kind,
        sent: sent.clone(),
    });
    Ok(sent)
}

/// Approves `spender` for `amount` of `token` when its allowance is below
/// `need`, as `mode` allows. Returns the approval sent, if one was.
pub async fn ensure_allowance(
    client: &Client,
    asset: &Asset,
    spender: Address,
    need: U256,
    mode: crate::ApproveMode,
    obs: &dyn Observer,
) -> Result<Option<Sent>> {
    let Asset::Token(t) = asset else {
        return Ok(None);
    };
    let have = market::allowance(client, t.address, client.sender()?, spender).await?;
    if have >= need {
        return Ok(None);
    }
    let amount = match mode {
        crate::ApproveMode::Never => {
            return Err(crate::FlowError::NeedsApproval {
                token: t.address,
                symbol: t.symbol.clone(),
                amount: need,
                need: tidepool_sdk::amount::format_units(need, t.decimals),
            });
        }
        crate::ApproveMode::Exact => need,
        crate::ApproveMode::Unlimited => U256::MAX,
    };
    approve(client, asset, spender, amount, obs).await.map(Some)
}

/// Approves `spender` for `amount` of the token `asset` (`U256::MAX` for
/// unlimited), whatever the allowance is now.
pub async fn approve(
    client: &Client,
    asset: &Asset,
    spender: Address,
    amount: U256,
    obs: &dyn Observer,
) -> Result<Sent> {
    let Asset::Token(t) = asset else {
        return Err(crate::FlowError::NothingToApprove);
    };
    obs.on_event(&FlowEvent::Approving {
        token: t.address,
        symbol: t.symbol.clone(),
        amount,
        decimals: t.decimals,
    });
    let tx = tidepool_sdk::trade::approve_tx(t.address, spender, amount);
    send(client, tx, TxKind::Approval, &[], obs).await
}
