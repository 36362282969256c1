//! Token metadata (symbol, name, decimals) read with raw eth_calls, tolerant
//! of tokens that return `bytes32` instead of `string` (MKR, SAI, …) or that
//! revert or do not implement the call: what cannot be read is left NULL.

use alloy::primitives::{Address, Bytes};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolValue;
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

const SYMBOL: [u8; 4] = [0x95, 0xd8, 0x9b, 0x41];
const NAME: [u8; 4] = [0x06, 0xfd, 0xde, 0x03];
const DECIMALS: [u8; 4] = [0x31, 0x3c, 0xe5, 0x67];

/// Decodes a `string` or a `bytes32` (NUL-padded) answer.
pub fn decode_text(data: &[u8]) -> Option<String> {
    if let Ok(s) = String::abi_decode(data)
        && !s.is_empty()
    {
        return Some(s);
    }
    if data.len() == 32 {
        let end = data.iter().position(|b| *b == 0).unwrap_or(32);
        let s = String::from_utf8_lossy(&data[..end]).trim().to_string();
        return (!s.is_empty()).then_some(s);
    }
    None
}

/// Decodes a `uint8` (or a larger uint holding a value ≤ 255).
pub fn decode_decimals(data: &[u8]) -> Option<u8> {
    let v = alloy::primitives::U256::abi_decode(data).ok()?;
    u8::try_from(v).ok()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_bytes32() {
        let s = "USDC".to_string().abi_encode();
        assert_eq!(decode_text(&s).as_deref(), Some("USDC"));
        let mut b = [0u8; 32];
        b[..3].copy_from_slice(b"MKR");
        assert_eq!(decode_text(&b).as_deref(), Some("MKR"));
        assert_eq!(decode_text(&[0u8; 32]), None);
        assert_eq!(decode_text(&[1, 2]), None);
    }

    #[test]
    fn decimals_in_range() {
        let d = alloy::primitives::U256::from(18u8).abi_encode();
        assert_eq!(decode_decimals(&d), Some(18));
        let big = alloy::primitives::U256::from(256u32).abi_encode();
        assert_eq!(decode_decimals(&big), None);
        assert_eq!(decode_decimals(&[]), None);
    }
}
