//! The `devnet` step of `cargo xtask test`: brings up exactly what
//! `cargo xtask dev` brings up, on a free loopback port, and checks that it is
//! a working market — every pool priced as intended, every dev account funded,
//! and a real swap through the router paying what the router quoted.

use std::fs;
use std::net::TcpListener;

use anyhow::{Context, Result, ensure};

use crate::dev::{self, Devnet};
use crate::{cast, ws};

/// Where the check's manifest goes (removed afterwards; never the user's).
const MANIFEST: &str = "deployments/devnet-check.json";
/// Anvil's dev account 1 and its key (public, test-only).
const TRADER: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const TRADER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/// Anvil's dev account 9, untouched by the check's trades.
const HOLDER: &str = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";

/// (manifest key, decimals, dollar price) of each devnet token.
const TOKENS: [(&str, u32, u128); 6] = [
    ("weth", 18, 3000),
    ("token.USDC", 6, 1),
    ("token.USDT", 6, 1),
    ("token.DAI", 18, 1),
    ("token.WBTC", 8, 60_000),
    ("token.TIDE", 18, 2),
];

/// The eight pools, as (token, token) indexes into [`TOKENS`].
const POOLS: [(usize, usize); 8] = [
    (0, 1),
    (0, 3),
    (1, 2),
    (1, 3),
    (4, 0),
    (4, 1),
    (5, 0),
    (5, 1),
];

/// Deploys a devnet on a free port and checks it.
pub fn run() -> Result<()> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let devnet = dev::deploy(port, MANIFEST)?;
    let result = check(&devnet);
    let _ = fs::remove_file(ws::root().join(MANIFEST));
    result?;
    println!(
        "devnet: 8 pools priced as intended, dev accounts funded, a router swap paid its quote"
    );
    Ok(())
}

fn check(d: &Devnet) -> Result<()> {
    let url = d.anvil.url();
    for key in [
        "chainId",
        "genesisHash",
        "factory",
        "router",
        "weth",
        "initCodeHash",
    ] {
        ensure!(d.manifest.contains_key(key), "the manifest lacks `{key}`");
    }
    let factory = d.address("factory")?;
    let router = d.address("router")?;
    let pairs = uint(&cast::call(url, factory, "allPairsLength()(uint256)", &[])?)?;
    ensure!(pairs == 8, "expected 8 pools, the factory has {pairs}");

    // A $10 trade through each pool, both ways, gets $10 less the 0.3% fee (±0.1%).
    for (a, b) in POOLS {
        for (i, o) in [(a, b), (b, a)] {
            let (tin, din, pin) = TOKENS[i];
            let (tout, dout, pout) = TOKENS[o];
            let amount_in = 10 * 10u128.pow(din) / pin;
            let path = format!("[{},{}]", d.address(tin)?, d.address(tout)?);
            let out = last_uint(&cast::call(
                url,
                router,
                "getAmountsOut(uint256,address[])(uint256[])",
                &[amount_in.to_string(), path],
            )?)?;
            let expected = 10 * 10u128.pow(dout) / pout * 997 / 1000;
            let off = out.abs_diff(expected) as f64 / expected as f64;
            ensure!(
                off < 0.001,
                "$10 of {tin} buys {out} units of {tout}, expected about {expected} ({:.3}% off)",
                off * 100.0
            );
        }
    }

    // Every dev account holds $10M of every token and 10,000 ETH.
    for (key, dec, price) in &TOKENS[1..] {
        let held = uint(&cast::call(
            url,
            d.address(key)?,
            "balanceOf(address)(uint256)",
            &[HOLDER.into()],
        )?)?;
        let want = 10_000_000 * 10u128.pow(*dec) / price;
        ensure!(
            held == want,
            "{HOLDER} holds {held} of {key}, expected {want}"
        );
    }
    let eth = uint(&cast::cmd("balance", url).arg(HOLDER).read()?)?;
    ensure!(
        eth == 10_000 * 10u128.pow(18),
        "{HOLDER} holds {eth} wei, expected 10,000 ETH"
    );

    // A real trade: 1 ETH for USDC from dev account 1 pays exactly the quote.
    let usdc = d.address("token.USDC")?;
    let path = format!("[{},{}]", d.address("weth")?, usdc);
    let one_eth = 10u128.pow(18).to_string();
    let quoted = last_uint(&cast::call(
        url,
        router,
        "getAmountsOut(uint256,address[])(uint256[])",
        &[one_eth.clone(), path.clone()],
    )?)?;
    let before = uint(&cast::call(
        url,
        usdc,
        "balanceOf(address)(uint256)",
        &[TRADER.into()],
    )?)?;
    cast::cmd("send", url)
        .args(["--private-key", TRADER_KEY, "--value", &one_eth, router])
        .args([
            "swapExactETHForTokens(uint256,address[],address,uint256)",
            &quoted.to_string(),
            &path,
            TRADER,
            "99999999999",
        ])
        .read()
        .context("the devnet swap failed")?;
    let after = uint(&cast::call(
        url,
        usdc,
        "balanceOf(address)(uint256)",
        &[TRADER.into()],
    )?)?;
    ensure!(
        after - before == quoted,
        "the swap paid {} USDC units, the router quoted {quoted}",
        after - before
    );
    Ok(())
}

/// A uint from cast's rendering, as a number (the devnet's amounts fit in u128).
fn uint(rendered: &str) -> Result<u128> {
    cast::uint(rendered)
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("expected an integer, cast printed `{rendered}`"))
}

/// The last element of cast's rendering of a uint array, as a number.
fn last_uint(rendered: &str) -> Result<u128> {
    cast::last_uint(rendered)
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("expected a uint array, cast printed `{rendered}`"))
}
