//! Token metadata (symbol, name, decimals) read with raw eth_calls, tolerant
//! of tokens that return `bytes32` instead of `string` (MKR, SAI, …) or that
//! revert or do not implement the call: what cannot be read is left NULL.

use alloy::primitives::{Address, Bytes};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use tidepool_sdk::alloy;

use crate::rpc::{Node, Stopped};

/// What could be read of a token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenMeta {
    /// symbol(), if readable.
    pub symbol: Option<String>,
    /// name(), if readable.
    pub name: Option<String>,
    /// decimals(), if readable and ≤ 255.
    pub decimals: Option<u8>,
}

use tidepool_sdk::tokenmeta::{DECIMALS, NAME, SYMBOL};
pub use tidepool_sdk::tokenmeta::{decode_decimals, decode_text};

/// Reads a token's metadata. RPC outages are retried; reverts give `None`s.
pub async fn fetch(node: &Node, token: Address) -> Result<TokenMeta, Stopped> {
    let call = |selector: [u8; 4]| {
        let p = node.client.provider.clone();
        async move {
            let tx = TransactionRequest::default()
                .to(token)
                .input(Bytes::from(selector.to_vec()).into());
            match p.call(tx).await {
                Ok(b) => Ok(Some(b)),
                // A revert (or a node error response) is an answer: the token has no such function.
                Err(alloy::transports::RpcError::ErrorResp(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
    };
    let symbol = node.retry("symbol()", || call(SYMBOL)).await?;
    let name = node.retry("name()", || call(NAME)).await?;
    let decimals = node.retry("decimals()", || call(DECIMALS)).await?;
    Ok(TokenMeta {
        symbol: symbol.as_ref().and_then(|b| decode_text(b)),
        name: name.as_ref().and_then(|b| decode_text(b)),
        decimals: decimals.as_ref().and_then(|b| decode_decimals(b)),
    })
}
