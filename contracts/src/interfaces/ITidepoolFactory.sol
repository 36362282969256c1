// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Tidepool factory interface
/// @notice Function signatures and events are exactly those of IUniswapV2Factory, so existing
///         integrations work unchanged; `parameters()` is Tidepool's addition used while a pair is
///         being deployed.
interface ITidepoolFactory {
    /// @notice Emitted once per pair. `token0 < token1`; the last field is the new number of pairs.
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    /// @notice The two tokens are the same address.
    error IdenticalAddresses();
    /// @notice One of the tokens is the zero address.
    error ZeroAddress();
    /// @notice A pair for these tokens exists already.
    error PairExists();
    /// @notice Only `feeToSetter` may change the protocol fee settings.
    error Forbidden();

    /// @notice Recipient of the protocol fee (1/6 of LP fees); zero means the fee is off.
    function feeTo() external view returns (address);
    /// @notice Account allowed to change `feeTo` and `feeToSetter`.
    function feeToSetter() external view returns (address);
    /// @notice The pair of `tokenA` and `tokenB` in either order, or zero if none exists.
    function getPair(address tokenA, address tokenB) external view returns (address pair);
    /// @notice The `index`-th pair created (0-based).
    function allPairs(uint256 index) external view returns (address pair);
    /// @notice How many pairs exist.
    function allPairsLength() external view returns (uint256);
    /// @notice Deploys the pair of `tokenA` and `tokenB` at its CREATE2 address.
    /// @return pair The new pair's address.
    function createPair(address tokenA, address tokenB) external returns (address pair);
    /// @notice Turns the protocol fee on (non-zero `to`) or off (zero). Only `feeToSetter`.
    function setFeeTo(address to) external;
    /// @notice Hands the fee-setter role to `setter`. Only `feeToSetter`.
    function setFeeToSetter(address setter) external;
    /// @notice The tokens of the pair being deployed right now, and the shared pair extension; read
    ///         by the pair's constructor (zero tokens outside a deployment).
    function parameters() external view returns (address token0, address token1, address extension);
}
