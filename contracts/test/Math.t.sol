// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";

/// @notice Fuzzed properties of the swap and liquidity math, checked against the pair itself:
///         the router's quotes are exactly the pair's limits, and liquidity is proportional.
contract MathFuzzTest is Fixture {
    uint256 internal constant MAX_RESERVE = type(uint112).max;

    /// @dev A fresh pool with the given reserves (tokenA is token0 or token1, whichever sorts first).
    function _pool(uint256 r0, uint256 r1) internal returns (TidepoolPair pair) {
        pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        TestTokenLike(pair.token0()).mint(address(pair), r0);
        TestTokenLike(pair.token1()).mint(address(pair), r1);
        pair.mint(address(this));
    }

    function _reserves(uint256 a, uint256 b) internal pure returns (uint256 r0, uint256 r1) {
        // sqrt(r0·r1) must exceed MINIMUM_LIQUIDITY for the first mint.
        r0 = bound(a, 1001, MAX_RESERVE - 1);
        r1 = bound(b, 1001, MAX_RESERVE - 1);
    }

    function testFuzz_getAmountOut_isThePairsMaximum(uint256 a, uint256 b, uint256 amountIn) public {
        (uint256 r0, uint256 r1) = _reserves(a, b);
        amountIn = bound(amountIn, 1, MAX_RESERVE - r0);
        TidepoolPair pair = _pool(r0, r1);
        uint256 out = router.getAmountOut(amountIn, r0, r1);
        assertLt(out, r1, "output below the reserve");
        TestTokenLike(pair.token0()).mint(address(pair), amountIn);
        if (out == 0) {
            vm.expectRevert(ITidepoolPair.InsufficientOutputAmount.selector);
            pair.swap(0, 0, bob, "");
            return;
        }
        if (out + 1 < r1) {
            vm.expectRevert(ITidepoolPair.K.selector);
            pair.swap(0, out + 1, bob, "");
        }
        pair.swap(0, out, bob, "");
        assertEq(TestTokenLike(pair.token1()).balanceOf(bob), out, "received the quote");
    }

    function testFuzz_getAmountIn_isThePairsMinimum(uint256 a, uint256 b, uint256 amountOut) public {
        (uint256 r0, uint256 r1) = _reserves(a, b);
        amountOut = bound(amountOut, 1, r1 - 1);
        uint256 amountIn = router.getAmountIn(amountOut, r0, r1);
        vm.assume(r0 + amountIn <= MAX_RESERVE);
        TidepoolPair pair = _pool(r0, r1);
        TestTokenLike token0 = TestTokenLike(pair.token0());
        if (amountIn > 1) {
            token0.mint(address(pair), amountIn - 1);
            vm.expectRevert(ITidepoolPair.K.selector);
            pair.swap(0, amountOut, bob, "");
            token0.mint(address(pair), 1);
        } else {
            token0.mint(address(pair), amountIn);
        }
        pair.swap(0, amountOut, bob, "");
        assertEq(TestTokenLike(pair.token1()).balanceOf(bob), amountOut, "exact output");
    }

    function testFuzz_roundTrips(uint256 a, uint256 b, uint256 x) public view {
        (uint256 rIn, uint256 rOut) = _reserves(a, b);
        uint256 amountIn = bound(x, 1, MAX_RESERVE);
        uint256 out = router.getAmountOut(amountIn, rIn, rOut);
        if (out != 0) {
            assertLe(router.getAmountIn(out, rIn, rOut), amountIn, "buying the output back costs no more");
        }
        uint256 amountOut = bound(x, 1, rOut - 1);
        uint256 needed = router.getAmountIn(amountOut, rIn, rOut);
        assertGe(router.getAmountOut(needed, rIn, rOut), amountOut, "the quoted input buys the output");
    }

    function testFuzz_quoteRoundTripNeverGains(uint256 amount, uint256 a, uint256 b) public view {
        (uint256 rA, uint256 rB) = _reserves(a, b);
        amount = bound(amount, 1, MAX_RESERVE);
        uint256 inB = router.quote(amount, rA, rB);
        if (inB != 0) assertLe(router.quote(inB, rB, rA), amount, "quote back and forth never gains");
        assertEq(inB, amount * rB / rA, "floor(amount * rB / rA)");
    }

    function testFuzz_mintBurnProportional(uint256 a, uint256 b, uint256 d0, uint256 d1) public {
        (uint256 r0, uint256 r1) = _reserves(a, b);
        TidepoolPair pair = _pool(r0, r1);
        d0 = bound(d0, 1, MAX_RESERVE - r0);
        d1 = bound(d1, 1, MAX_RESERVE - r1);
        uint256 supply = pair.totalSupply();
        uint256 expected = d0 * supply / r0 < d1 * supply / r1 ? d0 * supply / r0 : d1 * supply / r1;
        vm.assume(expected != 0);

        TestTokenLike(pair.token0()).mint(address(pair), d0);
        TestTokenLike(pair.token1()).mint(address(pair), d1);
        uint256 liquidity = pair.mint(alice);
        assertEq(liquidity, expected, "min of the two shares");

        vm.prank(alice);
        pair.transfer(address(pair), liquidity);
        (uint256 out0, uint256 out1) = (0, 0);
        if (
            liquidity * (r0 + d0) / (supply + liquidity) == 0
                || liquidity * (r1 + d1) / (supply + liquidity) == 0
        ) {
            vm.expectRevert(ITidepoolPair.InsufficientLiquidityBurned.selector);
            pair.burn(alice);
            return;
        }
        (out0, out1) = pair.burn(alice);
        assertLe(out0, d0, "never more token0 back than deposited");
        assertLe(out1, d1, "never more token1 back than deposited");
        // What a depositor gets back is their share of the pool after the deposit, rounded down.
        assertEq(out0, liquidity * (r0 + d0) / (supply + liquidity), "token0 pro rata");
        assertEq(out1, liquidity * (r1 + d1) / (supply + liquidity), "token1 pro rata");
    }
}

interface TestTokenLike {
    function mint(address to, uint256 amount) external;
    function balanceOf(address owner) external view returns (uint256);
}
