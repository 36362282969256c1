// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The LP token's ERC-20 and EIP-2612 functions, as in IUniswapV2ERC20
interface ITidepoolERC20 {
    /// @notice Token name.
    function name() external view returns (string memory);
    /// @notice Token symbol.
    function symbol() external view returns (string memory);
    /// @notice Token decimals.
    function decimals() external view returns (uint8);
    /// @notice Token supply.
    function totalSupply() external view returns (uint256);
    /// @notice Balance of `owner`.
    function balanceOf(address owner) external view returns (uint256);
    /// @notice Allowance from `owner` to `spender`.
    function allowance(address owner, address spender) external view returns (uint256);
    /// @notice Approves `spender` for `value`.
    function approve(address spender, uint256 value) external returns (bool);
    /// @notice Transfers `value` to `to`.
    function transfer(address to, uint256 value) external returns (bool);
    /// @notice Transfers `value` from `from` to `to` using an allowance.
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    /// @notice EIP-712 domain separator.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    /// @notice Next permit nonce of `owner`.
    function nonces(address owner) external view returns (uint256);
    /// @notice EIP-2612: approves by signature.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
}
