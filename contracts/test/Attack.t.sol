// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "solady/tokens/ERC20.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";
import {ITidepoolRouter02} from "../src/interfaces/ITidepoolRouter02.sol";
import {TestToken} from "../src/devnet/TestToken.sol";
import {HookToken} from "./mocks/HookToken.sol";
import {ReentrancyProbe} from "./mocks/ReentrancyProbe.sol";
import {FlashBorrower} from "./mocks/FlashBorrower.sol";
import {RouterSweeper, DepositSkimmer} from "./mocks/HookAttackers.sol";

/// @notice Attacks on the pair and the router: first-depositor inflation, reentrancy through token
///         hooks and flash-swap callbacks (state-changing and read-only), flash-swap repayment,
///         deadlines and slippage bounds, `to` validation and uint112 overflow.
contract AttackTest is Fixture {
    uint256 internal constant MAX112 = type(uint112).max;

    address internal attacker;
    address internal victim;

    function setUp() public override {
        super.setUp();
        attacker = makeAddr("attacker");
        victim = makeAddr("victim");
    }

    // ================================================================ helpers

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a + b - 1) / b;
    }

    function _tokens(TidepoolPair pair) internal view returns (TestToken t0, TestToken t1) {
        t0 = TestToken(pair.token0());
        t1 = TestToken(pair.token1());
    }

    function _reserves(TidepoolPair pair) internal view returns (uint256 r0, uint256 r1) {
        (uint112 a, uint112 b,) = pair.getReserves();
        (r0, r1) = (a, b);
    }

    /// @dev The error a pair function reports when re-entered.
    function _lockedError() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITidepoolPair.Locked.selector);
    }

    function _assertAllLocked(ReentrancyProbe probe) internal view {
        string[5] memory names = ["mint", "burn", "swap", "skim", "sync"];
        for (uint256 i; i < 5; ++i) {
            assertFalse(probe.ok(i), string.concat(names[i], " re-entered"));
            assertEq(probe.revertData(i), _lockedError(), string.concat(names[i], " reverts Locked()"));
        }
    }

    /// @dev A pool of a hook token and tokenB, 1000 : 2000, LP tokens to alice.
    function _hookPool() internal returns (HookToken evil, TidepoolPair pair) {
        evil = new HookToken("Evil", "EVIL", 18);
        vm.label(address(evil), "evil");
        pair = TidepoolPair(factory.createPair(address(evil), address(tokenB)));
        evil.mint(address(pair), 1000e18);
        tokenB.mint(address(pair), 2000e18);
        pair.mint(alice);
    }

    // ================================================================ first depositor / inflation

    /// The classic inflation attack with concrete numbers: the attacker mints the first 1 LP unit
    /// (1001 wei each: 1000 go to address(0)), donates 100 tokens of each and syncs, so one LP unit
    /// is worth ~0.0999 tokens. A victim depositing 1.999 units' worth (0.1998 tokens each) gets 1
    /// unit and loses ~50% of the deposit to rounding, but 1000/1001 of the attacker's donation now
    /// belongs to address(0): the attacker loses ~1000x what the victim loses and ~10^6x what it takes.
    function test_inflation_attackerLosesAboutThousandTimesTheVictimsLoss() public {
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 1001);
        tokenB.mint(address(pair), 1001);
        assertEq(pair.mint(attacker), 1, "attacker owns 1 LP unit");
        assertEq(pair.balanceOf(address(0)), MINIMUM_LIQUIDITY, "MINIMUM_LIQUIDITY locked at address(0)");
        assertEq(pair.totalSupply(), 1001, "supply");

        uint256 donation = 100e18;
        tokenA.mint(address(pair), donation);
        tokenB.mint(address(pair), donation);
        pair.sync();
        uint256 attackerIn = 1001 + donation;
        uint256 attackerClaimBefore = attackerIn / 1001;

        // The victim goes through the router with tight mins: the ratio is untouched, so the mins
        // pass; the LP amount is not something the V2 router interface lets the caller bound.
        uint256 deposit = 199_800_199_800_199_801; // 2 LP units' worth minus 1 wei
        fund(tokenA, victim, deposit);
        fund(tokenB, victim, deposit);
        vm.prank(victim);
        (,, uint256 minted) = router.addLiquidity(
            address(tokenA), address(tokenB), deposit, deposit, deposit, deposit, victim, block.timestamp
        );
        assertEq(minted, 1, "victim minted 1 unit");

        vm.prank(victim);
        pair.transfer(address(pair), 1);
        (uint256 v0, uint256 v1) = pair.burn(victim);
        vm.prank(attacker);
        pair.transfer(address(pair), 1);
        (uint256 a0, uint256 a1) = pair.burn(attacker);

        assertEq(v0, 99_999_800_598_602_994, "victim gets back 0.0999998 of 0.1998");
        assertEq(v1, v0, "symmetric");
        assertEq(a0, 99_999_800_598_602_994, "attacker gets back 0.0999998 of 100.000000000000001001");
        assertEq(a1, a0, "symmetric");
        uint256 victimLoss = deposit - v0;
        uint256 attackerLoss = attackerIn - a0;
        uint256 stolen = a0 - attackerClaimBefore;
        assertEq(victimLoss, 99_800_399_201_596_807, "victim loss (~50% of the deposit)");
        assertEq(attackerLoss, 99_900_000_199_401_398_007, "attacker loss (~99.9 tokens)");
        assertEq(stolen, 99_700_698_503_093, "attacker's share of the victim's loss");
        assertGe(attackerLoss, 1000 * victimLoss, "attack costs >= 1000x the victim's loss");
        assertGe(attackerLoss, 1_000_000 * stolen, "attack costs >= 10^6x what it takes");
        // Everything the two lost is owned by the locked MINIMUM_LIQUIDITY now.
        (uint256 r0, uint256 r1) = _reserves(pair);
        assertEq(r0, attackerLoss + victimLoss, "locked remainder (token0)");
        assertEq(r1, r0, "locked remainder (token1)");
        assertEq(pair.totalSupply(), MINIMUM_LIQUIDITY, "only the locked units remain");
    }

    /// For any first deposit m (both tokens), donation d and victim deposit v: a victim whose
    /// deposit would mint 0 units is refused and keeps everything; otherwise the victim loses less
    /// than one LP unit (+1 wei of burn rounding), the attacker never profits, and the attacker
    /// loses at least 999x the victim's loss (losses sum to the locked units' claim, which is
    /// ≥ 1000 units, while the victim loses < 1 unit).
    function testFuzz_inflation_attackerNeverProfits(uint256 m, uint256 d, uint256 v) public {
        m = bound(m, 1001, 1e21);
        d = bound(d, 0, 1e27);
        v = bound(v, 1, 1e27);
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), m);
        tokenB.mint(address(pair), m);
        uint256 attackerLp = pair.mint(attacker);
        assertEq(attackerLp, m - MINIMUM_LIQUIDITY, "attacker's units");
        tokenA.mint(address(pair), d);
        tokenB.mint(address(pair), d);
        pair.sync();
        uint256 reserve = m + d;
        uint256 supply = m;

        tokenA.mint(address(pair), v);
        tokenB.mint(address(pair), v);
        if (v * supply / reserve == 0) {
            vm.expectRevert(ITidepoolPair.InsufficientLiquidityMinted.selector);
            pair.mint(victim);
            pair.skim(victim); // the victim takes the deposit back
            assertEq(tokenA.balanceOf(victim), v, "refused victim keeps token A");
            assertEq(tokenB.balanceOf(victim), v, "refused victim keeps token B");
            return;
        }
        uint256 victimLp = pair.mint(victim);
        uint256 unit = (reserve + v) / (supply + victimLp); // value of one LP unit (token0)

        vm.prank(victim);
        pair.transfer(address(pair), victimLp);
        (uint256 vOut,) = pair.burn(victim);
        vm.prank(attacker);
        pair.transfer(address(pair), attackerLp);
        (uint256 aOut,) = pair.burn(attacker);

        uint256 victimLoss = v - vOut; // burn rounds down, so never negative
        assertLe(aOut, m + d, "attacker never profits");
        uint256 attackerLoss = m + d - aOut;
        assertLe(victimLoss, unit + 2, "victim loses < 1 LP unit (+ rounding)");
        assertGe(attackerLoss + 1000, 999 * victimLoss, "attacker loses >= 999x the victim's loss");
        assertEq(
            tokenA.balanceOf(address(pair)), attackerLoss + victimLoss, "losses stay with the locked units"
        );
    }

    /// A depositor who would mint 0 LP units through the router is refused; nothing moves.
    function test_inflation_routerDepositRoundingToZeroReverts() public {
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 1001);
        tokenB.mint(address(pair), 1001);
        pair.mint(attacker);
        tokenA.mint(address(pair), 100e18);
        tokenB.mint(address(pair), 100e18);
        pair.sync();

        uint256 deposit = 0.05e18; // half an LP unit's worth
        fund(tokenA, victim, deposit);
        fund(tokenB, victim, deposit);
        vm.prank(victim);
        vm.expectRevert(ITidepoolPair.InsufficientLiquidityMinted.selector);
        router.addLiquidity(address(tokenA), address(tokenB), deposit, deposit, 0, 0, victim, block.timestamp);
        assertEq(tokenA.balanceOf(victim), deposit, "victim keeps A");
        assertEq(tokenB.balanceOf(victim), deposit, "victim keeps B");
        assertEq(pair.balanceOf(victim), 0, "no LP");
    }

    /// A victim who meant to open the pool at 1:1 is front-run by an attacker who opens it at a
    /// skewed price (and inflates it with a donation). The router's amountAMin/amountBMin reject
    /// the deposit at the attacker's price, in both directions; the victim keeps every token.
    function test_inflation_frontRunSkewedPrice_routerMinsProtectVictim() public {
        uint256 desired = 100e18;
        uint256 minimum = 99e18;
        fund(tokenA, victim, desired);
        fund(tokenB, victim, desired);

        // Attacker opens A:B at 1:100 and donates to make the LP units expensive.
        uint256 snap = vm.snapshotState();
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 1e18);
        tokenB.mint(address(pair), 100e18);
        pair.mint(attacker);
        (uint256 rA, uint256 rB) = reservesOf(pair, address(tokenA));
        vm.prank(victim);
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.addLiquidity(
            address(tokenA), address(tokenB), desired, desired, minimum, minimum, victim, block.timestamp
        );
        (uint256 rA2, uint256 rB2) = reservesOf(pair, address(tokenA));
        assertEq(rA2, rA, "reserve A untouched");
        assertEq(rB2, rB, "reserve B untouched");
        assertEq(tokenA.balanceOf(victim), desired, "victim keeps A");
        assertEq(tokenB.balanceOf(victim), desired, "victim keeps B");

        // Same with the skew the other way: now it is B's minimum that trips.
        vm.revertToState(snap);
        pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 100e18);
        tokenB.mint(address(pair), 1e18);
        pair.mint(attacker);
        vm.prank(victim);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.addLiquidity(
            address(tokenA), address(tokenB), desired, desired, minimum, minimum, victim, block.timestamp
        );
        assertEq(tokenA.balanceOf(victim), desired, "victim keeps A");
        assertEq(tokenB.balanceOf(victim), desired, "victim keeps B");
        assertEq(pair.balanceOf(victim), 0, "no LP");
    }

    // ================================================================ reentrancy: token hooks

    /// A hook on the token the pair sends out during `swap` re-enters all five state-changing
    /// functions: each reverts Locked(); the swap itself completes with the exact amounts, and the
    /// hook saw the pre-swap reserves and supply.
    function test_reentrancy_tokenHookDuringSwap_allLocked() public {
        (HookToken evil, TidepoolPair pair) = _hookPool();
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        probe.arm(false, 0);
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 supply = pair.totalSupply();
        bool evilIs0 = pair.token0() == address(evil);
        (uint256 rIn, uint256 rOut) = evilIs0 ? (r1, r0) : (r0, r1);

        uint256 amountIn = 10e18;
        uint256 amountOut = router.getAmountOut(amountIn, rIn, rOut);
        tokenB.mint(address(pair), amountIn);
        pair.swap(evilIs0 ? amountOut : 0, evilIs0 ? 0 : amountOut, bob, "");

        assertEq(probe.fired(), 1, "hook fired once");
        _assertAllLocked(probe);
        assertEq(probe.seenReserve0(), r0, "hook saw pre-swap reserve0");
        assertEq(probe.seenReserve1(), r1, "hook saw pre-swap reserve1");
        assertEq(probe.seenTotalSupply(), supply, "hook saw the supply");
        assertEq(evil.balanceOf(bob), amountOut, "swap paid out");
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(evilIs0 ? n0 : n1, rOut - amountOut, "evil reserve");
        assertEq(evilIs0 ? n1 : n0, rIn + amountIn, "tokenB reserve");
    }

    /// Same during `burn`: locked, and the burn pays the exact pro-rata amounts.
    function test_reentrancy_tokenHookDuringBurn_allLocked() public {
        (HookToken evil, TidepoolPair pair) = _hookPool();
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        probe.arm(false, 0);
        uint256 supply = pair.totalSupply();
        uint256 liquidity = pair.balanceOf(alice) / 4;
        vm.prank(alice);
        pair.transfer(address(pair), liquidity);
        (uint256 out0, uint256 out1) = pair.burn(alice);

        assertEq(probe.fired(), 1, "hook fired once");
        _assertAllLocked(probe);
        (TestToken t0, TestToken t1) = _tokens(pair);
        uint256 expected0 = liquidity * (pair.token0() == address(evil) ? 1000e18 : 2000e18) / supply;
        uint256 expected1 = liquidity * (pair.token0() == address(evil) ? 2000e18 : 1000e18) / supply;
        assertEq(out0, expected0, "amount0");
        assertEq(out1, expected1, "amount1");
        assertEq(t0.balanceOf(alice), expected0, "alice got token0");
        assertEq(t1.balanceOf(alice), expected1, "alice got token1");
        assertEq(pair.totalSupply(), supply - liquidity, "LP burnt");
    }

    /// Same during `skim`: locked, and the skim pays out exactly the excess.
    function test_reentrancy_tokenHookDuringSkim_allLocked() public {
        (HookToken evil, TidepoolPair pair) = _hookPool();
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        evil.mint(address(pair), 7e18);
        tokenB.mint(address(pair), 3e18);
        probe.arm(false, 0);
        pair.skim(bob);

        assertEq(probe.fired(), 1, "hook fired once");
        _assertAllLocked(probe);
        assertEq(evil.balanceOf(bob), 7e18, "evil excess");
        assertEq(tokenB.balanceOf(bob), 3e18, "tokenB excess");
        (uint256 r0, uint256 r1) = _reserves(pair);
        assertEq(
            evil.balanceOf(address(pair)), pair.token0() == address(evil) ? r0 : r1, "evil balance == reserve"
        );
        assertEq(
            tokenB.balanceOf(address(pair)), pair.token0() == address(evil) ? r1 : r0, "B balance == reserve"
        );
    }

    /// When the hook lets the Locked() revert propagate, the token transfer fails and the pair
    /// reports it as solady's TransferFailed() (SafeTransferLib does not forward the token's
    /// revert data, as V2's TRANSFER_FAILED did not): swap, burn and skim all revert and nothing
    /// changes. Checked for each of the five re-entered functions.
    function test_reentrancy_tokenHookBubblingLock_revertsOuterCall() public {
        (HookToken evil, TidepoolPair pair) = _hookPool();
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        bool evilIs0 = pair.token0() == address(evil);
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 lp = pair.balanceOf(alice);
        vm.prank(alice);
        pair.transfer(address(pair), lp / 2);
        evil.mint(address(pair), 1e18); // something to skim

        for (uint256 i; i < 5; ++i) {
            probe.arm(true, i);
            vm.expectRevert(SafeTransferLib.TransferFailed.selector);
            pair.swap(evilIs0 ? 1e18 : 0, evilIs0 ? 0 : 1e18, bob, "");
            probe.arm(true, i);
            vm.expectRevert(SafeTransferLib.TransferFailed.selector);
            pair.burn(bob);
            probe.arm(true, i);
            vm.expectRevert(SafeTransferLib.TransferFailed.selector);
            pair.skim(bob);
        }
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0, "reserve0 unchanged");
        assertEq(n1, r1, "reserve1 unchanged");
        assertEq(evil.balanceOf(bob), 0, "bob got nothing");
        assertEq(pair.balanceOf(address(pair)), lp / 2, "LP still waiting in the pair");
    }

    // ================================================================ reentrancy: flash callback

    /// A flash-swap callee re-entering mint/burn/swap/skim/sync gets Locked() for each; when it
    /// then repays correctly the flash swap completes.
    function test_reentrancy_flashCallback_allLocked() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 1000e18, 2000e18, alice);
        (TestToken t0,) = _tokens(pair);
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        uint256 borrowed = 10e18;
        uint256 repay = _ceilDiv(borrowed * 1000, 997);
        t0.mint(address(probe), repay - borrowed); // the fee
        probe.setRepay(repay, 0);
        probe.arm(false, 0);
        (uint256 r0, uint256 r1) = _reserves(pair);

        probe.flash(borrowed, 0);

        assertEq(probe.fired(), 1, "callback fired");
        _assertAllLocked(probe);
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0 - borrowed + repay, "reserve0 includes the fee");
        assertEq(n1, r1, "reserve1");
        assertEq(t0.balanceOf(address(probe)), 0, "probe paid principal and fee");
    }

    /// A flash-swap callee that lets the Locked() revert propagate makes the swap revert with it.
    function test_reentrancy_flashCallbackBubblingLock_revertsWithLocked() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 1000e18, 2000e18, alice);
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        for (uint256 i; i < 5; ++i) {
            probe.arm(true, i);
            vm.expectRevert(ITidepoolPair.Locked.selector);
            probe.flash(1e18, 0);
        }
        (uint256 r0, uint256 r1) = _reserves(pair);
        (TestToken t0, TestToken t1) = _tokens(pair);
        assertEq(r0, t0.balanceOf(address(pair)), "nothing left the pair (0)");
        assertEq(r1, t1.balanceOf(address(pair)), "nothing left the pair (1)");
    }

    // ================================================================ read-only reentrancy

    /// During a flash-swap callback, the pair's views show the committed pre-swap state: the
    /// reserves and supply the swap started from, although the tokens already left.
    function test_readOnlyReentrancy_flashCallbackSeesPreSwapState() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 1000e18, 2000e18, alice);
        (TestToken t0, TestToken t1) = _tokens(pair);
        FlashBorrower borrower = new FlashBorrower(ITidepoolPair(address(pair)));
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 supply = pair.totalSupply();
        uint256 x0 = 5e18;
        uint256 x1 = 7e18;
        uint256 p0 = _ceilDiv(x0 * 1000, 997);
        uint256 p1 = _ceilDiv(x1 * 1000, 997);
        t0.mint(address(borrower), p0 - x0);
        t1.mint(address(borrower), p1 - x1);
        borrower.setRepay(p0, p1);

        borrower.borrow(x0, x1, "read-only");

        assertEq(borrower.calls(), 1, "one callback");
        assertEq(borrower.seenSender(), address(borrower), "sender");
        assertEq(borrower.seenAmount0(), x0, "amount0");
        assertEq(borrower.seenAmount1(), x1, "amount1");
        assertEq(borrower.seenData(), bytes("read-only"), "data");
        assertEq(borrower.seenReserve0(), r0, "callback saw pre-swap reserve0");
        assertEq(borrower.seenReserve1(), r1, "callback saw pre-swap reserve1");
        assertEq(borrower.seenTotalSupply(), supply, "callback saw the supply");
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0 + p0 - x0, "reserve0 after");
        assertEq(n1, r1 + p1 - x1, "reserve1 after");
    }

    /// During the token transfers inside `burn`, the pair's reserves and LP supply are both still
    /// the pre-burn ones (the LP tokens are burnt after the transfers, by design), so an LP-price
    /// oracle reading reserve/supply from a token hook sees exactly the pre-call price — unlike
    /// V2, which burns first and would show the old reserves over a reduced supply.
    function test_readOnlyReentrancy_burnHookSeesPreBurnState() public {
        (HookToken evil, TidepoolPair pair) = _hookPool();
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 supply = pair.totalSupply();
        uint256 liquidity = pair.balanceOf(alice) / 2;
        vm.prank(alice);
        pair.transfer(address(pair), liquidity);
        probe.arm(false, 0);
        pair.burn(alice);

        assertEq(probe.fired(), 1, "hook fired");
        assertEq(probe.seenReserve0(), r0, "reserve0 is the pre-burn one");
        assertEq(probe.seenReserve1(), r1, "reserve1 is the pre-burn one");
        assertEq(probe.seenTotalSupply(), supply, "supply is the pre-burn one");
        assertEq(
            uint256(probe.seenReserve0()) * 1e18 / probe.seenTotalSupply(),
            r0 * 1e18 / supply,
            "LP price (token0) unchanged"
        );
        assertEq(
            uint256(probe.seenReserve1()) * 1e18 / probe.seenTotalSupply(),
            r1 * 1e18 / supply,
            "LP price (token1) unchanged"
        );
        _assertAllLocked(probe);
        assertEq(pair.totalSupply(), supply - liquidity, "burnt after the hook");
    }

    /// With the protocol fee on, `burn` mints the fee to feeTo before the transfers: a hook sees the
    /// pre-burn reserves over the supply including the fee — the state right after fee accrual, a
    /// consistent one (what a reader would see after any mint), not the pre-call supply.
    function test_readOnlyReentrancy_burnHookWithProtocolFeeSeesAccruedSupply() public {
        address feeTo = makeAddr("feeTo");
        vm.prank(feeSetter);
        factory.setFeeTo(feeTo);
        (HookToken evil, TidepoolPair pair) = _hookPool();
        // Grow k with a swap so the fee is non-zero.
        bool evilIs0 = pair.token0() == address(evil);
        {
            (uint256 a, uint256 b) = _reserves(pair);
            uint256 out = router.getAmountOut(100e18, evilIs0 ? b : a, evilIs0 ? a : b);
            tokenB.mint(address(pair), 100e18);
            pair.swap(evilIs0 ? out : 0, evilIs0 ? 0 : out, bob, "");
        }
        ReentrancyProbe probe = new ReentrancyProbe(ITidepoolPair(address(pair)));
        evil.setHook(address(probe));
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 supply = pair.totalSupply();
        uint256 liquidity = pair.balanceOf(alice) / 2;
        vm.prank(alice);
        pair.transfer(address(pair), liquidity);
        probe.arm(false, 0);
        pair.burn(alice);

        uint256 fee = pair.balanceOf(feeTo);
        assertGt(fee, 0, "protocol fee minted");
        assertEq(probe.seenReserve0(), r0, "reserve0 is the pre-burn one");
        assertEq(probe.seenReserve1(), r1, "reserve1 is the pre-burn one");
        assertEq(probe.seenTotalSupply(), supply + fee, "supply includes the accrued fee, not the burn");
        assertEq(pair.totalSupply(), supply + fee - liquidity, "burnt after the hook");
    }

    // ================================================================ flash-swap repayment

    /// Pool 1000 : 2000 of token0 : token1, borrower funded for the fee.
    function _flashPool() internal returns (TidepoolPair pair, FlashBorrower borrower) {
        (pair,) = provide(tokenA, tokenB, 1000e18, 2000e18, alice);
        borrower = new FlashBorrower(ITidepoolPair(address(pair)));
        vm.label(address(borrower), "borrower");
    }

    function test_flash_notRepaid_revertsInsufficientInputAmount() public {
        (TidepoolPair pair, FlashBorrower borrower) = _flashPool();
        // Nothing came in at all: V2 reports this as INSUFFICIENT_INPUT_AMOUNT rather than K.
        vm.expectRevert(ITidepoolPair.InsufficientInputAmount.selector);
        borrower.borrow(10e18, 0, "x");
        (TestToken t0,) = _tokens(pair);
        assertEq(t0.balanceOf(address(borrower)), 0, "borrower kept nothing");
    }

    function test_flash_principalOnly_revertsK() public {
        (, FlashBorrower borrower) = _flashPool();
        borrower.setRepay(10e18, 0); // no fee
        vm.expectRevert(ITidepoolPair.K.selector);
        borrower.borrow(10e18, 0, "x");
    }

    function test_flash_underpaidByOneWei_revertsK() public {
        (TidepoolPair pair, FlashBorrower borrower) = _flashPool();
        (TestToken t0,) = _tokens(pair);
        uint256 x = 10e18;
        uint256 repay = _ceilDiv(x * 1000, 997);
        t0.mint(address(borrower), repay - x);
        borrower.setRepay(repay - 1, 0);
        vm.expectRevert(ITidepoolPair.K.selector);
        borrower.borrow(x, 0, "x");
    }

    /// Same-token repayment: the least that passes is ceil(x·1000/997); the Swap event reports the
    /// repayment as input; reserves grow by exactly the fee.
    function test_flash_sameToken_exactFee() public {
        (TidepoolPair pair, FlashBorrower borrower) = _flashPool();
        (TestToken t0, TestToken t1) = _tokens(pair);
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 x = 10e18;
        uint256 repay = _ceilDiv(x * 1000, 997);
        assertEq(repay, 10_030_090_270_812_437_312, "repayment for 10 tokens");
        t0.mint(address(borrower), repay - x);
        borrower.setRepay(repay, 0);

        vm.expectEmit(address(pair));
        emit ITidepoolPair.Sync(uint112(r0 - x + repay), uint112(r1));
        vm.expectEmit(address(pair));
        emit ITidepoolPair.Swap(address(borrower), repay, 0, x, 0, address(borrower));
        borrower.borrow(x, 0, "x");

        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0 + repay - x, "reserve0 grew by the fee");
        assertEq(n1, r1, "reserve1");
        assertEq(t0.balanceOf(address(borrower)), 0, "borrower paid the fee");
        assertEq(t1.balanceOf(address(borrower)), 0, "borrower has no token1");
        assertGt(n0 * n1, r0 * r1, "k grew");
    }

    /// Other-token repayment: borrowing x of token0 and paying y of token1 needs
    /// y ≥ 1000·r1·x / (997·(r0 − x)); the least such integer passes, one wei less fails.
    function test_flash_otherToken_exactFee() public {
        (TidepoolPair pair, FlashBorrower borrower) = _flashPool();
        (TestToken t0, TestToken t1) = _tokens(pair);
        (uint256 r0, uint256 r1) = _reserves(pair);
        uint256 x = 10e18;
        uint256 y = _ceilDiv(1000 * r1 * x, 997 * (r0 - x));
        assertLe(y, router.getAmountIn(x, r1, r0), "getAmountIn is never below the minimum");
        t1.mint(address(borrower), y);

        borrower.setRepay(0, y - 1);
        vm.expectRevert(ITidepoolPair.K.selector);
        borrower.borrow(x, 0, "x");

        borrower.setRepay(0, y);
        vm.expectEmit(address(pair));
        emit ITidepoolPair.Swap(address(borrower), 0, y, x, 0, address(borrower));
        borrower.borrow(x, 0, "x");
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0 - x, "reserve0 lent out");
        assertEq(n1, r1 + y, "reserve1 paid");
        assertEq(t0.balanceOf(address(borrower)), x, "borrower keeps the token0");
        assertEq(t1.balanceOf(address(borrower)), 0, "borrower spent its token1");
    }

    /// For any amount, in either token: the minimal same-token repayment passes and one wei less
    /// fails; the minimal other-token repayment likewise.
    function testFuzz_flash_minimalRepaymentIsExact(uint256 x, bool borrow0, bool repaySame) public {
        (TidepoolPair pair, FlashBorrower borrower) = _flashPool();
        (TestToken t0, TestToken t1) = _tokens(pair);
        (uint256 r0, uint256 r1) = _reserves(pair);
        (uint256 rOut, uint256 rIn) = borrow0 ? (r0, r1) : (r1, r0);
        x = bound(x, 1, rOut - 1);
        uint256 repay = repaySame ? _ceilDiv(x * 1000, 997) : _ceilDiv(1000 * rIn * x, 997 * (rOut - x));
        bool pay0 = borrow0 == repaySame;
        (pay0 ? t0 : t1).mint(address(borrower), repay);
        (uint256 out0, uint256 out1) = borrow0 ? (x, uint256(0)) : (uint256(0), x);

        if (repay > 1) {
            borrower.setRepay(pay0 ? repay - 1 : 0, pay0 ? 0 : repay - 1);
            vm.expectRevert(ITidepoolPair.K.selector);
            borrower.borrow(out0, out1, "x");
        }
        borrower.setRepay(pay0 ? repay : 0, pay0 ? 0 : repay);
        borrower.borrow(out0, out1, "x");
        (uint256 n0, uint256 n1) = _reserves(pair);
        assertEq(n0, r0 - out0 + (pay0 ? repay : 0), "reserve0");
        assertEq(n1, r1 - out1 + (pay0 ? 0 : repay), "reserve1");
        assertGe(n0 * n1, r0 * r1, "k never decreases");
    }

    // ================================================================ router reentrancy

    /// A hostile token's hook re-enters the router while it holds a victim's WETH (between the
    /// token transfer and the unwrap in removeLiquidityETH) and calls the function that pays out
    /// the router's whole WETH balance. The sweep itself succeeds, but the victim's call then
    /// cannot unwrap its WETH and reverts: nothing is extracted, the victim keeps the LP tokens.
    function test_routerReentrancy_sweepDuringRemoveLiquidityETH_reverts() public {
        (HookToken evil, TidepoolPair pair, RouterSweeper sweeper, uint256 lp) = _sweepSetup();

        vm.prank(victim);
        vm.expectRevert(ERC20.InsufficientBalance.selector); // WETH.withdraw finds no WETH left
        router.removeLiquidityETH(address(evil), lp, 0, 0, victim, block.timestamp);
        assertEq(pair.balanceOf(victim), lp, "victim keeps the LP");
        assertEq(address(sweeper).balance, 0, "sweeper got no ETH");

        vm.prank(victim);
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        router.removeLiquidityETHSupportingFeeOnTransferTokens(
            address(evil), lp, 0, 0, victim, block.timestamp
        );
        assertEq(pair.balanceOf(victim), lp, "victim keeps the LP");
        assertEq(address(sweeper).balance, 0, "sweeper got no ETH");
        assertEq(weth.balanceOf(address(router)), 0, "router holds nothing");
    }

    /// Control for the test above: with the hook disarmed the removal pays the exact amounts.
    function test_routerReentrancy_sweepControl_withoutHookPaysExactly() public {
        (HookToken evil, TidepoolPair pair,, uint256 lp) = _sweepSetup();
        evil.setHook(address(0));
        uint256 supply = pair.totalSupply();
        (uint256 rEvil, uint256 rWeth) = reservesOf(pair, address(evil));
        uint256 ethBefore = victim.balance;
        vm.prank(victim);
        (uint256 amountToken, uint256 amountETH) =
            router.removeLiquidityETH(address(evil), lp, 0, 0, victim, block.timestamp);
        assertEq(amountToken, lp * rEvil / supply, "token amount");
        assertEq(amountETH, lp * rWeth / supply, "ETH amount");
        assertEq(evil.balanceOf(victim), amountToken, "victim got the tokens");
        assertEq(victim.balance, ethBefore + amountETH, "victim got the ETH");
    }

    /// Victim holds EVIL/WETH LP tokens made through the router; the sweeper is EVIL's hook and
    /// holds tokenC to trade on a tokenC/WETH pool.
    function _sweepSetup()
        internal
        returns (HookToken evil, TidepoolPair pair, RouterSweeper sweeper, uint256 lp)
    {
        evil = new HookToken("Evil", "EVIL", 18);
        evil.mint(victim, 100e18);
        vm.deal(victim, 110 ether);
        vm.startPrank(victim);
        evil.approve(address(router), MAX);
        (,, lp) =
            router.addLiquidityETH{value: 100 ether}(address(evil), 100e18, 0, 0, victim, block.timestamp);
        pair = TidepoolPair(factory.getPair(address(evil), address(weth)));
        pair.approve(address(router), MAX);
        vm.stopPrank();

        fund(tokenC, bob, 100e18);
        vm.deal(bob, 100 ether);
        vm.prank(bob);
        router.addLiquidityETH{value: 100 ether}(address(tokenC), 100e18, 0, 0, bob, block.timestamp);

        sweeper = new RouterSweeper(ITidepoolRouter02(address(router)));
        tokenC.mint(address(sweeper), 1e18);
        sweeper.arm(path2(address(tokenC), address(weth)), 1e15);
        evil.setHook(address(sweeper));
    }

    /// V2 PARITY, NOT FIXED BY THE ROUTER: a hostile token's transferFrom hook runs while the
    /// router is between the deposit transfers and `mint`, so it can skim the deposit out of the
    /// pair and donate dust back; `mint` then mints the victim ~1 unit. amountAMin/amountBMin are
    /// checked on the amounts computed before the transfers, not on what was minted, so they do not
    /// catch it. The victim loses the honest token (LEGIT = tokenA) too, not only the hostile one.
    /// The same hostile token could drain the pool anyway (by minting itself), so this adds no new
    /// trust assumption; an ABI-compatible mitigation would be for the router to check the minted
    /// liquidity against min(amountA·supply/reserveA, amountB·supply/reserveB) computed up front.
    function test_hostileTokenHook_skimsRouterDeposit_V2Parity() public {
        HookToken evil = new HookToken("Evil", "EVIL", 18);
        TidepoolPair pair = TidepoolPair(factory.createPair(address(evil), address(tokenA)));
        evil.mint(address(pair), 1000e18);
        tokenA.mint(address(pair), 1000e18);
        pair.mint(alice);
        DepositSkimmer skimmer = new DepositSkimmer(ITidepoolPair(address(pair)));
        evil.mint(address(skimmer), 1);
        tokenA.mint(address(skimmer), 1);
        evil.setHook(address(skimmer));
        skimmer.arm(1);

        uint256 deposit = 10e18;
        fund(tokenA, victim, deposit);
        evil.mint(victim, deposit);
        vm.startPrank(victim);
        evil.approve(address(router), MAX);
        (uint256 amountA, uint256 amountB, uint256 liquidity) = router.addLiquidity(
            address(tokenA), address(evil), deposit, deposit, deposit, deposit, victim, block.timestamp
        );
        vm.stopPrank();

        assertEq(amountA, deposit, "router reports the full A deposit");
        assertEq(amountB, deposit, "router reports the full B deposit");
        assertEq(liquidity, 1, "victim minted a single unit");
        assertEq(tokenA.balanceOf(address(skimmer)), deposit, "skimmer took the victim's honest tokens");
        assertEq(evil.balanceOf(address(skimmer)), deposit, "and the hostile ones");
    }

    // ================================================================ deadlines

    /// Every router entry point with a deadline in the past reverts Expired(); the three
    /// *WithPermit* ones run the LP token's permit first and revert with solady's PermitExpired()
    /// (V2's pair and router both said "UniswapV2: EXPIRED").
    function test_deadline_everyEntryPointRejectsAPastDeadline() public {
        factory.createPair(address(tokenA), address(tokenB));
        factory.createPair(address(tokenA), address(weth));
        vm.warp(1_000_000);
        uint256 dl = block.timestamp - 1;
        address a = address(tokenA);
        address b = address(tokenB);
        address w = address(weth);
        address[] memory ab = path2(a, b);
        address[] memory wa = path2(w, a);
        address[] memory aw = path2(a, w);
        bytes[] memory calls = new bytes[](14);
        calls[0] = abi.encodeCall(router.addLiquidity, (a, b, 1, 1, 0, 0, alice, dl));
        calls[1] = abi.encodeCall(router.addLiquidityETH, (a, 1, 0, 0, alice, dl));
        calls[2] = abi.encodeCall(router.removeLiquidity, (a, b, 1, 0, 0, alice, dl));
        calls[3] = abi.encodeCall(router.removeLiquidityETH, (a, 1, 0, 0, alice, dl));
        calls[4] =
            abi.encodeCall(router.removeLiquidityETHSupportingFeeOnTransferTokens, (a, 1, 0, 0, alice, dl));
        calls[5] = abi.encodeCall(router.swapExactTokensForTokens, (1, 0, ab, alice, dl));
        calls[6] = abi.encodeCall(router.swapTokensForExactTokens, (1, MAX, ab, alice, dl));
        calls[7] = abi.encodeCall(router.swapExactETHForTokens, (0, wa, alice, dl));
        calls[8] = abi.encodeCall(router.swapTokensForExactETH, (1, MAX, aw, alice, dl));
        calls[9] = abi.encodeCall(router.swapExactTokensForETH, (1, 0, aw, alice, dl));
        calls[10] = abi.encodeCall(router.swapETHForExactTokens, (1, wa, alice, dl));
        calls[11] = abi.encodeCall(
            router.swapExactTokensForTokensSupportingFeeOnTransferTokens, (1, 0, ab, alice, dl)
        );
        calls[12] =
            abi.encodeCall(router.swapExactETHForTokensSupportingFeeOnTransferTokens, (0, wa, alice, dl));
        calls[13] =
            abi.encodeCall(router.swapExactTokensForETHSupportingFeeOnTransferTokens, (1, 0, aw, alice, dl));
        // Only the payable ones get ETH: a non-payable function would reject the value first.
        bool[14] memory payable_ =
            [false, true, false, false, false, false, false, true, false, false, true, false, true, false];
        for (uint256 i; i < calls.length; ++i) {
            (bool success, bytes memory ret) = address(router).call{value: payable_[i] ? 1 : 0}(calls[i]);
            assertFalse(success, "expired call succeeded");
            assertEq(ret, abi.encodeWithSelector(ITidepoolRouter02.Expired.selector), "Expired()");
        }

        bytes[] memory permits = new bytes[](3);
        permits[0] =
            abi.encodeCall(router.removeLiquidityWithPermit, (a, b, 1, 0, 0, alice, dl, false, 0, 0, 0));
        permits[1] =
            abi.encodeCall(router.removeLiquidityETHWithPermit, (a, 1, 0, 0, alice, dl, false, 0, 0, 0));
        permits[2] = abi.encodeCall(
            router.removeLiquidityETHWithPermitSupportingFeeOnTransferTokens,
            (a, 1, 0, 0, alice, dl, false, 0, 0, 0)
        );
        for (uint256 i; i < permits.length; ++i) {
            (bool success, bytes memory ret) = address(router).call(permits[i]);
            assertFalse(success, "expired permit call succeeded");
            assertEq(ret, abi.encodeWithSelector(ERC20.PermitExpired.selector), "PermitExpired()");
        }
    }

    /// A deadline equal to the block's timestamp is still valid.
    function test_deadline_equalToNowIsAccepted() public {
        provide(tokenA, tokenB, 100e18, 100e18, alice);
        vm.warp(1_000_000);
        fund(tokenA, bob, 1e18);
        uint256 expected = router.getAmountsOut(1e18, path2(address(tokenA), address(tokenB)))[1];
        vm.prank(bob);
        router.swapExactTokensForTokens(
            1e18, expected, path2(address(tokenA), address(tokenB)), bob, 1_000_000
        );
        assertEq(tokenB.balanceOf(bob), expected, "swapped at the deadline");
    }

    // ================================================================ slippage bounds

    function _slippagePools() internal {
        provide(tokenA, tokenB, 1000e18, 2000e18, alice);
        weth.deposit{value: 100 ether}();
        TidepoolPair pw = TidepoolPair(factory.createPair(address(tokenA), address(weth)));
        tokenA.mint(address(pw), 100e18);
        weth.transfer(address(pw), 100 ether);
        pw.mint(alice);
        fund(tokenA, bob, 1000e18);
        fund(tokenB, bob, 1000e18);
        vm.deal(bob, 1000 ether);
    }

    /// A sandwich: the attacker front-runs the victim's swap; the victim's amountOutMin (quoted
    /// before the front-run) makes the victim's swap revert, and the attacker, having to unwind,
    /// ends with less than it started with.
    function test_slippage_sandwichedVictimRevertsAndAttackerLoses() public {
        provide(tokenA, tokenB, 1000e18, 1000e18, alice);
        address[] memory ab = path2(address(tokenA), address(tokenB));
        address[] memory ba = path2(address(tokenB), address(tokenA));
        uint256 quoted = router.getAmountsOut(10e18, ab)[1];
        fund(tokenA, victim, 10e18);
        fund(tokenA, attacker, 100e18);

        vm.prank(attacker);
        uint256 got = router.swapExactTokensForTokens(100e18, 0, ab, attacker, block.timestamp)[1];
        vm.prank(victim);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForTokens(10e18, quoted, ab, victim, block.timestamp);
        assertEq(tokenA.balanceOf(victim), 10e18, "victim keeps its input");

        vm.startPrank(attacker);
        tokenB.approve(address(router), MAX);
        router.swapExactTokensForTokens(got, 0, ba, attacker, block.timestamp);
        vm.stopPrank();
        assertLt(tokenA.balanceOf(attacker), 100e18, "attacker lost the fees");
        assertEq(tokenB.balanceOf(attacker), 0, "attacker fully unwound");
    }

    function test_slippage_exactInputSwapsHonourAmountOutMin() public {
        _slippagePools();
        address a = address(tokenA);
        address[] memory ab = path2(a, address(tokenB));
        address[] memory wa = path2(address(weth), a);
        address[] memory aw = path2(a, address(weth));
        uint256 outAB = router.getAmountsOut(1e18, ab)[1];
        uint256 outWA = router.getAmountsOut(1 ether, wa)[1];
        uint256 outAW = router.getAmountsOut(1e18, aw)[1];

        vm.startPrank(bob);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForTokens(1e18, outAB + 1, ab, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactETHForTokens{value: 1 ether}(outWA + 1, wa, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForETH(1e18, outAW + 1, aw, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForTokensSupportingFeeOnTransferTokens(
            1e18, outAB + 1, ab, bob, block.timestamp
        );
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactETHForTokensSupportingFeeOnTransferTokens{value: 1 ether}(
            outWA + 1, wa, bob, block.timestamp
        );
        vm.expectRevert(ITidepoolRouter02.InsufficientOutputAmount.selector);
        router.swapExactTokensForETHSupportingFeeOnTransferTokens(1e18, outAW + 1, aw, bob, block.timestamp);

        // At exactly the quoted minimum each one goes through and pays exactly that.
        uint256 b0 = tokenB.balanceOf(bob);
        router.swapExactTokensForTokens(1e18, outAB, ab, bob, block.timestamp);
        assertEq(tokenB.balanceOf(bob), b0 + outAB, "A->B paid the minimum exactly");
        uint256 a0 = tokenA.balanceOf(bob);
        router.swapExactETHForTokens{value: 1 ether}(outWA, wa, bob, block.timestamp);
        assertEq(tokenA.balanceOf(bob), a0 + outWA, "ETH->A paid the minimum exactly");
        vm.stopPrank();
    }

    function test_slippage_exactOutputSwapsHonourAmountInMax() public {
        _slippagePools();
        address a = address(tokenA);
        address[] memory ab = path2(a, address(tokenB));
        address[] memory wa = path2(address(weth), a);
        address[] memory aw = path2(a, address(weth));
        uint256 inAB = router.getAmountsIn(1e18, ab)[0];
        uint256 inWA = router.getAmountsIn(1e18, wa)[0];
        uint256 inAW = router.getAmountsIn(1 ether, aw)[0];

        vm.startPrank(bob);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapTokensForExactTokens(1e18, inAB - 1, ab, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapTokensForExactETH(1 ether, inAW - 1, aw, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.ExcessiveInputAmount.selector);
        router.swapETHForExactTokens{value: inWA - 1}(1e18, wa, bob, block.timestamp);

        // At exactly the maximum: exact input taken, exact output paid, surplus ETH refunded.
        uint256 a0 = tokenA.balanceOf(bob);
        uint256 b0 = tokenB.balanceOf(bob);
        router.swapTokensForExactTokens(1e18, inAB, ab, bob, block.timestamp);
        assertEq(tokenA.balanceOf(bob), a0 - inAB, "A taken");
        assertEq(tokenB.balanceOf(bob), b0 + 1e18, "B paid");
        uint256 eth0 = bob.balance;
        router.swapETHForExactTokens{value: inWA + 5}(1e18, wa, bob, block.timestamp);
        assertEq(bob.balance, eth0 - inWA, "exact ETH taken, 5 wei refunded");
        vm.stopPrank();
    }

    function test_slippage_liquidityHonoursMins() public {
        _slippagePools();
        address a = address(tokenA);
        address b = address(tokenB);
        // Pool A:B is 1:2, so 10 A pair with 20 B.
        vm.startPrank(bob);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.addLiquidity(a, b, 10e18, 30e18, 0, 20e18 + 1, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.addLiquidity(a, b, 30e18, 20e18, 10e18 + 1, 0, bob, block.timestamp);
        // Pool A:WETH is 1:1; ETH is side B.
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.addLiquidityETH{value: 20 ether}(a, 10e18, 0, 10 ether + 1, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.addLiquidityETH{value: 10 ether}(a, 20e18, 10e18 + 1, 0, bob, block.timestamp);

        (uint256 amountA, uint256 amountB, uint256 lp) =
            router.addLiquidity(a, b, 10e18, 30e18, 10e18, 20e18, bob, block.timestamp);
        assertEq(amountA, 10e18, "A deposited");
        assertEq(amountB, 20e18, "B deposited in ratio");
        TidepoolPair pair = TidepoolPair(factory.getPair(a, b));
        pair.approve(address(router), MAX);
        (uint256 rA, uint256 rB) = reservesOf(pair, a);
        uint256 supply = pair.totalSupply();
        uint256 outA = lp * rA / supply;
        uint256 outB = lp * rB / supply;
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.removeLiquidity(a, b, lp, outA + 1, 0, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.removeLiquidity(a, b, lp, 0, outB + 1, bob, block.timestamp);
        (uint256 gotA, uint256 gotB) = router.removeLiquidity(a, b, lp, outA, outB, bob, block.timestamp);
        vm.stopPrank();
        assertEq(gotA, outA, "A back");
        assertEq(gotB, outB, "B back");
        assertEq(pair.balanceOf(bob), 0, "LP gone");

        // ETH removal: the token is side A, ETH side B.
        vm.startPrank(bob);
        (,, uint256 lpw) = router.addLiquidityETH{value: 10 ether}(a, 10e18, 0, 0, bob, block.timestamp);
        TidepoolPair pw = TidepoolPair(factory.getPair(a, address(weth)));
        pw.approve(address(router), MAX);
        (uint256 rT, uint256 rE) = reservesOf(pw, a);
        uint256 sw = pw.totalSupply();
        vm.expectRevert(ITidepoolRouter02.InsufficientAAmount.selector);
        router.removeLiquidityETH(a, lpw, lpw * rT / sw + 1, 0, bob, block.timestamp);
        vm.expectRevert(ITidepoolRouter02.InsufficientBAmount.selector);
        router.removeLiquidityETH(a, lpw, 0, lpw * rE / sw + 1, bob, block.timestamp);
        vm.stopPrank();
    }

    // ================================================================ swap target, overflow

    function test_swap_toAToken_revertsInvalidTo() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 100e18, 100e18, alice);
        tokenA.mint(address(pair), 10e18);
        address t0 = pair.token0();
        address t1 = pair.token1();
        vm.expectRevert(ITidepoolPair.InvalidTo.selector);
        pair.swap(0, 1e18, t0, "");
        vm.expectRevert(ITidepoolPair.InvalidTo.selector);
        pair.swap(1e18, 0, t1, "");
        vm.expectRevert(ITidepoolPair.InvalidTo.selector);
        pair.swap(1e18, 0, t1, "flash");
        assertEq(TestToken(t0).balanceOf(t1), 0, "token1 received no token0");
        assertEq(TestToken(t1).balanceOf(t0), 0, "token0 received no token1");
    }

    function test_overflow_mint() public {
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), MAX112 + 1);
        tokenB.mint(address(pair), 1e18);
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.mint(alice);
        // One wei less fits.
        pair.skim(bob);
        tokenA.mint(address(pair), MAX112);
        tokenB.mint(address(pair), 1e18);
        pair.mint(alice);
        (uint256 rA,) = reservesOf(pair, address(tokenA));
        assertEq(rA, MAX112, "reserve at the uint112 limit");
    }

    function test_overflow_sync() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 100e18, 100e18, alice);
        tokenA.mint(address(pair), MAX112 - 100e18 + 1);
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.sync();
        (uint256 rA, uint256 rB) = reservesOf(pair, address(tokenA));
        assertEq(rA, 100e18, "reserve A unchanged");
        assertEq(rB, 100e18, "reserve B unchanged");
        // skim gives the excess back and the pool carries on.
        pair.skim(bob);
        assertEq(tokenA.balanceOf(bob), MAX112 - 100e18 + 1, "excess skimmed");
        tokenA.mint(address(pair), MAX112 - 100e18);
        pair.sync();
        (rA,) = reservesOf(pair, address(tokenA));
        assertEq(rA, MAX112, "reserve at the uint112 limit");
    }

    function test_overflow_swap() public {
        (TidepoolPair pair,) = provide(tokenA, tokenB, 100e18, 100e18, alice);
        tokenA.mint(address(pair), MAX112 - 100e18 + 1);
        bool aIs0 = pair.token0() == address(tokenA);
        vm.expectRevert(ITidepoolPair.Overflow.selector);
        pair.swap(aIs0 ? 0 : 1e18, aIs0 ? 1e18 : 0, bob, "");
        assertEq(tokenB.balanceOf(bob), 0, "nothing paid out");
    }
}
