// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITidepoolFactory} from "./interfaces/ITidepoolFactory.sol";
import {TidepoolPair} from "./TidepoolPair.sol";

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

    // Keyed by the sorted tokens only: getPair sorts, so storing one direction is enough.
    mapping(address token0 => mapping(address token1 => address)) private pairs;

    address private transient deployingToken0;
    address private transient deployingToken1;

    /// @param _feeToSetter The account allowed to turn the protocol fee on and off.
    constructor(address _feeToSetter) {
        feeToSetter = _feeToSetter;
    }

    /// @inheritdoc ITidepoolFactory
    function getPair(address tokenA, address tokenB) external view returns (address) {
        return tokenA < tokenB ? pairs[tokenA][tokenB] : pairs[tokenB][tokenA];
    }

    /// @inheritdoc ITidepoolFactory
    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    /// @inheritdoc ITidepoolFactory
    function parameters() external view returns (address token0, address token1) {
        return (deployingToken0, deployingToken1);
    }

    /// @inheritdoc ITidepoolFactory
    function createPair(address tokenA, address tokenB) external returns (address pair) {
        if (tokenA == tokenB) revert IdenticalAddresses();
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        if (token0 == address(0)) revert ZeroAddress();
        if (pairs[token0][token1] != address(0)) revert PairExists();

        deployingToken0 = token0;
        deployingToken1 = token1;
        pair = address(new TidepoolPair{salt: keccak256(abi.encodePacked(token0, token1))}());
        deployingToken0 = address(0);
        deployingToken1 = address(0);

        pairs[token0][token1] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    /// @inheritdoc ITidepoolFactory
    function setFeeTo(address to) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeTo = to;
    }

    /// @inheritdoc ITidepoolFactory
    function setFeeToSetter(address setter) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeToSetter = setter;
    }
}
