//! Token metadata (symbol, name, decimals) read with raw `eth_call`s, so that
//! tokens which misbehave are described rather than fatal: `bytes32` symbols
//! (MKR, SAI, …), `symbol()`/`name()` that revert, absurd decimals. Shared by
//! the indexer, the CLI and the app.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolValue;

use crate::chain::Client;
use crate::error::{Error, Result};
use crate::manifest::{TokenInfo, TokenOddity};

/// `symbol()`.
pub const SYMBOL: [u8; 4] = [0x95, 0xd8, 0x9b, 0x41];
/// `name()`.
pub const NAME: [u8; 4] = [0x06, 0xfd, 0xde, 0x03];
/// `decimals()`.
pub const DECIMALS: [u8; 4] = [0x31, 0x3c, 0xe5, 0x67];

/// Above this many decimals a token is flagged: no real token needs them, and
/// amounts stop meaning anything to a person.
pub const MAX_SANE_DECIMALS: u8 = 36;

/// The longest symbol or name kept; longer texts are cut (a screen is not a
/// place for a token's essay).
const MAX_TEXT: usize = 64;

/// How a text answer was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// An ABI `string`, as ERC-20 says.
    String,
    /// A NUL-padded `bytes32` (pre-standard tokens).
    Bytes32,
}

/// Keeps printable characters only (no control or bidi-override characters
/// that could disguise a symbol), trimmed and cut to a sane length.
fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}'))
        .take(MAX_TEXT)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Decodes a `string` or a `bytes32` (NUL-padded) answer, with its encoding.
pub fn decode_text_with(data: &[u8]) -> Option<(String, TextEncoding)> {
    if let Ok(s) = String::abi_decode(data) {
        let s = printable(&s);
        if !s.is_empty() {
            return Some((s, TextEncoding::String));
        }
    }
    if data.len() == 32 {
        let end = data.iter().position(|b| *b == 0).unwrap_or(32);
        let s = printable(&String::from_utf8_lossy(&data[..end]));
        return (!s.is_empty()).then_some((s, TextEncoding::Bytes32));
    }
    None
}

/// Decodes a `string` or a `bytes32` (NUL-padded) answer.
pub fn decode_text(data: &[u8]) -> Option<String> {
    decode_text_with(data).map(|(s, _)| s)
}

/// Decodes a `uint8` (or a larger uint holding a value ≤ 255).
pub fn decode_decimals(data: &[u8]) -> Option<u8> {
    let v = U256::abi_decode(data).ok()?;
    u8::try_from(v).ok()
}

/// One raw call: `Ok(None)` when the contract reverted or answered nothing.
async fn call(client: &Client, token: Address, selector: [u8; 4]) -> Result<Option<Bytes>> {
    let tx = TransactionRequest::default()
        .to(token)
        .input(Bytes::from(selector.to_vec()).into());
    match client.provider.call(tx).await {
        Ok(b) if b.is_empty() => Ok(None),
        Ok(b) => Ok(Some(b)),
        Err(alloy::transports::RpcError::ErrorResp(_)) => Ok(None),
        Err(e) => Err(client.err(e)),
    }
}

/// Reads a token's symbol, name and decimals, noting what misbehaves. Fails
/// when there is no contract at `address` or it does not answer `decimals()`
/// (amounts of it cannot be shown).
pub async fn read(client: &Client, address: Address) -> Result<TokenInfo> {
    let code = client
        .provider
        .get_code_at(address)
        .await
        .map_err(|e| client.err(e))?;
    if code.is_empty() {
        return Err(Error::input(format!(
            "there is no token contract at {address} on this chain"
        )));
    }
    let decimals = call(client, address, DECIMALS)
        .await?
        .and_then(|b| decode_decimals(&b))
        .ok_or_else(|| {
            Error::input(format!(
                "the contract at {address} is not an ERC-20 token (decimals() reverts or answers nonsense)"
            ))
        })?;
    let symbol = call(client, address, SYMBOL).await?;
    let name = call(client, address, NAME).await?;
    let mut oddities = Vec::new();
    let symbol = match symbol.as_ref().and_then(|b| decode_text_with(b)) {
        Some((s, TextEncoding::String)) => s,
        Some((s, TextEncoding::Bytes32)) => {
            oddities.push(TokenOddity::Bytes32Symbol);
            s
        }
        None => {
            oddities.push(TokenOddity::NoSymbol);
            "?".to_string()
        }
    };
    let name = match name.as_ref().and_then(|b| decode_text(b)) {
        Some(n) => n,
        None => {
            oddities.push(TokenOddity::NoName);
            symbol.clone()
        }
    };
    if decimals > MAX_SANE_DECIMALS {
        oddities.push(TokenOddity::AbsurdDecimals);
    }
    Ok(TokenInfo {
        symbol,
        name,
        decimals,
        address,
        oddities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_bytes32() {
        let s = "USDC".to_string().abi_encode();
        assert_eq!(
            decode_text_with(&s),
            Some(("USDC".into(), TextEncoding::String))
        );
        let mut b = [0u8; 32];
        b[..3].copy_from_slice(b"MKR");
        assert_eq!(
            decode_text_with(&b),
            Some(("MKR".into(), TextEncoding::Bytes32))
        );
        assert_eq!(decode_text(&[0u8; 32]), None);
        assert_eq!(decode_text(&[1, 2]), None);
    }

    #[test]
    fn disguises_are_removed() {
        let s = "US\u{202e}DC\n\u{200b}".to_string().abi_encode();
        assert_eq!(decode_text(&s).as_deref(), Some("USDC"));
        let long = "X".repeat(500).abi_encode();
        assert_eq!(decode_text(&long).map(|s| s.len()), Some(MAX_TEXT));
        assert_eq!(decode_text(&" \t".to_string().abi_encode()), None);
    }

    #[test]
    fn decimals_in_range() {
        let d = U256::from(18u8).abi_encode();
        assert_eq!(decode_decimals(&d), Some(18));
        let big = U256::from(256u32).abi_encode();
        assert_eq!(decode_decimals(&big), None);
        assert_eq!(decode_decimals(&[]), None);
    }
}
