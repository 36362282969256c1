// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {TestToken} from "../src/devnet/TestToken.sol";
import {PairHandler} from "./handlers/PairHandler.sol";

/// @notice Stateful invariants of one pair under random swaps, mints, burns, skims, syncs,
///         donations, flash swaps and time jumps by four actors (see PairHandler), run twice:
///         with the protocol fee off (InvariantTest) and on, switchable (InvariantFeeOnTest). The
///         fuzzer calls only the handler's actions. Default profile: 64 runs × depth 64;
///         `FOUNDRY_PROFILE=deep` runs 1000 × 200.
abstract contract PairInvariants is Fixture {
    PairHandler internal handler;
    TidepoolPair internal pair;
    TestToken internal token0;
    TestToken internal token1;

    /// @dev Deploys the handler (with the protocol fee going to `feeTo`, or off when zero) and
    ///      targets its actions only.
    function _deployHandler(address feeTo) internal {
        handler = new PairHandler(factory, feeSetter, feeTo);
        pair = handler.pair();
        token0 = handler.token0();
        token1 = handler.token1();

        bytes4[] memory selectors = new bytes4[](feeTo == address(0) ? 8 : 9);
        selectors[0] = PairHandler.swap.selector;
        selectors[1] = PairHandler.mint.selector;
        selectors[2] = PairHandler.burn.selector;
        selectors[3] = PairHandler.skim.selector;
        selectors[4] = PairHandler.sync.selector;
        selectors[5] = PairHandler.donate.selector;
        selectors[6] = PairHandler.flashSwap.selector;
        selectors[7] = PairHandler.warp.selector;
        if (feeTo != address(0)) selectors[8] = PairHandler.toggleFee.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _noViolation(PairHandler.Violation kind) internal view {
        assertEq(handler.violation(kind), "", "handler saw a violation");
    }

    /// k = reserve0·reserve1 never decreases across a swap or a flash swap (checked around each).
    function invariant_kNeverDecreasesAcrossSwaps() public view {
        _noViolation(PairHandler.Violation.KDecreased);
    }

    /// After every sync (and every skim) reserves equal balances.
    function invariant_reservesEqualBalancesAfterSync() public view {
        _noViolation(PairHandler.Violation.SyncMismatch);
    }

    /// Reserves never exceed balances (they only lag behind donations).
    function invariant_reservesNeverExceedBalances() public view {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        assertLe(r0, token0.balanceOf(address(pair)), "reserve0 > balance0");
        assertLe(r1, token1.balanceOf(address(pair)), "reserve1 > balance1");
    }

    /// totalSupply² ≤ reserve0·reserve1 (the first mint gives floor(√k) and nothing later lowers
    /// √k per LP unit), and the MINIMUM_LIQUIDITY stays locked at address(0).
    function invariant_supplyBoundedBySqrtK() public view {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        uint256 supply = pair.totalSupply();
        assertLe(supply * supply, uint256(r0) * r1, "totalSupply^2 > k");
        assertEq(pair.balanceOf(address(0)), MINIMUM_LIQUIDITY, "MINIMUM_LIQUIDITY moved");
    }

    /// √k / totalSupply never decreased across any call, the protocol fee aside: no call takes
    /// value from LP holders who do nothing.
    function invariant_lpShareValueNeverDecreases() public view {
        _noViolation(PairHandler.Violation.ShareValueDecreased);
    }

    /// The protocol fee is exactly V2's (1/6 of the √k growth since the last liquidity event,
    /// minted to feeTo on mint/burn only) and kLast tracks k while the fee is on, 0 while off.
    function invariant_protocolFeeIsExact() public view {
        _noViolation(PairHandler.Violation.ProtocolFee);
    }

    /// No call leaves its caller with more value than it put into that call, valued at the price
    /// the call started from (swap and flash swap: Δ0·r1 + Δ1·r0 ≤ 0 exactly; mint/burn: per-token
    /// pro-rata claims, rounded against the caller, so no tolerance).
    ///
    /// Why per call and at the pre-call price, not per actor over the whole sequence at the current
    /// price: that stronger statement is false for every constant-product pool. A trader who sells
    /// 100 token0 into a 100:100 pool (no fee) gets 50 token1; at the new price (0.25) its
    /// position, −100 token0 + 50 token1, is worth +25 — the LPs' impermanent loss, not an
    /// exploit. Likewise an LP earns other actors' fees and anyone may skim or absorb a donation.
    function invariant_noCallExtractsValue() public view {
        _noViolation(PairHandler.Violation.CallerGained);
    }

    /// Over the whole sequence, the actors together hold at most what they put in, valued at the
    /// current pool price: Σ(token0 held)·r1 + Σ(token1 held)·r0 + Σ(LP claims) ≤
    /// Σ(funded0)·r1 + Σ(funded1)·r0 (everything scaled by r0 to stay in integers). An LP claim
    /// lp·(r0·p + r1)/supply becomes lp·2·r0·r1/supply after scaling; its one division rounds the
    /// actors' side down, so no tolerance is needed.
    function invariant_actorsTogetherCannotExtractValue() public view {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        uint256 supply = pair.totalSupply();
        address[] memory actors = handler.actors();
        uint256 held;
        uint256 putIn;
        for (uint256 i; i < actors.length; ++i) {
            address a = actors[i];
            held += token0.balanceOf(a) * r1 + token1.balanceOf(a) * r0;
            held += FixedPointMathLib.fullMulDiv(pair.balanceOf(a), 2 * uint256(r0) * r1, supply);
            putIn += handler.funded0(a) * r1 + handler.funded1(a) * r0;
        }
        assertLe(held, putIn, "the actors hold more value than they put in");
    }

    /// Every token ever minted is held by an actor or the pair, and every LP unit by an actor,
    /// address(0) or feeTo: nothing appears from nowhere or gets stuck elsewhere (e.g. in the
    /// handler).
    function invariant_conservation() public view {
        address[] memory actors = handler.actors();
        uint256 sum0 = token0.balanceOf(address(pair));
        uint256 sum1 = token1.balanceOf(address(pair));
        uint256 lp = pair.balanceOf(address(0));
        if (handler.feeTo() != address(0)) lp += pair.balanceOf(handler.feeTo());
        for (uint256 i; i < actors.length; ++i) {
            sum0 += token0.balanceOf(actors[i]);
            sum1 += token1.balanceOf(actors[i]);
            lp += pair.balanceOf(actors[i]);
        }
        assertEq(sum0, token0.totalSupply(), "token0 conservation");
        assertEq(sum1, token1.totalSupply(), "token1 conservation");
        assertEq(lp, pair.totalSupply(), "LP conservation");
    }

    /// Calls with amounts a correct integrator would use (getAmountOut outputs, minimal flash
    /// repayments, pro-rata burns, mints that mint > 0) never revert.
    function invariant_correctCallsNeverRevert() public view {
        _noViolation(PairHandler.Violation.UnexpectedRevert);
    }

    /// Each action of the handler runs, checks pass on a fixed sequence, and the checks are live:
    /// a guard for the handler itself (an action that always skipped would test nothing).
    function test_handlerSmoke() public {
        handler.swap(1, 10e18, true);
        handler.swap(2, 10e18, false);
        handler.mint(3, 1000e18, 5);
        handler.burn(3, 5000);
        handler.donate(1, 1e18, 2e18);
        handler.skim(2);
        handler.donate(2, 3e18, 0);
        handler.sync();
        handler.flashSwap(1, 1e18, true, true);
        handler.flashSwap(2, 1e18, false, false);
        handler.warp(1 hours);
        handler.swap(0, 1e18, true);
        handler.burn(0, 100); // with the fee on, this one mints it
        handler.toggleFee(false);
        handler.mint(1, 10e18, 0);
        handler.toggleFee(true);
        handler.mint(2, 10e18, 0);
        string[8] memory actions = ["swap", "mint", "burn", "skim", "sync", "donate", "flash", "warp"];
        for (uint256 i; i < actions.length; ++i) {
            assertGt(handler.done(bytes32(bytes(actions[i]))), 0, string.concat(actions[i], " never ran"));
        }
        if (handler.feeTo() != address(0)) {
            assertGt(pair.balanceOf(handler.feeTo()), 0, "the protocol fee was minted");
            assertGt(handler.done("fee"), 0, "the fee was switched");
        }
        for (uint256 k; k <= uint256(PairHandler.Violation.ProtocolFee); ++k) {
            _noViolation(PairHandler.Violation(k));
        }
        invariant_reservesNeverExceedBalances();
        invariant_supplyBoundedBySqrtK();
        invariant_actorsTogetherCannotExtractValue();
        invariant_conservation();
        assertGt(pair.price0CumulativeLast(), 0, "the oracle accumulated");
    }
}

/// @notice The invariants with the protocol fee off throughout.
contract InvariantTest is PairInvariants {
    function setUp() public override {
        super.setUp();
        _deployHandler(address(0));
    }
}

/// @notice The invariants with the protocol fee on from the first deposit, switched on and off at
///         random (toggleFee), so _mintFee's every branch runs.
contract InvariantFeeOnTest is PairInvariants {
    function setUp() public override {
        super.setUp();
        _deployHandler(makeAddr("feeTo"));
    }
}
