//! Fee-on-transfer tokens: found by simulating the trade itself (what the
//! account would really receive through Router02's
//! `…SupportingFeeOnTransferTokens` function, measured by balance in one
//! `eth_simulateV1` batch) and traded through those functions, with the
//! slippage bound applied to what arrives.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use serde_json::{Value, json};

use crate::bindings::{TestToken, TidepoolRouter as R};
use crate::chain::Client;
use crate::deploy::call_tx;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::market::Asset;
use crate::route::TradeKind;
use crate::trade::{BPS, SwapPlan, apply_slippage};

/// What a trade delivers when a token on its path takes a fee on transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferFee {
    /// What the pools' math promises (no fee).
    pub quoted: U256,
    /// What the account would receive, measured in a simulation.
    pub received: U256,
}

impl TransferFee {
    /// The share lost to transfer fees, in basis points.
    pub fn bps(&self) -> u32 {
        if self.quoted.is_zero() {
            return 0;
        }
        let lost = self.quoted.saturating_sub(self.received) * U256::from(BPS) / self.quoted;
        lost.saturating_to()
    }
}

/// The Supporting-function call for an exact-input plan (`min` on what arrives).
fn supporting_call(plan: &SwapPlan, min: U256, to: Address) -> (Vec<u8>, U256, &'static str) {
    let req = &plan.request;
    let (path, deadline, amount_in) = (
        plan.route.path.clone(),
        plan.deadline,
        plan.route.amount_in(),
    );
    if req.asset_in == Asset::Eth {
        let c = R::swapExactETHForTokensSupportingFeeOnTransferTokensCall {
            amountOutMin: min,
            path,
            to,
            deadline,
        };
        (
            c.abi_encode(),
            amount_in,
            "swapExactETHForTokensSupportingFeeOnTransferTokens",
        )
    } else if req.asset_out == Asset::Eth {
        let c = R::swapExactTokensForETHSupportingFeeOnTransferTokensCall {
            amountIn: amount_in,
            amountOutMin: min,
            path,
            to,
            deadline,
        };
        (
            c.abi_encode(),
            U256::ZERO,
            "swapExactTokensForETHSupportingFeeOnTransferTokens",
        )
    } else {
        let c = R::swapExactTokensForTokensSupportingFeeOnTransferTokensCall {
            amountIn: amount_in,
            amountOutMin: min,
            path,
            to,
            deadline,
        };
        (
            c.abi_encode(),
            U256::ZERO,
            "swapExactTokensForTokensSupportingFeeOnTransferTokens",
        )
    }
}

fn call(from: Address, to: Address, data: Vec<u8>, value: U256) -> Value {
    json!({"from": from, "to": to, "data": Bytes::from(data), "value": value})
}

/// Simulates an exact-input plan for `owner` through the Supporting
/// function (approving first in the simulation when a token is sold) and
/// measures what `owner` receives of the last token of the path (WETH for
/// ETH: the same pools). `Ok(None)`: no fee, or the simulation could not tell
/// (no balance, a node without `eth_simulateV1`, an exact-output plan).
pub async fn probe(
    client: &Client,
    manifest: &Manifest,
    plan: &SwapPlan,
    owner: Address,
) -> Result<Option<TransferFee>> {
    if plan.request.kind != TradeKind::ExactIn {
        return Ok(None);
    }
    let out_token = *plan.route.path.last().expect("a route has tokens");
    let balance = TestToken::balanceOfCall { owner }.abi_encode();
    // Measure in the last token itself: sell for tokens (or WETH), never ETH.
    let mut measured = plan.clone();
    measured.request.asset_out = Asset::Token(crate::manifest::TokenInfo {
        symbol: String::new(),
        name: String::new(),
        decimals: 18,
        address: out_token,
        oddities: Vec::new(),
    });
    let (swap, value, _) = supporting_call(&measured, U256::ZERO, owner);
    let mut calls = Vec::new();
    if let Asset::Token(t) = &plan.request.asset_in {
        let approve = TestToken::approveCall {
            spender: manifest.router,
            amount: plan.route.amount_in(),
        }
        .abi_encode();
        calls.push(call(owner, t.address, approve, U256::ZERO));
    }
    calls.push(call(owner, out_token, balance.clone(), U256::ZERO));
    calls.push(call(owner, manifest.router, swap, value));
    calls.push(call(owner, out_token, balance, U256::ZERO));
    let params = json!([{"blockStateCalls": [{"calls": calls}], "validation": false}, "latest"]);
    let Ok(blocks) = client
        .provider
        .raw_request::<_, Vec<Value>>("eth_simulateV1".into(), params)
        .await
    else {
        return Ok(None);
    };
    let results = blocks
        .first()
        .and_then(|b| b["calls"].as_array())
        .ok_or_else(|| Error::Rpc("eth_simulateV1 answered without calls".into()))?;
    let ok = |v: &Value| v["status"].as_str() == Some("0x1");
    let word = |v: &Value| {
        v["returnData"]
            .as_str()
            .and_then(|h| h.parse::<Bytes>().ok())
            .filter(|b| b.len() >= 32)
            .map(|b| U256::from_be_slice(&b[..32]))
    };
    let n = results.len();
    if n < 3 || !results.iter().all(ok) {
        return Ok(None);
    }
    let (Some(before), Some(after)) = (word(&results[n - 3]), word(&results[n - 1])) else {
        return Ok(None);
    };
    let received = after.saturating_sub(before);
    let quoted = plan.route.amount_out();
    Ok((received < quoted).then_some(TransferFee { quoted, received }))
}

/// The plan rebuilt for a fee-on-transfer path: Router02's Supporting
/// function, the bound applied to what arrives (or the explicit minimum).
pub fn supporting(
    mut plan: SwapPlan,
    manifest: &Manifest,
    fee: TransferFee,
    to: Address,
) -> SwapPlan {
    let min = plan.request.min_out.unwrap_or_else(|| {
        apply_slippage(fee.received, plan.request.slippage_bps, TradeKind::ExactIn)
    });
    let (data, value, function) = supporting_call(&plan, min, to);
    plan.limit = min;
    plan.tx = call_tx(manifest.router, data, value);
    plan.function = function;
    plan.received = Some(fee.received);
    plan
}
