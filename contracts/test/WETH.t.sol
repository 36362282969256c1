// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./base/Test.sol";
import {WETH} from "../src/WETH.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

/// @notice WETH keeps WETH9's behaviour: wrap by deposit or plain transfer, unwrap by withdraw.
contract WETHTest is Test {
    event Transfer(address indexed from, address indexed to, uint256 value);

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
        vm.expectEmit(true, true, false, true, address(weth));
        emit Transfer(address(0), alice, 3 ether);
        weth.deposit{value: 3 ether}();
        assertEq(weth.balanceOf(alice), 3 ether, "wrapped");
        assertEq(address(weth).balance, 3 ether, "ETH held");

        vm.prank(alice);
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

    function test_withdraw_revertsBeyondBalance() public {
        vm.prank(alice);
        weth.deposit{value: 1 ether}();
        vm.prank(alice);
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        weth.withdraw(1 ether + 1);
        assertEq(alice.balance, 9 ether, "no ETH left the contract");
    }

    function test_noImplicitPermit2Allowance() public view {
        assertEq(weth.allowance(alice, 0x000000000022D473030F116dDEE9F6B43aC78BA3), 0, "Permit2 has no allowance");
    }
}
