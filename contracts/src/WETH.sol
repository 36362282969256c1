// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WETH as SoladyWETH} from "solady/tokens/WETH.sol";

/// @title Wrapped Ether for Tidepool deployments
/// @notice WETH9's interface and events (deposit, withdraw, ERC-20) on solady's gas-lean
///         implementation. Unlike solady's default, Permit2 gets no implicit infinite allowance:
///         a chain without Permit2 deployed would otherwise carry a dormant allowance.
contract WETH is SoladyWETH {
    /// @dev No implicit Permit2 allowance.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
