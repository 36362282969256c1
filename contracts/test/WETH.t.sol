// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "./base/Test.sol";
import {WETH} from "../src/WETH.sol";

/// @notice WETH keeps WETH9's behaviour: wrap by deposit or plain transfer, unwrap by withdraw.
contract WETHTest is Test {
    event Transfer(address indexed src, address indexed dst, uint256 wad);
    event Deposit(address indexed dst, uint256 wad);
    event Withdrawal(address indexed src, uint256 wad);

    WETH internal weth;
    address internal alice;

    function setUp() public {
        weth = new WETH();
        alice = makeAddr("alice");
        vm.deal(alice, 10 ether);
    }

    function test_metadata() public view {
        assertEq(weth.name(), "Wrapped Ether", "name");
        assertEq(weth.symbol(), "WETH", "symbol");
        assertEq(weth.decimals(), 18, "decimals");
    }

    function test_depositAndWithdraw() public {
        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(weth));
        emit Deposit(alice, 3 ether);
        weth.deposit{value: 3 ether}();
        assertEq(weth.balanceOf(alice), 3 ether, "wrapped");
        assertEq(address(weth).balance, 3 ether, "ETH held");

        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(weth));
        emit Withdrawal(alice, 1 ether);
        weth.withdraw(1 ether);
        assertEq(weth.balanceOf(alice), 2 ether, "unwrapped");
        assertEq(alice.balance, 8 ether, "ETH back");
        assertEq(weth.totalSupply(), 2 ether, "supply = ETH held");
    }

    function test_plainTransferWraps() public {
        vm.prank(alice);
        (bool ok,) = address(weth).call{value: 1 ether}("");
        assertTrue(ok, "receive");
        assertEq(weth.balanceOf(alice), 1 ether, "wrapped by receive");
    }

    function test_fallbackWrapsLikeWETH9() public {
        vm.prank(alice);
        (bool ok,) = address(weth).call{value: 2 ether}(hex"12345678");
        assertTrue(ok, "payable fallback");
        assertEq(weth.balanceOf(alice), 2 ether, "wrapped by the fallback");
    }

    function test_withdraw_revertsBeyondBalance() public {
        vm.prank(alice);
        weth.deposit{value: 1 ether}();
        vm.prank(alice);
        vm.expectRevert(WETH.InsufficientBalance.selector);
        weth.withdraw(1 ether + 1);
        assertEq(alice.balance, 9 ether, "no ETH left the contract");
    }

    function test_transfers() public {
        address bob = makeAddr("bob");
        vm.prank(alice);
        weth.deposit{value: 5 ether}();

        vm.prank(alice);
        vm.expectEmit(true, true, false, true, address(weth));
        emit Transfer(alice, bob, 1 ether);
        weth.transfer(bob, 1 ether);
        assertEq(weth.balanceOf(bob), 1 ether, "transfer");

        // The owner moves its own WETH with transferFrom without an allowance, as in WETH9.
        vm.prank(alice);
        weth.transferFrom(alice, bob, 1 ether);
        assertEq(weth.balanceOf(bob), 2 ether, "self transferFrom");

        vm.prank(bob);
        vm.expectRevert(WETH.InsufficientAllowance.selector);
        weth.transferFrom(alice, bob, 1);

        vm.prank(alice);
        weth.approve(bob, 2 ether);
        vm.prank(bob);
        weth.transferFrom(alice, bob, 1.5 ether);
        assertEq(weth.allowance(alice, bob), 0.5 ether, "allowance spent");

        vm.prank(alice);
        weth.approve(bob, type(uint256).max);
        vm.prank(bob);
        weth.transferFrom(alice, bob, 1 ether);
        assertEq(weth.allowance(alice, bob), type(uint256).max, "max allowance never spent");

        vm.prank(bob);
        vm.expectRevert(WETH.InsufficientBalance.selector);
        weth.transfer(alice, 100 ether);
        assertEq(weth.balanceOf(alice), 0.5 ether, "alice");
        assertEq(weth.balanceOf(bob), 4.5 ether, "bob");
        assertEq(weth.totalSupply(), 5 ether, "supply is the ETH held");
    }

    function test_withdraw_revertsWhenCallerRefusesETH() public {
        Refuser r = new Refuser();
        vm.deal(address(r), 1 ether);
        vm.prank(address(r));
        weth.deposit{value: 1 ether}();
        vm.prank(address(r));
        vm.expectRevert(WETH.ETHTransferFailed.selector);
        weth.withdraw(1 ether);
        assertEq(weth.balanceOf(address(r)), 1 ether, "nothing unwrapped");
    }
}

/// @dev Accepts no ETH.
contract Refuser {}
