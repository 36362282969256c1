//! The operations measured, identical for every exchange.
//!
//! Every exchange trades the same token contract (contracts/src/devnet/TestToken.sol,
//! the same deployed instances), has the same pools, and is driven by the same
//! transactions. Steady-state operations run once to warm storage (balances
//! going zero to non-zero, first oracle write) and the repeat is measured.

use anyhow::{Context, Result};

use super::chain::{Chain, DEV_ADDRESS};
use super::dex::Dex;
use crate::cast;

/// Far-future deadline for every router call.
const DEADLINE: &str = "99999999999";
/// `type(uint256).max`, for approvals.
const MAX: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
const E18: &str = "1000000000000000000";

/// The shared test tokens, held by the dev account.
pub struct Tokens {
    /// Pooled with B and with WETH.
    pub a: String,
    /// Pooled with A and with C.
    pub b: String,
    /// Pooled with B (second hop).
    pub c: String,
    /// Never pooled before the pair-creation measurement (with E).
    pub d: String,
    /// See `d`.
    pub e: String,
}

impl Tokens {
    fn all(&self) -> [&str; 5] {
        [&self.a, &self.b, &self.c, &self.d, &self.e]
    }
}

/// A measured operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Router swapExactTokensForTokens, one hop.
    SwapOneHop,
    /// Router swapExactTokensForTokens, two hops.
    SwapTwoHops,
    /// Router swapExactETHForTokens.
    SwapEthForTokens,
    /// Router swapExactTokensForETH.
    SwapTokensForEth,
    /// pair.swap called directly by an account that sent the input beforehand.
    PairSwap,
    /// Router addLiquidity creating the pair (first liquidity of a new pair).
    AddLiquidityNewPair,
    /// Router addLiquidity on an existing pair.
    AddLiquidity,
    /// Router removeLiquidity.
    RemoveLiquidity,
}

impl Op {
    /// All operations in report order.
    pub const ALL: [Op; 8] = [
        Op::SwapOneHop,
        Op::SwapTwoHops,
        Op::SwapEthForTokens,
        Op::SwapTokensForEth,
        Op::PairSwap,
        Op::AddLiquidityNewPair,
        Op::AddLiquidity,
        Op::RemoveLiquidity,
    ];

    /// Row label.
    pub fn label(self) -> &'static str {
        match self {
            Op::SwapOneHop => "swapExactTokensForTokens, 1 hop",
            Op::SwapTwoHops => "swapExactTokensForTokens, 2 hops",
            Op::SwapEthForTokens => "swapExactETHForTokens",
            Op::SwapTokensForEth => "swapExactTokensForETH",
            Op::PairSwap => "pair.swap (direct)",
            Op::AddLiquidityNewPair => "addLiquidity, creating the pair",
            Op::AddLiquidity => "addLiquidity, existing pair",
            Op::RemoveLiquidity => "removeLiquidity",
        }
    }

    /// The target for Tidepool gas / Uniswap V2 gas, if any.
    pub fn target(self) -> Option<f64> {
        match self {
            Op::SwapOneHop | Op::SwapEthForTokens | Op::SwapTokensForEth => Some(0.80),
            Op::SwapTwoHops => Some(0.78),
            Op::AddLiquidity | Op::RemoveLiquidity => Some(0.85),
            Op::AddLiquidityNewPair => Some(0.50),
            Op::PairSwap => None,
        }
    }

    /// Whether the repeat is measured (else the one and only run is).
    fn steady_state(self) -> bool {
        self != Op::AddLiquidityNewPair
    }

    /// Runs the operation (twice when steady-state) and returns the gas used
    /// by the measured transaction.
    pub fn measure(self, chain: &mut Chain, dex: &Dex, t: &Tokens) -> Result<u64> {
        let run = |chain: &mut Chain| {
            self.run_once(chain, dex, t)
                .with_context(|| format!("{}: {}", dex.name, self.label()))
        };
        if self.steady_state() {
            run(chain)?;
        }
        run(chain)
    }

    fn run_once(self, chain: &mut Chain, dex: &Dex, t: &Tokens) -> Result<u64> {
        let me = DEV_ADDRESS.to_string();
        let router = |chain: &mut Chain, sig: &str, args: Vec<String>, value: Option<&str>| {
            chain
                .send(&dex.router, sig, &args, value)
                .map(|r| r.gas_used)
        };
        const SWAP: &str = "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)";
        match self {
            Op::SwapOneHop => router(chain, SWAP, swap_args(E18, &[&t.a, &t.b]), None),
            Op::SwapTwoHops => router(chain, SWAP, swap_args(E18, &[&t.a, &t.b, &t.c]), None),
            Op::SwapEthForTokens => router(
                chain,
                "swapExactETHForTokens(uint256,address[],address,uint256)",
                vec!["0".into(), path(&[&dex.weth, &t.a]), me, DEADLINE.into()],
                Some("100000000000000000"),
            ),
            Op::SwapTokensForEth => router(
                chain,
                "swapExactTokensForETH(uint256,uint256,address[],address,uint256)",
                swap_args("1000000000000000000000", &[&t.a, &dex.weth]),
                None,
            ),
            Op::PairSwap => pair_swap(chain, dex, t),
            Op::AddLiquidityNewPair => router(
                chain,
                ADD,
                add_args(&t.d, &t.e, "1000000000000000000000"),
                None,
            ),
            Op::AddLiquidity => router(
                chain,
                ADD,
                add_args(&t.a, &t.b, "100000000000000000000"),
                None,
            ),
            Op::RemoveLiquidity => router(
                chain,
                "removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)",
                vec![
                    t.a.clone(),
                    t.b.clone(),
                    "10000000000000000000".into(),
                    "0".into(),
                    "0".into(),
                    me,
                    DEADLINE.into(),
                ],
                None,
            ),
        }
    }
}

const ADD: &str = "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)";

fn path(tokens: &[&str]) -> String {
    format!("[{}]", tokens.join(","))
}

fn swap_args(amount_in: &str, tokens: &[&str]) -> Vec<String> {
    vec![
        amount_in.into(),
        "0".into(),
        path(tokens),
        DEV_ADDRESS.into(),
        DEADLINE.into(),
    ]
}

fn add_args(a: &str, b: &str, amount: &str) -> Vec<String> {
    let s = |v: &str| v.to_string();
    vec![
        s(a),
        s(b),
        s(amount),
        s(amount),
        s("0"),
        s("0"),
        s(DEV_ADDRESS),
        s(DEADLINE),
    ]
}

/// Sends 1 A to the A/B pair, then measures `pair.swap` paying out B.
fn pair_swap(chain: &mut Chain, dex: &Dex, t: &Tokens) -> Result<u64> {
    let pair = pair_of(chain, dex, &t.a, &t.b)?;
    let amounts = chain.call(
        &dex.router,
        "getAmountsOut(uint256,address[])(uint256[])",
        &[E18.into(), path(&[&t.a, &t.b])],
    )?;
    let out = cast::last_uint(&amounts)
        .with_context(|| format!("unexpected getAmountsOut output `{amounts}`"))?;
    chain.send(
        &t.a,
        "transfer(address,uint256)",
        &[pair.clone(), E18.into()],
        None,
    )?;
    let (out0, out1) = if is_token0(&t.a, &t.b) {
        ("0".to_string(), out)
    } else {
        (out, "0".to_string())
    };
    let args = [out0, out1, DEV_ADDRESS.into(), "0x".into()];
    Ok(chain
        .send(&pair, "swap(uint256,uint256,address,bytes)", &args, None)?
        .gas_used)
}

/// Whether `a` sorts before `b` (is the pair's token0).
fn is_token0(a: &str, b: &str) -> bool {
    a.to_lowercase() < b.to_lowercase()
}

/// The pair of `a` and `b` on `dex`.
pub fn pair_of(chain: &Chain, dex: &Dex, a: &str, b: &str) -> Result<String> {
    chain.call(
        &dex.factory,
        "getPair(address,address)(address)",
        &[a.into(), b.into()],
    )
}

/// Approvals and pools every operation starts from: A/B, B/C and A/WETH with
/// liquidity, routers approved for every token and for the A/B LP token.
pub fn prepare(chain: &mut Chain, dex: &Dex, t: &Tokens) -> Result<()> {
    for token in t.all() {
        chain.send(
            token,
            "approve(address,uint256)",
            &[dex.router.clone(), MAX.into()],
            None,
        )?;
    }
    let big = "1000000000000000000000000";
    chain.send(&dex.router, ADD, &add_args(&t.a, &t.b, big), None)?;
    chain.send(&dex.router, ADD, &add_args(&t.b, &t.c, big), None)?;
    chain.send(
        &dex.router,
        "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
        &[
            t.a.clone(),
            big.into(),
            "0".into(),
            "0".into(),
            DEV_ADDRESS.into(),
            DEADLINE.into(),
        ],
        Some("100000000000000000000"),
    )?;
    let lp = pair_of(chain, dex, &t.a, &t.b)?;
    chain.send(
        &lp,
        "approve(address,uint256)",
        &[dex.router.clone(), MAX.into()],
        None,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_order_ignores_checksum_case() {
        assert!(is_token0(
            "0xABcd000000000000000000000000000000000000",
            "0xabce000000000000000000000000000000000000"
        ));
    }
}
