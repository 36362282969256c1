// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Flash-swap callback, as in IUniswapV2Callee
interface ITidepoolCallee {
    /// @notice Called by the pair during `swap` when `data` is not empty, after the outputs were sent.
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
