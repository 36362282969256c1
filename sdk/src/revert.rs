//! Revert data decoded into the contract's error by name: every custom error
//! of the bound contracts (and the libraries they use), `Error(string)` and
//! `Panic(uint256)`, with a plain-words explanation of the common ones.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use alloy::dyn_abi::{DynSolValue, JsonAbiExt};
use alloy::json_abi::{Error as AbiError, JsonAbi};
use alloy::primitives::{Bytes, FixedBytes};

use crate::bindings::ABIS;

/// A decoded revert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revert {
    /// The error's name (`K`, `Expired`, `Error`, `Panic`, …), or `unknown` when
    /// the selector is not one of ours.
    pub name: String,
    /// The error's arguments, formatted.
    pub args: Vec<String>,
    /// The raw revert data.
    pub data: Bytes,
}

impl Revert {
    /// `Name(arg, …)`, e.g. `Expired()` or `Panic(0x11)`.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.args.join(", "))
    }

    /// What the error means for the person who sent the transaction.
    pub fn explanation(&self) -> Option<&'static str> {
        Some(match self.name.as_str() {
            "Expired" | "PermitExpired" => "the deadline passed before the transaction was mined",
            "InsufficientOutputAmount" => {
                "the trade would give less than the minimum you set: the price moved"
            }
            "ExcessiveInputAmount" => {
                "the trade would cost more than the maximum you set: the price moved"
            }
            "InsufficientAAmount" | "InsufficientBAmount" => {
                "the pool's ratio moved past your minimum amounts"
            }
            "InsufficientLiquidity" => "the pool does not hold enough liquidity for this amount",
            "InsufficientAmount" => "an amount is zero",
            "InsufficientInputAmount" => "nothing was paid into the pool",
            "InsufficientLiquidityMinted" => "the deposit is too small to mint any LP tokens",
            "InsufficientLiquidityBurned" => "the LP amount is too small to withdraw anything",
            "K" => {
                "the pool's constant-product check failed: the input does not pay for the output"
            }
            "PairNotFound" => "there is no pool for two tokens of the path",
            "PairExists" => "that pool exists already",
            "IdenticalAddresses" => "the two tokens are the same",
            "InvalidPath" => "a path needs at least two tokens",
            "Overflow" => "a pool balance would exceed 2^112 - 1",
            "TransferFromFailed" => "the token transfer failed: check the balance and the approval",
            "TransferFailed" | "ETHTransferFailed" => "a token or ETH transfer out failed",
            "InsufficientBalance" => "the account does not hold enough of the token",
            "InsufficientAllowance" => "the router is not approved for enough of the token",
            "InvalidPermit" => "the permit signature is invalid",
            "Locked" => "the pool was re-entered",
            _ => return None,
        })
    }
}

impl fmt::Display for Revert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the contract reverted with {}({})",
            self.name,
            self.args.join(", ")
        )?;
        if let Some(why) = self.explanation() {
            write!(f, ": {why}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Revert {}

/// Errors of solady's `SafeTransferLib`, which the router and pair use.
const SOLADY_ERRORS: &[&str] = &[
    "error TransferFromFailed()",
    "error TransferFailed()",
    "error ETHTransferFailed()",
    "error ApproveFailed()",
];

/// Every custom error of the bound contracts, by selector.
fn errors() -> &'static HashMap<FixedBytes<4>, AbiError> {
    static ERRORS: OnceLock<HashMap<FixedBytes<4>, AbiError>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let mut map = HashMap::new();
        for (name, json) in ABIS {
            let artifact: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: bad artifact: {e}"));
            let abi: JsonAbi = serde_json::from_value(artifact["abi"].clone())
                .unwrap_or_else(|e| panic!("{name}: bad ABI: {e}"));
            for error in abi.errors() {
                map.insert(error.selector(), error.clone());
            }
        }
        // solady's SafeTransferLib reverts from assembly, so its errors are in no ABI.
        for sig in SOLADY_ERRORS {
            let error = AbiError::parse(sig).expect("a valid error signature");
            map.insert(error.selector(), error);
        }
        map
    })
}

/// Decodes revert data (selector + ABI-encoded arguments).
pub fn decode(data: &[u8]) -> Revert {
    let bytes = Bytes::copy_from_slice(data);
    let unknown = |args: Vec<String>| Revert {
        name: "unknown".into(),
        args,
        data: bytes.clone(),
    };
    if data.is_empty() {
        return Revert {
            name: "revert".into(),
            args: vec![],
            data: bytes,
        };
    }
    if data.len() < 4 {
        return unknown(vec![format!("{bytes}")]);
    }
    let selector = FixedBytes::<4>::from_slice(&data[..4]);
    let builtin = match selector.0 {
        [0x08, 0xc3, 0x79, 0xa0] => Some(("Error", "string")),
        [0x4e, 0x48, 0x7b, 0x71] => Some(("Panic", "uint256")),
        _ => None,
    };
    let abi_error = match builtin {
        Some((name, ty)) => AbiError::parse(&format!("error {name}({ty} x)")).ok(),
        None => errors().get(&selector).cloned(),
    };
    let Some(error) = abi_error else {
        return unknown(vec![format!("{bytes}")]);
    };
    match error.abi_decode_input(&data[4..]) {
        Ok(values) => Revert {
            name: error.name.clone(),
            args: values.iter().map(format_value).collect(),
            data: bytes,
        },
        Err(_) => Revert {
            name: error.name.clone(),
            args: vec![format!("undecodable: {bytes}")],
            data: bytes,
        },
    }
}

fn format_value(v: &DynSolValue) -> String {
    match v {
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::Uint(u, _) => {
            // Panic codes read better in hex (0x11 overflow, 0x12 division by zero).
            if *u < alloy::primitives::U256::from(256u32) {
                format!("{u:#x}")
            } else {
                u.to_string()
            }
        }
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::Address(a) => a.to_checksum(None),
        DynSolValue::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

/// The revert data carried by an error of a contract call, if it is a revert.
pub fn revert_data(err: &alloy::contract::Error) -> Option<Bytes> {
    err.as_revert_data()
}

/// The revert data carried by a transport error (eth_call / eth_estimateGas), if any.
pub fn transport_revert_data(err: &alloy::transports::TransportError) -> Option<Bytes> {
    err.as_error_resp().and_then(|resp| resp.as_revert_data())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::sol_types::SolError;

    #[test]
    fn decodes_custom_errors_by_name() {
        let data = crate::bindings::TidepoolRouter::Expired {}.abi_encode();
        let r = decode(&data);
        assert_eq!(r.name, "Expired");
        assert!(r.to_string().contains("deadline"), "{r}");
        let k = crate::bindings::TidepoolPair::K {}.abi_encode();
        assert_eq!(decode(&k).name, "K");
    }

    #[test]
    fn decodes_error_string_and_panic() {
        let s = alloy::sol_types::Revert::from("nope").abi_encode();
        let r = decode(&s);
        assert_eq!((r.name.as_str(), r.args[0].as_str()), ("Error", "\"nope\""));
        let p = alloy::sol_types::Panic::from(0x11).abi_encode();
        let r = decode(&p);
        assert_eq!((r.name.as_str(), r.args[0].as_str()), ("Panic", "0x11"));
    }

    #[test]
    fn decodes_solady_transfer_errors() {
        assert_eq!(decode(&[0x79, 0x39, 0xf4, 0x24]).name, "TransferFromFailed");
    }

    #[test]
    fn unknown_and_empty_data() {
        assert_eq!(decode(&[1, 2, 3, 4, 5]).name, "unknown");
        assert_eq!(decode(&[]).name, "revert");
    }
}
