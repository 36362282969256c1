// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {TestToken} from "../src/devnet/TestToken.sol";

/// @dev The parts of Uniswap V2's factory and pair the comparison calls.
interface IV2Factory {
    function createPair(address tokenA, address tokenB) external returns (address pair);
    function setFeeTo(address) external;
}

interface IV2Pair {
    function getReserves() external view returns (uint112, uint112, uint32);
    function price0CumulativeLast() external view returns (uint256);
    function price1CumulativeLast() external view returns (uint256);
    function kLast() external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
    function mint(address to) external returns (uint256);
    function burn(address to) external returns (uint256, uint256);
    function swap(uint256, uint256, address, bytes calldata) external;
    function sync() external;
    function skim(address to) external;
}

/// @dev A flash borrower that takes the output first and pays back `repayIn` of the input token
///         (which the test minted to it beforehand) inside the callback, the same way for both pairs.
contract V2FlashBorrower {
    TestToken internal immutable tokenIn;
    uint256 internal repayIn;

    constructor(TestToken tokenIn_) {
        tokenIn = tokenIn_;
    }

    function borrow(IV2Pair pair, uint256 out0, uint256 out1, uint256 repay) external {
        repayIn = repay;
        pair.swap(out0, out1, address(this), "flash");
    }

    function uniswapV2Call(address, uint256, uint256, bytes calldata) external {
        tokenIn.transfer(msg.sender, repayIn);
    }
}

/// @notice Differential test against Uniswap V2 itself: the official v2-core bytecode (the npm
///         package uniswap/v2-core 1.0.1) and Tidepool run the same fuzzed sequence of mints, swaps,
///         donations, syncs and burns on the same tokens, with the protocol fee on or off, and
///         must end every step in the same state: reserves, timestamp, both price accumulators,
///         kLast, LP supply and balances, fee LP, and the amounts each burn pays out.
contract V2DifferentialTest is Fixture {
    IV2Pair internal v2;
    TidepoolPair internal tp;
    TestToken internal t0;
    TestToken internal t1;
    address internal v2FeeTo;
    address internal tpFeeTo;

    function setUp() public override {
        super.setUp();
        bytes memory code = vm.parseJsonBytes(
            vm.readFile("node_modules/@uniswap/v2-core/build/UniswapV2Factory.json"), ".bytecode"
        );
        code = abi.encodePacked(code, abi.encode(address(this)));
        address v2Factory;
        assembly {
            v2Factory := create(0, add(code, 0x20), mload(code))
        }
        require(v2Factory != address(0), "V2 factory deployment failed");
        v2 = IV2Pair(IV2Factory(v2Factory).createPair(address(tokenA), address(tokenB)));
        tp = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        (t0, t1) = (TestToken(tp.token0()), TestToken(tp.token1()));
        v2FeeTo = makeAddr("v2FeeTo");
        tpFeeTo = makeAddr("tpFeeTo");
        vm.label(address(v2), "v2Pair");
        vm.label(address(tp), "tidepoolPair");
        _v2Factory = v2Factory;
    }

    address internal _v2Factory;

    function _setFee(bool on) internal {
        IV2Factory(_v2Factory).setFeeTo(on ? v2FeeTo : address(0));
        vm.prank(feeSetter);
        factory.setFeeTo(on ? tpFeeTo : address(0));
    }

    function _deposit(uint256 a0, uint256 a1) internal returns (uint256 l2, uint256 lt) {
        t0.mint(address(v2), a0);
        t1.mint(address(v2), a1);
        t0.mint(address(tp), a0);
        t1.mint(address(tp), a1);
        l2 = v2.mint(alice);
        lt = tp.mint(alice);
    }

    function _assertSame(string memory step) internal view {
        (uint112 a0, uint112 a1, uint32 aTs) = v2.getReserves();
        (uint112 b0, uint112 b1, uint32 bt) = tp.getReserves();
        assertEq(b0, a0, string.concat(step, ": reserve0"));
        assertEq(b1, a1, string.concat(step, ": reserve1"));
        assertEq(bt, aTs, string.concat(step, ": blockTimestampLast"));
        assertEq(
            tp.price0CumulativeLast(), v2.price0CumulativeLast(), string.concat(step, ": price0Cumulative")
        );
        assertEq(
            tp.price1CumulativeLast(), v2.price1CumulativeLast(), string.concat(step, ": price1Cumulative")
        );
        assertEq(tp.kLast(), v2.kLast(), string.concat(step, ": kLast"));
        assertEq(tp.totalSupply(), v2.totalSupply(), string.concat(step, ": totalSupply"));
        assertEq(tp.balanceOf(alice), v2.balanceOf(alice), string.concat(step, ": alice LP"));
        assertEq(tp.balanceOf(tpFeeTo), v2.balanceOf(v2FeeTo), string.concat(step, ": fee LP"));
        assertEq(tp.balanceOf(address(0)), v2.balanceOf(address(0)), string.concat(step, ": locked LP"));
    }

    /// @dev The largest output V2's formula allows for `amountIn` of the input side.
    function _maxOut(bool zeroForOne, uint256 amountIn) internal view returns (uint256) {
        (uint112 r0, uint112 r1,) = tp.getReserves();
        (uint256 rIn, uint256 rOut) = zeroForOne ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        return amountIn * 997 * rOut / (rIn * 1000 + amountIn * 997);
    }

    function _swap(bool zeroForOne, uint256 amountIn) internal {
        uint256 out = _maxOut(zeroForOne, amountIn);
        if (out == 0) return;
        TestToken tin = zeroForOne ? t0 : t1;
        tin.mint(address(v2), amountIn);
        tin.mint(address(tp), amountIn);
        (uint256 o0, uint256 o1) = zeroForOne ? (uint256(0), out) : (out, uint256(0));
        v2.swap(o0, o1, bob, "");
        tp.swap(o0, o1, bob, "");
    }

    function testFuzz_sameStateAsUniswapV2(
        uint256 seed,
        uint96 first0,
        uint96 first1,
        uint96 swapIn,
        uint96 donation,
        uint96 second0,
        uint96 second1,
        bool feeOn
    ) public {
        _setFee(feeOn);
        uint256 d0 = bound(first0, 1e6, 1e27);
        uint256 d1 = bound(first1, 1e6, 1e27);
        vm.assume(isqrt(d0 * d1) > MINIMUM_LIQUIDITY);
        vm.warp(1_700_000_000);
        (uint256 l2, uint256 lt) = _deposit(d0, d1);
        assertEq(lt, l2, "first mint");
        _assertSame("first mint");

        // Trade in both directions across several blocks, so the oracle and fees move.
        for (uint256 i; i < 4; ++i) {
            vm.warp(block.timestamp + 1 + (seed >> (i * 8)) % 600);
            bool zeroForOne = (seed >> (64 + i)) & 1 == 0;
            (uint112 r0, uint112 r1,) = tp.getReserves();
            uint256 rIn = zeroForOne ? r0 : r1;
            _swap(zeroForOne, bound(swapIn, 1, rIn));
            _assertSame("swap");
        }

        // A donation adopted by sync.
        vm.warp(block.timestamp + 13);
        uint256 gift = bound(donation, 0, d0);
        t0.mint(address(v2), gift);
        t0.mint(address(tp), gift);
        v2.sync();
        tp.sync();
        _assertSame("donation + sync");

        // A second, off-ratio deposit (mints the protocol fee when it is on).
        vm.warp(block.timestamp + 7);
        uint256 s0 = bound(second0, 1, 1e27);
        uint256 s1 = bound(second1, 1, 1e27);
        (uint112 q0, uint112 q1,) = tp.getReserves();
        uint256 supply = tp.totalSupply();
        if (s0 * supply / q0 == 0 || s1 * supply / q1 == 0) return; // both would revert the same way
        (l2, lt) = _deposit(s0, s1);
        assertEq(lt, l2, "second mint");
        _assertSame("second mint");

        // Burn a share of alice's LP in both; the payouts must match too.
        vm.warp(block.timestamp + 5);
        uint256 share = tp.balanceOf(alice) * (1 + seed % 100) / 100;
        vm.startPrank(alice);
        v2.transfer(address(v2), share);
        tp.transfer(address(tp), share);
        vm.stopPrank();
        (uint256 a0, uint256 a1) = v2.burn(carol());
        (uint256 b0, uint256 b1) = tp.burn(carol());
        assertEq(b0, a0, "burn amount0");
        assertEq(b1, a1, "burn amount1");
        _assertSame("burn");
    }

    /// @dev Both pairs' price accumulators, set to just below 2^256 (slots 9 and 10 in both: the
    ///      layouts agree), so the next update wraps.
    function _nearWrap() internal {
        bytes32 high = bytes32(type(uint256).max - 1e30);
        for (uint256 i = 9; i <= 10; ++i) {
            vm.store(address(v2), bytes32(i), high);
            vm.store(address(tp), bytes32(i), high);
        }
        _assertSame("accumulators near 2^256");
    }

    /// @dev A swap of between 1% and a third of the input side's reserve (always some output).
    function _swapShare(bool zeroForOne, uint256 x) internal {
        (uint112 r0, uint112 r1,) = tp.getReserves();
        uint256 rIn = zeroForOne ? r0 : r1;
        _swap(zeroForOne, bound(x, rIn / 100 + 1, rIn / 3));
    }

    /// @notice Flash swaps, skim, the accumulators wrapping modulo 2^256, a timestamp past 2^32
    ///         and the protocol fee switched on and off mid-sequence, against V2 itself.
    function testFuzz_flashSkimWrapsAndFeeSwitch_sameAsV2(
        uint256 seed,
        uint96 first0,
        uint96 first1,
        uint96 borrowed,
        uint96 donation
    ) public {
        uint256 d0 = bound(first0, 1e12, 1e27);
        uint256 d1 = bound(first1, 1e12, 1e27);
        // Just before the 32-bit timestamp wraps.
        vm.warp(uint256(type(uint32).max) - 100);
        _deposit(d0, d1);
        _assertSame("first mint");
        _nearWrap();

        // Past 2^32: the timestamp and both accumulators wrap the same way.
        vm.warp(uint256(type(uint32).max) + 1 + seed % 1000);
        _swapShare(seed & 1 == 0, borrowed);
        _assertSame("swap past 2^32, accumulators wrapped");
        (,, uint32 ts) = tp.getReserves();
        assertLt(ts, 1001, "blockTimestampLast wrapped mod 2^32");

        // The fee switched on mid-sequence: a deposit mints the fee on √k growth.
        _setFee(true);
        vm.warp(block.timestamp + 30);
        _swapShare(seed & 2 == 0, borrowed);
        _deposit(d0 / 10 + 1, d1 / 10 + 1);
        _assertSame("fee switched on");

        // A flash swap: token1 out first, token0 paid back in the callback (the V2 price plus one).
        vm.warp(block.timestamp + 12);
        (uint112 r0, uint112 r1,) = tp.getReserves();
        uint256 out1 = bound(borrowed, 1, uint256(r1) / 4);
        uint256 repay0 = (uint256(r0) * out1 * 1000) / ((uint256(r1) - out1) * 997) + 1;
        V2FlashBorrower fv2 = new V2FlashBorrower(t0);
        V2FlashBorrower ftp = new V2FlashBorrower(t0);
        t0.mint(address(fv2), repay0);
        t0.mint(address(ftp), repay0);
        fv2.borrow(v2, 0, out1, repay0);
        ftp.borrow(IV2Pair(address(tp)), 0, out1, repay0);
        assertEq(t1.balanceOf(address(ftp)), t1.balanceOf(address(fv2)), "flash: borrowed amounts");
        _assertSame("flash swap");

        // The fee switched off again, then skim hands a donation out without touching the reserves.
        _setFee(false);
        uint256 gift = bound(donation, 1, d0);
        t0.mint(address(v2), gift);
        t0.mint(address(tp), gift);
        t1.mint(address(v2), gift / 2);
        t1.mint(address(tp), gift / 2);
        address v2Skim = makeAddr("v2Skim");
        address tpSkim = makeAddr("tpSkim");
        v2.skim(v2Skim);
        tp.skim(tpSkim);
        assertEq(t0.balanceOf(tpSkim), t0.balanceOf(v2Skim), "skim: token0 out");
        assertEq(t1.balanceOf(tpSkim), t1.balanceOf(v2Skim), "skim: token1 out");
        assertEq(t0.balanceOf(tpSkim), gift, "skim pays the whole donation");
        _assertSame("fee off + skim");

        // After the switch-off a burn mints no fee, as in V2.
        vm.warp(block.timestamp + 3);
        _swapShare(seed & 4 == 0, borrowed);
        uint256 share = tp.balanceOf(alice) / 3;
        vm.startPrank(alice);
        v2.transfer(address(v2), share);
        tp.transfer(address(tp), share);
        vm.stopPrank();
        (uint256 a0, uint256 a1) = v2.burn(carol());
        (uint256 b0, uint256 b1) = tp.burn(carol());
        assertEq(b0, a0, "burn amount0");
        assertEq(b1, a1, "burn amount1");
        _assertSame("burn with the fee off");
    }

    function carol() internal pure returns (address) {
        return address(0xCA401);
    }
}
