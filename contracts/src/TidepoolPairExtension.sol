// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {PairState} from "./PairState.sol";
import {ITidepoolPair} from "./interfaces/ITidepoolPair.sol";
import {TokenBalance} from "./libraries/TokenBalance.sol";

/// @title Code that every pair shares instead of carrying its own copy
/// @notice Pairs DELEGATECALL here for `permit`, `skim`, `sync` and `eip712Domain`: rarely used, and
///         together about 1,100 bytes that each new pool would otherwise pay to deploy (200 gas a byte). The factory
///         deploys one extension in its constructor; it is immutable and holds nothing itself.
/// @dev Runs in a pair's context, on the pair's storage (same layout: both inherit PairState).
///      Called directly, `skim` and `sync` revert (it has no `token0()`), and its token
///      functions and `permit` work on its own empty ledger: harmless either way.
contract TidepoolPairExtension is PairState {
    using SafeTransferLib for address;

    /// @notice See ITidepoolPair.skim.
    function skim(address to) external lock {
        (address token0, address token1) = _tokens();
        token0.safeTransfer(to, TokenBalance.balanceOf(token0, address(this)) - reserve0);
        token1.safeTransfer(to, TokenBalance.balanceOf(token1, address(this)) - reserve1);
    }

    /// @notice See ITidepoolPair.sync.
    function sync() external lock {
        (address token0, address token1) = _tokens();
        _update(
            TokenBalance.balanceOf(token0, address(this)),
            TokenBalance.balanceOf(token1, address(this)),
            reserve0,
            reserve1
        );
    }

    /// @notice See TidepoolPair.eip712Domain: in a pair's context, `address(this)` is the pair.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name_,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", "Tidepool LP", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @dev The calling pair's tokens (its immutables are in its code, not in storage).
    function _tokens() private view returns (address, address) {
        return (ITidepoolPair(address(this)).token0(), ITidepoolPair(address(this)).token1());
    }
}
