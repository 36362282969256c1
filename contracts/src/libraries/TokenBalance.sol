// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A token balance that is either read or reverts
/// @notice solady's `SafeTransferLib.balanceOf` returns 0 when the call fails. For a pair that would
///         be a silent disaster: a paused token whose `balanceOf` reverts would make `sync` record a
///         zero reserve. Uniswap V2 reverts in that case, and so does this.
library TokenBalance {
    /// @notice `token.balanceOf(account)` reverted or returned less than 32 bytes.
    error BalanceOfFailed(address token);

    /// @notice `token.balanceOf(account)`; reverts `BalanceOfFailed` if the token does not answer.
    function balanceOf(address token, address account) internal view returns (uint256 amount) {
        bool ok;
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x14, account)
            // slither-disable-next-line too-many-digits -- the balanceOf selector, left-aligned in a word
            mstore(0x00, 0x70a08231000000000000000000000000) // balanceOf(address)
            ok := and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x10, 0x24, 0x20, 0x20))
            amount := mload(0x20)
        }
        if (!ok) revert BalanceOfFailed(token);
    }
}
