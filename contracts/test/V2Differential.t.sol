// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

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
        (uint112 a0, uint112 a1, uint32 at) = v2.getReserves();
        (uint112 b0, uint112 b1, uint32 bt) = tp.getReserves();
        assertEq(b0, a0, string.concat(step, ": reserve0"));
        assertEq(b1, a1, string.concat(step, ": reserve1"));
        assertEq(bt, at, string.concat(step, ": blockTimestampLast"));
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

    function carol() internal pure returns (address) {
        return address(0xCA401);
    }
}
