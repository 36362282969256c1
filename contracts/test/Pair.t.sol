// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";
import {TestToken} from "../src/devnet/TestToken.sol";

/// @notice The pair's core functions called directly, as an integrator or another router would.
contract PairTest is Fixture {
    event Transfer(address indexed from, address indexed to, uint256 value);

    TidepoolPair internal pair;
    TestToken internal token0;
    TestToken internal token1;

    function setUp() public override {
        super.setUp();
        pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        token0 = TestToken(pair.token0());
        token1 = TestToken(pair.token1());
    }

    function _deposit(uint256 amount0, uint256 amount1, address to) internal returns (uint256) {
        token0.mint(address(pair), amount0);
        token1.mint(address(pair), amount1);
        return pair.mint(to);
    }

    function _assertReserves(uint256 r0, uint256 r1) internal view {
        (uint112 reserve0, uint112 reserve1,) = pair.getReserves();
        assertEq(reserve0, r0, "reserve0");
        assertEq(reserve1, r1, "reserve1");
    }

    // ------------------------------------------------------------------ metadata

    function test_metadata() public view {
        assertEq(pair.name(), "Tidepool LP", "name");
        assertEq(pair.symbol(), "TIDE-LP", "symbol");
        assertEq(pair.decimals(), 18, "decimals");
        assertEq(pair.MINIMUM_LIQUIDITY(), 1000, "MINIMUM_LIQUIDITY");
        assertEq(
            pair.PERMIT_TYPEHASH(),
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
            "PERMIT_TYPEHASH"
        );
        assertTrue(address(token0) < address(token1), "tokens sorted");
    }

    // ------------------------------------------------------------------ mint

    function test_mint_first() public {
        token0.mint(address(pair), 1 ether);
        token1.mint(address(pair), 4 ether);
        uint256 expected = 2 ether - MINIMUM_LIQUIDITY; // sqrt(1e18 * 4e18) - 1000

        vm.expectEmit(true, true, false, true, address(pair));
        emit Transfer(address(0), address(0), MINIMUM_LIQUIDITY);
        vm.expectEmit(true, true, false, true, address(pair));
        emit Transfer(address(0), alice, expected);
        vm.expectEmit(false, false, false, true, address(pair));
        emit ITidepoolPair.Sync(1 ether, 4 ether);
        vm.expectEmit(true, false, false, true, address(pair));
        emit ITidepoolPair.Mint(address(this), 1 ether, 4 ether);
        uint256 liquidity = pair.mint(alice);

        assertEq(liquidity, expected, "liquidity");
        assertEq(pair.totalSupply(), 2 ether, "totalSupply");
        assertEq(pair.balanceOf(alice), expected, "alice LP");
        assertEq(pair.balanceOf(address(0)), MINIMUM_LIQUIDITY, "locked LP");
        _assertReserves(1 ether, 4 ether);
    }

    function test_mint_proportional() public {
        _deposit(1 ether, 4 ether, alice);
        // Depositing off-ratio mints by the scarcer side; the excess is a donation.
        uint256 liquidity = _deposit(0.5 ether, 3 ether, bob);
        assertEq(liquidity, 1 ether, "min(0.5/1, 3/4) of 2e18 supply");
        assertEq(pair.totalSupply(), 3 ether, "supply");
        _assertReserves(1.5 ether, 7 ether);
    }

    function test_mint_revertsTooSmallFirstDeposit() public {
        token0.mint(address(pair), 1000);
        token1.mint(address(pair), 1000); // sqrt = 1000 = MINIMUM_LIQUIDITY: nothing left to mint
        vm.expectRevert(ITidepoolPair.InsufficientLiquidityMinted.selector);
        pair.mint(alice);
    }

    function test_mint_revertsNothingDeposited() public {
        _deposit(1 ether, 1 ether, alice);
        vm.expectRevert(ITidepoolPair.InsufficientLiquidityMinted.selector);
        pair.mint(alice);
    }

    function test_mint_revertsOverflow() public {
        token0.mint(address(pair), uint256(type(uint112).max) + 1);
        token1.mint(address(pair), 1 ether);
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.mint(alice);
    }

    // ------------------------------------------------------------------ burn

    function test_burn_all() public {
        uint256 liquidity = _deposit(3 ether, 3 ether, alice);
        vm.prank(alice);
        pair.transfer(address(pair), liquidity);

        vm.expectEmit(true, true, false, true, address(pair));
        emit ITidepoolPair.Burn(address(this), 3 ether - 1000, 3 ether - 1000, bob);
        (uint256 amount0, uint256 amount1) = pair.burn(bob);

        assertEq(amount0, 3 ether - 1000, "amount0");
        assertEq(amount1, 3 ether - 1000, "amount1");
        assertEq(token0.balanceOf(bob), amount0, "bob token0");
        assertEq(token1.balanceOf(bob), amount1, "bob token1");
        assertEq(pair.totalSupply(), MINIMUM_LIQUIDITY, "only the locked LP is left");
        assertEq(pair.balanceOf(address(pair)), 0, "pair burnt what it held");
        _assertReserves(1000, 1000);
    }

    function test_burn_partialIsProRata() public {
        _deposit(2 ether, 8 ether, alice); // supply 4e18
        vm.prank(alice);
        pair.transfer(address(pair), 1 ether); // a quarter of the supply
        (uint256 amount0, uint256 amount1) = pair.burn(alice);
        assertEq(amount0, 0.5 ether, "a quarter of reserve0");
        assertEq(amount1, 2 ether, "a quarter of reserve1");
        _assertReserves(1.5 ether, 6 ether);
    }

    function test_burn_revertsNothingToBurn() public {
        _deposit(1 ether, 1 ether, alice);
        vm.expectRevert(ITidepoolPair.InsufficientLiquidityBurned.selector);
        pair.burn(alice);
    }

    // ------------------------------------------------------------------ swap

    function _amountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        internal
        pure
        returns (uint256)
    {
        return amountIn * 997 * reserveOut / (reserveIn * 1000 + amountIn * 997);
    }

    function test_swap_token0ForToken1() public {
        _deposit(5 ether, 10 ether, alice);
        uint256 amountIn = 1 ether;
        uint256 amountOut = _amountOut(amountIn, 5 ether, 10 ether); // 1662497915624478906
        assertEq(amountOut, 1662497915624478906, "known V2 value");
        token0.mint(address(pair), amountIn);

        vm.expectEmit(false, false, false, true, address(pair));
        emit ITidepoolPair.Sync(uint112(6 ether), uint112(10 ether - amountOut));
        vm.expectEmit(true, true, false, true, address(pair));
        emit ITidepoolPair.Swap(address(this), amountIn, 0, 0, amountOut, bob);
        pair.swap(0, amountOut, bob, "");

        assertEq(token1.balanceOf(bob), amountOut, "bob received");
        _assertReserves(6 ether, 10 ether - amountOut);
    }

    function test_swap_token1ForToken0() public {
        _deposit(5 ether, 10 ether, alice);
        uint256 amountOut = 453305446940074565; // V2's getAmountOut(1e18, 10e18, 5e18)
        token1.mint(address(pair), 1 ether);
        pair.swap(amountOut, 0, bob, "");
        assertEq(token0.balanceOf(bob), amountOut, "bob received");
        _assertReserves(5 ether - amountOut, 11 ether);
    }

    function test_swap_revertsOneWeiTooMuch() public {
        _deposit(5 ether, 10 ether, alice);
        uint256 amountOut = _amountOut(1 ether, 5 ether, 10 ether);
        token0.mint(address(pair), 1 ether);
        vm.expectRevert(ITidepoolPair.K.selector);
        pair.swap(0, amountOut + 1, bob, "");
    }

    function test_swap_revertsZeroOutput() public {
        _deposit(5 ether, 10 ether, alice);
        vm.expectRevert(ITidepoolPair.InsufficientOutputAmount.selector);
        pair.swap(0, 0, bob, "");
    }

    function test_swap_revertsOutputNotBelowReserve() public {
        _deposit(5 ether, 10 ether, alice);
        vm.expectRevert(ITidepoolPair.InsufficientLiquidity.selector);
        pair.swap(5 ether, 0, bob, "");
        vm.expectRevert(ITidepoolPair.InsufficientLiquidity.selector);
        pair.swap(0, 10 ether, bob, "");
    }

    function test_swap_revertsNoInput() public {
        _deposit(5 ether, 10 ether, alice);
        vm.expectRevert(ITidepoolPair.InsufficientInputAmount.selector);
        pair.swap(0, 1, bob, "");
    }

    function test_swap_revertsToIsToken() public {
        _deposit(5 ether, 10 ether, alice);
        token0.mint(address(pair), 1 ether);
        vm.expectRevert(ITidepoolPair.InvalidTo.selector);
        pair.swap(0, 1, address(token0), "");
        vm.expectRevert(ITidepoolPair.InvalidTo.selector);
        pair.swap(0, 1, address(token1), "");
    }

    // ------------------------------------------------------------------ skim, sync

    function test_skim_sendsExcess() public {
        _deposit(1 ether, 1 ether, alice);
        token0.mint(address(pair), 7);
        token1.mint(address(pair), 9);
        pair.skim(bob);
        assertEq(token0.balanceOf(bob), 7, "excess0");
        assertEq(token1.balanceOf(bob), 9, "excess1");
        assertEq(token0.balanceOf(address(pair)), 1 ether, "balance0 back to reserve");
        _assertReserves(1 ether, 1 ether);
    }

    function test_sync_adoptsBalances() public {
        _deposit(1 ether, 1 ether, alice);
        token0.mint(address(pair), 5);
        vm.expectEmit(false, false, false, true, address(pair));
        emit ITidepoolPair.Sync(uint112(1 ether + 5), uint112(1 ether));
        pair.sync();
        _assertReserves(1 ether + 5, 1 ether);
    }

    function test_sync_revertsOverflow() public {
        _deposit(1 ether, 1 ether, alice);
        token1.mint(address(pair), uint256(type(uint112).max));
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.sync();
    }

    // ------------------------------------------------------------------ oracle

    function test_oracle_accumulatesOncePerTimestamp() public {
        vm.warp(1000);
        _deposit(3 ether, 6 ether, alice);
        (,, uint32 t0) = pair.getReserves();
        assertEq(t0, 1000, "timestamp");
        assertEq(pair.price0CumulativeLast(), 0, "no time elapsed with reserves yet");

        vm.warp(1010);
        pair.sync();
        uint256 p0 = (uint256(6 ether) << 112) / 3 ether; // price of token0 in token1, UQ112x112
        uint256 p1 = (uint256(3 ether) << 112) / 6 ether;
        assertEq(pair.price0CumulativeLast(), p0 * 10, "price0 x 10 s");
        assertEq(pair.price1CumulativeLast(), p1 * 10, "price1 x 10 s");

        pair.sync(); // same timestamp: nothing accumulates
        assertEq(pair.price0CumulativeLast(), p0 * 10, "unchanged within a block");

        vm.warp(1015);
        pair.sync();
        assertEq(pair.price0CumulativeLast(), p0 * 15, "price0 x 15 s");
        (,, uint32 t1) = pair.getReserves();
        assertEq(t1, 1015, "timestamp updated");
    }

    function test_oracle_timestampWrapsMod2to32() public {
        vm.warp(uint256(type(uint32).max) - 4);
        _deposit(1 ether, 1 ether, alice);
        vm.warp(uint256(type(uint32).max) + 6); // 10 s later, past the wrap
        pair.sync();
        assertEq(pair.price0CumulativeLast(), (uint256(1) << 112) * 10, "10 s at price 1");
        (,, uint32 ts) = pair.getReserves();
        assertEq(ts, 5, "stored mod 2^32");
    }

    // ------------------------------------------------------------------ protocol fee

    function test_protocolFee_isOneSixthOfRootKGrowth() public {
        vm.prank(feeSetter);
        factory.setFeeTo(feeSetter);
        _deposit(1000 ether, 1000 ether, alice);
        assertEq(pair.kLast(), 1000 ether * 1000 ether, "kLast recorded while fee on");

        // Trade back and forth so fees grow k.
        for (uint256 i; i < 4; ++i) {
            (uint112 r0, uint112 r1,) = pair.getReserves();
            uint256 out1 = _amountOut(100 ether, r0, r1);
            token0.mint(address(pair), 100 ether);
            pair.swap(0, out1, bob, "");
            (r0, r1,) = pair.getReserves();
            uint256 out0 = _amountOut(out1, r1, r0);
            token1.mint(address(pair), out1);
            pair.swap(out0, 0, bob, "");
        }
        (uint112 s0, uint112 s1,) = pair.getReserves();
        uint256 rootK = isqrt(uint256(s0) * s1);
        uint256 rootKLast = isqrt(pair.kLast());
        uint256 supply = pair.totalSupply();
        uint256 expectedFee = supply * (rootK - rootKLast) / (rootK * 5 + rootKLast);
        assertGt(expectedFee, 0, "fees accrued");

        // The fee is minted at the next liquidity event.
        vm.prank(alice);
        pair.transfer(address(pair), 1 ether);
        pair.burn(alice);
        assertEq(pair.balanceOf(feeSetter), expectedFee, "feeTo got 1/6 of sqrt(k) growth");
        (s0, s1,) = pair.getReserves();
        assertEq(pair.kLast(), uint256(s0) * s1, "kLast refreshed");
    }

    function test_protocolFee_offResetsKLast() public {
        vm.prank(feeSetter);
        factory.setFeeTo(feeSetter);
        _deposit(10 ether, 10 ether, alice);
        assertGt(pair.kLast(), 0, "kLast set");
        vm.prank(feeSetter);
        factory.setFeeTo(address(0));
        _deposit(1 ether, 1 ether, alice);
        assertEq(pair.kLast(), 0, "kLast cleared once the fee is off");
        assertEq(pair.balanceOf(feeSetter), 0, "no fee minted");
    }

    function test_protocolFee_offMintsNothing() public {
        _deposit(1000 ether, 1000 ether, alice);
        token0.mint(address(pair), 100 ether);
        pair.swap(0, _amountOut(100 ether, 1000 ether, 1000 ether), bob, "");
        uint256 supply = pair.totalSupply();
        _deposit(1 ether, 1 ether, alice);
        assertEq(pair.kLast(), 0, "kLast stays 0");
        assertGt(pair.totalSupply(), supply, "only the depositor was minted");
        assertEq(pair.balanceOf(address(0)), MINIMUM_LIQUIDITY, "nothing else to zero");
    }
}
