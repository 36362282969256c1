//! Well-known Uniswap-V2 deployments a person can attach to by name
//! (`tidepool attach --preset …`, the app's Settings). Only contract
//! addresses: the RPC endpoint is always the person's own.

use alloy::primitives::{Address, B256, address, b256};

/// A V2 deployment whose addresses its deployer documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The name on the command line, e.g. `uniswap-v2-ethereum`.
    pub id: &'static str,
    /// The name shown to people.
    pub name: &'static str,
    /// The chain it lives on.
    pub chain_id: u64,
    /// The factory.
    pub factory: Address,
    /// The router (Router02: with the fee-on-transfer functions).
    pub router: Address,
    /// keccak-256 of the pair creation code.
    pub init_code_hash: B256,
    /// The block of the factory's deployment (where an indexer starts).
    pub deploy_block: u64,
}

/// Every preset.
pub const PRESETS: &[Preset] = &[
    // Uniswap's documentation, "V2 Deployment Addresses"
    // (docs.uniswap.org/contracts/v2/reference/smart-contracts/v2-deployments):
    // Mainnet factory 0x5C69…aA6f, V2Router02 0x7a25…488D. The init code hash is
    // the one of "Getting Pair Addresses" (docs.uniswap.org/sdk/v2/guides/
    // getting-pair-addresses) and of UniswapV2Library.pairFor in v2-periphery.
    // The factory's deployment block (10000835) is its creation transaction's.
    Preset {
        id: "uniswap-v2-ethereum",
        name: "Uniswap V2 (Ethereum)",
        chain_id: 1,
        factory: address!("5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f"),
        router: address!("7a250d5630B4cF539739dF2C5dAcb4c659F2488D"),
        init_code_hash: b256!("96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f"),
        deploy_block: 10_000_835,
    },
    // SushiSwap's documentation of its Ethereum deployment: UniswapV2Factory
    // 0xC0AE…f2Ac, UniswapV2Router02 0xd9e1…8B9F; init code hash from its
    // UniswapV2Library.pairFor (sushiswap/sushiswap, protocols/sushiswap).
    Preset {
        id: "sushiswap-ethereum",
        name: "SushiSwap (Ethereum)",
        chain_id: 1,
        factory: address!("C0AEe478e3658e2610c5F7A4A2E1777cE9e4f2Ac"),
        router: address!("d9e1cE17f2641f24aE83637ab66a2cca9C378B9F"),
        init_code_hash: b256!("e18a34eb0e04b04f7a0ac29a6e80748dca96319b42c54d679cb821dca90c6303"),
        deploy_block: 10_794_229,
    },
];

/// The preset named `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pair_address::pair_address;

    const WETH: Address = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

    /// Each preset's hash gives a pair address its deployer publishes.
    #[test]
    fn presets_compute_documented_pair_addresses() {
        let uni = preset("uniswap-v2-ethereum").unwrap();
        // USDC/WETH, the pair Uniswap's analytics and the V2 subgraph list first.
        assert_eq!(
            pair_address(uni.factory, WETH, USDC, uni.init_code_hash),
            address!("B4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc")
        );
        let sushi = preset("SUSHISWAP-ETHEREUM").unwrap();
        // WETH/USDC SLP in SushiSwap's pool list.
        assert_eq!(
            pair_address(sushi.factory, USDC, WETH, sushi.init_code_hash),
            address!("397FF1542f962076d0BFE58eA045FfA2d347ACa0")
        );
    }

    #[test]
    fn ids_are_unique_and_lower_case() {
        for (i, p) in PRESETS.iter().enumerate() {
            assert_eq!(p.id, p.id.to_lowercase());
            assert!(PRESETS[i + 1..].iter().all(|q| q.id != p.id));
        }
        assert!(preset("nope").is_none());
    }
}
