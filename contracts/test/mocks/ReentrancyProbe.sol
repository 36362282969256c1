// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ITidepoolPair} from "../../src/interfaces/ITidepoolPair.sol";
import {ITidepoolERC20} from "../../src/interfaces/ITidepoolERC20.sol";
import {ITidepoolCallee} from "../../src/interfaces/ITidepoolCallee.sol";
import {ITokenHook} from "./HookToken.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// @title Re-enters a pair from a token hook or a flash-swap callback and records what it saw
/// @notice Once armed, the next trigger (a hook call for a transfer out of `pair`, or a flash-swap
///         callback) records the pair's committed state as a reader would see it (reserves,
///         LP supply, token balances), then calls each of the pair's five state-changing functions
///         and records whether it succeeded and what it returned. In `bubble` mode it calls only
///         `bubbleIndex` and lets its revert propagate. As a flash-swap callee it then repays
///         `repay0`/`repay1`, minting the tokens (test tokens are mintable by anyone).
contract ReentrancyProbe is ITokenHook, ITidepoolCallee {
    /// @notice Indexes of the re-entered functions in `ok`/`revertData`.
    uint256 public constant MINT = 0;
    uint256 public constant BURN = 1;
    uint256 public constant SWAP = 2;
    uint256 public constant SKIM = 3;
    uint256 public constant SYNC = 4;

    ITidepoolPair public immutable pair;

    bool public armed;
    bool public bubble;
    uint256 public bubbleIndex;
    uint256 public repay0;
    uint256 public repay1;

    // What the probe saw when it fired.
    uint256 public fired;
    uint112 public seenReserve0;
    uint112 public seenReserve1;
    uint256 public seenTotalSupply;
    uint256 public seenBalance0;
    uint256 public seenBalance1;
    uint256 public seenProbeLp;

    bool[5] internal oks;
    bytes[5] internal revertDatas;

    constructor(ITidepoolPair pair_) {
        pair = pair_;
    }

    function arm(bool bubble_, uint256 bubbleIndex_) external {
        armed = true;
        bubble = bubble_;
        bubbleIndex = bubbleIndex_;
    }

    function setRepay(uint256 repay0_, uint256 repay1_) external {
        repay0 = repay0_;
        repay1 = repay1_;
    }

    function ok(uint256 i) external view returns (bool) {
        return oks[i];
    }

    function revertData(uint256 i) external view returns (bytes memory) {
        return revertDatas[i];
    }

    /// @notice Starts a flash swap of `amount0`/`amount1` with this contract as the callee.
    function flash(uint256 amount0, uint256 amount1) external {
        pair.swap(amount0, amount1, address(this), hex"01");
    }

    function onTokenTransfer(address from, address, uint256) external {
        if (!armed || from != address(pair)) return;
        _fire();
    }

    function uniswapV2Call(address, uint256, uint256, bytes calldata) external {
        if (armed) _fire();
        if (repay0 != 0) _pay(pair.token0(), repay0);
        if (repay1 != 0) _pay(pair.token1(), repay1);
    }

    function _pay(address token, uint256 amount) private {
        uint256 held = IMintable(token).balanceOf(address(this));
        if (held < amount) IMintable(token).mint(address(this), amount - held);
        IMintable(token).transfer(address(pair), amount);
    }

    function _fire() private {
        armed = false;
        ++fired;
        (seenReserve0, seenReserve1,) = pair.getReserves();
        seenTotalSupply = ITidepoolERC20(address(pair)).totalSupply();
        seenBalance0 = IMintable(pair.token0()).balanceOf(address(pair));
        seenBalance1 = IMintable(pair.token1()).balanceOf(address(pair));
        seenProbeLp = ITidepoolERC20(address(pair)).balanceOf(address(this));
        if (bubble) {
            (bool success, bytes memory data) = address(pair).call(_calldata(bubbleIndex));
            if (!success) {
                assembly ("memory-safe") {
                    revert(add(data, 0x20), mload(data))
                }
            }
            oks[bubbleIndex] = true;
            return;
        }
        for (uint256 i; i < 5; ++i) {
            (oks[i], revertDatas[i]) = address(pair).call(_calldata(i));
        }
    }

    function _calldata(uint256 i) private view returns (bytes memory) {
        if (i == MINT) return abi.encodeCall(ITidepoolPair.mint, (address(this)));
        if (i == BURN) return abi.encodeCall(ITidepoolPair.burn, (address(this)));
        if (i == SWAP) return abi.encodeCall(ITidepoolPair.swap, (1, 0, address(this), ""));
        if (i == SKIM) return abi.encodeCall(ITidepoolPair.skim, (address(this)));
        return abi.encodeCall(ITidepoolPair.sync, ());
    }
}
