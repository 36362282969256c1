//! Confirmations the webview cannot forge. With a local wallet, every
//! transaction and permit is shown to the person in a native dialog owned
//! by the Rust side before the key signs it. The dialog's text is decoded
//! from the very bytes about to be signed (the router or token call, the
//! value, the gas limit and fee caps, the typed data), not from what the
//! page asked for: tokens by symbol *and* address, amounts, the recipient,
//! the slippage bound, the deadline and the most the fee can cost.

use std::fmt::Write as _;
use std::sync::Arc;

use alloy::primitives::{Address, U256};
use alloy::sol_types::SolInterface;
use tidepool_sdk::Error as SdkError;
use tidepool_sdk::alloy;
use tidepool_sdk::amount::format_units;
use tidepool_sdk::bindings::TestToken::TestTokenCalls;
use tidepool_sdk::bindings::TidepoolRouter::TidepoolRouterCalls as R;
use tidepool_sdk::chain::{Client, SignGate, ToSign};
use tidepool_sdk::market;
use tidepool_sdk::wallet::BoxFuture;

/// What the person is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The dialog's title, e.g. "Confirm swap".
    pub title: String,
    /// The lines shown, exactly.
    pub body: String,
}

/// Shows a confirmation and says whether the person accepted it. The app's
/// is a native dialog; the core's tests drive the core with their own.
pub trait Confirmer: Send + Sync {
    /// `true` to sign and send.
    fn confirm(&self, c: Confirmation) -> BoxFuture<'_, bool>;
}

/// The [`SignGate`] of local keys: describe, then ask.
pub struct Gate(pub Arc<dyn Confirmer>);

impl SignGate for Gate {
    fn confirm<'a>(
        &'a self,
        client: &'a Client,
        what: ToSign<'a>,
    ) -> BoxFuture<'a, tidepool_sdk::Result<()>> {
        Box::pin(async move {
            let c = describe(client, what).await;
            if self.0.confirm(c).await {
                Ok(())
            } else {
                Err(SdkError::Declined)
            }
        })
    }
}

/// A token as "USDC (0xA0b8…full address)", or the address alone when it
/// does not answer as an ERC-20.
async fn token(client: &Client, a: Address) -> (String, u8) {
    match market::token_info(client, a).await {
        Ok(t) => (
            format!("{} ({})", t.symbol, a.to_checksum(None)),
            t.decimals,
        ),
        Err(_) => (format!("unknown token {}", a.to_checksum(None)), 18),
    }
}

async fn amount(client: &Client, a: Address, v: U256) -> String {
    let (name, decimals) = token(client, a).await;
    if v == U256::MAX {
        return format!("UNLIMITED {name}");
    }
    format!("{} {name}", format_units(v, decimals))
}

/// A deadline as "in 20 min (unix time 1796250654)", from this machine's clock.
fn deadline(at: U256) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let at = u64::try_from(at).unwrap_or(u64::MAX);
    match at.checked_sub(now) {
        Some(s) if s >= 120 => format!("in {} min (unix time {at})", s / 60),
        Some(s) => format!("in {s} s (unix time {at})"),
        None => format!("already passed (unix time {at})"),
    }
}

fn eth(v: U256) -> String {
    format!("{} ETH", format_units(v, 18))
}

async fn path_line(client: &Client, path: &[Address]) -> String {
    let mut names = Vec::new();
    for a in path {
        names.push(token(client, *a).await.0);
    }
    names.join(" → ")
}

/// The confirmation for `what`, decoded from what will be signed.
pub async fn describe(client: &Client, what: ToSign<'_>) -> Confirmation {
    match what {
        ToSign::TypedData(t) => {
            let mut body = String::new();
            let domain = t.domain.name.as_deref().unwrap_or("?");
            let _ = writeln!(body, "Sign a \"{}\" message for {domain}", t.primary_type);
            if let Some(c) = t.domain.verifying_contract {
                let _ = writeln!(body, "contract: {}", c.to_checksum(None));
            }
            if let Some(m) = t.message.as_object() {
                for (k, v) in m {
                    let v = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string());
                    let _ = writeln!(body, "{k}: {v}");
                }
            }
            let _ = write!(body, "Signing sends nothing by itself; no fee.");
            Confirmation {
                title: "Confirm signature".into(),
                body,
            }
        }
        ToSign::Transaction(tx) => transaction(client, tx).await,
    }
}

async fn transaction(client: &Client, tx: &alloy::rpc::types::TransactionRequest) -> Confirmation {
    let to = tx.to.as_ref().and_then(|k| k.to().copied());
    let data = tx.input.input().cloned().unwrap_or_default();
    let value = tx.value.unwrap_or_default();
    let mut body = String::new();
    let mut title = "Confirm transaction".to_string();
    let from = client.from.map(|a| a.to_checksum(None)).unwrap_or_default();
    let _ = writeln!(body, "from: {from}");
    let decoded_router = R::abi_decode(&data).ok();
    let decoded_token = TestTokenCalls::abi_decode(&data).ok();
    match (decoded_router, decoded_token) {
        (Some(call), _) => {
            title = router_lines(client, &call, value, &mut body).await;
        }
        (None, Some(TestTokenCalls::approve(c))) => {
            title = "Confirm approval".into();
            let t = to.unwrap_or_default();
            let _ = writeln!(body, "approve: {}", amount(client, t, c.amount).await);
            let _ = writeln!(body, "spender: {}", c.spender.to_checksum(None));
        }
        _ => {
            let _ = writeln!(
                body,
                "to: {}",
                to.map(|a| a.to_checksum(None))
                    .unwrap_or_else(|| "a new contract".into())
            );
            let _ = writeln!(body, "data: {} bytes", data.len());
        }
    }
    if !value.is_zero() {
        let _ = writeln!(body, "sends: {}", eth(value));
    }
    if let Some(to) = to {
        let _ = writeln!(body, "contract called: {}", to.to_checksum(None));
    }
    let gas = tx.gas.unwrap_or_default();
    let max_fee = tx.max_fee_per_gas.or(tx.gas_price).unwrap_or_default();
    let _ = write!(
        body,
        "network fee: at most {} (gas limit {gas} × max fee {} gwei)",
        eth(U256::from(gas) * U256::from(max_fee)),
        format_units(U256::from(max_fee), 9)
    );
    Confirmation { title, body }
}

/// The lines of a router call; returns the title.
async fn router_lines(client: &Client, call: &R, value: U256, b: &mut String) -> String {
    macro_rules! line { ($($t:tt)*) => { let _ = writeln!(b, $($t)*); } }
    let weth = |p: &[Address]| p.to_vec();
    match call {
        R::swapExactTokensForTokens(c) => {
            line!("swap: {}", amount(client, c.path[0], c.amountIn).await);
            line!(
                "receive at least: {}",
                amount(client, *c.path.last().unwrap_or(&c.path[0]), c.amountOutMin).await
            );
            line!("route: {}", path_line(client, &weth(&c.path)).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::swapTokensForExactTokens(c) => {
            line!(
                "receive exactly: {}",
                amount(client, *c.path.last().unwrap_or(&c.path[0]), c.amountOut).await
            );
            line!(
                "pay at most: {}",
                amount(client, c.path[0], c.amountInMax).await
            );
            line!("route: {}", path_line(client, &c.path).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::swapExactETHForTokens(c) => {
            line!("swap: {}", eth(value));
            line!(
                "receive at least: {}",
                amount(client, *c.path.last().unwrap_or(&c.path[0]), c.amountOutMin).await
            );
            line!("route: {}", path_line(client, &c.path).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::swapETHForExactTokens(c) => {
            line!(
                "receive exactly: {}",
                amount(client, *c.path.last().unwrap_or(&c.path[0]), c.amountOut).await
            );
            line!("pay at most: {} (the rest is refunded)", eth(value));
            line!("route: {}", path_line(client, &c.path).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::swapExactTokensForETH(c) => {
            line!("swap: {}", amount(client, c.path[0], c.amountIn).await);
            line!("receive at least: {}", eth(c.amountOutMin));
            line!("route: {}", path_line(client, &c.path).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::swapTokensForExactETH(c) => {
            line!("receive exactly: {}", eth(c.amountOut));
            line!(
                "pay at most: {}",
                amount(client, c.path[0], c.amountInMax).await
            );
            line!("route: {}", path_line(client, &c.path).await);
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm swap".into()
        }
        R::addLiquidity(c) => {
            line!(
                "deposit: {}",
                amount(client, c.tokenA, c.amountADesired).await
            );
            line!("and: {}", amount(client, c.tokenB, c.amountBDesired).await);
            line!("at least: {}", amount(client, c.tokenA, c.amountAMin).await);
            line!(
                "and at least: {}",
                amount(client, c.tokenB, c.amountBMin).await
            );
            line!("LP tokens to: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm deposit".into()
        }
        R::addLiquidityETH(c) => {
            line!(
                "deposit: {}",
                amount(client, c.token, c.amountTokenDesired).await
            );
            line!("and: {}", eth(value));
            line!(
                "at least: {}",
                amount(client, c.token, c.amountTokenMin).await
            );
            line!("and at least: {}", eth(c.amountETHMin));
            line!("LP tokens to: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm deposit".into()
        }
        R::removeLiquidity(c) => {
            line!("withdraw: {} LP tokens", format_units(c.liquidity, 18));
            line!(
                "receive at least: {}",
                amount(client, c.tokenA, c.amountAMin).await
            );
            line!(
                "and at least: {}",
                amount(client, c.tokenB, c.amountBMin).await
            );
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm withdrawal".into()
        }
        R::removeLiquidityWithPermit(c) => {
            line!(
                "withdraw: {} LP tokens (with the permit you signed)",
                format_units(c.liquidity, 18)
            );
            line!(
                "receive at least: {}",
                amount(client, c.tokenA, c.amountAMin).await
            );
            line!(
                "and at least: {}",
                amount(client, c.tokenB, c.amountBMin).await
            );
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm withdrawal".into()
        }
        R::removeLiquidityETH(c) => {
            line!("withdraw: {} LP tokens", format_units(c.liquidity, 18));
            line!(
                "receive at least: {}",
                amount(client, c.token, c.amountTokenMin).await
            );
            line!("and at least: {}", eth(c.amountETHMin));
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm withdrawal".into()
        }
        R::removeLiquidityETHWithPermit(c) => {
            line!(
                "withdraw: {} LP tokens (with the permit you signed)",
                format_units(c.liquidity, 18)
            );
            line!(
                "receive at least: {}",
                amount(client, c.token, c.amountTokenMin).await
            );
            line!("and at least: {}", eth(c.amountETHMin));
            line!("recipient: {}", c.to.to_checksum(None));
            line!("deadline: {}", deadline(c.deadline));
            "Confirm withdrawal".into()
        }
        _ => {
            line!("a router call Tidepool does not describe; cancel unless you expected it");
            "Confirm transaction".into()
        }
    }
}
