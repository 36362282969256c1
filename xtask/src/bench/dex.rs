//! The exchanges under comparison, described by their bytecode, and their
//! deployment on the benchmark chain.

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::chain::{Chain, DEV_ADDRESS};
use crate::proc::Cmd;
use crate::ws;

/// keccak256 of Uniswap V2's pair creation code, hard-coded in its router.
pub const UNISWAP_V2_INIT_CODE_HASH: &str =
    "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";

/// A Uniswap-V2-style exchange as creation bytecode (hex, 0x-prefixed).
pub struct DexSpec {
    /// Display name.
    pub name: &'static str,
    weth: String,
    factory: String,
    router: String,
}

/// A deployed exchange.
pub struct Dex {
    /// Display name.
    pub name: &'static str,
    /// The factory's address.
    pub factory: String,
    /// The router's address.
    pub router: String,
    /// The WETH the router wraps ETH with.
    pub weth: String,
}

impl DexSpec {
    /// Tidepool, from the forge artifacts.
    pub fn tidepool() -> Result<Self> {
        let pair = bytecode(&ws::artifact("TidepoolPair.sol", "TidepoolPair")?)?;
        let router = bytecode(&ws::artifact("TidepoolRouter.sol", "TidepoolRouter")?)?;
        check_init_code_hash("Tidepool", &pair, &router, None)?;
        Ok(DexSpec {
            name: "Tidepool",
            weth: bytecode(&ws::artifact("WETH.sol", "WETH")?)?,
            factory: bytecode(&ws::artifact("TidepoolFactory.sol", "TidepoolFactory")?)?,
            router,
        })
    }

    /// The floor (contracts/bench/Floor.sol) with Tidepool's WETH: its router
    /// reads the pair code hash from its factory, so there is nothing to check.
    pub fn floor() -> Result<Self> {
        Ok(DexSpec {
            name: "floor",
            weth: bytecode(&ws::artifact("WETH.sol", "WETH")?)?,
            factory: bytecode(&ws::artifact("Floor.sol", "FloorFactory")?)?,
            router: bytecode(&ws::artifact("Floor.sol", "FloorRouter")?)?,
        })
    }

    /// Uniswap V2 as published on npm (@uniswap/v2-core, @uniswap/v2-periphery).
    pub fn uniswap_v2() -> Result<Self> {
        let dir = ws::root().join("node_modules/@uniswap");
        let load = |path: &str| -> Result<String> { bytecode(&ws::read_json(&dir.join(path))?) };
        let pair = load("v2-core/build/UniswapV2Pair.json")?;
        let router = load("v2-periphery/build/UniswapV2Router02.json")?;
        check_init_code_hash(
            "Uniswap V2",
            &pair,
            &router,
            Some(UNISWAP_V2_INIT_CODE_HASH),
        )?;
        Ok(DexSpec {
            name: "Uniswap V2",
            weth: load("v2-periphery/build/WETH9.json")?,
            factory: load("v2-core/build/UniswapV2Factory.json")?,
            router,
        })
    }

    /// Deploys WETH, the factory (fee setter: the deployer) and the router.
    pub fn deploy(&self, chain: &mut Chain) -> Result<Dex> {
        let weth = chain.deploy(&self.weth, None)?;
        let factory = chain.deploy(
            &self.factory,
            Some(("constructor(address)", &[DEV_ADDRESS.into()])),
        )?;
        let router = chain.deploy(
            &self.router,
            Some((
                "constructor(address,address)",
                &[factory.clone(), weth.clone()],
            )),
        )?;
        Ok(Dex {
            name: self.name,
            factory,
            router,
            weth,
        })
    }
}

/// The creation bytecode of a JSON artifact, whichever layout it uses: forge
/// (`bytecode.object`), solc standard JSON (`evm.bytecode.object`) or waffle
/// (`bytecode` as a string).
pub fn bytecode(artifact: &Value) -> Result<String> {
    let code = [
        &artifact["bytecode"]["object"],
        &artifact["evm"]["bytecode"]["object"],
        &artifact["bytecode"],
    ]
    .into_iter()
    .find_map(Value::as_str)
    .filter(|code| !code.is_empty())
    .context("artifact has no creation bytecode")?;
    let hex = code.strip_prefix("0x").unwrap_or(code);
    if hex.contains("__") {
        bail!("bytecode has unlinked library placeholders");
    }
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("artifact bytecode is not hex");
    }
    Ok(format!("0x{hex}"))
}

/// Checks that the router's hard-coded pair init code hash is keccak256 of the
/// pair's creation code (else the router computes wrong pair addresses), and,
/// when given, that it is the `expected` well-known value.
fn check_init_code_hash(dex: &str, pair: &str, router: &str, expected: Option<&str>) -> Result<()> {
    let hash = Cmd::new(ws::cast())
        .args(["keccak", pair])
        .read()?
        .to_lowercase();
    if let Some(expected) = expected
        && hash != expected
    {
        bail!("{dex}: keccak256(pair creation code) = {hash}, expected {expected}");
    }
    let needle = hash.trim_start_matches("0x");
    if !router.to_lowercase().contains(needle) {
        bail!(
            "{dex}: the router's bytecode does not contain the pair init code hash {hash}; \
             its pair addresses would be wrong"
        );
    }
    Ok(())
}
