// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "solady/tokens/ERC20.sol";
import {ITidepoolPair} from "./interfaces/ITidepoolPair.sol";

/// @title State shared by a pair and the extension it delegates its rarely used functions to
/// @notice Both contracts inherit this, so they agree on every storage and transient slot: the
///         extension's code runs in the pair's context (DELEGATECALL) on the pair's own state.
/// @dev The LP token's balances, allowances and nonces live in solady's fixed hashed slots.
abstract contract PairState is ERC20 {
    // Slots 0-7 are left empty so that the rest sits where Uniswap V2 keeps it (bots, simulators
    // and storage-proof oracles read a V2 pair's reserves from slot 8): V2's totalSupply,
    // balanceOf, allowance, DOMAIN_SEPARATOR, nonces, factory, token0 and token1 live in solady's
    // hashed slots and in immutables here.
    uint256[8] private v2Slots0To7;

    // Slot 8, as in V2: reserve0 | reserve1 << 112 | blockTimestampLast << 224.
    uint112 internal reserve0;
    uint112 internal reserve1;
    uint32 internal blockTimestampLast;

    // Slots 9 and 10, as in V2.
    uint256 internal price0Cumulative;
    uint256 internal price1Cumulative;
    // Slot 11, as in V2.
    // slither-disable-next-line unused-state,constable-states -- shared layout; only the pair writes it
    uint256 internal kLastValue;

    bool private transient locked;

    /// @dev Reentrancy lock for every state-changing pair function, in transient storage.
    modifier lock() {
        if (locked) revert ITidepoolPair.Locked();
        locked = true;
        _;
        locked = false;
    }

    /// @notice LP token name.
    function name() public pure override returns (string memory) {
        return "Tidepool LP";
    }

    /// @notice LP token symbol.
    function symbol() public pure override returns (string memory) {
        return "TIDE-LP";
    }

    /// @dev Stores new reserves and, on the first call of a block, accumulates the prices.
    function _update(uint256 balance0, uint256 balance1, uint112 _reserve0, uint112 _reserve1) internal {
        if (balance0 > type(uint112).max || balance1 > type(uint112).max) revert ITidepoolPair.Overflow();
        uint32 blockTimestamp = uint32(block.timestamp);
        unchecked {
            // Wrapping is intended: the timestamp is kept mod 2^32 and the accumulators mod 2^256;
            // oracle readers difference them with the same wrapping arithmetic.
            uint32 timeElapsed = blockTimestamp - blockTimestampLast;
            if (timeElapsed != 0 && _reserve0 != 0 && _reserve1 != 0) {
                // slither-disable-next-line divide-before-multiply -- V2's UQ112x112 oracle math
                price0Cumulative += ((uint256(_reserve1) << 112) / _reserve0) * timeElapsed;
                // slither-disable-next-line divide-before-multiply -- V2's UQ112x112 oracle math
                price1Cumulative += ((uint256(_reserve0) << 112) / _reserve1) * timeElapsed;
            }
        }
        // forge-lint: disable-next-line(unsafe-typecast) -- both balances were checked to fit above
        (reserve0, reserve1, blockTimestampLast) = (uint112(balance0), uint112(balance1), blockTimestamp);
        emit ITidepoolPair.Sync(uint112(balance0), uint112(balance1));
    }

    /// @dev The EIP-712 name hash, precomputed: keccak256("Tidepool LP").
    function _constantNameHash() internal pure override returns (bytes32) {
        return keccak256("Tidepool LP");
    }

    /// @dev V2 pairs never hand out infinite Permit2 allowances; neither do Tidepool's.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
