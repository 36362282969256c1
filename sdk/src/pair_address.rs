//! Pair addresses from CREATE2, computed off-chain as the factory computes them.

use std::sync::OnceLock;

use alloy::primitives::{Address, B256, keccak256};

use crate::bindings::TidepoolPair;

/// keccak-256 of the pair's creation code: the `INIT_CODE_HASH` of
/// `contracts/src/libraries/PairAddress.sol`, derived here from the artifact the
/// bindings are generated from (a test checks both against the chain).
pub fn init_code_hash() -> B256 {
    static HASH: OnceLock<B256> = OnceLock::new();
    *HASH.get_or_init(|| keccak256(&TidepoolPair::BYTECODE))
}

/// The two tokens in the pair's order (`token0 < token1`).
pub fn sort_tokens(a: Address, b: Address) -> (Address, Address) {
    if a < b { (a, b) } else { (b, a) }
}

/// `address(keccak256(0xff ++ factory ++ keccak256(token0 ++ token1) ++ init_code_hash)[12:])`.
pub fn pair_address(factory: Address, a: Address, b: Address, init_code_hash: B256) -> Address {
    let (t0, t1) = sort_tokens(a, b);
    let mut salt = [0u8; 40];
    salt[..20].copy_from_slice(t0.as_slice());
    salt[20..].copy_from_slice(t1.as_slice());
    factory.create2(keccak256(salt), init_code_hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{address, b256};

    #[test]
    fn matches_uniswap_v2_mainnet_pair() {
        // USDC/WETH on Ethereum mainnet, Uniswap V2's factory and init code hash.
        let factory = address!("5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f");
        let usdc = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        let weth = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        let hash = b256!("96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f");
        assert_eq!(
            pair_address(factory, weth, usdc, hash),
            address!("B4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc")
        );
        assert_eq!(
            pair_address(factory, usdc, weth, hash),
            pair_address(factory, weth, usdc, hash)
        );
    }

    #[test]
    fn init_code_hash_is_the_one_in_pair_address_sol() {
        let sol = include_str!("../../contracts/src/libraries/PairAddress.sol");
        let hex = init_code_hash().to_string();
        assert!(
            sol.contains(&hex[2..]),
            "PairAddress.sol does not hold {hex}"
        );
    }
}
