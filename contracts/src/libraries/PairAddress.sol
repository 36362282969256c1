// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Where a Tidepool pair lives
/// @notice Pair addresses are CREATE2 addresses: keccak256(0xff ++ factory ++ salt ++ INIT_CODE_HASH)
///         with salt = keccak256(token0 ++ token1) and the tokens sorted. This library holds the one
///         copy of the init code hash; `PairAddress.t.sol` checks it against the compiled pair, and
///         the Rust sdk reads it from here.
library PairAddress {
    /// @notice keccak256 of the TidepoolPair creation code.
    bytes32 internal constant INIT_CODE_HASH =
        0x97708d4feeb948bbdf57c223368dbc3c75acc8d442862507482fa543fb725b57;

    /// @notice The tokens in pair order (token0 < token1).
    function sortTokens(address tokenA, address tokenB)
        internal
        pure
        returns (address token0, address token1)
    {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
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
