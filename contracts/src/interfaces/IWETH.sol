// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Wrapped ether, the subset the router uses
interface IWETH {
    /// @notice Wraps the ETH sent.
    function deposit() external payable;
    /// @notice Unwraps `amount` and sends the ETH to the caller.
    function withdraw(uint256 amount) external;
    /// @notice ERC-20 transfer.
    function transfer(address to, uint256 value) external returns (bool);
}
