// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ITidepoolPair} from "../../src/interfaces/ITidepoolPair.sol";
import {ITidepoolERC20} from "../../src/interfaces/ITidepoolERC20.sol";
import {ITidepoolCallee} from "../../src/interfaces/ITidepoolCallee.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @title A flash-swap callee that pays back exactly what it is told to
/// @notice `borrow` starts the flash swap; the callback checks it comes from the pair, records its
///         arguments and the pair's committed state, then transfers `repay0` of token0 and `repay1`
///         of token1 back to the pair out of this contract's balance (the principal it just received
///         plus whatever the test funded it with).
contract FlashBorrower is ITidepoolCallee {
    error NotPair();

    ITidepoolPair public immutable pair;
    uint256 public repay0;
    uint256 public repay1;

    uint256 public calls;
    address public seenSender;
    uint256 public seenAmount0;
    uint256 public seenAmount1;
    bytes public seenData;
    uint112 public seenReserve0;
    uint112 public seenReserve1;
    uint256 public seenTotalSupply;

    constructor(ITidepoolPair pair_) {
        pair = pair_;
    }

    function setRepay(uint256 repay0_, uint256 repay1_) external {
        repay0 = repay0_;
        repay1 = repay1_;
    }

    function borrow(uint256 amount0, uint256 amount1, bytes calldata data) external {
        pair.swap(amount0, amount1, address(this), data);
    }

    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external {
        if (msg.sender != address(pair)) revert NotPair();
        ++calls;
        seenSender = sender;
        seenAmount0 = amount0;
        seenAmount1 = amount1;
        seenData = data;
        (seenReserve0, seenReserve1,) = pair.getReserves();
        seenTotalSupply = ITidepoolERC20(address(pair)).totalSupply();
        // safeTransfer: works for tokens that return nothing as well.
        if (repay0 != 0) SafeTransferLib.safeTransfer(pair.token0(), address(pair), repay0);
        if (repay1 != 0) SafeTransferLib.safeTransfer(pair.token1(), address(pair), repay1);
    }
}
