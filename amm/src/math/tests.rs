//! Known values from Uniswap V2 and the contracts' own tests, the failure
//! cases, and properties over random inputs. The differential tests against the
//! deployed contracts on anvil come with the sdk's chain access (issue 3).

use super::*;
use proptest::prelude::*;

fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u8))
}

#[test]
fn amount_out_matches_known_v2_values() {
    // The same values the forge tests assert against the router.
    assert_eq!(
        get_amount_out(e18(1), e18(5), e18(10)).unwrap(),
        U256::from(1_662_497_915_624_478_906u64)
    );
    assert_eq!(
        get_amount_out(e18(1), e18(10), e18(5)).unwrap(),
        U256::from(453_305_446_940_074_565u64)
    );
}

#[test]
fn quote_is_proportional() {
    assert_eq!(
        quote(e18(1), U256::from(100u8), U256::from(200u8)).unwrap(),
        e18(2)
    );
    assert_eq!(
        quote(U256::from(10u8), U256::from(3u8), U256::from(1u8)).unwrap(),
        U256::from(3u8)
    );
}

#[test]
fn zero_inputs_fail_like_the_router() {
    let one = U256::from(1u8);
    let zero = U256::ZERO;
    assert_eq!(quote(zero, one, one), Err(MathError::InsufficientAmount));
    assert_eq!(quote(one, zero, one), Err(MathError::InsufficientLiquidity));
    assert_eq!(
        get_amount_out(zero, one, one),
        Err(MathError::InsufficientAmount)
    );
    assert_eq!(
        get_amount_out(one, one, zero),
        Err(MathError::InsufficientLiquidity)
    );
    assert_eq!(
        get_amount_in(zero, one, one),
        Err(MathError::InsufficientAmount)
    );
    assert_eq!(
        get_amount_in(one, zero, one),
        Err(MathError::InsufficientLiquidity)
    );
    assert_eq!(get_amounts_out(one, &[]), Err(MathError::InvalidPath));
    assert_eq!(get_amounts_in(one, &[]), Err(MathError::InvalidPath));
}

#[test]
fn buying_the_whole_reserve_fails_like_solidity() {
    let r = e18(10);
    // amountOut == reserveOut divides by zero; above it, the subtraction underflows.
    assert_eq!(get_amount_in(r, r, r), Err(MathError::DivisionByZero));
    assert_eq!(
        get_amount_in(r + U256::from(1u8), r, r),
        Err(MathError::ArithmeticOverflow)
    );
}

#[test]
fn huge_inputs_overflow_like_solidity() {
    assert_eq!(
        get_amount_out(U256::MAX, U256::from(1u8), U256::from(1u8)),
        Err(MathError::ArithmeticOverflow)
    );
    assert_eq!(
        quote(U256::MAX, U256::from(1u8), U256::from(2u8)),
        Err(MathError::ArithmeticOverflow)
    );
}

#[test]
fn two_hop_amounts_chain() {
    let hops = [
        Hop {
            reserve_in: e18(5),
            reserve_out: e18(10),
        },
        Hop {
            reserve_in: e18(10),
            reserve_out: e18(10),
        },
    ];
    let out = get_amounts_out(e18(1), &hops).unwrap();
    let mid = get_amount_out(e18(1), e18(5), e18(10)).unwrap();
    assert_eq!(
        out,
        vec![e18(1), mid, get_amount_out(mid, e18(10), e18(10)).unwrap()]
    );
    let back = get_amounts_in(e18(1), &hops).unwrap();
    let mid_in = get_amount_in(e18(1), e18(10), e18(10)).unwrap();
    assert_eq!(
        back,
        vec![
            get_amount_in(mid_in, e18(5), e18(10)).unwrap(),
            mid_in,
            e18(1)
        ]
    );
}

#[test]
fn first_mint_locks_minimum_liquidity() {
    let change = mint(&PoolState::default(), false, e18(1), e18(4)).unwrap();
    assert_eq!(change.liquidity, e18(2) - U256::from(MINIMUM_LIQUIDITY));
    assert_eq!(change.after.total_supply, e18(2));
    assert_eq!(
        (change.after.reserve0, change.after.reserve1),
        (e18(1), e18(4))
    );
    assert_eq!(change.after.k_last, U256::ZERO);
    let tiny = U256::from(1000u64);
    assert_eq!(
        mint(&PoolState::default(), false, tiny, tiny),
        Err(MathError::InsufficientLiquidityMinted)
    );
}

#[test]
fn later_mint_takes_the_scarcer_share() {
    let state = PoolState {
        reserve0: e18(1),
        reserve1: e18(4),
        total_supply: e18(2),
        k_last: U256::ZERO,
    };
    let half = e18(1) / U256::from(2u8);
    let change = mint(&state, false, e18(1) + half, e18(7)).unwrap();
    assert_eq!(change.liquidity, e18(1));
    assert_eq!(change.after.total_supply, e18(3));
    assert_eq!(
        mint(&state, false, e18(1), e18(4)),
        Err(MathError::InsufficientLiquidityMinted)
    );
}

#[test]
fn mint_rejects_balances_past_the_largest_reserve() {
    let over = max_reserve() + U256::from(1u8);
    assert_eq!(
        mint(&PoolState::default(), false, over, e18(1)),
        Err(MathError::Overflow)
    );
}

#[test]
fn burn_is_pro_rata() {
    let state = PoolState {
        reserve0: e18(2),
        reserve1: e18(8),
        total_supply: e18(4),
        k_last: U256::ZERO,
    };
    let change = burn(&state, false, e18(2), e18(8), e18(1)).unwrap();
    assert_eq!(
        (change.amount0, change.amount1),
        (e18(1) / U256::from(2u8), e18(2))
    );
    assert_eq!(change.after.total_supply, e18(3));
    assert_eq!(
        burn(&state, false, e18(2), e18(8), U256::ZERO),
        Err(MathError::InsufficientLiquidityBurned)
    );
}

#[test]
fn protocol_fee_is_a_sixth_of_root_k_growth() {
    let state = PoolState {
        reserve0: U256::from(121u8),
        reserve1: U256::from(121u8),
        total_supply: U256::from(1000u16),
        k_last: U256::from(10_000u16),
    };
    // 1000·(121 − 100) / (121·5 + 100) = 21000 / 705 = 29
    assert_eq!(protocol_fee(&state).unwrap(), U256::from(29u8));
    // With the fee on, a mint pays it first and records k.
    let change = mint(&state, true, U256::from(242u8), U256::from(242u8)).unwrap();
    assert_eq!(change.fee_liquidity, U256::from(29u8));
    assert_eq!(change.liquidity, U256::from(1029u16));
    assert_eq!(change.after.k_last, U256::from(242u32 * 242));
    // With the fee off nothing is minted and kLast is cleared.
    let off = mint(&state, false, U256::from(242u8), U256::from(242u8)).unwrap();
    assert_eq!(off.fee_liquidity, U256::ZERO);
    assert_eq!(off.after.k_last, U256::ZERO);
}

fn reserve() -> impl Strategy<Value = U256> {
    (1001u128..(1u128 << 111)).prop_map(U256::from)
}

proptest! {
    #[test]
    fn round_trips_never_gain(r_in in reserve(), r_out in reserve(), x in 1u128..(1u128 << 112)) {
        let amount_in = U256::from(x);
        let out = get_amount_out(amount_in, r_in, r_out).unwrap();
        prop_assert!(out < r_out);
        if !out.is_zero() {
            prop_assert!(get_amount_in(out, r_in, r_out).unwrap() <= amount_in);
        }
        let want = U256::from(x) % r_out;
        if !want.is_zero() {
            let needed = get_amount_in(want, r_in, r_out).unwrap();
            prop_assert!(get_amount_out(needed, r_in, r_out).unwrap() >= want);
        }
    }

    #[test]
    fn mint_then_burn_returns_at_most_the_deposit(
        r0 in reserve(), r1 in reserve(), d0 in 1u128..(1u128 << 100), d1 in 1u128..(1u128 << 100)
    ) {
        let first = mint(&PoolState::default(), false, r0, r1).unwrap();
        let (d0, d1) = (U256::from(d0), U256::from(d1));
        let Ok(second) = mint(&first.after, false, r0 + d0, r1 + d1) else {
            return Ok(());
        };
        let back = burn(&second.after, false, r0 + d0, r1 + d1, second.liquidity);
        if let Ok(back) = back {
            prop_assert!(back.amount0 <= d0 && back.amount1 <= d1);
            prop_assert_eq!(back.after.total_supply, first.after.total_supply);
        }
    }
}
