// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {ITidepoolPair} from "./interfaces/ITidepoolPair.sol";
import {ITidepoolFactory} from "./interfaces/ITidepoolFactory.sol";
import {ITidepoolCallee} from "./interfaces/ITidepoolCallee.sol";
import {PairState} from "./PairState.sol";
import {TokenBalance} from "./libraries/TokenBalance.sol";

/// @title Tidepool pair: a constant-product pool of two tokens and its LP token
/// @notice Uniswap V2 semantics (0.3% fee, MINIMUM_LIQUIDITY, flash swaps, cumulative-price oracle,
///         protocol fee of 1/6 of √k growth, skim/sync) behind the exact IUniswapV2Pair interface.
/// @dev Differences from V2 that do not change behaviour: the tokens and factory are immutables
///      read from the factory during construction (so the init code, and with it the CREATE2 address
///      formula, stays constant); the reentrancy lock lives in transient storage; LP tokens are burnt
///      after the underlying tokens leave, so a token hook that re-enters a view sees reserves and
///      supply of one consistent state; `permit`, `skim` and `sync` run shared code in
///      TidepoolPairExtension by DELEGATECALL, which keeps each pool's deployment small.
contract TidepoolPair is PairState, ITidepoolPair {
    using SafeTransferLib for address;

    /// @inheritdoc ITidepoolPair
    uint256 public constant MINIMUM_LIQUIDITY = 1000;
    /// @inheritdoc ITidepoolPair
    bytes32 public constant PERMIT_TYPEHASH =
        0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9;

    /// @inheritdoc ITidepoolPair
    address public immutable factory;
    /// @inheritdoc ITidepoolPair
    address public immutable token0;
    /// @inheritdoc ITidepoolPair
    address public immutable token1;

    /// @notice The shared code this pair delegates `permit`, `skim` and `sync` to.
    address public immutable extension;

    constructor() {
        factory = msg.sender;
        (token0, token1, extension) = ITidepoolFactory(msg.sender).parameters();
    }

    /// @inheritdoc ITidepoolPair
    function price0CumulativeLast() external view returns (uint256) {
        return price0Cumulative;
    }

    /// @inheritdoc ITidepoolPair
    function price1CumulativeLast() external view returns (uint256) {
        return price1Cumulative;
    }

    /// @inheritdoc ITidepoolPair
    function kLast() external view returns (uint256) {
        return kLastValue;
    }

    /// @inheritdoc ITidepoolPair
    function getReserves()
        public
        view
        returns (uint112 _reserve0, uint112 _reserve1, uint32 _blockTimestampLast)
    {
        _reserve0 = reserve0;
        _reserve1 = reserve1;
        _blockTimestampLast = blockTimestampLast;
    }

    /// @inheritdoc ITidepoolPair
    /// @dev Not `pure`, to keep V2's ABI (nonpayable). Tidepool's factory never calls it.
    function initialize(address, address) external {
        revert Forbidden();
    }

    /// @inheritdoc ITidepoolPair
    function mint(address to) external lock returns (uint256 liquidity) {
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        uint256 balance0 = TokenBalance.balanceOf(token0, address(this));
        uint256 balance1 = TokenBalance.balanceOf(token1, address(this));
        // Reserves never exceed balances except for tokens that burn the pair's balance; checked
        // subtraction turns that into a revert rather than a phantom deposit.
        uint256 amount0 = balance0 - _reserve0;
        uint256 amount1 = balance1 - _reserve1;

        bool feeOn = _mintFee(_reserve0, _reserve1);
        uint256 _totalSupply = totalSupply(); // read after _mintFee, which may mint
        // slither-disable-next-line incorrect-equality -- zero supply marks the first deposit, as in V2
        if (_totalSupply == 0) {
            uint256 rootK = FixedPointMathLib.sqrt(amount0 * amount1);
            if (rootK <= MINIMUM_LIQUIDITY) revert InsufficientLiquidityMinted();
            unchecked {
                liquidity = rootK - MINIMUM_LIQUIDITY;
            }
            _mint(address(0), MINIMUM_LIQUIDITY); // locked forever: the first depositor cannot own 100%
        } else {
            liquidity =
                FixedPointMathLib.min(amount0 * _totalSupply / _reserve0, amount1 * _totalSupply / _reserve1);
        }
        // slither-disable-next-line incorrect-equality -- rejects an empty mint, as in V2
        if (liquidity == 0) revert InsufficientLiquidityMinted();
        _mint(to, liquidity);

        _update(balance0, balance1, _reserve0, _reserve1);
        if (feeOn) kLastValue = uint256(reserve0) * reserve1;
        emit Mint(msg.sender, amount0, amount1);
    }

    /// @inheritdoc ITidepoolPair
    function burn(address to) external lock returns (uint256 amount0, uint256 amount1) {
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        address _token0 = token0;
        address _token1 = token1;
        uint256 balance0 = TokenBalance.balanceOf(_token0, address(this));
        uint256 balance1 = TokenBalance.balanceOf(_token1, address(this));
        uint256 liquidity = balanceOf(address(this));

        bool feeOn = _mintFee(_reserve0, _reserve1);
        uint256 _totalSupply = totalSupply(); // read after _mintFee, which may mint
        amount0 = liquidity * balance0 / _totalSupply; // pro rata of balances, as in V2
        amount1 = liquidity * balance1 / _totalSupply;
        // slither-disable-next-line incorrect-equality -- rejects an empty burn, as in V2
        if (amount0 == 0 || amount1 == 0) revert InsufficientLiquidityBurned();
        _token0.safeTransfer(to, amount0);
        _token1.safeTransfer(to, amount1);
        _burn(address(this), liquidity);
        balance0 = TokenBalance.balanceOf(_token0, address(this));
        balance1 = TokenBalance.balanceOf(_token1, address(this));

        _update(balance0, balance1, _reserve0, _reserve1);
        if (feeOn) kLastValue = uint256(reserve0) * reserve1;
        emit Burn(msg.sender, amount0, amount1, to);
    }

    /// @inheritdoc ITidepoolPair
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external lock {
        if (amount0Out == 0 && amount1Out == 0) revert InsufficientOutputAmount();
        (uint112 _reserve0, uint112 _reserve1,) = getReserves();
        if (amount0Out >= _reserve0 || amount1Out >= _reserve1) revert InsufficientLiquidity();

        uint256 balance0;
        uint256 balance1;
        {
            address _token0 = token0;
            address _token1 = token1;
            if (to == _token0 || to == _token1) revert InvalidTo();
            if (amount0Out != 0) _token0.safeTransfer(to, amount0Out); // optimistic transfers
            if (amount1Out != 0) _token1.safeTransfer(to, amount1Out);
            if (data.length != 0) {
                // slither-disable-next-line reentrancy-no-eth,reentrancy-benign,reentrancy-events -- flash swap; locked
                ITidepoolCallee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data);
            }
            balance0 = TokenBalance.balanceOf(_token0, address(this));
            balance1 = TokenBalance.balanceOf(_token1, address(this));
        }
        (uint256 amount0In, uint256 amount1In) =
            _checkK(balance0, balance1, _reserve0, _reserve1, amount0Out, amount1Out);

        _update(balance0, balance1, _reserve0, _reserve1);
        emit Swap(msg.sender, amount0In, amount1In, amount0Out, amount1Out, to);
    }

    /// @dev The amounts that came in, given what went out; reverts unless the fee-adjusted product
    ///      of the balances is at least the product of the reserves.
    function _checkK(
        uint256 balance0,
        uint256 balance1,
        uint112 _reserve0,
        uint112 _reserve1,
        uint256 amount0Out,
        uint256 amount1Out
    ) private pure returns (uint256 amount0In, uint256 amount1In) {
        if (balance0 > type(uint112).max || balance1 > type(uint112).max) {
            revert Overflow();
        }
        // Unchecked: amountOut < reserve (checked by the caller) and both balances < 2^112, so every
        // product below is < 2^244 and no subtraction can underflow (balance × 1000 ≥ amountIn × 3).
        unchecked {
            uint256 rest0 = _reserve0 - amount0Out;
            uint256 rest1 = _reserve1 - amount1Out;
            amount0In = balance0 > rest0 ? balance0 - rest0 : 0;
            amount1In = balance1 > rest1 ? balance1 - rest1 : 0;
            // slither-disable-next-line incorrect-equality -- a swap must pay something in, as in V2
            if (amount0In == 0 && amount1In == 0) revert InsufficientInputAmount();
            uint256 balance0Adjusted = balance0 * 1000 - amount0In * 3;
            uint256 balance1Adjusted = balance1 * 1000 - amount1In * 3;
            if (balance0Adjusted * balance1Adjusted < uint256(_reserve0) * _reserve1 * 1_000_000) revert K();
        }
    }

    /// @inheritdoc ITidepoolPair
    function skim(address) external {
        _delegateToExtension();
    }

    /// @inheritdoc ITidepoolPair
    function sync() external {
        _delegateToExtension();
    }

    /// @notice EIP-2612: approves by signature (run by the shared extension).
    function permit(address, address, uint256, uint256, uint8, bytes32, bytes32) public override {
        _delegateToExtension();
    }

    /// @notice EIP-5267: the LP token's EIP-712 domain — name "Tidepool LP" (not V2's "Uniswap
    ///         V2"), version "1", this chain and this pair — for front ends that build permits.
    /// @dev Run by the shared extension, so it costs each new pool a few bytes instead of ~260;
    ///      that makes it non-view in this ABI (a DELEGATECALL), though it changes nothing and
    ///      answers a STATICCALL or an eth_call as EIP-5267's `view` declaration does.
    function eip712Domain()
        external
        returns (bytes1, string memory, string memory, uint256, address, bytes32, uint256[] memory)
    {
        _delegateToExtension();
    }

    /// @dev Runs the current call's calldata in `extension`'s code on this pair's state, and returns
    ///      or reverts with whatever it returned.
    function _delegateToExtension() private {
        address ext = extension;
        /// @solidity memory-safe-assembly
        assembly {
            // Above the free memory pointer, so the block is memory-safe whatever the
            // compiler keeps in memory below it (e.g. variables moved there by via-IR).
            let m := mload(0x40)
            calldatacopy(m, 0, calldatasize())
            let ok := delegatecall(gas(), ext, m, calldatasize(), 0, 0)
            returndatacopy(m, 0, returndatasize())
            if iszero(ok) { revert(m, returndatasize()) }
            return(m, returndatasize())
        }
    }

    /// @dev With the protocol fee on, mints feeTo 1/6 of the growth in √k since the last liquidity
    ///      event, as LP tokens. Returns whether the fee is on.
    function _mintFee(uint112 _reserve0, uint112 _reserve1) private returns (bool feeOn) {
        address feeTo = ITidepoolFactory(factory).feeTo();
        feeOn = feeTo != address(0);
        uint256 _kLast = kLastValue;
        if (feeOn) {
            if (_kLast != 0) {
                uint256 rootK = FixedPointMathLib.sqrt(uint256(_reserve0) * _reserve1);
                uint256 rootKLast = FixedPointMathLib.sqrt(_kLast);
                if (rootK > rootKLast) {
                    uint256 liquidity = totalSupply() * (rootK - rootKLast) / (rootK * 5 + rootKLast);
                    if (liquidity != 0) _mint(feeTo, liquidity);
                }
            }
        } else if (_kLast != 0) {
            kLastValue = 0;
        }
    }
}
