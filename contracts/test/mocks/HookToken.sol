// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {StandardMockToken} from "./MockTokenBase.sol";

/// @notice Receives a call after every transfer of a `HookToken` (ERC-777 / ERC-1363 style).
interface ITokenHook {
    function onTokenTransfer(address from, address to, uint256 amount) external;
}

/// @title An ERC-20 that calls out to a hook after every transfer, hostile token or ERC-777-like
/// @notice The hook runs after the balances moved, and its reverts bubble up through the transfer.
///         A hook that transfers this token again is not called recursively.
contract HookToken is StandardMockToken {
    /// @notice Who is called after each transfer (none when zero).
    address public hook;
    bool private inHook;

    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        StandardMockToken(name_, symbol_, decimals_)
    {}

    function setHook(address hook_) external {
        hook = hook_;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        super._transfer(from, to, amount);
        address h = hook;
        if (h != address(0) && !inHook) {
            inHook = true;
            ITokenHook(h).onTokenTransfer(from, to, amount);
            inHook = false;
        }
    }
}
