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
