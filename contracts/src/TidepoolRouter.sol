// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {ITidepoolRouter02} from "./interfaces/ITidepoolRouter02.sol";
import {ITidepoolFactory} from "./interfaces/ITidepoolFactory.sol";
import {ITidepoolPair} from "./interfaces/ITidepoolPair.sol";
import {ITidepoolERC20} from "./interfaces/ITidepoolERC20.sol";
import {IWETH} from "./interfaces/IWETH.sol";
import {PairAddress} from "./libraries/PairAddress.sol";
import {TidepoolLibrary} from "./libraries/TidepoolLibrary.sol";
import {TokenBalance} from "./libraries/TokenBalance.sol";

/// @title Tidepool router: the IUniswapV2Router02 interface over Tidepool pairs
/// @notice Deployed like Uniswap V2's: `new TidepoolRouter(factory, weth)`. Holds no funds between
///         transactions; every entry point checks a deadline and a slippage bound.
contract TidepoolRouter is ITidepoolRouter02 {
    using SafeTransferLib for address;

    /// @inheritdoc ITidepoolRouter02
    address public immutable factory;
    /// @inheritdoc ITidepoolRouter02
    address public immutable WETH;

    modifier ensure(uint256 deadline) {
        if (deadline < block.timestamp) revert Expired();
        _;
    }

    /// @param _factory The Tidepool factory.
    /// @param _weth The wrapped-ether token.
    // slither-disable-next-line missing-zero-check -- set once by the deployer, as in V2
    constructor(address _factory, address _weth) {
        factory = _factory;
        WETH = _weth;
    }

    /// @notice Accepts ETH only from WETH (unwrapping on the way out).
    receive() external payable {
        if (msg.sender != WETH) revert OnlyWETH();
    }

    // ---------------------------------------------------------------- liquidity

    /// @dev The amounts to deposit in the pool's current ratio; creates the pair if it does not exist.
    ///      Existence is read from the code at the CREATE2 address, which only the factory can fill
    ///      with a pair's code: cheaper than asking the factory and the same answer. Other code there
    ///      (an EIP-7702 delegation) is not a pair: the factory is asked to create it, and refuses.
    function _addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin
    ) private returns (address pair, uint256 amountA, uint256 amountB) {
        pair = PairAddress.pairFor(factory, tokenA, tokenB);
        // slither-disable-next-line unused-return -- the address is `pair` already (CREATE2)
        if (!PairAddress.isPairCode(pair)) ITidepoolFactory(factory).createPair(tokenA, tokenB);
        (uint256 reserveA, uint256 reserveB) = TidepoolLibrary.getReservesOf(pair, tokenA < tokenB);
        if (reserveA == 0 && reserveB == 0) {
            (amountA, amountB) = (amountADesired, amountBDesired);
        } else {
            uint256 amountBOptimal = TidepoolLibrary.quote(amountADesired, reserveA, reserveB);
            if (amountBOptimal <= amountBDesired) {
                if (amountBOptimal < amountBMin) revert InsufficientBAmount();
                (amountA, amountB) = (amountADesired, amountBOptimal);
            } else {
                uint256 amountAOptimal = TidepoolLibrary.quote(amountBDesired, reserveB, reserveA);
                // amountAOptimal ≤ amountADesired always holds here (the ratio is the same).
                if (amountAOptimal < amountAMin) revert InsufficientAAmount();
                (amountA, amountB) = (amountAOptimal, amountBDesired);
            }
        }
    }

    /// @inheritdoc ITidepoolRouter02
    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256 amountA, uint256 amountB, uint256 liquidity) {
        address pair;
        (pair, amountA, amountB) =
            _addLiquidity(tokenA, tokenB, amountADesired, amountBDesired, amountAMin, amountBMin);
        tokenA.safeTransferFrom(msg.sender, pair, amountA);
        tokenB.safeTransferFrom(msg.sender, pair, amountB);
        liquidity = ITidepoolPair(pair).mint(to);
    }

    /// @inheritdoc ITidepoolRouter02
    function addLiquidityETH(
        address token,
        uint256 amountTokenDesired,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) external payable ensure(deadline) returns (uint256 amountToken, uint256 amountETH, uint256 liquidity) {
        address pair;
        (pair, amountToken, amountETH) =
            _addLiquidity(token, WETH, amountTokenDesired, msg.value, amountTokenMin, amountETHMin);
        token.safeTransferFrom(msg.sender, pair, amountToken);
        IWETH(WETH).deposit{value: amountETH}();
        WETH.safeTransfer(pair, amountETH);
        liquidity = ITidepoolPair(pair).mint(to);
        if (msg.value > amountETH) msg.sender.safeTransferETH(msg.value - amountETH); // refund dust
    }

    /// @inheritdoc ITidepoolRouter02
    function removeLiquidity(
        address tokenA,
        address tokenB,
        uint256 liquidity,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountA, uint256 amountB) {
        address pair = PairAddress.pairFor(factory, tokenA, tokenB);
        pair.safeTransferFrom(msg.sender, pair, liquidity); // LP tokens to the pair
        (uint256 amount0, uint256 amount1) = ITidepoolPair(pair).burn(to);
        (amountA, amountB) = tokenA < tokenB ? (amount0, amount1) : (amount1, amount0);
        if (amountA < amountAMin) revert InsufficientAAmount();
        if (amountB < amountBMin) revert InsufficientBAmount();
    }

    /// @inheritdoc ITidepoolRouter02
    function removeLiquidityETH(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountToken, uint256 amountETH) {
        (amountToken, amountETH) = removeLiquidity(
            token, WETH, liquidity, amountTokenMin, amountETHMin, address(this), deadline
        );
        token.safeTransfer(to, amountToken);
        IWETH(WETH).withdraw(amountETH);
        to.safeTransferETH(amountETH);
    }

    /// @inheritdoc ITidepoolRouter02
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
    ) external returns (uint256 amountA, uint256 amountB) {
        _permit(PairAddress.pairFor(factory, tokenA, tokenB), liquidity, deadline, approveMax, v, r, s);
        (amountA, amountB) = removeLiquidity(tokenA, tokenB, liquidity, amountAMin, amountBMin, to, deadline);
    }

    /// @inheritdoc ITidepoolRouter02
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
    ) external returns (uint256 amountToken, uint256 amountETH) {
        _permit(PairAddress.pairFor(factory, token, WETH), liquidity, deadline, approveMax, v, r, s);
        (amountToken, amountETH) =
            removeLiquidityETH(token, liquidity, amountTokenMin, amountETHMin, to, deadline);
    }

    /// @inheritdoc ITidepoolRouter02
    function removeLiquidityETHSupportingFeeOnTransferTokens(
        address token,
        uint256 liquidity,
        uint256 amountTokenMin,
        uint256 amountETHMin,
        address to,
        uint256 deadline
    ) public ensure(deadline) returns (uint256 amountETH) {
        (, amountETH) = removeLiquidity(
            token, WETH, liquidity, amountTokenMin, amountETHMin, address(this), deadline
        );
        // The router may receive less than the pair sent; pass on whatever arrived.
        token.safeTransfer(to, TokenBalance.balanceOf(token, address(this)));
        IWETH(WETH).withdraw(amountETH);
        to.safeTransferETH(amountETH);
    }

    /// @inheritdoc ITidepoolRouter02
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
    ) external returns (uint256 amountETH) {
        _permit(PairAddress.pairFor(factory, token, WETH), liquidity, deadline, approveMax, v, r, s);
        amountETH = removeLiquidityETHSupportingFeeOnTransferTokens(
            token, liquidity, amountTokenMin, amountETHMin, to, deadline
        );
    }

    /// @dev EIP-2612 approval of the router for `liquidity` (or all) of `pair`'s LP tokens.
    function _permit(
        address pair,
        uint256 liquidity,
        uint256 deadline,
        bool approveMax,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        uint256 value = approveMax ? type(uint256).max : liquidity;
        ITidepoolERC20(pair).permit(msg.sender, address(this), value, deadline, v, r, s);
    }

    // ---------------------------------------------------------------- swaps

    /// @dev Runs the hops of `path`; the first pair must already hold `amounts[0]`.
    function _swap(uint256[] memory amounts, address[] calldata path, address _to) private {
        uint256 last = path.length - 1;
        address pair = PairAddress.pairFor(factory, path[0], path[1]);
        for (uint256 i; i < last; ++i) {
            (address input, address output) = (path[i], path[i + 1]);
            uint256 amountOut = amounts[i + 1];
            address to;
            // slither-disable-next-line uninitialized-local -- zero after the last hop, unused there
            address next;
            if (i < last - 1) {
                next = PairAddress.pairFor(factory, output, path[i + 2]);
                to = next;
            } else {
                to = _to;
            }
            (uint256 amount0Out, uint256 amount1Out) =
                input < output ? (uint256(0), amountOut) : (amountOut, uint256(0));
            _pairSwap(pair, amount0Out, amount1Out, to);
            pair = next;
        }
    }

    /// @dev `ITidepoolPair(pair).swap(amount0Out, amount1Out, to, "")`, encoded by hand: the
    ///      high-level call would also allocate the empty bytes and check the pair's code size
    ///      (the pair is known to exist: its reserves were just read). Reverts bubble up unchanged.
    ///      Callers must keep that invariant: a call to an address without code succeeds, so
    ///      only pass a pair whose reserves were read in this call (getReservesOf reverts
    ///      PairNotFound otherwise).
    function _pairSwap(address pair, uint256 amount0Out, uint256 amount1Out, address to) private {
        bytes4 selector = ITidepoolPair.swap.selector;
        /// @solidity memory-safe-assembly
        assembly {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, 0x04), amount0Out)
            mstore(add(m, 0x24), amount1Out)
            mstore(add(m, 0x44), to)
            mstore(add(m, 0x64), 0x80) // offset of `data`
            mstore(add(m, 0x84), 0) // data.length
            if iszero(call(gas(), pair, 0, m, 0xa4, 0, 0)) {
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        amounts = TidepoolLibrary.getAmountsOut(factory, amountIn, path);
        if (amounts[amounts.length - 1] < amountOutMin) revert InsufficientOutputAmount();
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    /// @inheritdoc ITidepoolRouter02
    function swapTokensForExactTokens(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        amounts = TidepoolLibrary.getAmountsIn(factory, amountOut, path);
        if (amounts[0] > amountInMax) revert ExcessiveInputAmount();
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactETHForTokens(
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external payable ensure(deadline) returns (uint256[] memory amounts) {
        if (path.length < 2 || path[0] != WETH) revert TidepoolLibrary.InvalidPath();
        amounts = TidepoolLibrary.getAmountsOut(factory, msg.value, path);
        if (amounts[amounts.length - 1] < amountOutMin) revert InsufficientOutputAmount();
        _wrapTo(PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
    }

    /// @inheritdoc ITidepoolRouter02
    function swapTokensForExactETH(
        uint256 amountOut,
        uint256 amountInMax,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        if (path.length < 2 || path[path.length - 1] != WETH) {
            revert TidepoolLibrary.InvalidPath();
        }
        amounts = TidepoolLibrary.getAmountsIn(factory, amountOut, path);
        if (amounts[0] > amountInMax) revert ExcessiveInputAmount();
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, address(this));
        _unwrapTo(to, amounts[amounts.length - 1]);
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactTokensForETH(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) returns (uint256[] memory amounts) {
        if (path.length < 2 || path[path.length - 1] != WETH) {
            revert TidepoolLibrary.InvalidPath();
        }
        amounts = TidepoolLibrary.getAmountsOut(factory, amountIn, path);
        if (amounts[amounts.length - 1] < amountOutMin) revert InsufficientOutputAmount();
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, address(this));
        _unwrapTo(to, amounts[amounts.length - 1]);
    }

    /// @inheritdoc ITidepoolRouter02
    function swapETHForExactTokens(uint256 amountOut, address[] calldata path, address to, uint256 deadline)
        external
        payable
        ensure(deadline)
        returns (uint256[] memory amounts)
    {
        if (path.length < 2 || path[0] != WETH) revert TidepoolLibrary.InvalidPath();
        amounts = TidepoolLibrary.getAmountsIn(factory, amountOut, path);
        if (amounts[0] > msg.value) revert ExcessiveInputAmount();
        _wrapTo(PairAddress.pairFor(factory, path[0], path[1]), amounts[0]);
        _swap(amounts, path, to);
        if (msg.value > amounts[0]) msg.sender.safeTransferETH(msg.value - amounts[0]); // refund dust
    }

    /// @dev Wraps `amount` of the ETH sent and hands it to `pair`.
    function _wrapTo(address pair, uint256 amount) private {
        IWETH(WETH).deposit{value: amount}();
        WETH.safeTransfer(pair, amount);
    }

    /// @dev Unwraps `amount` WETH held by the router and sends the ETH to `to`.
    function _unwrapTo(address to, uint256 amount) private {
        IWETH(WETH).withdraw(amount);
        to.safeTransferETH(amount);
    }

    // ------------------------------------------- swaps for fee-on-transfer tokens

    /// @dev Runs the hops of `path`, deriving each input from the pair's balance rather than from a
    ///      precomputed amount, so tokens that take a fee on transfer work.
    function _swapSupportingFeeOnTransferTokens(address[] calldata path, address _to) private {
        uint256 last = path.length - 1;
        for (uint256 i; i < last; ++i) {
            (address input, address output) = (path[i], path[i + 1]);
            bool inputIsToken0 = input < output;
            address pair = PairAddress.pairFor(factory, input, output);
            uint256 amountOutput;
            {
                (uint256 reserveInput, uint256 reserveOutput) =
                    TidepoolLibrary.getReservesOf(pair, inputIsToken0);
                uint256 amountInput = TokenBalance.balanceOf(input, pair) - reserveInput;
                amountOutput = TidepoolLibrary.getAmountOut(amountInput, reserveInput, reserveOutput);
            }
            (uint256 amount0Out, uint256 amount1Out) =
                inputIsToken0 ? (uint256(0), amountOutput) : (amountOutput, uint256(0));
            address to = i < last - 1 ? PairAddress.pairFor(factory, output, path[i + 2]) : _to;
            _pairSwap(pair, amount0Out, amount1Out, to);
        }
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactTokensForTokensSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) {
        if (path.length < 2) revert TidepoolLibrary.InvalidPath();
        address tokenOut = path[path.length - 1];
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amountIn);
        uint256 balanceBefore = TokenBalance.balanceOf(tokenOut, to);
        _swapSupportingFeeOnTransferTokens(path, to);
        if (TokenBalance.balanceOf(tokenOut, to) - balanceBefore < amountOutMin) {
            revert InsufficientOutputAmount();
        }
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactETHForTokensSupportingFeeOnTransferTokens(
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external payable ensure(deadline) {
        if (path.length < 2 || path[0] != WETH) revert TidepoolLibrary.InvalidPath();
        address tokenOut = path[path.length - 1];
        _wrapTo(PairAddress.pairFor(factory, path[0], path[1]), msg.value);
        uint256 balanceBefore = TokenBalance.balanceOf(tokenOut, to);
        _swapSupportingFeeOnTransferTokens(path, to);
        if (TokenBalance.balanceOf(tokenOut, to) - balanceBefore < amountOutMin) {
            revert InsufficientOutputAmount();
        }
    }

    /// @inheritdoc ITidepoolRouter02
    function swapExactTokensForETHSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external ensure(deadline) {
        if (path.length < 2 || path[path.length - 1] != WETH) {
            revert TidepoolLibrary.InvalidPath();
        }
        path[0].safeTransferFrom(msg.sender, PairAddress.pairFor(factory, path[0], path[1]), amountIn);
        _swapSupportingFeeOnTransferTokens(path, address(this));
        uint256 amountOut = TokenBalance.balanceOf(WETH, address(this));
        if (amountOut < amountOutMin) revert InsufficientOutputAmount();
        _unwrapTo(to, amountOut);
    }

    // ---------------------------------------------------------------- library

    /// @inheritdoc ITidepoolRouter02
    function quote(uint256 amountA, uint256 reserveA, uint256 reserveB)
        external
        pure
        returns (uint256 amountB)
    {
        return TidepoolLibrary.quote(amountA, reserveA, reserveB);
    }

    /// @inheritdoc ITidepoolRouter02
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        external
        pure
        returns (uint256 amountOut)
    {
        return TidepoolLibrary.getAmountOut(amountIn, reserveIn, reserveOut);
    }

    /// @inheritdoc ITidepoolRouter02
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut)
        external
        pure
        returns (uint256 amountIn)
    {
        return TidepoolLibrary.getAmountIn(amountOut, reserveIn, reserveOut);
    }

    /// @inheritdoc ITidepoolRouter02
    function getAmountsOut(uint256 amountIn, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts)
    {
        return TidepoolLibrary.getAmountsOut(factory, amountIn, path);
    }

    /// @inheritdoc ITidepoolRouter02
    function getAmountsIn(uint256 amountOut, address[] calldata path)
        external
        view
        returns (uint256[] memory amounts)
    {
        return TidepoolLibrary.getAmountsIn(factory, amountOut, path);
    }
}
