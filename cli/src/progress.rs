//! The flows' progress as the CLI prints it: approvals as they are mined and
//! the simulation's balance changes; the final lines are the command's own.

use tidepool_flows::{FlowEvent, Observer, TxKind};
use tidepool_sdk::U256;
use tidepool_sdk::amount::format_units;
use tidepool_sdk::trade;

/// Prints the flow's progress as it happens (nothing in JSON mode).
pub struct Printer {
    json: bool,
    approving: std::sync::Mutex<Option<String>>,
}

impl Observer for Printer {
    fn on_event(&self, e: &FlowEvent) {
        if self.json {
            return;
        }
        let mut approving = self.approving.lock().unwrap_or_else(|p| p.into_inner());
        match e {
            FlowEvent::Approving {
                symbol,
                amount,
                decimals,
                ..
            } => {
                let amount = if *amount == U256::MAX {
                    "unlimited".into()
                } else {
                    format_units(*amount, *decimals)
                };
                *approving = Some(format!("{amount} {symbol}"));
            }
            FlowEvent::Mined {
                kind: TxKind::Approval,
                sent,
            } => println!(
                "approved  {} for the router (tx {})",
                approving.take().unwrap_or_default(),
                sent.hash
            ),
            FlowEvent::Simulated(sim) => print_changes(sim),
            FlowEvent::FeeQuoted(c) => println!("{}", crate::fees::line(c)),
            FlowEvent::Sent { hash, .. } => println!("sent      {hash}, waiting to be mined"),
            FlowEvent::Waiting {
                node_unreachable: Some(why),
                ..
            } => println!("waiting   the node cannot be reached ({why}); asking again"),
            FlowEvent::Waiting {
                hash,
                left_mempool: true,
                ..
            } => println!(
                "waiting   {hash} is no longer in the node's mempool and its nonce is unused; watching a little longer before calling it dropped"
            ),
            FlowEvent::Waiting { hash, .. } => {
                println!("waiting   {hash} is in the mempool, not mined yet")
            }
            FlowEvent::PermitRefused { wallet } => println!(
                "permit    {wallet} does not sign typed data; approving the LP tokens instead"
            ),
            _ => {}
        }
    }
}

impl Printer {
    /// A printer; `json` silences it (the command prints one JSON object).
    pub fn new(json: bool) -> Self {
        Self {
            json,
            approving: std::sync::Mutex::new(None),
        }
    }
}

fn print_changes(sim: &trade::Simulation) {
    let parts: Vec<String> = sim
        .changes
        .iter()
        .map(|(s, d)| format!("{s} {d}"))
        .collect();
    println!(
        "simulated {} (base units; gas {} at {} wei)",
        parts.join(", "),
        sim.gas,
        sim.gas_price
    );
}

/// Prints the post-trade check of a swap: what arrived against the quote,
/// and a sandwich if one was found.
pub fn print_check(
    manifest: &tidepool_sdk::manifest::Manifest,
    req: &trade::SwapRequest,
    c: &tidepool_flows::aftercheck::TradeCheck,
) {
    let (out_dec, out_sym) = (req.asset_out.decimals(), req.asset_out.symbol());
    let got = c.actual.last().copied().unwrap_or_default();
    let quoted = c.quoted.last().copied().unwrap_or_default();
    let short = c.shortfall();
    if short.is_zero() {
        println!(
            "received  {} {out_sym}, as quoted or better",
            format_units(got, out_dec)
        );
    } else {
        println!(
            "received  {} {out_sym}: {} {out_sym} less than the quote of {} (the price moved before the swap was mined)",
            format_units(got, out_dec),
            format_units(short, out_dec),
            format_units(quoted, out_dec)
        );
    }
    if let Some(s) = &c.sandwich {
        let (sym, dec) = manifest
            .tokens
            .iter()
            .find(|t| t.address == s.token)
            .map(|t| (t.symbol.clone(), t.decimals))
            .unwrap_or_else(|| {
                if s.token == manifest.weth {
                    ("WETH".into(), 18)
                } else {
                    (s.token.to_string(), 0)
                }
            });
        println!(
            "sandwich  {} traded in pool {} just before ({}) and just after ({}) your swap in the same block: you got about {} {sym} less than without it. A lower --slippage limits this",
            s.attacker,
            s.pair,
            s.front,
            s.back,
            format_units(s.loss, dec)
        );
    }
}
