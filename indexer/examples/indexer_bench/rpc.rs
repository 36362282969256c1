//! Raw JSON-RPC for what alloy's provider does not batch: anvil's own
//! methods and batches of eth_sendRawTransaction.

use serde_json::{Value, json};
use tidepool_sdk::alloy::primitives::Address;

use crate::chain::Res;

/// A JSON-RPC endpoint over HTTP.
#[derive(Clone)]
pub struct Rpc {
    http: reqwest::Client,
    url: String,
}

impl Rpc {
    /// An endpoint.
    pub fn new(url: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: url.to_string(),
        }
    }

    /// Calls `method`; a JSON-RPC error is an error.
    pub async fn call(&self, method: &str, params: Value) -> Res<Value> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut v: Value = self
            .http
            .post(&self.url)
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        if let Some(e) = v.get("error") {
            return Err(format!("{method}: {e}").into());
        }
        Ok(v["result"].take())
    }

    /// Sends signed transactions in one batch request; any refusal is an error.
    pub async fn send_raw_batch(&self, raws: &[String]) -> Res<()> {
        let body: Vec<Value> = raws
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({"jsonrpc": "2.0", "id": i, "method": "eth_sendRawTransaction", "params": [r]})
            })
            .collect();
        let answers: Vec<Value> = self
            .http
            .post(&self.url)
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        if let Some(e) = answers.iter().find_map(|a| a.get("error")) {
            return Err(format!("eth_sendRawTransaction: {e}").into());
        }
        Ok(())
    }

    /// A 0x quantity as u64.
    pub fn quantity(v: &Value) -> Option<u64> {
        match v {
            Value::String(s) => u64::from_str_radix(s.trim_start_matches("0x"), 16).ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// eth_blockNumber.
    pub async fn block_number(&self) -> Res<u64> {
        let v = self.call("eth_blockNumber", json!([])).await?;
        Self::quantity(&v).ok_or_else(|| format!("bad block number {v}").into())
    }

    /// The account's next nonce, pending transactions included.
    pub async fn nonce(&self, a: Address) -> Res<u64> {
        let v = self
            .call("eth_getTransactionCount", json!([a, "pending"]))
            .await?;
        Self::quantity(&v).ok_or_else(|| format!("bad nonce {v}").into())
    }
}
