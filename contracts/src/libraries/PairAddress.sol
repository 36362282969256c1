// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Where a Tidepool pair lives
/// @notice Pair addresses are CREATE2 addresses: keccak256(0xff ++ factory ++ salt ++ INIT_CODE_HASH)
///         with salt = keccak256(token0 ++ token1) and the tokens sorted. This library holds the one
///         copy of the init code hash; `PairAddress.t.sol` checks it against the compiled pair, and
///         the Rust sdk reads it from here.
library PairAddress {
    /// @notice The length of every pair's runtime code (its immutables have fixed sizes). Only code
    ///         of exactly this length at a pair address counts as a pair: an account that carries an
    ///         EIP-7702 delegation designator (23 bytes, 0xef0100 + address) does not.
    ///         `PairAddress.t.sol` checks it against a deployed pair.
    uint256 internal constant PAIR_CODE_SIZE = 5342;

    /// @notice keccak256 of the TidepoolPair creation code.
    bytes32 internal constant INIT_CODE_HASH =
        0x06442f1d02adf5b50568763f748a082507e5a847801666d4f059fc3794bb8742;

    /// @notice The tokens in pair order (token0 < token1).
    function sortTokens(address tokenA, address tokenB)
        internal
        pure
        returns (address token0, address token1)
    {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
    }

    /// @notice Whether the code at `pair` can be a pair's: exactly [`PAIR_CODE_SIZE`] bytes (one
    ///         EXTCODESIZE, the same cost as the earlier "has code" check).
    function isPairCode(address pair) internal view returns (bool) {
        return pair.code.length == PAIR_CODE_SIZE;
    }

    /// @notice The pair address for `tokenA` and `tokenB` (any order) under `factory`, whether or
    ///         not it has been created yet.
    function pairFor(address factory, address tokenA, address tokenB) internal pure returns (address pair) {
        (address token0, address token1) = sortTokens(tokenA, tokenB);
        /// @solidity memory-safe-assembly
        assembly {
            let m := mload(0x40)
            // salt = keccak256(abi.encodePacked(token0, token1))
            mstore(0x00, shl(96, token0))
            mstore(0x14, shl(96, token1))
            let salt := keccak256(0x00, 0x28)
            // keccak256(abi.encodePacked(hex"ff", factory, salt, INIT_CODE_HASH)), built at m
            mstore(m, or(shl(160, 0xff), factory))
            mstore(add(m, 0x20), salt)
            mstore(add(m, 0x40), INIT_CODE_HASH)
            pair := and(keccak256(add(m, 11), 85), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }
}
