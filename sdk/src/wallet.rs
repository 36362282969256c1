//! Wallets that keep their own keys: anything that answers EIP-1193 requests
//! (`eth_requestAccounts`, `eth_chainId`, `eth_sendTransaction`,
//! `eth_signTypedData_v4`). Two transports reach one: an external JSON-RPC
//! signer such as Frame ([`JsonRpcWallet`], `http://127.0.0.1:1248`) and the
//! browser-wallet bridge (crate `tidepool-bridge`), which relays requests to
//! an extension through a loopback page.
//!
//! Tidepool decides `to`, `data`, `value` and the gas limit (from its own
//! simulation); the wallet picks the nonce and may set the fees. Before each
//! request that moves value or signs, the wallet's chain is checked against
//! the chain Tidepool checked; a mismatch sends nothing. Nothing is retried
//! behind the user's back: a rejection is final.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use alloy::dyn_abi::TypedData;
use alloy::primitives::{Address, Signature, TxHash, U256};
use alloy::rpc::client::{ClientBuilder, RpcClient};
use alloy::rpc::types::TransactionRequest;
use alloy::transports::RpcError;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use thiserror::Error;

use crate::error::{Error, Result};

/// A boxed future, for the object-safe [`Eip1193`] trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The error object a wallet answers with (EIP-1193 `ProviderRpcError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    /// The code: 4001 rejected, 4100 unauthorized, 4200 unsupported method,
    /// 4900/4901 disconnected, 4902 unknown chain, or a JSON-RPC code.
    pub code: i64,
    /// The wallet's own message.
    pub message: String,
}

/// Why a request to a wallet failed, before any meaning is given to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The wallet answered with an error.
    Provider(ProviderError),
    /// The connection to the wallet failed or closed.
    Closed(String),
    /// Nobody answered in time.
    TimedOut {
        /// How long Tidepool waited, in seconds.
        secs: u64,
    },
}

/// A wallet's EIP-1193 request interface: one request, one answer.
pub trait Eip1193: Send + Sync {
    /// Sends `method` with `params` (a JSON array) and returns the result.
    fn request<'a>(
        &'a self,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, std::result::Result<Value, RequestError>>;

    /// What to call this wallet in messages, e.g. "the external signer at
    /// http://127.0.0.1:1248" or "the browser wallet MetaMask".
    fn describe(&self) -> String;
}

/// What went wrong with a wallet, one sentence each.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WalletFailure {
    /// 4001: the person said no.
    #[error("the request was rejected in the wallet; nothing was sent")]
    Rejected,
    /// 4100: the wallet has not authorised this account or method for Tidepool.
    #[error("the wallet has not authorised Tidepool for this account or request")]
    Unauthorized,
    /// 4902: the wallet does not know the chain.
    #[error("the wallet does not know chain {chain_id}; add the network in the wallet first")]
    UnknownChain {
        /// The chain asked for.
        chain_id: u64,
    },
    /// The wallet is on another chain than the one Tidepool checked.
    #[error(
        "the wallet is on chain {wallet} but Tidepool checked chain {expected}; switch the wallet to chain {expected} (nothing was sent)"
    )]
    WrongChain {
        /// The wallet's chain.
        wallet: u64,
        /// The chain Tidepool checked.
        expected: u64,
    },
    /// The wallet offers no account (locked, or none shared).
    #[error("the wallet shares no account; unlock it and allow Tidepool to see an account")]
    NoAccount,
    /// The account asked for is not among the wallet's.
    #[error("the wallet has no account {0}")]
    AccountMissing(Address),
    /// The wallet does not sign EIP-712 typed data.
    #[error("the wallet does not sign EIP-712 typed data")]
    TypedDataUnsupported,
    /// The connection failed or closed.
    #[error("the connection to the wallet failed: {0}")]
    Closed(String),
    /// Nobody answered in time.
    #[error(
        "the wallet did not answer within {secs} s; nothing more will be asked of it for this request"
    )]
    TimedOut {
        /// Seconds waited.
        secs: u64,
    },
    /// The wallet answered something that is not what the method returns.
    #[error("the wallet answered {method} with something unexpected: {detail}")]
    BadAnswer {
        /// The method.
        method: String,
        /// What was wrong.
        detail: String,
    },
    /// Any other error the wallet returned.
    #[error("the wallet refused: {message} (code {code})")]
    Other {
        /// Its code.
        code: i64,
        /// Its message.
        message: String,
    },
}

impl WalletFailure {
    fn from_request(e: RequestError, chain_id: u64) -> Self {
        match e {
            RequestError::Provider(p) => match p.code {
                4001 => Self::Rejected,
                4100 => Self::Unauthorized,
                4902 => Self::UnknownChain { chain_id },
                4900 | 4901 => Self::Closed(p.message),
                _ => Self::Other {
                    code: p.code,
                    message: p.message,
                },
            },
            RequestError::Closed(why) => Self::Closed(why),
            RequestError::TimedOut { secs } => Self::TimedOut { secs },
        }
    }
}

/// An external JSON-RPC signer (Frame's protocol) over HTTP or a WebSocket.
pub struct JsonRpcWallet {
    url: String,
    rpc: RpcClient,
}

impl JsonRpcWallet {
    /// Connects to the signer at `url` (`http(s)://` or `ws(s)://`).
    pub async fn connect(url: &str) -> Result<Self> {
        let parsed: url::Url = url.parse().map_err(|_| Error::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https" | "ws" | "wss") {
            return Err(Error::BadUrl(url.to_string()));
        }
        let rpc = ClientBuilder::default()
            .connect(url)
            .await
            .map_err(|e| Error::Wallet {
                wallet: format!("the external signer at {url}"),
                failure: WalletFailure::Closed(first_line(&e.to_string())),
            })?;
        Ok(Self {
            url: url.to_string(),
            rpc,
        })
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).chars().take(200).collect()
}

impl Eip1193 for JsonRpcWallet {
    fn request<'a>(
        &'a self,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, std::result::Result<Value, RequestError>> {
        Box::pin(async move {
            let method: std::borrow::Cow<'static, str> = method.to_string().into();
            self.rpc
                .request::<Value, Value>(method, params)
                .await
                .map_err(|e| match e {
                    RpcError::ErrorResp(p) => RequestError::Provider(ProviderError {
                        code: p.code,
                        message: p.message.to_string(),
                    }),
                    other => RequestError::Closed(first_line(&other.to_string())),
                })
        })
    }

    fn describe(&self) -> String {
        format!("the external signer at {}", self.url)
    }
}

/// An account of a wallet that keeps its own key: every transaction and
/// signature is asked of the wallet.
#[derive(Clone)]
pub struct WalletSigner {
    wallet: Arc<dyn Eip1193>,
    address: Address,
}

impl fmt::Debug for WalletSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WalletSigner({} {})",
            self.wallet.describe(),
            self.address
        )
    }
}

fn parse_u64(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            match s.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16).ok(),
                None => s.parse().ok(),
            }
        }
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn hex_u256(v: U256) -> String {
    format!("{v:#x}")
}

impl WalletSigner {
    /// Asks the wallet for its accounts (`eth_requestAccounts`, which may
    /// prompt the person; `eth_accounts` where that method is unknown) and
    /// takes `from`, or the first account when `from` is not given.
    pub async fn connect(wallet: Arc<dyn Eip1193>, from: Option<Address>) -> Result<Self> {
        let answer = match wallet.request("eth_requestAccounts", json!([])).await {
            Err(RequestError::Provider(p)) if p.code == -32601 || p.code == 4200 => {
                wallet.request("eth_accounts", json!([])).await
            }
            other => other,
        };
        let fail = |failure| Error::Wallet {
            wallet: wallet.describe(),
            failure,
        };
        let answer = answer.map_err(|e| fail(WalletFailure::from_request(e, 0)))?;
        let accounts: Vec<Address> = serde_json::from_value(answer.clone()).map_err(|_| {
            fail(WalletFailure::BadAnswer {
                method: "eth_requestAccounts".into(),
                detail: format!(
                    "not a list of addresses: {}",
                    first_line(&answer.to_string())
                ),
            })
        })?;
        let address = match from {
            Some(a) if accounts.contains(&a) => a,
            Some(a) => return Err(fail(WalletFailure::AccountMissing(a))),
            None => *accounts
                .first()
                .ok_or_else(|| fail(WalletFailure::NoAccount))?,
        };
        Ok(Self { wallet, address })
    }

    /// The account.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The wallet's description for messages and status displays.
    pub fn describe(&self) -> String {
        self.wallet.describe()
    }

    fn fail(&self, failure: WalletFailure) -> Error {
        Error::Wallet {
            wallet: self.wallet.describe(),
            failure,
        }
    }

    async fn ask(&self, method: &str, params: Value, chain_id: u64) -> Result<Value> {
        self.wallet
            .request(method, params)
            .await
            .map_err(|e| self.fail(WalletFailure::from_request(e, chain_id)))
    }

    /// The chain the wallet is on now.
    pub async fn chain_id(&self) -> Result<u64> {
        let v = self.ask("eth_chainId", json!([]), 0).await?;
        parse_u64(&v).ok_or_else(|| {
            self.fail(WalletFailure::BadAnswer {
                method: "eth_chainId".into(),
                detail: v.to_string(),
            })
        })
    }

    /// Fails unless the wallet is on chain `expected`.
    pub async fn check_chain(&self, expected: u64) -> Result<()> {
        let wallet = self.chain_id().await?;
        if wallet != expected {
            return Err(self.fail(WalletFailure::WrongChain { wallet, expected }));
        }
        Ok(())
    }

    /// Asks the wallet to switch to `chain_id` (`wallet_switchEthereumChain`);
    /// the person confirms in the wallet.
    pub async fn switch_chain(&self, chain_id: u64) -> Result<()> {
        let params = json!([{ "chainId": format!("{chain_id:#x}") }]);
        self.ask("wallet_switchEthereumChain", params, chain_id)
            .await?;
        self.check_chain(chain_id).await
    }

    /// Asks the wallet to sign and send `tx` on chain `chain_id`: `to`,
    /// `data`, `value` and `gas` are Tidepool's; the nonce and fees the
    /// wallet's. Checks the wallet's chain first; returns the hash.
    pub async fn send_transaction(&self, chain_id: u64, tx: &TransactionRequest) -> Result<TxHash> {
        self.check_chain(chain_id).await?;
        let mut obj = serde_json::Map::new();
        obj.insert("from".into(), json!(self.address));
        if let Some(to) = tx.to.as_ref().and_then(|k| k.to().copied()) {
            obj.insert("to".into(), json!(to));
        }
        if let Some(input) = tx.input.input() {
            obj.insert("data".into(), json!(input));
        }
        obj.insert(
            "value".into(),
            json!(hex_u256(tx.value.unwrap_or_default())),
        );
        if let Some(gas) = tx.gas {
            obj.insert("gas".into(), json!(format!("{gas:#x}")));
        }
        if let Some(nonce) = tx.nonce {
            // A speed-up or cancellation names the nonce it replaces.
            obj.insert("nonce".into(), json!(format!("{nonce:#x}")));
        }
        match (
            tx.max_fee_per_gas,
            tx.max_priority_fee_per_gas,
            tx.gas_price,
        ) {
            (Some(max), tip, _) => {
                obj.insert("maxFeePerGas".into(), json!(format!("{max:#x}")));
                if let Some(tip) = tip {
                    obj.insert("maxPriorityFeePerGas".into(), json!(format!("{tip:#x}")));
                }
            }
            (None, _, Some(price)) => {
                obj.insert("gasPrice".into(), json!(format!("{price:#x}")));
            }
            _ => {}
        }
        obj.insert("chainId".into(), json!(format!("{chain_id:#x}")));
        let v = self
            .ask("eth_sendTransaction", json!([Value::Object(obj)]), chain_id)
            .await?;
        serde_json::from_value(v.clone()).map_err(|_| {
            self.fail(WalletFailure::BadAnswer {
                method: "eth_sendTransaction".into(),
                detail: format!("not a transaction hash: {}", first_line(&v.to_string())),
            })
        })
    }

    /// Asks the wallet to sign EIP-712 `typed` data (`eth_signTypedData_v4`)
    /// on chain `chain_id`. A wallet that does not offer the method fails
    /// with [`WalletFailure::TypedDataUnsupported`]. The signature is checked
    /// to come from this account.
    pub async fn sign_typed_data(&self, chain_id: u64, typed: &TypedData) -> Result<Signature> {
        self.check_chain(chain_id).await?;
        let text = serde_json::to_string(typed)
            .map_err(|e| Error::Signer(format!("cannot encode the typed data: {e}")))?;
        let answer = self
            .wallet
            .request("eth_signTypedData_v4", json!([self.address, text]))
            .await;
        let v = match answer {
            Err(RequestError::Provider(p)) if matches!(p.code, -32601 | -32600 | 4200) => {
                return Err(self.fail(WalletFailure::TypedDataUnsupported));
            }
            other => other.map_err(|e| self.fail(WalletFailure::from_request(e, chain_id)))?,
        };
        let bad = |detail: String| {
            self.fail(WalletFailure::BadAnswer {
                method: "eth_signTypedData_v4".into(),
                detail,
            })
        };
        let text = v.as_str().ok_or_else(|| bad(v.to_string()))?;
        let sig: Signature = text
            .parse()
            .map_err(|_| bad(format!("not a 65-byte signature: {text}")))?;
        let hash = typed
            .eip712_signing_hash()
            .map_err(|e| Error::Signer(format!("cannot hash the typed data: {e}")))?;
        match sig.recover_address_from_prehash(&hash) {
            Ok(a) if a == self.address => Ok(sig),
            _ => Err(bad(format!(
                "the signature is not {}'s over the data asked for",
                self.address
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_codes_become_one_sentence_each() {
        let p = |code| {
            RequestError::Provider(ProviderError {
                code,
                message: "m".into(),
            })
        };
        assert_eq!(
            WalletFailure::from_request(p(4001), 1),
            WalletFailure::Rejected
        );
        assert_eq!(
            WalletFailure::from_request(p(4100), 1),
            WalletFailure::Unauthorized
        );
        assert_eq!(
            WalletFailure::from_request(p(4902), 5),
            WalletFailure::UnknownChain { chain_id: 5 }
        );
        assert!(matches!(
            WalletFailure::from_request(RequestError::Closed("eof".into()), 1),
            WalletFailure::Closed(_)
        ));
        let text = WalletFailure::WrongChain {
            wallet: 1,
            expected: 31337,
        }
        .to_string();
        assert!(
            text.contains("chain 1") && text.contains("31337") && text.contains("nothing was sent")
        );
    }

    #[test]
    fn chain_ids_in_hex_or_decimal() {
        assert_eq!(parse_u64(&json!("0x7a69")), Some(31337));
        assert_eq!(parse_u64(&json!("31337")), Some(31337));
        assert_eq!(parse_u64(&json!(1)), Some(1));
        assert_eq!(parse_u64(&json!("0xzz")), None);
    }
}
