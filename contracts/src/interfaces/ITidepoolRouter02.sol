// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Tidepool router interface
/// @notice Exactly the functions of IUniswapV2Router01 and IUniswapV2Router02. Every path takes a
///         deadline and a slippage bound; paths are arrays of token addresses, one pair per hop.
///         The math's own errors (InsufficientAmount, InsufficientLiquidity, InvalidPath,
///         PairNotFound) are declared in `TidepoolLibrary`.
interface ITidepoolRouter02 {
    /// @notice `block.timestamp` is past the deadline.
    error Expired();
    /// @notice The output would be below the caller's minimum.
    error InsufficientOutputAmount();
    /// @notice The input would be above the caller's maximum (or the ETH sent).
    error ExcessiveInputAmount();
    /// @notice The optimal amount of token A is below `amountAMin`.
    error InsufficientAAmount();
    /// @notice The optimal amount of token B is below `amountBMin`.
    error InsufficientBAmount();
    /// @notice ETH may only come from WETH.
    error OnlyWETH();

    /// @notice The factory whose pairs this router trades.
    function factory() external view returns (address);
    /// @notice The wrapped-ether token used for ETH paths.
    function WETH() external view returns (address);

    /// @notice Adds liquidity in the pool's ratio, creating the pair if needed.
    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);

    /// @notice Adds liquidity with ETH as one side; unused ETH is refunded.
    function addLiquidityETH(
        address token,
        uint256 amountTokenDesired,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) external payable returns (uint256 amountToken, uint256 amountETH, uint256 liquidity);

    /// @notice Burns `liquidity` LP tokens and sends both tokens to `to`.
    function removeLiquidity(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB);

    /// @notice Burns `liquidity` LP tokens of a token/WETH pair and sends the token and ETH to `to`.
    function removeLiquidityETH(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountToken, uint256 amountETH);

    /// @notice `removeLiquidity` with an EIP-2612 permit for the LP tokens.
    function removeLiquidityWithPermit(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountA, uint256 amountB);

    /// @notice `removeLiquidityETH` with an EIP-2612 permit for the LP tokens.
    function removeLiquidityETHWithPermit(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountToken, uint256 amountETH);

    /// @notice `removeLiquidityETH` for tokens that take a fee on transfer: sends the router's
    ///         whole token balance on.
    function removeLiquidityETHSupportingFeeOnTransferTokens(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountETH);

    /// @notice `removeLiquidityETHSupportingFeeOnTransferTokens` with a permit.
    function removeLiquidityETHWithPermitSupportingFeeOnTransferTokens(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 amountETH);

    /// @notice Sells exactly `amountIn` along `path` for at least `amountOutMin`.
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    /// @notice Buys exactly `amountOut` along `path` for at most `amountInMax`.
    function swapTokensForExactTokens(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    /// @notice Sells exactly the ETH sent (path starts at WETH).
    function swapExactETHForTokens(
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external payable returns (uint256[] memory amounts);

    /// @notice Buys exactly `amountOut` ETH (path ends at WETH).
    function swapTokensForExactETH(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    /// @notice Sells exactly `amountIn` tokens for ETH (path ends at WETH).
    function swapExactTokensForETH(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    /// @notice Buys exactly `amountOut` tokens with ETH; unused ETH is refunded.
    function swapETHForExactTokens(uint256 amountOut, address[] calldata path, address to, uint256 deadline)
        external
        payable
        returns (uint256[] memory amounts);

    /// @notice `swapExactTokensForTokens` for tokens that take a fee on transfer.
    function swapExactTokensForTokensSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external;

    /// @notice `swapExactETHForTokens` for tokens that take a fee on transfer.
    function swapExactETHForTokensSupportingFeeOnTransferTokens(
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external payable;

    /// @notice `swapExactTokensForETH` for tokens that take a fee on transfer.
    function swapExactTokensForETHSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external;

    /// @notice The amount of B worth `amountA` at the ratio of the reserves (no fee).
    function quote(uint256 amountA, uint256 reserveA, uint256 reserveB)
        external
        pure
        returns (uint256 amountB);
    /// @notice Output for an exact input, after the 0.3% fee.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        external
        pure
        returns (uint256 amountOut);
    /// @notice Input needed for an exact output, after the 0.3% fee.
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut)
        external
        pure
        returns (uint256 amountIn);
    /// @notice Amounts at every step of `path` for an exact input.
    function getAmountsOut(uint256 amountIn, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts);
    /// @notice Amounts at every step of `path` for an exact output.
    function getAmountsIn(uint256 amountOut, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts);
}
