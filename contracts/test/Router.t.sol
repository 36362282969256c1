// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolRouter02} from "../src/interfaces/ITidepoolRouter02.sol";
import {TidepoolLibrary} from "../src/libraries/TidepoolLibrary.sol";
import {PairAddress} from "../src/libraries/PairAddress.sol";

/// @notice Router02's token-to-token functions: liquidity, swaps, permits and the math views.
contract RouterTest is Fixture {
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        deadline = block.timestamp + 1 hours;
        fund(tokenA, alice, 1_000_000 ether);
        fund(tokenB, alice, 1_000_000 ether);
        fund(tokenC, alice, 1_000_000 ether);
    }

    function _add(address a, address b, uint256 amountA, uint256 amountB)
        internal
        returns (uint256 liquidity)
    {
        vm.prank(alice);
        (,, liquidity) = router.addLiquidity(a, b, amountA, amountB, 0, 0, alice, deadline);
    }

    // ------------------------------------------------------------------ addLiquidity

    function test_addLiquidity_createsPair() public {
        vm.prank(alice);
        (uint256 amountA, uint256 amountB, uint256 liquidity) = router.addLiquidity(
            address(tokenA), address(tokenB), 1 ether, 4 ether, 1 ether, 4 ether, bob, deadline
        );
        address pair = factory.getPair(address(tokenA), address(tokenB));
        assertEq(
            pair, PairAddress.pairFor(address(factory), address(tokenA), address(tokenB)), "pair created"
        );
        assertEq(amountA, 1 ether, "amountA");
        assertEq(amountB, 4 ether, "amountB");
        assertEq(liquidity, 2 ether - MINIMUM_LIQUIDITY, "liquidity");
        assertEq(TidepoolPair(pair).balanceOf(bob), liquidity, "LP to recipient");
        assertEq(tokenA.balanceOf(alice), 1_000_000 ether - 1 ether, "A pulled");
        assertEq(tokenB.balanceOf(alice), 1_000_000 ether - 4 ether, "B pulled");
    }

    function test_addLiquidity_keepsRatioUsingB() public {
        _add(address(tokenA), address(tokenB), 1 ether, 4 ether);
        vm.prank(alice);
        (uint256 amountA, uint256 amountB,) = router.addLiquidity(
            address(tokenA), address(tokenB), 1 ether, 10 ether, 0, 3 ether, alice, deadline
        );
        assertEq(amountA, 1 ether, "all of A");
        assertEq(amountB, 4 ether, "B at the pool ratio");
    }

    function test_addLiquidity_keepsRatioUsingA() public {
        _add(address(tokenA), address(tokenB), 1 ether, 4 ether);
        vm.prank(alice);
        (uint256 amountA, uint256 amountB,) = router.addLiquidity(
            address(tokenA), address(tokenB), 5 ether, 2 ether, 0.5 ether, 0, alice, deadline
        );
        assertEq(amountA, 0.5 ether, "A at the pool ratio");
        assertEq(amountB, 2 ether, "all of B");
    }

    function test_addLiquidity_revertsBelowMinimums() public {
        _add(address(tokenA), address(tokenB), 1 ether, 4 ether);
        vm.startPrank(alice);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.addLiquidity(
            address(tokenA), address(tokenB), 1 ether, 10 ether, 0, 4 ether + 1, alice, deadline
        );
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.addLiquidity(
            address(tokenA), address(tokenB), 5 ether, 2 ether, 0.5 ether + 1, 0, alice, deadline
        );
        vm.stopPrank();
    }

    function test_addLiquidity_revertsExpired() public {
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.addLiquidity(address(tokenA), address(tokenB), 1, 1, 0, 0, alice, block.timestamp - 1);
    }

    // ------------------------------------------------------------------ removeLiquidity

    function test_removeLiquidity() public {
        uint256 liquidity = _add(address(tokenA), address(tokenB), 1 ether, 4 ether);
        TidepoolPair pair = TidepoolPair(factory.getPair(address(tokenA), address(tokenB)));
        vm.startPrank(alice);
        pair.approve(address(router), MAX);
        (uint256 amountA, uint256 amountB) =
            router.removeLiquidity(address(tokenB), address(tokenA), liquidity / 2, 0, 0, bob, deadline); // tokens given in the other order: amounts follow the caller's order
        vm.stopPrank();
        assertEq(amountA, tokenB.balanceOf(bob), "amountA is token B");
        assertEq(amountB, tokenA.balanceOf(bob), "amountB is token A");
        assertEq(amountA, (liquidity / 2) * 4 ether / 2 ether, "pro rata B");
        assertEq(amountB, (liquidity / 2) * 1 ether / 2 ether, "pro rata A");
    }

    function test_removeLiquidity_revertsBelowMinimums() public {
        uint256 liquidity = _add(address(tokenA), address(tokenB), 1 ether, 1 ether);
        TidepoolPair pair = TidepoolPair(factory.getPair(address(tokenA), address(tokenB)));
        vm.startPrank(alice);
        pair.approve(address(router), MAX);
        uint256 fair = liquidity; // supply is 1e18: the LP redeems 1:1 minus the locked part
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.removeLiquidity(address(tokenA), address(tokenB), liquidity, fair + 1, 0, alice, deadline);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.removeLiquidity(address(tokenA), address(tokenB), liquidity, 0, fair + 1, alice, deadline);
        vm.stopPrank();
        assertEq(pair.balanceOf(alice), liquidity, "LP untouched");
    }

    function _permitSig(TidepoolPair pair, uint256 key, uint256 value)
        internal
        view
        returns (uint8, bytes32, bytes32)
    {
        address owner = vm.addr(key);
        bytes32 structHash = keccak256(
            abi.encode(pair.PERMIT_TYPEHASH(), owner, address(router), value, pair.nonces(owner), deadline)
        );
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", pair.DOMAIN_SEPARATOR(), structHash)));
    }

    function test_removeLiquidityWithPermit() public {
        uint256 key = 0xCAFE;
        address owner = vm.addr(key);
        (TidepoolPair pair, uint256 liquidity) = provide(tokenA, tokenB, 2 ether, 2 ether, owner);
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(pair, key, liquidity);
        vm.prank(owner);
        (uint256 amountA, uint256 amountB) = router.removeLiquidityWithPermit(
            address(tokenA), address(tokenB), liquidity, 0, 0, owner, deadline, false, v, r, s
        );
        assertEq(amountA, 2 ether - 1000, "A back");
        assertEq(amountB, 2 ether - 1000, "B back");
        assertEq(tokenA.balanceOf(owner), amountA, "A received");
        assertEq(pair.balanceOf(owner), 0, "LP burnt");
        assertEq(pair.allowance(owner, address(router)), 0, "exact permit used up");
    }

    function test_removeLiquidityWithPermit_approveMax() public {
        uint256 key = 0xCAFE;
        address owner = vm.addr(key);
        (TidepoolPair pair, uint256 liquidity) = provide(tokenA, tokenB, 2 ether, 2 ether, owner);
        (uint8 v, bytes32 r, bytes32 s) = _permitSig(pair, key, MAX);
        vm.prank(owner);
        router.removeLiquidityWithPermit(
            address(tokenA), address(tokenB), liquidity / 2, 0, 0, owner, deadline, true, v, r, s
        );
        assertEq(pair.allowance(owner, address(router)), MAX, "max allowance kept");
        assertEq(pair.balanceOf(owner), liquidity - liquidity / 2, "half burnt");
    }

    // ------------------------------------------------------------------ swaps

    function test_swapExactTokensForTokens_oneHop() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        vm.prank(alice);
        uint256[] memory amounts = router.swapExactTokensForTokens(
            1 ether, 0, path2(address(tokenA), address(tokenB)), bob, deadline
        );
        assertEq(amounts.length, 2, "two amounts");
        assertEq(amounts[0], 1 ether, "in");
        assertEq(amounts[1], 1662497915624478906, "out, as V2 computes it");
        assertEq(tokenB.balanceOf(bob), amounts[1], "bob received");
        assertEq(tokenA.balanceOf(alice), 1_000_000 ether - 5 ether - 1 ether, "alice paid");
    }

    function test_swapExactTokensForTokens_twoHops() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        _add(address(tokenB), address(tokenC), 10 ether, 10 ether);
        address[] memory path = path3(address(tokenA), address(tokenB), address(tokenC));
        uint256[] memory quoted = router.getAmountsOut(1 ether, path);
        uint256 mid = router.getAmountOut(1 ether, 5 ether, 10 ether);
        assertEq(quoted[1], mid, "hop 1");
        assertEq(quoted[2], router.getAmountOut(mid, 10 ether, 10 ether), "hop 2");

        vm.prank(alice);
        uint256[] memory amounts = router.swapExactTokensForTokens(1 ether, quoted[2], path, bob, deadline);
        assertEq(amounts[2], quoted[2], "as quoted");
        assertEq(tokenC.balanceOf(bob), quoted[2], "bob received C");
        assertEq(tokenB.balanceOf(address(router)), 0, "router holds nothing");
    }

    function test_swapExactTokensForTokens_revertsBelowMinimum() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForTokens(
            1 ether, 1662497915624478906 + 1, path2(address(tokenA), address(tokenB)), bob, deadline
        );
    }

    function test_swapTokensForExactTokens() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        uint256 expectedIn = router.getAmountIn(1 ether, 5 ether, 10 ether);
        vm.prank(alice);
        uint256[] memory amounts = router.swapTokensForExactTokens(
            1 ether, expectedIn, path2(address(tokenA), address(tokenB)), bob, deadline
        );
        assertEq(amounts[0], expectedIn, "in");
        assertEq(tokenB.balanceOf(bob), 1 ether, "exact out");
        assertEq(tokenA.balanceOf(alice), 1_000_000 ether - 5 ether - expectedIn, "paid exactly");
    }

    function test_swapTokensForExactTokens_revertsAboveMaximum() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        uint256 expectedIn = router.getAmountIn(1 ether, 5 ether, 10 ether);
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapTokensForExactTokens(
            1 ether, expectedIn - 1, path2(address(tokenA), address(tokenB)), bob, deadline
        );
    }

    function test_swaps_revertExpired() public {
        address[] memory path = path2(address(tokenA), address(tokenB));
        vm.startPrank(alice);
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.swapExactTokensForTokens(1, 0, path, bob, block.timestamp - 1);
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.swapTokensForExactTokens(1, MAX, path, bob, block.timestamp - 1);
        vm.stopPrank();
    }

    function test_swaps_revertInvalidPathAndMissingPair() public {
        address[] memory one = new address[](1);
        one[0] = address(tokenA);
        vm.startPrank(alice);
        vm.expectRevert(TidepoolLibrary.InvalidPath.selector);
        router.swapExactTokensForTokens(1, 0, one, bob, deadline);
        vm.expectRevert(TidepoolLibrary.InvalidPath.selector);
        router.swapTokensForExactTokens(1, MAX, one, bob, deadline);
        vm.expectRevert(TidepoolLibrary.PairNotFound.selector);
        router.swapExactTokensForTokens(1, 0, path2(address(tokenA), address(tokenC)), bob, deadline);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ math views

    function test_quote() public view {
        assertEq(router.quote(1 ether, 100, 200), 2 ether, "quote");
    }

    function test_mathViews_revertOnZero() public {
        vm.expectRevert(TidepoolLibrary.InsufficientAmount.selector);
        router.quote(0, 1, 1);
        vm.expectRevert(TidepoolLibrary.InsufficientLiquidity.selector);
        router.quote(1, 0, 1);
        vm.expectRevert(TidepoolLibrary.InsufficientAmount.selector);
        router.getAmountOut(0, 1, 1);
        vm.expectRevert(TidepoolLibrary.InsufficientLiquidity.selector);
        router.getAmountOut(1, 1, 0);
        vm.expectRevert(TidepoolLibrary.InsufficientAmount.selector);
        router.getAmountIn(0, 1, 1);
        vm.expectRevert(TidepoolLibrary.InsufficientLiquidity.selector);
        router.getAmountIn(1, 0, 1);
    }

    function test_getAmountsIn_twoHops() public {
        _add(address(tokenA), address(tokenB), 5 ether, 10 ether);
        _add(address(tokenB), address(tokenC), 10 ether, 10 ether);
        uint256[] memory amounts =
            router.getAmountsIn(1 ether, path3(address(tokenA), address(tokenB), address(tokenC)));
        uint256 midIn = router.getAmountIn(1 ether, 10 ether, 10 ether);
        assertEq(amounts[1], midIn, "hop 2 input");
        assertEq(amounts[0], router.getAmountIn(midIn, 5 ether, 10 ether), "hop 1 input");
        assertEq(amounts[2], 1 ether, "output");
    }

    function test_receive_onlyFromWETH() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        (bool ok, bytes memory ret) = address(router).call{value: 1}("");
        assertFalse(ok, "plain ETH refused");
        assertEq(bytes4(ret), ITidepoolRouter02.OnlyWETH.selector, "OnlyWETH");
    }

    function test_immutables() public view {
        assertEq(router.factory(), address(factory), "factory");
        assertEq(router.WETH(), address(weth), "WETH");
    }
}
