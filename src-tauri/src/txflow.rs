//! The app's view of a running flow (the flows themselves live in
//! `tidepool-flows`, shared with the CLI): it streams each stage to the
//! window, keeps the app's transaction log (pending → confirmed / failed)
//! from the flow's events, and turns the flow's outcome into replies.

use std::sync::Mutex;

use alloy::primitives::{Address, B256, I256, TxHash};
use tidepool_flows::{FlowEvent, Observer, Sent, TxKind};
use tidepool_sdk::manifest::TokenInfo;
use tidepool_sdk::market::Asset;

use crate::core::Core;
use crate::error::AppError;
use crate::tokens::view;
use crate::txlog::{Entry, TxOutcome};
use crate::views::{BalanceChange, TokenSource, TxResult, TxStage, TxStatus};

/// Where status updates go (a Tauri channel in the app, a closure in tests).
pub struct Notify(Box<dyn Fn(TxStatus) + Send + Sync>);

impl Notify {
    /// Updates go to `f`.
    pub fn new(f: impl Fn(TxStatus) + Send + Sync + 'static) -> Self {
        Self(Box::new(f))
    }

    /// Updates go nowhere.
    pub fn none() -> Self {
        Self::new(|_| {})
    }

    /// Sends one update.
    pub fn stage(&self, stage: TxStage, message: &str, hash: Option<TxHash>) {
        (self.0)(TxStatus {
            stage,
            message: message.to_string(),
            hash: hash.map(|h| format!("{h}")),
        });
    }
}

/// A signed change of `asset`, as the UI shows it.
pub fn change(asset: &Asset, delta: I256) -> BalanceChange {
    let v = view(asset, TokenSource::Native);
    BalanceChange {
        symbol: v.symbol,
        token: v.address,
        decimals: v.decimals,
        delta: delta.to_string(),
    }
}

/// The reply for a mined transaction.
pub fn result(sent: &Sent) -> TxResult {
    TxResult {
        hash: format!("{}", sent.hash),
        block: sent.block,
        gas_used: sent.gas_used,
        fee_paid_wei: sent.fee_paid.to_string(),
        check: None,
        changes: sent
            .changes
            .iter()
            .map(|c| change(&c.asset, c.delta))
            .collect(),
    }
}

#[derive(Default)]
struct Progress {
    /// The log entry of the approval being sent.
    approval: Option<Entry>,
    /// The transaction sent and not yet mined.
    pending: Option<TxHash>,
    /// Whether any transaction was sent.
    sent_any: bool,
}

/// Follows one flow for the app.
pub struct Tracker<'a> {
    core: &'a Core,
    notify: &'a Notify,
    /// What the log records of the flow's main transaction.
    entry: Entry,
    owner: Address,
    genesis: B256,
    checking: &'static str,
    progress: Mutex<Progress>,
}

impl<'a> Tracker<'a> {
    /// Follows a flow sending from `owner` on the chain of `genesis`, whose
    /// main transaction is logged as `entry`; `checking` is the sentence
    /// shown while the flow checks.
    pub fn new(
        core: &'a Core,
        notify: &'a Notify,
        entry: Entry,
        owner: Address,
        genesis: B256,
        checking: &'static str,
    ) -> Self {
        Self {
            core,
            notify,
            entry,
            owner,
            genesis,
            checking,
            progress: Mutex::new(Progress::default()),
        }
    }

    /// Reports a failure: the pending transaction (if any) is logged as
    /// failed, and the UI is told.
    pub fn fail(&self, e: impl Into<AppError>) -> AppError {
        let e = e.into();
        let pending = self.lock().pending.take();
        if let Some(h) = pending {
            self.core
                .txlog()
                .finish(h, TxOutcome::Failed(e.message.clone()));
        }
        self.notify.stage(TxStage::Failed, &e.message, pending);
        e
    }

    /// Whether the flow sent any transaction (an approval counts).
    pub fn sent_anything(&self) -> bool {
        self.lock().sent_any
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Observer for Tracker<'_> {
    fn on_event(&self, e: &FlowEvent) {
        let n = self.notify;
        match e {
            FlowEvent::Checking => n.stage(TxStage::Checking, self.checking, None),
            FlowEvent::Approving {
                token,
                symbol,
                amount,
                decimals,
            } => {
                let info = TokenInfo {
                    symbol: symbol.clone(),
                    name: symbol.clone(),
                    decimals: *decimals,
                    address: *token,
                    oddities: Vec::new(),
                };
                // Shown as the Approving stage once it is signed.
                self.lock().approval = Some(Entry::approve(&info, *amount));
            }
            FlowEvent::Simulated(_) | FlowEvent::FeeQuoted(_) | FlowEvent::TradeChecked(_) => {}
            FlowEvent::Waiting {
                hash,
                node_unreachable,
                left_mempool,
            } => {
                let msg = match (node_unreachable, left_mempool) {
                    (Some(why), _) => format!(
                        "sent; the node cannot be reached right now ({why}), asking again — the transaction may still be mined"
                    ),
                    (None, true) => "sent; the node no longer holds it and its nonce is unused — watching a little longer before calling it dropped".to_string(),
                    (None, false) => "sent, waiting in the mempool to be mined".to_string(),
                };
                n.stage(TxStage::Sent, &msg, Some(*hash));
            }
            FlowEvent::PermitRefused { .. } => n.stage(
                TxStage::Checking,
                "the wallet does not sign permits; approving the LP tokens instead",
                None,
            ),
            FlowEvent::Signing { kind } => {
                let stage = if *kind == TxKind::Approval {
                    TxStage::Approving
                } else {
                    TxStage::Signing
                };
                n.stage(stage, "signing and sending", None);
            }
            FlowEvent::Sent { kind, hash } => {
                let entry = {
                    let mut p = self.lock();
                    p.pending = Some(*hash);
                    p.sent_any = true;
                    match kind {
                        TxKind::Approval => p.approval.take(),
                        _ => None,
                    }
                }
                .unwrap_or_else(|| self.entry.clone());
                self.core
                    .txlog()
                    .record(entry.pending(*hash, self.owner, self.genesis));
                n.stage(TxStage::Sent, "sent, waiting to be mined", Some(*hash));
            }
            FlowEvent::Mined { sent, .. } => {
                self.lock().pending = None;
                let changes = result(sent).changes;
                self.core.txlog().finish(
                    sent.hash,
                    TxOutcome::Mined {
                        block: sent.block,
                        changes,
                    },
                );
                n.stage(
                    TxStage::Mined,
                    &format!("mined in block {}", sent.block),
                    Some(sent.hash),
                );
            }
            // The flow's error follows; `fail` logs and reports it.
            FlowEvent::Failed { .. } => {}
        }
    }
}

/// The post-trade check of a swap made from `q`, in plain words.
pub fn check_text(
    q: &tidepool_flows::swap::SwapQuote,
    c: &tidepool_flows::aftercheck::TradeCheck,
) -> String {
    use tidepool_sdk::amount::format_units;
    let out = &q.plan.request.asset_out;
    let (dec, sym) = (out.decimals(), out.symbol());
    let got = c.actual.last().copied().unwrap_or_default();
    let mut text = if c.shortfall().is_zero() {
        format!(
            "received {} {sym}, as quoted or better",
            format_units(got, dec)
        )
    } else {
        format!(
            "received {} {sym}, {} {sym} less than quoted (the price moved before it was mined)",
            format_units(got, dec),
            format_units(c.shortfall(), dec)
        )
    };
    if let Some(s) = &c.sandwich {
        let last_hop = s.hop + 1 == c.path.len() - 1;
        let loss = if last_hop {
            format!("{} {sym}", format_units(s.loss, dec))
        } else {
            format!("{} (base units of {})", s.loss, s.token)
        };
        text.push_str(&format!(
            ". Sandwiched: {} traded in the same pool just before and just after your swap in the same block; you received about {loss} less than without it. A lower slippage limits this",
            s.attacker
        ));
    }
    text
}
