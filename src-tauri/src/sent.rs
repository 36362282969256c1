//! The app's view of the transaction tracker (`tidepool_flows::tracker`):
//! the pending-transactions panel, speed-up and cancel, fee presets for the
//! reviews, and the Approvals screen. The tracker decides every state; this
//! module renders it and keeps the history's rows in step.

use alloy::primitives::{Address, TxHash, U256};
use serde::{Deserialize, Serialize};
use specta::Type;
use tidepool_flows::approvals;
use tidepool_flows::replace;
use tidepool_flows::tracker::{Replacement, TxRecord};
use tidepool_sdk::fees::{FeeChoice, Fees, Speed};
use tidepool_sdk::txwatch::TxState;

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::settings::FeeSpeed;
use crate::txflow::{self, Notify, Tracker};
use crate::txlog::{Entry, TxOutcome};
use crate::views::TxResult;

/// A transaction the app sent, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SentTxView {
    /// Its hash.
    pub hash: String,
    /// What it does: "swap", "approval", "addLiquidity", "removeLiquidity", "cancel", "other".
    pub kind: String,
    /// "pending", "mined", "reverted", "replaced" or "dropped".
    pub state: String,
    /// The replacing transaction, when replaced.
    pub replaced_by: Option<String>,
    /// The transaction this one replaces (a speed-up or a cancellation).
    pub replaces: Option<String>,
    /// Its nonce.
    pub nonce: Option<u64>,
    /// The max fee per gas it offers (wei).
    pub max_fee_per_gas: Option<String>,
    /// Block, once mined.
    pub block: Option<u64>,
    /// Fee paid (wei), once mined.
    pub fee_paid_wei: Option<String>,
    /// Unix time when it was sent.
    pub sent_at: u64,
}

/// What a review's fee selector offers now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeeOptions {
    /// The next block's base fee (wei per gas); `None` on a chain without EIP-1559.
    pub base_fee_wei: Option<String>,
    /// Slow, normal and fast.
    pub presets: Vec<FeePreset>,
    /// The cap from Settings (wei per gas).
    pub cap_wei: Option<String>,
}

/// One preset's fees per gas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeePreset {
    /// Which.
    pub speed: FeeSpeed,
    /// Max fee per gas (or the gas price on a legacy chain), wei.
    pub max_fee_wei: String,
    /// Tip per gas, wei (0 on a legacy chain).
    pub priority_fee_wei: String,
}

/// The fee a review chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeeSelection {
    /// The preset.
    pub speed: FeeSpeed,
    /// A custom max fee per gas, gwei.
    pub max_fee_gwei: Option<String>,
    /// A custom tip per gas, gwei.
    pub priority_fee_gwei: Option<String>,
}

/// An allowance the account granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AllowanceView {
    /// Token address.
    pub token: String,
    /// Its symbol.
    pub symbol: String,
    /// Its decimals.
    pub decimals: u8,
    /// The spender.
    pub spender: String,
    /// "router" when it is Tidepool's router.
    pub spender_name: Option<String>,
    /// Base units.
    pub amount: String,
    /// Unlimited (2^256 − 1).
    pub unlimited: bool,
}

fn wei(v: u128) -> String {
    v.to_string()
}

fn gwei_field(v: Option<&str>, what: &str) -> AppResult<Option<u128>> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            tidepool_sdk::fees::parse_gwei(s).map_err(|_| {
                AppError::input(format!(
                    "{what} `{s}` is not a fee per gas in gwei (e.g. 1.5)"
                ))
            })
        })
        .transpose()
}

impl FeeSelection {
    /// The sdk's fee choice, with the cap from Settings.
    pub fn choice(&self, cap: Option<u128>) -> AppResult<FeeChoice> {
        Ok(FeeChoice {
            speed: self.speed.into(),
            max_fee: gwei_field(self.max_fee_gwei.as_deref(), "max fee")?,
            priority_fee: gwei_field(self.priority_fee_gwei.as_deref(), "priority fee")?,
            cap,
        })
    }
}

/// A record as the panel shows it.
pub fn view(r: &TxRecord) -> SentTxView {
    let (state, replaced_by, block, fee) = match &r.state {
        TxState::Pending => ("pending", None, None, None),
        TxState::Mined {
            block,
            success,
            fee_paid,
            ..
        } => (
            if *success { "mined" } else { "reverted" },
            None,
            Some(*block),
            Some(fee_paid.to_string()),
        ),
        TxState::Replaced { by } => ("replaced", by.map(|b| format!("{b}")), None, None),
        TxState::Dropped => ("dropped", None, None, None),
    };
    let kind = r
        .kind
        .and_then(|k| serde_json::to_value(k).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "other".into());
    SentTxView {
        hash: format!("{}", r.sent.hash),
        kind,
        state: state.into(),
        replaced_by,
        replaces: r.replaces.map(|h| format!("{h}")),
        nonce: r.sent.nonce,
        max_fee_per_gas: r.sent.fees.map(|f| f.max_per_gas().to_string()),
        block,
        fee_paid_wei: fee,
        sent_at: r.sent.sent_at,
    }
}

fn parse_hash(s: &str) -> AppResult<TxHash> {
    s.trim()
        .parse()
        .map_err(|_| AppError::input(format!("`{s}` is not a transaction hash")))
}

fn parse_address(s: &str, what: &str) -> AppResult<Address> {
    s.trim()
        .parse()
        .map_err(|_| AppError::input(format!("{what} `{s}` is not an address")))
}

impl Core {
    /// The fee choice of a review (`None`: the preset from Settings), with
    /// the cap from Settings.
    pub(crate) fn fee_choice(&self, sel: Option<FeeSelection>) -> AppResult<FeeChoice> {
        let settings = self.settings();
        let sel = sel.unwrap_or(FeeSelection {
            speed: settings.fee_speed,
            ..FeeSelection::default()
        });
        sel.choice(settings.fee_cap()?)
    }

    /// The active account's transactions on the connected chain, newest
    /// first, pending ones looked at again on the chain (after a restart
    /// too); the history's rows follow what the tracker decided.
    pub async fn tx_list(&self) -> AppResult<Vec<SentTxView>> {
        let live = self.live()?;
        let client = live.client.clone().with_journal(self.sent.clone());
        let before = self.sent.list(client.chain_id, None);
        let after = self.sent.refresh(&client).await?;
        for r in &after {
            let was_pending = before
                .iter()
                .any(|b| b.sent.hash == r.sent.hash && b.state.is_pending());
            if was_pending && !r.state.is_pending() {
                self.txlog().finish(r.sent.hash, outcome(&r.state));
            }
        }
        let me = self.active_address();
        Ok(after
            .iter()
            .filter(|r| me.is_none_or(|a| r.sent.from == a))
            .map(view)
            .collect())
    }

    /// Speeds up (or, with `cancel`, cancels) a pending transaction of the
    /// active account; returns the replacement once sent (the panel follows it).
    pub async fn tx_replace(&self, hash: &str, cancel: bool) -> AppResult<SentTxView> {
        let hash = parse_hash(hash)?;
        let (_, client) = self.signing()?;
        let how = if cancel {
            Replacement::Cancel
        } else {
            Replacement::SpeedUp
        };
        let out =
            replace::replace(&client, hash, how, false, &tidepool_flows::events::Quiet).await?;
        let record = self
            .sent
            .get(out.replacement.hash)
            .ok_or_else(|| AppError::internal("the replacement was not recorded"))?;
        Ok(view(&record))
    }

    /// The fee presets now and the cap from Settings.
    pub async fn fee_options(&self) -> AppResult<FeeOptions> {
        let live = self.live()?;
        let market = live.client.fee_market().await?;
        let presets = [FeeSpeed::Slow, FeeSpeed::Normal, FeeSpeed::Fast]
            .into_iter()
            .map(|speed| {
                let f = market.preset(Speed::from(speed));
                let tip = match f {
                    Fees::Eip1559 { priority_fee, .. } => priority_fee,
                    Fees::Legacy { .. } => 0,
                };
                FeePreset {
                    speed,
                    max_fee_wei: wei(f.max_per_gas()),
                    priority_fee_wei: wei(tip),
                }
            })
            .collect();
        Ok(FeeOptions {
            base_fee_wei: market.base_fee.map(wei),
            presets,
            cap_wei: self.settings().fee_cap()?.map(wei),
        })
    }

    /// Every allowance the active account granted.
    pub async fn approvals_list(&self) -> AppResult<Vec<AllowanceView>> {
        let live = self.live()?;
        let owner = self.active_address().ok_or_else(|| {
            AppError::wallet("no account is active: unlock the wallet or connect one")
        })?;
        let list = approvals::list(&live.client, &live.manifest, owner, 0).await?;
        Ok(list
            .into_iter()
            .map(|a| AllowanceView {
                token: a.token.address.to_checksum(None),
                symbol: a.token.symbol,
                decimals: a.token.decimals,
                spender: a.spender.to_checksum(None),
                spender_name: a.spender_name,
                amount: a.amount.to_string(),
                unlimited: a.unlimited,
            })
            .collect())
    }

    /// Sets one of the active account's allowances to 0.
    pub async fn approvals_revoke(
        &self,
        token: &str,
        spender: &str,
        notify: &Notify,
    ) -> AppResult<TxResult> {
        let token = parse_address(token, "token")?;
        let spender = parse_address(spender, "spender")?;
        let (live, client) = self.signing()?;
        let owner = client.sender()?;
        let info = match live.manifest.tokens.iter().find(|t| t.address == token) {
            Some(t) => t.clone(),
            None => tidepool_sdk::market::token_info(&client, token).await?,
        };
        let entry = Entry::approve(&info, U256::ZERO);
        let t = Tracker::new(self, notify, entry, owner, live.genesis, "revoking");
        let sent = approvals::revoke(&client, &info, spender, &t)
            .await
            .map_err(|e| t.fail(e))?;
        Ok(txflow::result(&sent))
    }
}

fn outcome(s: &TxState) -> TxOutcome {
    match s {
        TxState::Mined {
            block,
            success: true,
            ..
        } => TxOutcome::Mined {
            block: *block,
            changes: Vec::new(),
        },
        TxState::Mined { .. } => TxOutcome::Failed("reverted on chain".into()),
        TxState::Replaced { by } => TxOutcome::Failed(match by {
            Some(b) => format!("replaced by {b}"),
            None => "replaced (another transaction with its nonce was mined)".into(),
        }),
        TxState::Dropped => TxOutcome::Failed("dropped by the node; nothing was spent".into()),
        TxState::Pending => TxOutcome::Failed("pending".into()),
    }
}
