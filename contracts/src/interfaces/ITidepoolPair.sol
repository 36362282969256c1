// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Tidepool pair interface
/// @notice With `ITidepoolERC20` (the LP token's ERC-20 and EIP-2612 functions, which the pair
///         inherits from its token base), exactly the functions and events of IUniswapV2Pair; a test
///         compares the deployed ABI with Uniswap's own.
interface ITidepoolPair {
    /// @notice Liquidity added: amounts of token0 and token1 deposited.
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    /// @notice Liquidity removed: amounts of token0 and token1 sent to `to`.
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    /// @notice A swap: what came in and what went out of each token.
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    /// @notice The reserves after every state change.
    event Sync(uint112 reserve0, uint112 reserve1);

    /// @notice A state-changing function was re-entered.
    error Locked();
    /// @notice Only the factory may call this.
    error Forbidden();
    /// @notice A balance exceeds 2^112 - 1, the largest reserve the pair can hold.
    error Overflow();
    /// @notice The deposit mints no liquidity.
    error InsufficientLiquidityMinted();
    /// @notice The LP tokens sent in are worth nothing of one token.
    error InsufficientLiquidityBurned();
    /// @notice Both output amounts are zero.
    error InsufficientOutputAmount();
    /// @notice An output amount is not below its reserve.
    error InsufficientLiquidity();
    /// @notice The recipient is one of the pair's tokens.
    error InvalidTo();
    /// @notice Nothing came in for the swap.
    error InsufficientInputAmount();
    /// @notice The swap would decrease the fee-adjusted constant product.
    error K();

    /// @notice keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
    function PERMIT_TYPEHASH() external pure returns (bytes32);
    /// @notice LP tokens locked forever at the first mint (1000).
    function MINIMUM_LIQUIDITY() external pure returns (uint256);
    /// @notice The factory that deployed this pair.
    function factory() external view returns (address);
    /// @notice The lower-sorted token.
    function token0() external view returns (address);
    /// @notice The higher-sorted token.
    function token1() external view returns (address);
    /// @notice Reserves as of the last state change, and that change's block timestamp (mod 2^32).
    function getReserves()
        external
        view
        returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    /// @notice Time-weighted sum of token0's price in token1 (UQ112x112 × seconds, wrapping).
    function price0CumulativeLast() external view returns (uint256);
    /// @notice Time-weighted sum of token1's price in token0 (UQ112x112 × seconds, wrapping).
    function price1CumulativeLast() external view returns (uint256);
    /// @notice reserve0 × reserve1 after the last liquidity event, while the protocol fee is on.
    function kLast() external view returns (uint256);

    /// @notice Mints LP tokens to `to` for the tokens sent to the pair since the last update.
    function mint(address to) external returns (uint256 liquidity);
    /// @notice Burns the LP tokens sent to the pair and sends the underlying tokens to `to`.
    function burn(address to) external returns (uint256 amount0, uint256 amount1);
    /// @notice Sends the outputs to `to`, calls `to.uniswapV2Call` if `data` is not empty, then
    ///         checks the fee-adjusted constant product.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
    /// @notice Sends balances above the reserves to `to`.
    function skim(address to) external;
    /// @notice Sets the reserves to the balances.
    function sync() external;
    /// @notice Uniswap V2's initializer, kept for the interface. Tidepool pairs take their tokens at
    ///         construction and can never be re-pointed, so it always reverts `Forbidden`.
    function initialize(address, address) external;
}
