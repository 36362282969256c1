//! Uniswap V2's official bytecode (npm `@uniswap/v2-core` and
//! `@uniswap/v2-periphery` build artifacts, installed by `npm ci`) deployed on
//! a test chain, for tests that Tidepool works with the V2 world.

use tidepool_sdk::alloy::primitives::Bytes;
use tidepool_sdk::alloy::sol_types::SolValue;
use tidepool_sdk::chain::Client;
use tidepool_sdk::deploy::deploy_code;
use tidepool_sdk::{Address, alloy};

/// The creation code of an npm artifact under `node_modules/@uniswap`, with
/// ABI-encoded constructor arguments appended.
pub fn creation_code(artifact: &str, args: &[u8]) -> Bytes {
    let path = crate::anvil::workspace_root()
        .join("node_modules/@uniswap")
        .join(artifact);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci`)", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("an artifact is JSON");
    let hex = json["bytecode"]
        .as_str()
        .expect("a waffle artifact has a bytecode string");
    let mut code = alloy::hex::decode(hex.trim_start_matches("0x")).expect("hex bytecode");
    code.extend_from_slice(args);
    code.into()
}

/// Uniswap V2's factory (fee setter `fee_to_setter`) and Router02 over `weth`,
/// deployed from `client`'s account: `(factory, router, factory's block)`.
pub async fn deploy_v2(
    client: &Client,
    weth: Address,
    fee_to_setter: Address,
) -> (Address, Address, u64) {
    let (factory, block) = deploy_code(
        client,
        creation_code(
            "v2-core/build/UniswapV2Factory.json",
            &fee_to_setter.abi_encode(),
        ),
    )
    .await
    .expect("Uniswap V2's factory deploys");
    let (router, _) = deploy_code(
        client,
        creation_code(
            "v2-periphery/build/UniswapV2Router02.json",
            &(factory, weth).abi_encode_params(),
        ),
    )
    .await
    .expect("Uniswap V2's Router02 deploys");
    (factory, router, block)
}
