// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PairAddress} from "./PairAddress.sol";

/// @title Constant-product math with the 0.3% fee, and reserves along a path
/// @notice The same formulas as UniswapV2Library. The Rust sdk mirrors these bit for bit.
library TidepoolLibrary {
    /// @notice An amount given to the math is zero.
    error InsufficientAmount();
    /// @notice A reserve is zero.
    error InsufficientLiquidity();
    /// @notice A path needs at least two tokens.
    error InvalidPath();
    /// @notice No pair exists for two adjacent tokens of a path.
    error PairNotFound();

    /// @notice The amount of B worth `amountA` at the ratio of the reserves.
    function quote(uint256 amountA, uint256 reserveA, uint256 reserveB)
        internal
        pure
        returns (uint256 amountB)
    {
        if (amountA == 0) revert InsufficientAmount();
        if (reserveA == 0 || reserveB == 0) revert InsufficientLiquidity();
        amountB = amountA * reserveB / reserveA;
    }

    /// @notice Output for an exact input: amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997).
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        internal
        pure
        returns (uint256 amountOut)
    {
        if (amountIn == 0) revert InsufficientAmount();
        if (reserveIn == 0 || reserveOut == 0) revert InsufficientLiquidity();
        uint256 amountInWithFee = amountIn * 997;
        amountOut = amountInWithFee * reserveOut / (reserveIn * 1000 + amountInWithFee);
    }

    /// @notice Input for an exact output: reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997) + 1.
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut)
        internal
        pure
        returns (uint256 amountIn)
    {
        if (amountOut == 0) revert InsufficientAmount();
        if (reserveIn == 0 || reserveOut == 0) revert InsufficientLiquidity();
        // Checked: amountOut ≥ reserveOut underflows and reverts, as in V2.
        amountIn = reserveIn * amountOut * 1000 / ((reserveOut - amountOut) * 997) + 1;
    }

    /// @notice The reserves of the pair of `tokenA` and `tokenB`, in that order.
    function getReserves(address factory, address tokenA, address tokenB)
        internal
        view
        returns (uint256 reserveA, uint256 reserveB)
    {
        return getReservesOf(PairAddress.pairFor(factory, tokenA, tokenB), tokenA < tokenB);
    }

    /// @notice The reserves of `pair`, swapped unless `aIsToken0`. Reverts `PairNotFound` if `pair`
    ///         has no code.
    function getReservesOf(address pair, bool aIsToken0)
        internal
        view
        returns (uint256 reserveA, uint256 reserveB)
    {
        uint256 r0;
        uint256 r1;
        bool ok;
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x00, 0x0902f1ac) // getReserves()
            ok := staticcall(gas(), pair, 0x1c, 0x04, 0x00, 0x40)
            ok := and(ok, gt(returndatasize(), 0x3f)) // an address with no code returns nothing
            r0 := mload(0x00)
            r1 := mload(0x20)
        }
        if (!ok) revert PairNotFound();
        (reserveA, reserveB) = aIsToken0 ? (r0, r1) : (r1, r0);
    }

    /// @notice Amounts at every step of `path` for an exact input.
    function getAmountsOut(address factory, uint256 amountIn, address[] calldata path)
        internal
        view
        returns (uint256[] memory amounts)
    {
        uint256 n = path.length;
        if (n < 2) revert InvalidPath();
        amounts = new uint256[](n);
        amounts[0] = amountIn;
        for (uint256 i; i < n - 1; ++i) {
            (uint256 reserveIn, uint256 reserveOut) = getReserves(factory, path[i], path[i + 1]);
            amounts[i + 1] = getAmountOut(amounts[i], reserveIn, reserveOut);
        }
    }

    /// @notice Amounts at every step of `path` for an exact output.
    function getAmountsIn(address factory, uint256 amountOut, address[] calldata path)
        internal
        view
        returns (uint256[] memory amounts)
    {
        uint256 n = path.length;
        if (n < 2) revert InvalidPath();
        amounts = new uint256[](n);
        amounts[n - 1] = amountOut;
        for (uint256 i = n - 1; i > 0; --i) {
            (uint256 reserveIn, uint256 reserveOut) = getReserves(factory, path[i - 1], path[i]);
            amounts[i - 1] = getAmountIn(amounts[i], reserveIn, reserveOut);
        }
    }
}
