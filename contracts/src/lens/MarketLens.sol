// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Batched market reads without a deployment
/// @notice Each contract here is never deployed: its creation code is sent as an `eth_call` with no
///         `to`, the constructor reads many pairs or balances at once and reverts with the answer as
///         the custom error `Answer(…)`, which the caller decodes from the call's revert data. Revert
///         data has no size limit (returned code would be capped at 24,576 bytes by EIP-170), and
///         nothing needs to exist on the chain beforehand, so this works on any node and any
///         Uniswap-V2-compatible deployment. Calls are `staticcall`s: a pair or token that reverts
///         or answers garbage yields zeros (or `ok = false`) for itself alone.

import {ITidepoolERC20} from "../interfaces/ITidepoolERC20.sol";
import {ITidepoolFactory} from "../interfaces/ITidepoolFactory.sol";
import {ITidepoolPair} from "../interfaces/ITidepoolPair.sol";

/// @notice A pool as the factory lists it.
struct PairRecord {
    address pair;
    address token0;
    address token1;
    uint112 reserve0;
    uint112 reserve1;
}

/// @notice One token balance; `ok` is false when `balanceOf` reverted or answered too little data.
struct BalanceRecord {
    bool ok;
    uint256 amount;
}

/// @dev Low-level read helpers shared by the readers.
library LensCalls {
    /// @dev `target.selector()`'s first word, or 0 when it reverts or answers too little.
    function word(address target, bytes4 selector) internal view returns (uint256 value) {
        return wordOf(target, abi.encodeWithSelector(selector));
    }

    /// @dev A static call's first word, or 0 when it reverts or answers too little.
    function wordOf(address target, bytes memory data) internal view returns (uint256 value) {
        (bool ok, uint256 v) = tryWord(target, data);
        return ok ? v : 0;
    }

    /// @dev A static call returning at least one word, or (false, 0).
    function tryWord(address target, bytes memory data) internal view returns (bool ok, uint256 value) {
        // slither-disable-next-line low-level-calls -- a reader must survive a target that reverts or answers short data; success and length are checked
        (bool success, bytes memory ret) = target.staticcall(data);
        if (!success || ret.length < 32) return (false, 0);
        return (true, abi.decode(ret, (uint256)));
    }

    /// @dev `pair.getReserves()`'s first two words, masked to 112 bits, or zeros.
    function reserves(address pair) internal view returns (uint112 r0, uint112 r1) {
        // slither-disable-next-line low-level-calls -- a reader must survive a pair that reverts or answers short data; success and length are checked
        (bool success, bytes memory ret) =
            pair.staticcall(abi.encodeWithSelector(ITidepoolPair.getReserves.selector));
        if (!success || ret.length < 64) return (0, 0);
        (uint256 a, uint256 b) = abi.decode(ret, (uint256, uint256));
        return (uint112(a), uint112(b));
    }
}

/// @notice Pairs `start` to `end - 1` of `factory`'s `allPairs`, with tokens and reserves
///         (`end` is capped at `allPairsLength()`). Answers `Answer(length, records)`.
contract PairsReader {
    /// @notice The answer: the factory's pair count and the records read.
    error Answer(uint256 length, PairRecord[] pairs);

    /// @param factory A Uniswap-V2 factory.
    /// @param start First index.
    /// @param end One past the last index.
    constructor(address factory, uint256 start, uint256 end) {
        uint256 length = LensCalls.word(factory, ITidepoolFactory.allPairsLength.selector);
        if (end > length) end = length;
        PairRecord[] memory out = new PairRecord[](end > start ? end - start : 0);
        for (uint256 i = start; i < end; ++i) {
            uint256 p = LensCalls.wordOf(factory, abi.encodeCall(ITidepoolFactory.allPairs, (i)));
            address pair = address(uint160(p));
            uint256 t0 = LensCalls.word(pair, ITidepoolPair.token0.selector);
            uint256 t1 = LensCalls.word(pair, ITidepoolPair.token1.selector);
            (uint112 r0, uint112 r1) = LensCalls.reserves(pair);
            out[i - start] = PairRecord(pair, address(uint160(t0)), address(uint160(t1)), r0, r1);
        }
        revert Answer(length, out);
    }
}

/// @notice The reserves of `pairs`, each packed as `reserve0 << 112 | reserve1`. Answers `Answer(packed)`.
contract ReservesReader {
    /// @notice The answer: `reserve0 << 112 | reserve1` per pair, in the order asked.
    error Answer(uint256[] packed);

    /// @param pairs Pair contracts.
    constructor(address[] memory pairs) {
        uint256[] memory out = new uint256[](pairs.length);
        for (uint256 i; i < pairs.length; ++i) {
            (uint112 r0, uint112 r1) = LensCalls.reserves(pairs[i]);
            out[i] = (uint256(r0) << 112) | r1;
        }
        revert Answer(out);
    }
}

/// @notice `owner`'s balance of each of `tokens` (ERC-20s or LP tokens). Answers `Answer(records)`.
contract BalancesReader {
    /// @notice The answer: one record per token, in the order asked.
    error Answer(BalanceRecord[] balances);

    /// @param owner The account.
    /// @param tokens Token contracts.
    constructor(address owner, address[] memory tokens) {
        BalanceRecord[] memory out = new BalanceRecord[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            (bool ok, uint256 amount) =
                LensCalls.tryWord(tokens[i], abi.encodeCall(ITidepoolERC20.balanceOf, (owner)));
            out[i] = BalanceRecord(ok, amount);
        }
        revert Answer(out);
    }
}
