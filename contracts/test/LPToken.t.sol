// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

/// @notice The LP token: ERC-20 transfers and allowances, and EIP-2612 permit as in V2.
contract LPTokenTest is Fixture {
    TidepoolPair internal pair;
    uint256 internal ownerKey = 0xA11CE;
    address internal owner;

    function setUp() public override {
        super.setUp();
        owner = vm.addr(ownerKey);
        (pair,) = provide(tokenA, tokenB, 10 ether, 10 ether, owner);
    }

    function _digest(address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash =
            keccak256(abi.encode(pair.PERMIT_TYPEHASH(), owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", pair.DOMAIN_SEPARATOR(), structHash));
    }

    function test_domainSeparator() public view {
        bytes32 expected = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("Tidepool LP"),
                keccak256("1"),
                block.chainid,
                address(pair)
            )
        );
        assertEq(pair.DOMAIN_SEPARATOR(), expected, "EIP-712 domain");
    }

    function test_transferAndTransferFrom() public {
        vm.prank(owner);
        pair.transfer(alice, 1 ether);
        assertEq(pair.balanceOf(alice), 1 ether, "transfer");

        vm.prank(alice);
        pair.approve(bob, 0.6 ether);
        vm.prank(bob);
        pair.transferFrom(alice, bob, 0.4 ether);
        assertEq(pair.allowance(alice, bob), 0.2 ether, "allowance spent");
        assertEq(pair.balanceOf(bob), 0.4 ether, "bob");

        vm.prank(bob);
        vm.expectRevert(ERC20.InsufficientAllowance.selector);
        pair.transferFrom(alice, bob, 0.3 ether);

        vm.prank(alice);
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        pair.transfer(bob, 1 ether);
    }

    function test_infiniteAllowanceIsNotSpent() public {
        vm.prank(owner);
        pair.approve(alice, MAX);
        vm.prank(alice);
        pair.transferFrom(owner, alice, 1 ether);
        assertEq(pair.allowance(owner, alice), MAX, "max allowance stays max, as in V2");
    }

    function test_permit() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, _digest(alice, 3 ether, 0, deadline));
        pair.permit(owner, alice, 3 ether, deadline, v, r, s);
        assertEq(pair.allowance(owner, alice), 3 ether, "allowance by signature");
        assertEq(pair.nonces(owner), 1, "nonce used");

        // The same signature cannot be replayed.
        vm.expectRevert(ERC20.InvalidPermit.selector);
        pair.permit(owner, alice, 3 ether, deadline, v, r, s);
    }

    function test_permit_revertsExpired() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, _digest(alice, 1, 0, deadline));
        vm.expectRevert(ERC20.PermitExpired.selector);
        pair.permit(owner, alice, 1, deadline, v, r, s);
    }

    function test_permit_revertsWrongSigner() public {
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0xB0B, _digest(alice, 1, 0, deadline));
        vm.expectRevert(ERC20.InvalidPermit.selector);
        pair.permit(owner, alice, 1, deadline, v, r, s);
        assertEq(pair.nonces(owner), 0, "nonce untouched");
    }

    function test_noImplicitPermit2Allowance() public view {
        assertEq(
            pair.allowance(owner, 0x000000000022D473030F116dDEE9F6B43aC78BA3), 0, "Permit2 has no allowance"
        );
    }
}
