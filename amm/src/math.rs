//! Constant-product math with the 0.3% fee, bit-exact with the contracts.
//!
//! Every function mirrors one in `contracts/src` (named in its doc): the same
//! formula evaluated in the same order with the same 256-bit checked
//! arithmetic, so results and failures match the chain. A Solidity checked
//! overflow or underflow (`Panic(0x11)`) is [`MathError::ArithmeticOverflow`],
//! a division by zero (`Panic(0x12)`) is [`MathError::DivisionByZero`], and the
//! contracts' custom errors have variants of the same name.

use alloy_primitives::U256;
use thiserror::Error;

/// LP tokens locked forever at a pool's first mint (`MINIMUM_LIQUIDITY`).
pub const MINIMUM_LIQUIDITY: u64 = 1000;

/// The largest reserve a pair can hold: 2^112 - 1.
pub fn max_reserve() -> U256 {
    (U256::from(1u8) << 112) - U256::from(1u8)
}

/// Why a computation fails, named after the error the contract reverts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MathError {
    /// `InsufficientAmount()`: an input amount is zero.
    #[error("the amount is zero: enter an amount greater than 0")]
    InsufficientAmount,
    /// `InsufficientLiquidity()`: a reserve is zero (the pool is empty).
    #[error("the pool has no liquidity for this pair of tokens")]
    InsufficientLiquidity,
    /// `InvalidPath()`: a path needs at least two tokens.
    #[error("a path needs at least two tokens (one pool)")]
    InvalidPath,
    /// `InsufficientLiquidityMinted()`: the deposit would mint no LP tokens.
    #[error("the deposit is too small to mint any LP tokens")]
    InsufficientLiquidityMinted,
    /// `InsufficientLiquidityBurned()`: the LP tokens are worth nothing of one token.
    #[error("the LP amount is too small to withdraw anything of one of the tokens")]
    InsufficientLiquidityBurned,
    /// `Overflow()`: a balance would exceed 2^112 - 1, the largest reserve.
    #[error("a pool balance would exceed 2^112 - 1, the largest reserve a pool can hold")]
    Overflow,
    /// `Panic(0x11)`: a checked addition, subtraction or multiplication overflowed.
    #[error("arithmetic overflow or underflow (the amounts are out of range for this pool)")]
    ArithmeticOverflow,
    /// `Panic(0x12)`: division by zero.
    #[error("division by zero (the pool has no liquidity)")]
    DivisionByZero,
}

impl MathError {
    /// The contract's revert for this failure, as `tidepool_sdk::revert::Revert`
    /// names it with its arguments: `InsufficientAmount()`, `Panic(0x11)`, …
    pub fn contract_error(&self) -> &'static str {
        match self {
            Self::InsufficientAmount => "InsufficientAmount()",
            Self::InsufficientLiquidity => "InsufficientLiquidity()",
            Self::InvalidPath => "InvalidPath()",
            Self::InsufficientLiquidityMinted => "InsufficientLiquidityMinted()",
            Self::InsufficientLiquidityBurned => "InsufficientLiquidityBurned()",
            Self::Overflow => "Overflow()",
            Self::ArithmeticOverflow => "Panic(0x11)",
            Self::DivisionByZero => "Panic(0x12)",
        }
    }
}

/// Result of the math.
pub type Result<T> = std::result::Result<T, MathError>;

fn mul(a: U256, b: U256) -> Result<U256> {
    a.checked_mul(b).ok_or(MathError::ArithmeticOverflow)
}

fn add(a: U256, b: U256) -> Result<U256> {
    a.checked_add(b).ok_or(MathError::ArithmeticOverflow)
}

fn sub(a: U256, b: U256) -> Result<U256> {
    a.checked_sub(b).ok_or(MathError::ArithmeticOverflow)
}

fn div(a: U256, b: U256) -> Result<U256> {
    a.checked_div(b).ok_or(MathError::DivisionByZero)
}

fn u(n: u64) -> U256 {
    U256::from(n)
}

/// floor(√x), as solady's `FixedPointMathLib.sqrt`.
pub fn sqrt(x: U256) -> U256 {
    x.root(2)
}

/// `TidepoolLibrary.quote`: the amount of B worth `amount_a` at the reserves' ratio, no fee.
pub fn quote(amount_a: U256, reserve_a: U256, reserve_b: U256) -> Result<U256> {
    if amount_a.is_zero() {
        return Err(MathError::InsufficientAmount);
    }
    if reserve_a.is_zero() || reserve_b.is_zero() {
        return Err(MathError::InsufficientLiquidity);
    }
    div(mul(amount_a, reserve_b)?, reserve_a)
}

/// `TidepoolLibrary.getAmountOut`: output for an exact input after the 0.3% fee,
/// `amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997)`.
pub fn get_amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> Result<U256> {
    if amount_in.is_zero() {
        return Err(MathError::InsufficientAmount);
    }
    if reserve_in.is_zero() || reserve_out.is_zero() {
        return Err(MathError::InsufficientLiquidity);
    }
    let amount_in_with_fee = mul(amount_in, u(997))?;
    let numerator = mul(amount_in_with_fee, reserve_out)?;
    let denominator = add(mul(reserve_in, u(1000))?, amount_in_with_fee)?;
    div(numerator, denominator)
}

/// `TidepoolLibrary.getAmountIn`: input for an exact output after the 0.3% fee,
/// `reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997) + 1`. An output
/// at or above the reserve fails as on chain (underflow, or division by zero
/// when equal).
pub fn get_amount_in(amount_out: U256, reserve_in: U256, reserve_out: U256) -> Result<U256> {
    if amount_out.is_zero() {
        return Err(MathError::InsufficientAmount);
    }
    if reserve_in.is_zero() || reserve_out.is_zero() {
        return Err(MathError::InsufficientLiquidity);
    }
    let numerator = mul(mul(reserve_in, amount_out)?, u(1000))?;
    let denominator = mul(sub(reserve_out, amount_out)?, u(997))?;
    add(div(numerator, denominator)?, u(1))
}

/// The reserves of one hop, ordered along the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// Reserve of the token going in.
    pub reserve_in: U256,
    /// Reserve of the token coming out.
    pub reserve_out: U256,
}

/// `TidepoolLibrary.getAmountsOut`: the amount at every step of a path for an
/// exact input (`hops` are the path's pools, in order).
pub fn get_amounts_out(amount_in: U256, hops: &[Hop]) -> Result<Vec<U256>> {
    if hops.is_empty() {
        return Err(MathError::InvalidPath);
    }
    let mut amounts = Vec::with_capacity(hops.len() + 1);
    amounts.push(amount_in);
    for hop in hops {
        let last = amounts[amounts.len() - 1];
        amounts.push(get_amount_out(last, hop.reserve_in, hop.reserve_out)?);
    }
    Ok(amounts)
}

/// `TidepoolLibrary.getAmountsIn`: the amount at every step of a path for an
/// exact output, computed from the last hop backwards.
pub fn get_amounts_in(amount_out: U256, hops: &[Hop]) -> Result<Vec<U256>> {
    if hops.is_empty() {
        return Err(MathError::InvalidPath);
    }
    let mut amounts = vec![U256::ZERO; hops.len() + 1];
    amounts[hops.len()] = amount_out;
    for i in (0..hops.len()).rev() {
        amounts[i] = get_amount_in(amounts[i + 1], hops[i].reserve_in, hops[i].reserve_out)?;
    }
    Ok(amounts)
}

/// A pair's state as the liquidity functions see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolState {
    /// `reserve0` from `getReserves()`.
    pub reserve0: U256,
    /// `reserve1` from `getReserves()`.
    pub reserve1: U256,
    /// The LP token's `totalSupply()`.
    pub total_supply: U256,
    /// `kLast()`.
    pub k_last: U256,
}

/// `TidepoolPair._mintFee`: LP tokens minted to `feeTo` before a mint or burn
/// while the protocol fee is on: 1/6 of the growth of √k since `k_last`.
pub fn protocol_fee(state: &PoolState) -> Result<U256> {
    if state.k_last.is_zero() {
        return Ok(U256::ZERO);
    }
    let root_k = sqrt(mul(state.reserve0, state.reserve1)?);
    let root_k_last = sqrt(state.k_last);
    if root_k <= root_k_last {
        return Ok(U256::ZERO);
    }
    let numerator = mul(state.total_supply, sub(root_k, root_k_last)?)?;
    let denominator = add(mul(root_k, u(5))?, root_k_last)?;
    div(numerator, denominator)
}

/// What a mint or burn does to a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiquidityChange {
    /// LP tokens minted to the depositor (mint) or burnt (burn).
    pub liquidity: U256,
    /// Token0 deposited (mint) or paid out (burn).
    pub amount0: U256,
    /// Token1 deposited (mint) or paid out (burn).
    pub amount1: U256,
    /// LP tokens minted to `feeTo` first (zero with the fee off).
    pub fee_liquidity: U256,
    /// The pool afterwards.
    pub after: PoolState,
}

fn check_reserve(balance: U256) -> Result<()> {
    if balance > max_reserve() {
        Err(MathError::Overflow)
    } else {
        Ok(())
    }
}

fn next_k_last(fee_on: bool, reserve0: U256, reserve1: U256) -> Result<U256> {
    if fee_on {
        mul(reserve0, reserve1)
    } else {
        Ok(U256::ZERO)
    }
}

/// `TidepoolPair.mint`: the LP tokens minted for the tokens sent to the pair,
/// given the pair's balances after the deposit. The first deposit mints
/// √(amount0·amount1) − MINIMUM_LIQUIDITY (the minimum goes to the zero
/// address); later ones the smaller of the two proportional shares.
pub fn mint(
    state: &PoolState,
    fee_on: bool,
    balance0: U256,
    balance1: U256,
) -> Result<LiquidityChange> {
    let amount0 = sub(balance0, state.reserve0)?;
    let amount1 = sub(balance1, state.reserve1)?;
    let fee_liquidity = if fee_on {
        protocol_fee(state)?
    } else {
        U256::ZERO
    };
    let mut total_supply = add(state.total_supply, fee_liquidity)?;
    let liquidity = if total_supply.is_zero() {
        let root_k = sqrt(mul(amount0, amount1)?);
        if root_k <= u(MINIMUM_LIQUIDITY) {
            return Err(MathError::InsufficientLiquidityMinted);
        }
        total_supply = u(MINIMUM_LIQUIDITY);
        root_k - u(MINIMUM_LIQUIDITY)
    } else {
        let share0 = div(mul(amount0, total_supply)?, state.reserve0)?;
        let share1 = div(mul(amount1, total_supply)?, state.reserve1)?;
        share0.min(share1)
    };
    if liquidity.is_zero() {
        return Err(MathError::InsufficientLiquidityMinted);
    }
    total_supply = add(total_supply, liquidity)?;
    check_reserve(balance0)?;
    check_reserve(balance1)?;
    Ok(LiquidityChange {
        liquidity,
        amount0,
        amount1,
        fee_liquidity,
        after: PoolState {
            reserve0: balance0,
            reserve1: balance1,
            total_supply,
            k_last: next_k_last(fee_on, balance0, balance1)?,
        },
    })
}

/// `TidepoolPair.burn`: the tokens paid out for `liquidity` LP tokens sent to
/// the pair, pro rata of the pair's balances (which include any donation), for
/// tokens that move exactly the amount transferred.
pub fn burn(
    state: &PoolState,
    fee_on: bool,
    balance0: U256,
    balance1: U256,
    liquidity: U256,
) -> Result<LiquidityChange> {
    let fee_liquidity = if fee_on {
        protocol_fee(state)?
    } else {
        U256::ZERO
    };
    let total_supply = add(state.total_supply, fee_liquidity)?;
    let amount0 = div(mul(liquidity, balance0)?, total_supply)?;
    let amount1 = div(mul(liquidity, balance1)?, total_supply)?;
    if amount0.is_zero() || amount1.is_zero() {
        return Err(MathError::InsufficientLiquidityBurned);
    }
    let reserve0 = sub(balance0, amount0)?;
    let reserve1 = sub(balance1, amount1)?;
    check_reserve(reserve0)?;
    check_reserve(reserve1)?;
    Ok(LiquidityChange {
        liquidity,
        amount0,
        amount1,
        fee_liquidity,
        after: PoolState {
            reserve0,
            reserve1,
            total_supply: sub(total_supply, liquidity)?,
            k_last: next_k_last(fee_on, reserve0, reserve1)?,
        },
    })
}

#[cfg(test)]
mod tests;
