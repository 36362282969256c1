// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "./base/Test.sol";
import {TestToken} from "../src/devnet/TestToken.sol";

/// @notice The devnet token: any decimals, mintable by its deployer only.
contract TestTokenTest is Test {
    function test_metadataAndMint() public {
        TestToken usdc = new TestToken("USD Coin", "USDC", 6);
        assertEq(usdc.name(), "USD Coin", "name");
        assertEq(usdc.symbol(), "USDC", "symbol");
        assertEq(usdc.decimals(), 6, "decimals");
        assertEq(usdc.minter(), address(this), "deployer mints");
        usdc.mint(address(0xBEEF), 5e6);
        assertEq(usdc.balanceOf(address(0xBEEF)), 5e6, "minted");
        assertEq(usdc.totalSupply(), 5e6, "supply");
    }

    function test_mint_revertsForOthers() public {
        TestToken t = new TestToken("T", "T", 18);
        vm.prank(address(0xBEEF));
        vm.expectRevert(TestToken.NotMinter.selector);
        t.mint(address(0xBEEF), 1);
        assertEq(t.totalSupply(), 0, "nothing minted");
    }
}
