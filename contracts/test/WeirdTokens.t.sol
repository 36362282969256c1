// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";
import {ITidepoolRouter02} from "../src/interfaces/ITidepoolRouter02.sol";
import {TestToken} from "../src/devnet/TestToken.sol";
import {TokenBalance} from "../src/libraries/TokenBalance.sol";
import {MockTokenBase, StandardMockToken} from "./mocks/MockTokenBase.sol";
import {
    FeeOnTransferToken,
    NoReturnToken,
    ReturnsFalseToken,
    ZeroTransferRevertToken,
    PausableBalanceToken,
    SeizableToken
} from "./mocks/WeirdTokens.sol";
import {FlashBorrower} from "./mocks/FlashBorrower.sol";

/// @notice The pair and router with tokens that do not behave like the reference ERC-20: other
///         decimals, no return value, false instead of a revert, a fee on transfer, a revert on
///         zero-amount transfers, a balanceOf that can fail, balances that shrink on their own.
contract WeirdTokensTest is Fixture {
    bytes internal constant PANIC_UNDERFLOW = abi.encodeWithSignature("Panic(uint256)", 0x11);

    // ================================================================ helpers

    /// @dev The V2 output for an exact input, written out independently of the library.
    function _out(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return amountIn * 997 * reserveOut / (reserveIn * 1000 + amountIn * 997);
    }

    /// @dev The V2 input for an exact output.
    function _in(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return reserveIn * amountOut * 1000 / ((reserveOut - amountOut) * 997) + 1;
    }

    /// @dev Approves the router for `owner`, whatever `token` returns from approve.
    function _approveRouter(address token, address owner) internal {
        vm.prank(owner);
        (bool ok,) = token.call(abi.encodeWithSignature("approve(address,uint256)", address(router), MAX));
        assertTrue(ok, "approve");
    }

    function _mint(address token, address to, uint256 amount) internal {
        MockTokenBase(token).mint(to, amount);
    }

    function _bal(address token, address who) internal view returns (uint256) {
        return MockTokenBase(token).balanceOf(who);
    }

    function _pair(address a, address b) internal view returns (TidepoolPair) {
        return TidepoolPair(factory.getPair(a, b));
    }

    /// @dev Reserves equal balances (nothing unaccounted for in the pair).
    function _assertSynced(TidepoolPair pair, string memory label) internal view {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        assertEq(_bal(pair.token0(), address(pair)), r0, string.concat(label, ": balance0 == reserve0"));
        assertEq(_bal(pair.token1(), address(pair)), r1, string.concat(label, ": balance1 == reserve1"));
    }

    // ================================================================ decimals (parametrised)

    /// A 1 A = 2 B pool of 1,000,000 A, created through the router, then an exact-input swap of
    /// `units` A, an exact-output swap of `units` B, and a full withdrawal — every amount checked
    /// against the V2 formulas, and the price checked in whole tokens (so the decimals cancel).
    function _decimalsScenario(uint8 decA, uint8 decB, uint256 units) internal {
        string memory label = string.concat("dec ", vm.toString(decA), "/", vm.toString(decB));
        TestToken a = new TestToken("A", "A", decA);
        TestToken b = new TestToken("B", "B", decB);
        uint256 uA = 10 ** decA;
        uint256 uB = 10 ** decB;
        uint256 depA = 1_000_000 * uA;
        uint256 depB = 2_000_000 * uB;
        fund(a, alice, depA);
        fund(b, alice, depB);
        vm.prank(alice);
        (uint256 amountA, uint256 amountB, uint256 lp) =
            router.addLiquidity(address(a), address(b), depA, depB, depA, depB, alice, block.timestamp);
        assertEq(amountA, depA, string.concat(label, ": A deposited"));
        assertEq(amountB, depB, string.concat(label, ": B deposited"));
        assertEq(lp, FixedPointMathLib.sqrt(depA * depB) - MINIMUM_LIQUIDITY, string.concat(label, ": LP"));
        TidepoolPair pair = _pair(address(a), address(b));
        assertEq(pair.balanceOf(address(0)), MINIMUM_LIQUIDITY, string.concat(label, ": locked"));

        // Exact input: `units` A for B.
        uint256 inA = units * uA;
        uint256 outB = _out(inA, depA, depB);
        fund(a, bob, inA);
        vm.prank(bob);
        router.swapExactTokensForTokens(inA, outB, path2(address(a), address(b)), bob, block.timestamp);
        assertEq(b.balanceOf(bob), outB, string.concat(label, ": exact-in output"));
        // In whole tokens: at most 2 B per A, and within 1% of it (0.3% fee + ≤ 0.1% impact).
        assertLe(outB * uA, 2 * inA * uB, string.concat(label, ": never above the pool price"));
        assertGe(outB * uA * 100, 2 * inA * uB * 99, string.concat(label, ": within 1% of the pool price"));

        // Exact output: `units` B bought with A.
        (uint256 rA, uint256 rB) = reservesOf(pair, address(a));
        uint256 wantB = units * uB;
        uint256 needA = _in(wantB, rA, rB);
        fund(a, bob, needA);
        vm.prank(bob);
        router.swapTokensForExactTokens(wantB, needA, path2(address(a), address(b)), bob, block.timestamp);
        assertEq(b.balanceOf(bob), outB + wantB, string.concat(label, ": exact-out output"));
        assertEq(a.balanceOf(bob), 0, string.concat(label, ": exact-out input fully spent"));

        // Withdraw everything: the exact pro-rata share.
        (rA, rB) = reservesOf(pair, address(a));
        uint256 supply = pair.totalSupply();
        vm.startPrank(alice);
        pair.approve(address(router), lp);
        (uint256 gotA, uint256 gotB) =
            router.removeLiquidity(address(a), address(b), lp, 0, 0, alice, block.timestamp);
        vm.stopPrank();
        assertEq(gotA, lp * rA / supply, string.concat(label, ": A withdrawn"));
        assertEq(gotB, lp * rB / supply, string.concat(label, ": B withdrawn"));
        assertEq(pair.totalSupply(), MINIMUM_LIQUIDITY, string.concat(label, ": only the locked units left"));
        _assertSynced(pair, label);
    }

    /// Every pair of decimals among 6, 8, 18 and 24, in both orders.
    function test_decimals_allCombinations() public {
        uint8[4] memory decimals = [6, 8, 18, 24];
        for (uint256 i; i < 4; ++i) {
            for (uint256 j; j < 4; ++j) {
                uint256 snap = vm.snapshotState();
                _decimalsScenario(decimals[i], decimals[j], 1000);
                vm.revertToState(snap);
            }
        }
    }

    function testFuzz_decimals(uint256 i, uint256 j, uint256 units) public {
        uint8[4] memory decimals = [6, 8, 18, 24];
        _decimalsScenario(decimals[bound(i, 0, 3)], decimals[bound(j, 0, 3)], bound(units, 1, 1000));
    }

    /// A reserve is a uint112: a 24-decimal token fits ~5.19e9 whole tokens, and one wei more is
    /// refused with Overflow().
    function test_decimals24_reserveCapIsAbout5e9Tokens() public {
        TestToken big = new TestToken("Big", "BIG", 24);
        TidepoolPair pair = TidepoolPair(factory.createPair(address(big), address(tokenB)));
        big.mint(address(pair), uint256(type(uint112).max) + 1);
        tokenB.mint(address(pair), 1e18);
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.mint(alice);
        pair.skim(bob);
        big.mint(address(pair), type(uint112).max);
        tokenB.mint(address(pair), 1e18);
        pair.mint(alice);
        (uint256 rBig,) = reservesOf(pair, address(big));
        assertEq(rBig / 1e24, 5_192_296_858, "whole 24-decimal tokens at the cap");
    }

    // ================================================================ token kinds (parametrised)

    uint256 internal constant KIND_STANDARD = 0;
    uint256 internal constant KIND_NO_RETURN = 1;
    uint256 internal constant KIND_RETURNS_FALSE = 2;
    uint256 internal constant KIND_ZERO_REVERT = 3;
    uint256 internal constant KINDS = 4;

    function _make(uint256 kind) internal returns (address token, string memory label) {
        if (kind == KIND_STANDARD) return (address(new StandardMockToken("Std", "STD", 18)), "standard");
        if (kind == KIND_NO_RETURN) return (address(new NoReturnToken("NoRet", "NORET", 18)), "no-return");
        if (kind == KIND_RETURNS_FALSE) {
            return (address(new ReturnsFalseToken("False", "FALSE", 18)), "returns-false");
        }
        return (address(new ZeroTransferRevertToken("NoZero", "NOZERO", 18)), "zero-revert");
    }

    /// The full life of a pool of a weird token W and tokenB through the router and the pair:
    /// add, exact-in and exact-out swaps both ways, donate+skim, donate+sync, flash swap, remove.
    function _lifecycle(uint256 kind, uint256 swapIn) internal {
        (address w, string memory label) = _make(kind);
        address b = address(tokenB);
        _mint(w, alice, 1000e18);
        _approveRouter(w, alice);
        fund(tokenB, alice, 1000e18);
        vm.prank(alice);
        (,, uint256 lp) =
            router.addLiquidity(w, b, 1000e18, 1000e18, 1000e18, 1000e18, alice, block.timestamp);
        assertEq(lp, 1000e18 - MINIMUM_LIQUIDITY, string.concat(label, ": LP"));
        TidepoolPair pair = _pair(w, b);

        // Exact input W -> B.
        _mint(w, bob, swapIn);
        _approveRouter(w, bob);
        fund(tokenB, bob, 100e18);
        (uint256 rW, uint256 rB) = reservesOf(pair, w);
        uint256 outB = _out(swapIn, rW, rB);
        vm.prank(bob);
        router.swapExactTokensForTokens(swapIn, outB, path2(w, b), bob, block.timestamp);
        assertEq(tokenB.balanceOf(bob), 100e18 + outB, string.concat(label, ": W->B output"));
        assertEq(_bal(w, bob), 0, string.concat(label, ": W->B input"));

        // Exact output B -> W.
        (rW, rB) = reservesOf(pair, w);
        uint256 wantW = swapIn / 2;
        uint256 needB = _in(wantW, rB, rW);
        vm.prank(bob);
        router.swapTokensForExactTokens(wantW, needB, path2(b, w), bob, block.timestamp);
        assertEq(_bal(w, bob), wantW, string.concat(label, ": B->W output"));
        assertEq(tokenB.balanceOf(bob), 100e18 + outB - needB, string.concat(label, ": B->W input"));

        // Donation, skimmed (both sides non-zero), then a donation absorbed by sync.
        _mint(w, address(pair), 3e18);
        tokenB.mint(address(pair), 4e18);
        pair.skim(carol());
        assertEq(_bal(w, carol()), 3e18, string.concat(label, ": skimmed W"));
        assertEq(tokenB.balanceOf(carol()), 4e18, string.concat(label, ": skimmed B"));
        (rW, rB) = reservesOf(pair, w);
        _mint(w, address(pair), 5e18);
        pair.sync();
        (uint256 rW2, uint256 rB2) = reservesOf(pair, w);
        assertEq(rW2, rW + 5e18, string.concat(label, ": sync absorbed the donation"));
        assertEq(rB2, rB, string.concat(label, ": other reserve unchanged"));

        // Flash swap of W, repaid in W with the fee.
        FlashBorrower borrower = new FlashBorrower(ITidepoolPair(address(pair)));
        bool wIs0 = pair.token0() == w;
        uint256 x = 1e18;
        uint256 repay = (x * 1000 + 996) / 997;
        _mint(w, address(borrower), repay - x);
        borrower.setRepay(wIs0 ? repay : 0, wIs0 ? 0 : repay);
        borrower.borrow(wIs0 ? x : 0, wIs0 ? 0 : x, "flash");
        (uint256 rW3,) = reservesOf(pair, w);
        assertEq(rW3, rW2 + repay - x, string.concat(label, ": flash fee kept"));

        // Remove all of alice's liquidity: the exact pro-rata share.
        (rW, rB) = reservesOf(pair, w);
        uint256 supply = pair.totalSupply();
        vm.startPrank(alice);
        pair.approve(address(router), lp);
        (uint256 gotW, uint256 gotB) = router.removeLiquidity(w, b, lp, 0, 0, alice, block.timestamp);
        vm.stopPrank();
        assertEq(gotW, lp * rW / supply, string.concat(label, ": W withdrawn"));
        assertEq(gotB, lp * rB / supply, string.concat(label, ": B withdrawn"));
        assertEq(_bal(w, alice), gotW, string.concat(label, ": alice got W"));
        _assertSynced(pair, label);
    }

    function carol() internal pure returns (address) {
        return address(0xCA401);
    }

    /// Standard, no-return-value (USDT-style), returns-false (in its non-failing mode) and
    /// zero-transfer-reverting tokens all go through the whole lifecycle with exact amounts.
    function test_kinds_lifecycle() public {
        for (uint256 kind; kind < KINDS; ++kind) {
            uint256 snap = vm.snapshotState();
            _lifecycle(kind, 10e18);
            vm.revertToState(snap);
        }
    }

    function testFuzz_kinds_lifecycle(uint256 kind, uint256 swapIn) public {
        _lifecycle(bound(kind, 0, KINDS - 1), bound(swapIn, 2, 100e18));
    }

    // ================================================================ returns false

    /// A token that reports failure by returning false is caught: SafeTransferLib turns a false
    /// into TransferFromFailed() on the router's pulls and TransferFailed() on the pair's pushes,
    /// so nothing is ever credited for a transfer that did not happen.
    function test_returnsFalse_failuresAreDetected() public {
        ReturnsFalseToken f = new ReturnsFalseToken("False", "FALSE", 18);
        address w = address(f);
        TidepoolPair pair = TidepoolPair(factory.createPair(w, address(tokenB)));
        f.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 1000e18);
        uint256 lp = pair.mint(alice);

        // Router pulls: balance too low, allowance too low.
        f.mint(bob, 1e18);
        fund(tokenB, bob, 100e18);
        vm.startPrank(bob);
        vm.expectRevert(SafeTransferLib.TransferFromFailed.selector);
        router.swapExactTokensForTokens(1e18, 0, path2(w, address(tokenB)), bob, block.timestamp); // no allowance
        f.approve(address(router), MAX);
        vm.expectRevert(SafeTransferLib.TransferFromFailed.selector);
        router.swapExactTokensForTokens(2e18, 0, path2(w, address(tokenB)), bob, block.timestamp); // no balance
        vm.stopPrank();
        assertEq(f.balanceOf(bob), 1e18, "bob keeps his token");
        assertEq(tokenB.balanceOf(bob), 100e18, "and got nothing");

        // Pair pushes while the token fails every transfer.
        f.setFailAll(true);
        bool fIs0 = pair.token0() == w;
        tokenB.mint(address(pair), 10e18);
        vm.expectRevert(SafeTransferLib.TransferFailed.selector);
        pair.swap(fIs0 ? 1e18 : 0, fIs0 ? 0 : 1e18, bob, "");
        vm.prank(alice);
        pair.transfer(address(pair), lp / 2);
        vm.expectRevert(SafeTransferLib.TransferFailed.selector);
        pair.burn(alice);
        f.mint(address(pair), 1e18);
        vm.expectRevert(SafeTransferLib.TransferFailed.selector);
        pair.skim(bob);
        (uint256 rF, uint256 rB) = reservesOf(pair, w);
        assertEq(rF, 1000e18, "reserve unchanged");
        assertEq(rB, 1000e18, "reserve unchanged");
        assertEq(f.balanceOf(bob), 1e18, "bob got nothing from the pair");
    }

    // ================================================================ reverts on zero transfers

    /// Every operation that moves tokens skips a zero amount, except skim, which transfers
    /// balance − reserve of both tokens unconditionally (as V2's did): with a token that reverts
    /// on zero transfers, skim only works when that token has an excess. sync still absorbs any
    /// excess, so nothing gets stuck — but a donation of the *other* token cannot be skimmed out.
    function test_zeroRevert_skimNeedsAnExcessOfThatToken() public {
        ZeroTransferRevertToken z = new ZeroTransferRevertToken("NoZero", "NZ", 18);
        address w = address(z);
        TidepoolPair pair = TidepoolPair(factory.createPair(w, address(tokenB)));
        z.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 1000e18);
        pair.mint(alice);

        // Nothing to skim: the zero transfer of z reverts (wrapped as TransferFailed).
        vm.expectRevert(SafeTransferLib.TransferFailed.selector);
        pair.skim(bob);

        // Excess of tokenB only: still reverts on z's zero transfer.
        tokenB.mint(address(pair), 5e18);
        vm.expectRevert(SafeTransferLib.TransferFailed.selector);
        pair.skim(bob);

        // Excess of z only: works (tokenB, a solady token, accepts a zero transfer).
        z.mint(address(pair), 2e18);
        pair.skim(bob);
        assertEq(z.balanceOf(bob), 2e18, "z excess skimmed");
        assertEq(tokenB.balanceOf(bob), 5e18, "and the tokenB excess with it");

        // sync never transfers, so it works with nothing to absorb and with an excess.
        pair.sync();
        tokenB.mint(address(pair), 7e18);
        pair.sync();
        (uint256 rZ, uint256 rB) = reservesOf(pair, w);
        assertEq(rZ, 1000e18, "z reserve");
        assertEq(rB, 1007e18, "tokenB donation absorbed");

        // One-sided swaps never transfer zero of the other token.
        bool zIs0 = pair.token0() == w;
        uint256 out = _out(10e18, rB, rZ);
        tokenB.mint(address(pair), 10e18);
        pair.swap(zIs0 ? out : 0, zIs0 ? 0 : out, bob, "");
        assertEq(z.balanceOf(bob), 2e18 + out, "swap paid z");
    }

    // ================================================================ fee on transfer

    FeeOnTransferToken internal fot;

    /// Pools (minted directly, so without the token's fee): FOT/B 1000:1000, FOT/WETH 1000:100.
    function _fotPools() internal {
        fot = new FeeOnTransferToken("Fee", "FEE", 18, 100); // 1% burnt
        vm.label(address(fot), "fot");
        TidepoolPair p = TidepoolPair(factory.createPair(address(fot), address(tokenB)));
        fot.mint(address(p), 1000e18);
        tokenB.mint(address(p), 1000e18);
        p.mint(alice);
        p = TidepoolPair(factory.createPair(address(fot), address(weth)));
        fot.mint(address(p), 1000e18);
        weth.deposit{value: 100 ether}();
        weth.transfer(address(p), 100 ether);
        p.mint(alice);
        fot.mint(bob, 1000e18);
        _approveRouter(address(fot), bob);
        fund(tokenB, bob, 1000e18);
        vm.deal(bob, 100 ether);
    }

    function _r(address a, address b) internal view returns (uint256 ra, uint256 rb) {
        return reservesOf(_pair(a, b), a);
    }

    /// FOT in: the pair receives amountIn − 1% and pays getAmountOut of what arrived.
    function test_fot_exactTokensForTokens_feeTokenIn() public {
        _fotPools();
        (uint256 rF, uint256 rB) = _r(address(fot), address(tokenB));
        uint256 amountIn = 10e18;
        uint256 arrived = amountIn - fot.feeOf(amountIn);
        assertEq(arrived, 9.9e18, "1% burnt");
        uint256 expected = _out(arrived, rF, rB);
        vm.prank(bob);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            amountIn, expected, path2(address(fot), address(tokenB)), bob, block.timestamp
        );
        assertEq(tokenB.balanceOf(bob), 1000e18 + expected, "output");
        (uint256 nF, uint256 nB) = _r(address(fot), address(tokenB));
        assertEq(nF, rF + arrived, "FOT reserve grew by what arrived");
        assertEq(nB, rB - expected, "B reserve");
    }

    /// FOT out: the recipient gets the output − 1%, and amountOutMin is checked on what arrived.
    function test_fot_exactTokensForTokens_feeTokenOut() public {
        _fotPools();
        (uint256 rB, uint256 rF) = _r(address(tokenB), address(fot));
        uint256 out = _out(10e18, rB, rF);
        uint256 received = out - fot.feeOf(out);
        address[] memory path = path2(address(tokenB), address(fot));
        vm.startPrank(bob);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            10e18, received + 1, path, bob, block.timestamp
        );
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            10e18, received, path, bob, block.timestamp
        );
        vm.stopPrank();
        assertEq(fot.balanceOf(bob), 1000e18 + received, "received output minus the fee");
    }

    /// FOT in the middle of a path (B -> FOT -> WETH): the FOT pair pays out1, the next pair
    /// receives out1 − 1% and prices the second hop on that.
    function test_fot_exactTokensForTokens_feeTokenMidPath() public {
        _fotPools();
        (uint256 rB, uint256 rF1) = _r(address(tokenB), address(fot));
        (uint256 rF2, uint256 rW) = _r(address(fot), address(weth));
        uint256 out1 = _out(10e18, rB, rF1);
        uint256 out2 = _out(out1 - fot.feeOf(out1), rF2, rW);
        vm.prank(bob);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            10e18, out2, path3(address(tokenB), address(fot), address(weth)), bob, block.timestamp
        );
        assertEq(weth.balanceOf(bob), out2, "WETH out");
        (uint256 nF2,) = _r(address(fot), address(weth));
        assertEq(nF2, rF2 + out1 - fot.feeOf(out1), "second pair got out1 - fee");
    }

    function test_fot_exactETHForTokens() public {
        _fotPools();
        (uint256 rW, uint256 rF) = _r(address(weth), address(fot));
        uint256 out = _out(1 ether, rW, rF);
        uint256 received = out - fot.feeOf(out);
        vm.prank(bob);
        router.swapExactETHForTokensSupportingFeeOnTransferTokens{value: 1 ether}(
            received, path2(address(weth), address(fot)), bob, block.timestamp
        );
        assertEq(fot.balanceOf(bob), 1000e18 + received, "FOT received");
        assertEq(bob.balance, 99 ether, "1 ETH spent");
    }

    function test_fot_exactTokensForETH() public {
        _fotPools();
        (uint256 rF, uint256 rW) = _r(address(fot), address(weth));
        uint256 arrived = 10e18 - fot.feeOf(10e18);
        uint256 out = _out(arrived, rF, rW);
        address[] memory path = path2(address(fot), address(weth));
        vm.startPrank(bob);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForETHSupportingFeeOnTransferTokens(10e18, out + 1, path, bob, block.timestamp);
        router.swapExactTokensForETHSupportingFeeOnTransferTokens(10e18, out, path, bob, block.timestamp);
        vm.stopPrank();
        assertEq(bob.balance, 100 ether + out, "ETH received");
        assertEq(fot.balanceOf(bob), 990e18, "FOT spent");
    }

    /// The pair sends amountToken to the router (which receives it − 1%), the router forwards
    /// all it has (another 1% burnt); ETH arrives exactly. amountTokenMin is compared with what the
    /// pair sent, not with what reaches `to` (as in V2).
    function test_fot_removeLiquidityETHSupporting() public {
        _fotPools();
        TidepoolPair pair = _pair(address(fot), address(weth));
        uint256 lp = pair.balanceOf(alice);
        (uint256 rF, uint256 rW) = _r(address(fot), address(weth));
        uint256 supply = pair.totalSupply();
        uint256 amountToken = lp * rF / supply;
        uint256 amountETH = lp * rW / supply;
        uint256 atRouter = amountToken - fot.feeOf(amountToken);
        uint256 atAlice = atRouter - fot.feeOf(atRouter);
        vm.startPrank(alice);
        pair.approve(address(router), lp);
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.removeLiquidityETHSupportingFeeOnTransferTokens(
            address(fot), lp, amountToken + 1, 0, alice, block.timestamp
        );
        uint256 gotETH = router.removeLiquidityETHSupportingFeeOnTransferTokens(
            address(fot), lp, amountToken, amountETH, alice, block.timestamp
        );
        vm.stopPrank();
        assertEq(gotETH, amountETH, "ETH amount returned");
        assertEq(alice.balance, amountETH, "ETH received");
        assertEq(fot.balanceOf(alice), atAlice, "token received after two fees");
        assertEq(fot.balanceOf(address(router)), 0, "router keeps nothing");
        assertEq(weth.balanceOf(address(router)), 0, "router keeps no WETH");
    }

    /// The permit variant: the same amounts, with the LP approval given by signature.
    function test_fot_removeLiquidityETHWithPermitSupporting() public {
        _fotPools();
        TidepoolPair pair = _pair(address(fot), address(weth));
        uint256 lp = pair.balanceOf(alice);
        (uint256 rF, uint256 rW) = _r(address(fot), address(weth));
        uint256 supply = pair.totalSupply();
        uint256 amountToken = lp * rF / supply;
        uint256 atRouter = amountToken - fot.feeOf(amountToken);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(pair.PERMIT_TYPEHASH(), alice, address(router), lp, pair.nonces(alice), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", pair.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(uint256(keccak256(bytes("alice"))), digest);
        vm.prank(alice);
        uint256 gotETH = router.removeLiquidityETHWithPermitSupportingFeeOnTransferTokens(
            address(fot), lp, 0, 0, alice, deadline, false, v, r, s
        );
        assertEq(gotETH, lp * rW / supply, "ETH");
        assertEq(alice.balance, gotETH, "ETH received");
        assertEq(fot.balanceOf(alice), atRouter - fot.feeOf(atRouter), "token after two fees");
        assertEq(pair.nonces(alice), 1, "permit used");
    }

    /// The plain (non-supporting) functions do not work with a fee-on-transfer input or a
    /// router-forwarded output, as in V2: the exact-input swap reverts K() (the pair got less than
    /// the router promised it), removeLiquidityETH cannot forward amountToken, and an exact-output
    /// swap to the fee token silently delivers 1% less than asked.
    function test_fot_plainFunctionsDoNotSupportFees() public {
        _fotPools();
        vm.startPrank(bob);
        vm.expectRevert(ITidepoolPair.K.selector);
        router.swapExactTokensForTokens(10e18, 0, path2(address(fot), address(tokenB)), bob, block.timestamp);
        router.swapTokensForExactTokens(5e18, MAX, path2(address(tokenB), address(fot)), bob, block.timestamp);
        vm.stopPrank();
        assertEq(fot.balanceOf(bob), 1000e18 + 5e18 - fot.feeOf(5e18), "exact output arrives minus the fee");

        TidepoolPair pair = _pair(address(fot), address(weth));
        uint256 lp = pair.balanceOf(alice);
        vm.startPrank(alice);
        pair.approve(address(router), lp);
        vm.expectRevert(SafeTransferLib.TransferFailed.selector); // router holds amountToken − fee
        router.removeLiquidityETH(address(fot), lp, 0, 0, alice, block.timestamp);
        vm.stopPrank();
        assertEq(pair.balanceOf(alice), lp, "alice keeps her LP");
    }

    /// Adding liquidity with a fee token through the router: the pair mints for what arrived
    /// (99% of the FOT), and the surplus of the other token stays in the pool.
    function test_fot_addLiquidityMintsForWhatArrived() public {
        _fotPools();
        TidepoolPair pair = _pair(address(fot), address(tokenB));
        (uint256 rF, uint256 rB) = _r(address(fot), address(tokenB));
        uint256 supply = pair.totalSupply();
        vm.prank(bob);
        (uint256 amountF, uint256 amountB, uint256 lp) =
            router.addLiquidity(address(fot), address(tokenB), 100e18, 100e18, 0, 0, bob, block.timestamp);
        assertEq(amountF, 100e18, "router's FOT amount");
        assertEq(amountB, 100e18, "router's B amount");
        uint256 arrived = 100e18 - fot.feeOf(100e18);
        assertEq(
            lp, FixedPointMathLib.min(arrived * supply / rF, 100e18 * supply / rB), "LP for what arrived"
        );
        (uint256 nF, uint256 nB) = _r(address(fot), address(tokenB));
        assertEq(nF, rF + arrived, "FOT reserve");
        assertEq(nB, rB + 100e18, "B reserve (1e18 surplus donated)");
    }

    /// Any fee from 0 to 10% and any input: the supporting exact-input swap pays exactly the
    /// V2 output of what arrived, in both directions.
    function testFuzz_fot_supportingSwapsAreExact(uint256 feeBps, uint256 amountIn) public {
        feeBps = bound(feeBps, 0, 1000);
        amountIn = bound(amountIn, 1e6, 500e18);
        FeeOnTransferToken f = new FeeOnTransferToken("Fee", "FEE", 18, feeBps);
        TidepoolPair pair = TidepoolPair(factory.createPair(address(f), address(tokenB)));
        f.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 1000e18);
        pair.mint(alice);
        f.mint(bob, amountIn);
        _approveRouter(address(f), bob);
        fund(tokenB, bob, amountIn);

        (uint256 rF, uint256 rB) = reservesOf(pair, address(f));
        uint256 outB = _out(amountIn - f.feeOf(amountIn), rF, rB);
        vm.prank(bob);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            amountIn, outB, path2(address(f), address(tokenB)), bob, block.timestamp
        );
        assertEq(tokenB.balanceOf(bob), amountIn + outB, "FOT in");

        (rF, rB) = reservesOf(pair, address(f));
        uint256 outF = _out(amountIn, rB, rF);
        vm.prank(bob);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            amountIn, 0, path2(address(tokenB), address(f)), bob, block.timestamp
        );
        assertEq(f.balanceOf(bob), outF - f.feeOf(outF), "FOT out");
        _assertSynced(pair, "fot");
    }

    // ================================================================ balanceOf that can fail

    /// Pool of a pausable token P and tokenB, 1000 : 1000, LP to alice.
    function _pausablePool() internal returns (PausableBalanceToken p, TidepoolPair pair) {
        p = new PausableBalanceToken("Pausable", "PAUSE", 18);
        pair = TidepoolPair(factory.createPair(address(p), address(tokenB)));
        p.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 1000e18);
        pair.mint(alice);
    }

    /// Regression (found by this suite, fixed with TokenBalance): the pair used to read balances
    /// with solady's SafeTransferLib.balanceOf, which returns 0 when the call reverts or returns
    /// < 32 bytes, so sync() during a balanceOf outage recorded a zero reserve. Now every entry
    /// point that reads a balance reverts BalanceOfFailed(token), as V2's plain call reverted.
    function test_balanceOfReverting_everyEntryPointReverts() public {
        (PausableBalanceToken p, TidepoolPair pair) = _pausablePool();
        vm.prank(alice);
        pair.transfer(address(pair), 1e18);
        tokenB.mint(address(pair), 10e18);
        p.setPaused(true);
        bytes memory failed = abi.encodeWithSelector(TokenBalance.BalanceOfFailed.selector, address(p));
        vm.expectRevert(failed);
        pair.sync();
        vm.expectRevert(failed);
        pair.skim(bob);
        vm.expectRevert(failed);
        pair.mint(alice);
        vm.expectRevert(failed);
        pair.burn(bob);
        bool pIs0 = pair.token0() == address(p);
        vm.expectRevert(failed);
        pair.swap(pIs0 ? 0 : 1e18, pIs0 ? 1e18 : 0, bob, "");
        p.setPaused(false);
        (uint256 rP, uint256 rB) = reservesOf(pair, address(p));
        assertEq(rP, 1000e18, "P reserve");
        assertEq(rB, 1000e18, "B reserve");
        assertEq(tokenB.balanceOf(bob), 0, "nothing paid out");
    }

    /// Regression, the impact of the bug above. Before the fix: a sync() during the outage zeroed
    /// P's reserve; every swap then reverted InsufficientLiquidity (amountOut ≥ a zero reserve —
    /// the check that also kept the other side from being drained, since _checkK against
    /// reserve0·reserve1 = 0 would pass), every mint divided by the zero reserve (panic 0x12), and
    /// _update skipped the price accumulators while a reserve was 0, biasing any TWAP over the
    /// outage — until someone synced again. Now: the sync reverts and the pool trades normally
    /// once P works again.
    function test_balanceOfOutage_leavesThePoolIntact() public {
        (PausableBalanceToken p, TidepoolPair pair) = _pausablePool();
        address griefer = makeAddr("griefer");
        p.setPaused(true);
        vm.prank(griefer);
        (bool synced,) = address(pair).call(abi.encodeCall(pair.sync, ()));
        p.setPaused(false);
        (uint256 rP, uint256 rB) = reservesOf(pair, address(p));
        assertEq(rP, 1000e18, "P reserve intact");
        assertEq(rB, 1000e18, "tokenB reserve intact");

        // A normal swap B -> P goes through at the pre-outage reserves.
        bool pIs0 = pair.token0() == address(p);
        uint256 out = _out(10e18, 1000e18, 1000e18);
        tokenB.mint(address(pair), 10e18);
        pair.swap(pIs0 ? out : 0, pIs0 ? 0 : out, bob, "");
        assertEq(p.balanceOf(bob), out, "swap paid out");
        assertFalse(synced, "sync during the outage succeeded");
    }

    // ================================================================ balances that shrink

    /// When the token takes balance away from the pair (negative rebase, seizure), reserves exceed
    /// balances: mint and skim underflow and revert (checked arithmetic), swaps price against the
    /// stale reserves and fail K, and sync() repairs the pool, after which everything works.
    function test_seizedPairBalance_syncRecovers() public {
        SeizableToken s = new SeizableToken("Seize", "SZ", 18);
        TidepoolPair pair = TidepoolPair(factory.createPair(address(s), address(tokenB)));
        s.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 1000e18);
        pair.mint(alice);
        s.seize(address(pair), 100e18);

        s.mint(address(pair), 10e18);
        tokenB.mint(address(pair), 10e18);
        vm.expectRevert(PANIC_UNDERFLOW);
        pair.mint(bob);
        vm.expectRevert(PANIC_UNDERFLOW);
        pair.skim(bob);

        pair.sync();
        (uint256 rS, uint256 rB) = reservesOf(pair, address(s));
        assertEq(rS, 910e18, "reserve follows the seized balance");
        assertEq(rB, 1010e18, "and absorbs the B deposit");
        s.mint(address(pair), 91e18);
        tokenB.mint(address(pair), 101e18);
        uint256 supply = pair.totalSupply();
        uint256 minted = pair.mint(bob);
        assertEq(minted, FixedPointMathLib.min(91e18 * supply / rS, 101e18 * supply / rB), "mint works again");
        _assertSynced(pair, "seized");
    }
}
