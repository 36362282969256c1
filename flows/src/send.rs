//! Signing, sending and following one transaction, with the sender's
//! balance changes measured before and after (ETH always, for gas).

use alloy::primitives::{Address, I256, TxHash, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy;
use tidepool_sdk::market::{self, Asset};
use tidepool_sdk::txwatch::{SentTx, Waiting};

use crate::error::Result;
use crate::events::{FlowEvent, Observer, TxKind};
use crate::tracker::store_of;

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
    /// Its index in the block.
    pub index: u64,
    /// Gas used.
    pub gas_used: u64,
    /// The fee paid (gas used × effective gas price), wei.
    pub fee_paid: U256,
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
/// [`FlowEvent::Signing`], [`FlowEvent::Sent`], [`FlowEvent::Waiting`] while
/// it waits, then [`FlowEvent::Mined`] or [`FlowEvent::Failed`]. A
/// transaction is never given up on while it can still be mined.
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
    let sent = submit(client, tx, kind, obs).await?;
    let hash = sent.hash;
    let on_wait = |w: &Waiting| {
        obs.on_event(&FlowEvent::Waiting {
            hash,
            node_unreachable: match w {
                Waiting::NodeUnreachable(why) => Some(why.clone()),
                _ => None,
            },
            left_mempool: *w == Waiting::NotInMempool,
        })
    };
    let receipt = match deploy::finish(client, &sent, &on_wait).await {
        Ok(r) => r,
        Err(e) => {
            obs.on_event(&FlowEvent::Failed { kind, hash });
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
        index: receipt.transaction_index.unwrap_or_default(),
        gas_used: receipt.gas_used,
        fee_paid: U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price),
        changes,
    };
    obs.on_event(&FlowEvent::Mined {
        kind,
        sent: sent.clone(),
    });
    Ok(sent)
}

/// Signs and sends `tx` without waiting for it: reports
/// [`FlowEvent::Signing`] and [`FlowEvent::Sent`], and labels the record in
/// the client's transaction store with `kind`.
pub async fn submit(
    client: &Client,
    tx: TransactionRequest,
    kind: TxKind,
    obs: &dyn Observer,
) -> Result<SentTx> {
    obs.on_event(&FlowEvent::Signing { kind });
    let sent = client.send_tracked(tx).await?;
    if let Some(store) = store_of(client) {
        store.set_kind(sent.hash, kind);
    }
    obs.on_event(&FlowEvent::Sent {
        kind,
        hash: sent.hash,
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
    if !amount.is_zero() && needs_reset(client, t.address, spender, amount).await? {
        // Tokens like USDT refuse to change a non-zero allowance to another
        // non-zero one: set it to 0 first.
        approve_exactly(client, t, spender, U256::ZERO, obs).await?;
    }
    approve_exactly(client, t, spender, amount, obs).await
}

/// Whether the token refuses to change the account's non-zero allowance
/// for `spender` to `amount` (the approval reverts in a simulation).
async fn needs_reset(
    client: &Client,
    token: Address,
    spender: Address,
    amount: U256,
) -> Result<bool> {
    let owner = client.sender()?;
    let current = market::allowance(client, token, owner, spender).await?;
    if current.is_zero() || current == amount {
        return Ok(false);
    }
    let call = tidepool_sdk::trade::approve_tx(token, spender, amount).from(owner);
    Ok(client.provider.call(call).await.is_err())
}

async fn approve_exactly(
    client: &Client,
    t: &tidepool_sdk::manifest::TokenInfo,
    spender: Address,
    amount: U256,
    obs: &dyn Observer,
) -> Result<Sent> {
    obs.on_event(&FlowEvent::Approving {
        token: t.address,
        symbol: t.symbol.clone(),
        amount,
        decimals: t.decimals,
    });
    let tx = tidepool_sdk::trade::approve_tx(t.address, spender, amount);
    send(client, tx, TxKind::Approval, &[], obs).await
}
