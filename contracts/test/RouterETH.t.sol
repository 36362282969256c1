// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolRouter02} from "../src/interfaces/ITidepoolRouter02.sol";
import {TidepoolLibrary} from "../src/libraries/TidepoolLibrary.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @dev A recipient that refuses ETH.
contract NoETH {}

/// @notice Router02's ETH functions: WETH is wrapped and unwrapped on the way, dust refunded.
contract RouterETHTest is Fixture {
    uint256 internal deadline;
    TidepoolPair internal pair; // tokenA / WETH, 10 A : 5 ETH

    function setUp() public override {
        super.setUp();
        deadline = block.timestamp + 1 hours;
        fund(tokenA, alice, 1000 ether);
        fund(tokenB, alice, 1000 ether);
        vm.deal(alice, 1000 ether);
        vm.prank(alice);
        router.addLiquidityETH{value: 5 ether}(address(tokenA), 10 ether, 0, 0, alice, deadline);
        pair = TidepoolPair(factory.getPair(address(tokenA), address(weth)));
    }

    function test_addLiquidityETH_createsPairAndRefundsDust() public view {
        assertEq(pair.balanceOf(alice), isqrt(50 ether * 1 ether) - MINIMUM_LIQUIDITY, "liquidity");
        assertEq(weth.balanceOf(address(pair)), 5 ether, "ETH wrapped into the pair");
        assertEq(alice.balance, 995 ether, "ETH spent");
    }

    function test_addLiquidityETH_refundsExcessETH() public {
        vm.prank(alice);
        (uint256 amountToken, uint256 amountETH,) =
            router.addLiquidityETH{value: 3 ether}(address(tokenA), 2 ether, 0, 0, alice, deadline);
        assertEq(amountToken, 2 ether, "all tokens");
        assertEq(amountETH, 1 ether, "ETH at the pool ratio");
        assertEq(alice.balance, 994 ether, "2 ETH refunded");
        assertEq(address(router).balance, 0, "router keeps nothing");
    }

    function test_addLiquidityETH_revertsBelowETHMinimum() public {
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.addLiquidityETH{value: 3 ether}(address(tokenA), 2 ether, 0, 1 ether + 1, alice, deadline);
    }

    function test_removeLiquidityETH() public {
        uint256 liquidity = pair.balanceOf(alice);
        uint256 ethBefore = bob.balance;
        vm.startPrank(alice);
        pair.approve(address(router), MAX);
        (uint256 amountToken, uint256 amountETH) =
            router.removeLiquidityETH(address(tokenA), liquidity / 2, 0, 0, bob, deadline);
        vm.stopPrank();
        uint256 supply = liquidity + MINIMUM_LIQUIDITY;
        assertEq(amountToken, (liquidity / 2) * 10 ether / supply, "token pro rata");
        assertEq(amountETH, (liquidity / 2) * 5 ether / supply, "ETH pro rata");
        assertEq(tokenA.balanceOf(bob), amountToken, "token received");
        assertEq(bob.balance - ethBefore, amountETH, "ETH received unwrapped");
        assertEq(weth.balanceOf(address(router)), 0, "router keeps no WETH");
    }

    function test_removeLiquidityETHWithPermit() public {
        uint256 key = 0xD00D;
        address owner = vm.addr(key);
        uint256 liquidity = pair.balanceOf(alice) / 4;
        vm.prank(alice);
        pair.transfer(owner, liquidity);
        bytes32 structHash =
            keccak256(abi.encode(pair.PERMIT_TYPEHASH(), owner, address(router), liquidity, 0, deadline));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", pair.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(owner);
        (uint256 amountToken, uint256 amountETH) = router.removeLiquidityETHWithPermit(
            address(tokenA), liquidity, 0, 0, owner, deadline, false, v, r, s
        );
        assertGt(amountETH, 0, "ETH out");
        assertEq(owner.balance, amountETH, "ETH received");
        assertEq(tokenA.balanceOf(owner), amountToken, "token received");
    }

    function test_swapExactETHForTokens() public {
        uint256 expected = router.getAmountOut(1 ether, 5 ether, 10 ether);
        vm.prank(alice);
        uint256[] memory amounts = router.swapExactETHForTokens{value: 1 ether}(
            expected, path2(address(weth), address(tokenA)), bob, deadline
        );
        assertEq(amounts[1], expected, "as quoted");
        assertEq(tokenA.balanceOf(bob), expected, "bob received");
        assertEq(weth.balanceOf(address(pair)), 6 ether, "ETH wrapped into the pair");
    }

    function test_swapExactETHForTokens_revertsPathNotFromWETH() public {
        vm.prank(alice);
        vm.expectRevert(TidepoolLibrary.InvalidPath.selector);
        router.swapExactETHForTokens{value: 1 ether}(0, path2(address(tokenA), address(weth)), bob, deadline);
    }

    function test_swapExactTokensForETH() public {
        uint256 expected = router.getAmountOut(2 ether, 10 ether, 5 ether);
        vm.prank(alice);
        router.swapExactTokensForETH(2 ether, expected, path2(address(tokenA), address(weth)), bob, deadline);
        assertEq(bob.balance, expected, "bob received ETH");
        assertEq(address(router).balance, 0, "router keeps nothing");
    }

    function test_swapExactTokensForETH_revertsPathNotToWETH() public {
        vm.prank(alice);
        vm.expectRevert(TidepoolLibrary.InvalidPath.selector);
        router.swapExactTokensForETH(1 ether, 0, path2(address(weth), address(tokenA)), bob, deadline);
    }

    function test_swapTokensForExactETH() public {
        uint256 expectedIn = router.getAmountIn(1 ether, 10 ether, 5 ether);
        vm.prank(alice);
        uint256[] memory amounts = router.swapTokensForExactETH(
            1 ether, expectedIn, path2(address(tokenA), address(weth)), bob, deadline
        );
        assertEq(amounts[0], expectedIn, "input");
        assertEq(bob.balance, 1 ether, "exact ETH out");
    }

    function test_swapTokensForExactETH_revertsAboveMaximum() public {
        uint256 expectedIn = router.getAmountIn(1 ether, 10 ether, 5 ether);
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapTokensForExactETH(
            1 ether, expectedIn - 1, path2(address(tokenA), address(weth)), bob, deadline
        );
    }

    function test_swapETHForExactTokens_refundsDust() public {
        uint256 expectedIn = router.getAmountIn(1 ether, 5 ether, 10 ether);
        uint256 before = alice.balance;
        vm.prank(alice);
        router.swapETHForExactTokens{value: 3 ether}(
            1 ether, path2(address(weth), address(tokenA)), bob, deadline
        );
        assertEq(tokenA.balanceOf(bob), 1 ether, "exact tokens out");
        assertEq(before - alice.balance, expectedIn, "only the needed ETH spent");
    }

    function test_swapETHForExactTokens_revertsNotEnoughETH() public {
        uint256 expectedIn = router.getAmountIn(1 ether, 5 ether, 10 ether);
        vm.prank(alice);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapETHForExactTokens{value: expectedIn - 1}(
            1 ether, path2(address(weth), address(tokenA)), bob, deadline
        );
    }

    function test_ethRecipientThatRefusesETH_reverts() public {
        address noEth = address(new NoETH());
        vm.prank(alice);
        vm.expectRevert(SafeTransferLib.ETHTransferFailed.selector);
        router.swapExactTokensForETH(1 ether, 0, path2(address(tokenA), address(weth)), noEth, deadline);
        assertEq(tokenA.balanceOf(address(pair)), 10 ether, "nothing moved");
    }

    function test_ethSwaps_revertExpired() public {
        vm.startPrank(alice);
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.swapExactETHForTokens{value: 1}(
            0, path2(address(weth), address(tokenA)), bob, block.timestamp - 1
        );
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.swapExactTokensForETH(1, 0, path2(address(tokenA), address(weth)), bob, block.timestamp - 1);
        vm.expectRevert(ITidepoolRouter02.Expired.selector);
        router.removeLiquidityETH(address(tokenA), 1, 0, 0, bob, block.timestamp - 1);
        vm.stopPrank();
    }
}
