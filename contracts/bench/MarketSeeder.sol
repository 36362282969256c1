// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "../src/devnet/TestToken.sol";
import {ITidepoolFactory} from "../src/interfaces/ITidepoolFactory.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";

/// @title A large market for `cargo xtask bench market`
/// @notice Deploys tokens (as their minter) and creates a pool for every pair of them through the real
///         factory, each seeded with liquidity, many per transaction; then moves the reserves of many
///         pools in one block with real swaps. Not part of the protocol; never deployed outside the
///         benchmark's own anvil.
contract MarketSeeder {
    /// @notice The tokens, in creation order.
    TestToken[] public tokens;
    /// @notice The factory every pool is created on.
    ITidepoolFactory public immutable factory;
    /// @dev The next pair to create: tokens `nextI` and `nextJ` (`nextI < nextJ`).
    uint256 private nextI;
    uint256 private nextJ = 1;

    /// @param factory_ The factory.
    constructor(ITidepoolFactory factory_) {
        factory = factory_;
    }

    /// @notice How many tokens exist.
    function tokenCount() external view returns (uint256) {
        return tokens.length;
    }

    /// @notice Deploys `n` more 18-decimal tokens.
    /// @param n How many.
    function makeTokens(uint256 n) external {
        for (uint256 k; k < n; ++k) {
            tokens.push(new TestToken("Bench token", "BT", 18));
        }
    }

    /// @notice Creates and seeds the next `n` pools (every token with every later one).
    /// @param n How many pools.
    function seed(uint256 n) external {
        (uint256 i, uint256 j) = (nextI, nextJ);
        uint256 count = tokens.length;
        for (uint256 k; k < n && i + 1 < count; ++k) {
            address pair = factory.createPair(address(tokens[i]), address(tokens[j]));
            // Reserves vary with the pair so that prices differ between pools.
            tokens[i].mint(pair, 1e21 + (i * 7919 + j * 104_729) * 1e15);
            tokens[j].mint(pair, 1e21 + (j * 7919 + i * 104_729) * 1e15);
            ITidepoolPair(pair).mint(address(this));
            if (++j == count) {
                ++i;
                j = i + 1;
            }
        }
        (nextI, nextJ) = (i, j);
    }

    /// @notice One exact-input swap of 0.1% of the reserve in each of the pools `first`, `first + step`,
    ///         … (`n` of them), token0 in, straight through the pair.
    /// @param first Index of the first pool in `allPairs`.
    /// @param step Distance between pools.
    /// @param n How many pools.
    function swapMany(uint256 first, uint256 step, uint256 n) external {
        for (uint256 k; k < n; ++k) {
            ITidepoolPair pair = ITidepoolPair(factory.allPairs(first + k * step));
            (uint112 r0, uint112 r1,) = pair.getReserves();
            uint256 amountIn = uint256(r0) / 1000;
            uint256 withFee = amountIn * 997;
            uint256 out = (withFee * r1) / (uint256(r0) * 1000 + withFee);
            TestToken(pair.token0()).mint(address(pair), amountIn);
            pair.swap(0, out, address(this), "");
        }
    }
}
