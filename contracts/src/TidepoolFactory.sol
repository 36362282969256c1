// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ITidepoolFactory} from "./interfaces/ITidepoolFactory.sol";
import {TidepoolPair} from "./TidepoolPair.sol";
import {TidepoolPairExtension} from "./TidepoolPairExtension.sol";
import {PairAddress} from "./libraries/PairAddress.sol";

/// @title Tidepool factory: creates one pair per token pair at a CREATE2 address
/// @notice Deployed like Uniswap V2's: `new TidepoolFactory(feeToSetter)`. A pair's address is
///         `PairAddress.pairFor(factory, tokenA, tokenB)`, computable off-chain with the init
///         code hash in `libraries/PairAddress.sol`.
contract TidepoolFactory is ITidepoolFactory {
    /// @inheritdoc ITidepoolFactory
    address public feeTo;
    /// @inheritdoc ITidepoolFactory
    address public feeToSetter;
    /// @inheritdoc ITidepoolFactory
    address[] public allPairs;

    /// @notice The code all pairs share for `permit`, `skim` and `sync` (see TidepoolPairExtension).
    address public immutable pairExtension;

    // slither-disable-next-line write-after-write -- the new pair's constructor reads it between the writes
    address private transient deployingToken0;
    // slither-disable-next-line write-after-write -- the new pair's constructor reads it between the writes
    address private transient deployingToken1;

    /// @param _feeToSetter The account allowed to turn the protocol fee on and off.
    constructor(address _feeToSetter) {
        // slither-disable-next-line missing-zero-check -- as in V2; zero keeps the fee off for good
        feeToSetter = _feeToSetter;
        pairExtension = address(new TidepoolPairExtension());
    }

    /// @inheritdoc ITidepoolFactory
    /// @dev No mapping is kept: a pair exists exactly when its CREATE2 address holds a pair's code,
    ///      which only this factory can put there. That saves a 22,100-gas storage write per pool.
    ///      Code of another length (an EOA's EIP-7702 delegation designator) is not a pair.
    function getPair(address tokenA, address tokenB) external view returns (address pair) {
        if (tokenA == tokenB) return address(0);
        pair = PairAddress.pairFor(address(this), tokenA, tokenB);
        if (!PairAddress.isPairCode(pair)) pair = address(0);
    }

    /// @inheritdoc ITidepoolFactory
    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    /// @inheritdoc ITidepoolFactory
    function parameters() external view returns (address token0, address token1, address extension) {
        return (deployingToken0, deployingToken1, pairExtension);
    }

    /// @inheritdoc ITidepoolFactory
    function createPair(address tokenA, address tokenB) external returns (address pair) {
        if (tokenA == tokenB) revert IdenticalAddresses();
        (address token0, address token1) = PairAddress.sortTokens(tokenA, tokenB);
        if (token0 == address(0)) revert ZeroAddress();
        if (PairAddress.pairFor(address(this), token0, token1).code.length != 0) revert PairExists();

        deployingToken0 = token0;
        deployingToken1 = token1;
        pair = address(new TidepoolPair{salt: keccak256(abi.encodePacked(token0, token1))}());
        deployingToken0 = address(0);
        deployingToken1 = address(0);

        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    /// @inheritdoc ITidepoolFactory
    function setFeeTo(address to) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        // slither-disable-next-line missing-zero-check -- zero turns the protocol fee off, as in V2
        feeTo = to;
    }

    /// @inheritdoc ITidepoolFactory
    function setFeeToSetter(address setter) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        // slither-disable-next-line missing-zero-check -- zero renounces the role, as in V2
        feeToSetter = setter;
    }
}
