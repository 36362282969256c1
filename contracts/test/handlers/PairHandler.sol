// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {Test} from "../base/Test.sol";
import {TidepoolFactory} from "../../src/TidepoolFactory.sol";
import {TidepoolPair} from "../../src/TidepoolPair.sol";
import {ITidepoolCallee} from "../../src/interfaces/ITidepoolCallee.sol";
import {TestToken} from "../../src/devnet/TestToken.sol";

/// @title Drives one pair through random but well-formed calls by several actors
/// @notice The invariant fuzzer calls only the actions below. Each action picks an actor, funds it
///         by minting exactly what it lacks (so "what an actor put in" is what was minted to it),
///         calls the pair directly with amounts a correct integrator would use, and checks the step:
///         - k never decreases across a swap or flash swap;
///         - reserves equal balances after sync;
///         - the LP share's value in pool units, √k / totalSupply, never decreases (no call takes
///           value from the passive LPs — e.g. the locked MINIMUM_LIQUIDITY), except by the
///           protocol fee, which must be exactly V2's 1/6 of the √k growth since the last
///           liquidity event, minted only by mint/burn;
///         - the caller gains nothing from its own call, valued at the price the call started from
///           (see `_checkTradeValue`, `_checkMint`, `_checkBurn`);
///         - calls with correct amounts never revert.
///         Violations are recorded in ghost variables (a revert here would be discarded by the
///         fuzzer, fail_on_revert being off) and asserted by the invariant_ functions.
contract PairHandler is Test, ITidepoolCallee {
    uint256 internal constant MAX_AMOUNT = 1e27; // per action; keeps every balance far below 2^112
    uint256 internal constant SEED = 1_000_000e18;

    TidepoolFactory public immutable factory;
    TidepoolPair public immutable pair;
    /// @notice The protocol-fee recipient while the fee is on (zero: the fee stays off).
    address public immutable feeTo;
    address internal immutable feeSetter;
    TestToken public immutable token0;
    TestToken public immutable token1;
    address[] internal actorList;

    // ---------------------------------------------------------------- ghosts

    /// @notice Tokens minted to each actor: what it has put into the system.
    mapping(address actor => uint256) public funded0;
    mapping(address actor => uint256) public funded1;

    /// @notice Kinds of violation the handler can observe.
    enum Violation {
        KDecreased,
        SyncMismatch,
        ShareValueDecreased,
        CallerGained,
        UnexpectedRevert,
        ProtocolFee
    }

    /// @notice The first violation seen of each kind (empty when none).
    mapping(Violation kind => string) public violation;

    /// @notice How often each action ran to completion, and how often it had nothing to do.
    mapping(bytes32 action => uint256) public done;
    mapping(bytes32 action => uint256) public skipped;

    // Context for the flash-swap callback.
    address internal flashActor;
    bool internal flashRepaySame;
    uint256 internal flashRepay;

    struct Snap {
        uint256 r0;
        uint256 r1;
        uint256 b0;
        uint256 b1;
        uint256 supply;
        uint256 actorLp;
        uint256 actor0;
        uint256 actor1;
        uint256 feeLp;
        uint256 kLast;
    }

    /// @param feeTo_ Where the protocol fee goes; zero keeps it off for the whole run. When set, the
    ///        fee is on from the start and `toggleFee` may switch it.
    /// @param feeSetter_ The factory's feeToSetter.
    constructor(TidepoolFactory factory_, address feeSetter_, address feeTo_) {
        factory = factory_;
        feeSetter = feeSetter_;
        feeTo = feeTo_;
        if (feeTo_ != address(0)) {
            vm.prank(feeSetter_);
            factory_.setFeeTo(feeTo_);
        }
        TestToken a = new TestToken("Inv A", "INVA", 18);
        TestToken b = new TestToken("Inv B", "INVB", 18);
        pair = TidepoolPair(factory_.createPair(address(a), address(b)));
        (token0, token1) = pair.token0() == address(a) ? (a, b) : (b, a);
        for (uint256 i; i < 4; ++i) {
            address actor = address(uint160(0xA11CE000 + i));
            actorList.push(actor);
            vm.label(actor, string.concat("actor", vm.toString(i)));
        }
        // actor0 seeds the pool.
        _fund(actorList[0], token0, SEED);
        _fund(actorList[0], token1, SEED);
        vm.startPrank(actorList[0]);
        token0.transfer(address(pair), SEED);
        token1.transfer(address(pair), SEED);
        vm.stopPrank();
        pair.mint(actorList[0]);
    }

    function actors() external view returns (address[] memory) {
        return actorList;
    }

    // ================================================================ actions

    /// @notice Exact-input swap of `amountIn` by an actor, paid out at getAmountOut; first tries to
    ///         take one wei more, which must fail K().
    function swap(uint256 actorSeed, uint256 amountIn, bool zeroForOne) external {
        address actor = _actor(actorSeed);
        Snap memory s = _snap(actor);
        (uint256 rIn, uint256 rOut) = zeroForOne ? (s.r0, s.r1) : (s.r1, s.r0);
        amountIn = bound(amountIn, 1, MAX_AMOUNT);
        uint256 amountOut = _getAmountOut(amountIn + (zeroForOne ? s.b0 - s.r0 : s.b1 - s.r1), rIn, rOut);
        if (amountOut == 0) {
            _skip("swap");
            return;
        }

        TestToken tokenIn = zeroForOne ? token0 : token1;
        _ensure(actor, tokenIn, amountIn);
        s = _snapAfterFunding(s, actor);
        vm.prank(actor);
        tokenIn.transfer(address(pair), amountIn);

        // One wei more than getAmountOut must fail K() (only meaningful with no excess: an excess
        // of the output token would also count as input).
        if (s.b0 == s.r0 && s.b1 == s.r1 && amountOut + 1 < rOut) {
            try pair.swap(zeroForOne ? 0 : amountOut + 1, zeroForOne ? amountOut + 1 : 0, actor, "") {
                _record(Violation.CallerGained, "swap paid one wei more than getAmountOut");
            } catch (bytes memory err) {
                if (bytes4(err) != bytes4(keccak256("K()"))) _recordRevert("swap+1 failed without K()", err);
            }
        }
        try pair.swap(zeroForOne ? 0 : amountOut, zeroForOne ? amountOut : 0, actor, "") {}
        catch (bytes memory err) {
            _recordRevert("swap at getAmountOut reverted", err);
            return;
        }
        _checkK(s, "swap");
        _checkTradeValue(s, actor, "swap");
        _checkShareValue(s, "swap");
        done["swap"]++;
    }

    /// @notice Deposit of `amount0` and the matching amount1 (skewed up to +10%, the surplus
    ///         becoming a donation), minted to the actor.
    function mint(uint256 actorSeed, uint256 amount0, uint256 skewPct) external {
        address actor = _actor(actorSeed);
        Snap memory s = _snap(actor);
        amount0 = bound(amount0, 1, MAX_AMOUNT);
        uint256 amount1 = FixedPointMathLib.fullMulDivUp(amount0, s.r1, s.r0);
        amount1 += amount1 * bound(skewPct, 0, 10) / 100;
        if (amount1 == 0 || amount1 > MAX_AMOUNT) {
            _skip("mint");
            return;
        }
        uint256 supply = s.supply + _expectedFee(s); // the fee is minted first
        uint256 expected = FixedPointMathLib.min(
            (amount0 + s.b0 - s.r0) * supply / s.r0, (amount1 + s.b1 - s.r1) * supply / s.r1
        );
        if (expected == 0) {
            _skip("mint");
            return;
        }

        _ensure(actor, token0, amount0);
        _ensure(actor, token1, amount1);
        s = _snapAfterFunding(s, actor);
        vm.startPrank(actor);
        token0.transfer(address(pair), amount0);
        token1.transfer(address(pair), amount1);
        vm.stopPrank();
        uint256 minted;
        try pair.mint(actor) returns (uint256 liquidity) {
            minted = liquidity;
        } catch (bytes memory err) {
            _recordRevert("mint reverted", err);
            return;
        }
        if (minted != expected) _record(Violation.CallerGained, "mint minted other than the V2 formula");
        _checkMint(s, actor);
        _checkFee(s, "mint");
        _checkShareValue(s, "mint");
        done["mint"]++;
    }

    /// @notice Burn of `fractionBps` of the actor's LP tokens, paid to the actor.
    function burn(uint256 actorSeed, uint256 fractionBps) external {
        address actor = _actor(actorSeed);
        Snap memory s = _snap(actor);
        uint256 liquidity = s.actorLp * bound(fractionBps, 1, 10_000) / 10_000;
        uint256 supply = s.supply + _expectedFee(s); // the fee is minted first
        if (liquidity == 0 || liquidity * s.b0 / supply == 0 || liquidity * s.b1 / supply == 0) {
            {
                _skip("burn");
                return;
            }
        }
        vm.prank(actor);
        pair.transfer(address(pair), liquidity);
        try pair.burn(actor) returns (uint256 out0, uint256 out1) {
            if (out0 != liquidity * s.b0 / supply || out1 != liquidity * s.b1 / supply) {
                _record(Violation.CallerGained, "burn paid other than pro rata of balances");
            }
        } catch (bytes memory err) {
            _recordRevert("burn reverted", err);
            return;
        }
        _checkBurn(s, actor);
        _checkFee(s, "burn");
        _checkShareValue(s, "burn");
        done["burn"]++;
    }

    /// @notice skim to an actor: it receives exactly the excess, and reserves do not move.
    function skim(uint256 actorSeed) external {
        address actor = _actor(actorSeed);
        Snap memory s = _snap(actor);
        try pair.skim(actor) {}
        catch (bytes memory err) {
            _recordRevert("skim reverted", err);
            return;
        }
        Snap memory t = _snap(actor);
        if (t.actor0 - s.actor0 != s.b0 - s.r0 || t.actor1 - s.actor1 != s.b1 - s.r1) {
            _record(Violation.CallerGained, "skim paid other than the excess");
        }
        if (t.r0 != s.r0 || t.r1 != s.r1 || t.b0 != t.r0 || t.b1 != t.r1) {
            _record(Violation.SyncMismatch, "skim left balances != reserves or moved the reserves");
        }
        _checkShareValue(s, "skim");
        done["skim"]++;
    }

    /// @notice sync: reserves must equal balances afterwards.
    function sync() external {
        Snap memory s = _snap(address(0));
        try pair.sync() {}
        catch (bytes memory err) {
            _recordRevert("sync reverted", err);
            return;
        }
        Snap memory t = _snap(address(0));
        if (t.r0 != t.b0 || t.r1 != t.b1) _record(Violation.SyncMismatch, "reserves != balances after sync");
        _checkShareValue(s, "sync");
        done["sync"]++;
    }

    /// @notice An actor sends tokens to the pair without calling it (a gift, or the first half of
    ///         someone's interaction). Whoever calls next may absorb it (by design, as in V2).
    function donate(uint256 actorSeed, uint256 amount0, uint256 amount1) external {
        address actor = _actor(actorSeed);
        amount0 = bound(amount0, 0, MAX_AMOUNT / 10);
        amount1 = bound(amount1, 0, MAX_AMOUNT / 10);
        if (amount0 == 0 && amount1 == 0) {
            _skip("donate");
            return;
        }
        _ensure(actor, token0, amount0);
        _ensure(actor, token1, amount1);
        vm.startPrank(actor);
        token0.transfer(address(pair), amount0);
        token1.transfer(address(pair), amount1);
        vm.stopPrank();
        done["donate"]++;
    }

    /// @notice Flash swap of `amountOut` to this handler on the actor's behalf, repaid with the
    ///         least that passes: ceil(x·1000/997) of the same token, or
    ///         ceil(1000·rIn·x / (997·(rOut − x))) of the other one, paid by the actor.
    function flashSwap(uint256 actorSeed, uint256 amountOut, bool borrow0, bool repaySame) external {
        address actor = _actor(actorSeed);
        Snap memory s = _snap(actor);
        (uint256 rOut, uint256 rIn) = borrow0 ? (s.r0, s.r1) : (s.r1, s.r0);
        if (rOut < 2) {
            // Swaps can leave a reserve at 1 wei: nothing can be lent.
            _skip("flash");
            return;
        }
        amountOut = bound(amountOut, 1, rOut / 2);
        uint256 repay = repaySame
            ? FixedPointMathLib.divUp(amountOut * 1000, 997)
            : FixedPointMathLib.divUp(1000 * rIn * amountOut, 997 * (rOut - amountOut));
        TestToken payToken = (borrow0 == repaySame) ? token0 : token1;
        // The actor funds what it will pay beyond the borrowed tokens it passes back.
        _ensure(actor, payToken, repaySame ? repay - amountOut : repay);
        s = _snapAfterFunding(s, actor);
        flashActor = actor;
        flashRepaySame = repaySame;
        flashRepay = repay;
        try pair.swap(borrow0 ? amountOut : 0, borrow0 ? 0 : amountOut, address(this), "flash") {}
        catch (bytes memory err) {
            flashActor = address(0);
            _recordRevert("flash swap with the minimal repayment reverted", err);
            return;
        }
        flashActor = address(0);
        // Other-token repayment: the borrowed tokens are the actor's to keep.
        if (!repaySame) (borrow0 ? token0 : token1).transfer(actor, amountOut);
        _checkK(s, "flash swap");
        _checkTradeValue(s, actor, "flash swap");
        _checkShareValue(s, "flash swap");
        done["flash"]++;
    }

    /// @notice Lets time pass, so the price accumulators run.
    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 1 days));
        done["warp"]++;
    }

    /// @notice Switches the protocol fee on or off (only targeted when the handler has a feeTo).
    function toggleFee(bool on) external {
        if (feeTo == address(0)) {
            _skip("fee");
            return;
        }
        vm.prank(feeSetter);
        factory.setFeeTo(on ? feeTo : address(0));
        done["fee"]++;
    }

    /// @inheritdoc ITidepoolCallee
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata) external {
        address actor = flashActor;
        // Surfaces as an unexpected revert of the flash swap.
        if (msg.sender != address(pair) || sender != address(this) || actor == address(0)) {
            revert("unexpected callback");
        }
        bool borrow0 = amount0 != 0;
        uint256 borrowed = borrow0 ? amount0 : amount1;
        if (flashRepaySame) {
            TestToken t = borrow0 ? token0 : token1;
            t.transfer(address(pair), borrowed);
            vm.prank(actor);
            t.transfer(address(pair), flashRepay - borrowed);
        } else {
            vm.prank(actor);
            (borrow0 ? token1 : token0).transfer(address(pair), flashRepay);
        }
    }

    // ================================================================ step checks

    /// @dev k = reserve0·reserve1 did not decrease.
    function _checkK(Snap memory s, string memory what) internal {
        Snap memory t = _snap(address(0));
        if (t.r0 * t.r1 < s.r0 * s.r1) {
            _record(Violation.KDecreased, string.concat("k decreased across a ", what));
        }
    }

    /// @dev √k / supply did not decrease, except by the protocol fee, which mint and burn (only)
    ///      mint first, at the pre-call k: k_after·(supply_before + fee)² ≥ k_before·supply_after²,
    ///      compared exactly in 512 bits (each side is a product of two values below 2^224).
    function _checkShareValue(Snap memory s, string memory what) internal {
        Snap memory t = _snap(address(0));
        uint256 fee = t.feeLp - s.feeLp;
        bool liquidityEvent =
            keccak256(bytes(what)) == keccak256("mint") || keccak256(bytes(what)) == keccak256("burn");
        if (fee != 0 && !liquidityEvent) {
            _record(Violation.ProtocolFee, string.concat("a fee was minted in ", what));
        }
        uint256 diluted = s.supply + fee;
        (uint256 hiA, uint256 loA) = _mul512(t.r0 * t.r1, diluted * diluted);
        (uint256 hiB, uint256 loB) = _mul512(s.r0 * s.r1, t.supply * t.supply);
        if (hiA < hiB || (hiA == hiB && loA < loB)) {
            _record(Violation.ShareValueDecreased, string.concat("sqrt(k)/supply decreased in ", what));
        }
    }

    /// @dev After a mint or burn: feeTo received exactly V2's fee for the pre-call state, and
    ///      kLast is the new k while the fee is on, 0 while it is off.
    function _checkFee(Snap memory s, string memory what) internal {
        Snap memory t = _snap(address(0));
        if (t.feeLp - s.feeLp != _expectedFee(s)) {
            _record(
                Violation.ProtocolFee,
                string.concat("protocol fee other than 1/6 of sqrt(k) growth in ", what)
            );
        }
        uint256 expectedKLast = factory.feeTo() == address(0) ? 0 : t.r0 * t.r1;
        if (t.kLast != expectedKLast) {
            _record(Violation.ProtocolFee, string.concat("kLast wrong after ", what));
        }
    }

    /// @dev V2's protocol fee for a liquidity event starting from `s`:
    ///      supply·(√k − √kLast) / (5·√k + √kLast) while the fee is on and √k grew, else 0.
    function _expectedFee(Snap memory s) internal view returns (uint256) {
        if (factory.feeTo() == address(0) || s.kLast == 0) return 0;
        uint256 rootK = FixedPointMathLib.sqrt(s.r0 * s.r1);
        uint256 rootKLast = FixedPointMathLib.sqrt(s.kLast);
        if (rootK <= rootKLast) return 0;
        return s.supply * (rootK - rootKLast) / (rootK * 5 + rootKLast);
    }

    /// @dev The caller's net token flow, valued at the pre-call reserves' price, is ≤ 0:
    ///      Δ0·r1 + Δ1·r0 ≤ 0. Exact integers, no tolerance. Skipped when the pair held an excess
    ///      at the start: the call then legitimately absorbs someone else's donation.
    function _checkTradeValue(Snap memory s, address actor, string memory what) internal {
        if (s.b0 != s.r0 || s.b1 != s.r1) return;
        Snap memory t = _snap(actor);
        int256 d0 = int256(t.actor0) - int256(s.actor0);
        int256 d1 = int256(t.actor1) - int256(s.actor1);
        if (d0 * int256(s.r1) + d1 * int256(s.r0) > 0) {
            _record(Violation.CallerGained, string.concat(what, ": the caller gained at the pre-call price"));
        }
    }

    /// @dev For each token, the minter's pro-rata claim grew by at most what it deposited. Claims
    ///      are lp·reserve/supply, rationals: the after-claim is rounded down and the before-claim
    ///      up, so the computed growth never exceeds the exact one and no tolerance is needed.
    ///      Skipped when the pair held an excess at the start (the minter is credited with it).
    function _checkMint(Snap memory s, address actor) internal {
        if (s.b0 != s.r0 || s.b1 != s.r1) return;
        Snap memory t = _snap(actor);
        uint256 dep0 = s.actor0 - t.actor0;
        uint256 dep1 = s.actor1 - t.actor1;
        if (
            FixedPointMathLib.fullMulDiv(t.actorLp, t.r0, t.supply)
                    > FixedPointMathLib.fullMulDivUp(s.actorLp, s.r0, s.supply) + dep0
                || FixedPointMathLib.fullMulDiv(t.actorLp, t.r1, t.supply)
                    > FixedPointMathLib.fullMulDivUp(s.actorLp, s.r1, s.supply) + dep1
        ) _record(Violation.CallerGained, "mint: the minter's claim grew by more than its deposit");
    }

    /// @dev For each token, what the burner received plus its remaining claim is at most its claim
    ///      before (same rounding argument as `_checkMint`). Skipped when the pair held an excess.
    function _checkBurn(Snap memory s, address actor) internal {
        if (s.b0 != s.r0 || s.b1 != s.r1) return;
        Snap memory t = _snap(actor);
        uint256 got0 = t.actor0 - s.actor0;
        uint256 got1 = t.actor1 - s.actor1;
        if (
            got0 + FixedPointMathLib.fullMulDiv(t.actorLp, t.r0, t.supply)
                    > FixedPointMathLib.fullMulDivUp(s.actorLp, s.r0, s.supply)
                || got1 + FixedPointMathLib.fullMulDiv(t.actorLp, t.r1, t.supply)
                    > FixedPointMathLib.fullMulDivUp(s.actorLp, s.r1, s.supply)
        ) _record(Violation.CallerGained, "burn: the burner got more than its claim");
    }

    // ================================================================ helpers

    function _actor(uint256 seed) internal view returns (address) {
        return actorList[seed % actorList.length];
    }

    /// @dev Mints `token` to `actor` up to `amount`, recording it as put in.
    function _ensure(address actor, TestToken token, uint256 amount) internal {
        uint256 held = token.balanceOf(actor);
        if (held < amount) _fund(actor, token, amount - held);
    }

    function _fund(address actor, TestToken token, uint256 amount) internal {
        token.mint(actor, amount);
        if (address(token) == address(token0)) funded0[actor] += amount;
        else funded1[actor] += amount;
    }

    function _snap(address actor) internal view returns (Snap memory s) {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        s.r0 = r0;
        s.r1 = r1;
        s.b0 = token0.balanceOf(address(pair));
        s.b1 = token1.balanceOf(address(pair));
        s.supply = pair.totalSupply();
        s.kLast = pair.kLast();
        if (feeTo != address(0)) s.feeLp = pair.balanceOf(feeTo);
        if (actor != address(0)) {
            s.actorLp = pair.balanceOf(actor);
            s.actor0 = token0.balanceOf(actor);
            s.actor1 = token1.balanceOf(actor);
        }
    }

    /// @dev Re-reads the actor's balances after funding, keeping the pre-call pool state: funding
    ///      is "putting in", not part of the call.
    function _snapAfterFunding(Snap memory s, address actor) internal view returns (Snap memory) {
        s.actor0 = token0.balanceOf(actor);
        s.actor1 = token1.balanceOf(actor);
        return s;
    }

    function _getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        internal
        pure
        returns (uint256)
    {
        uint256 withFee = amountIn * 997;
        return withFee * reserveOut / (reserveIn * 1000 + withFee);
    }

    /// @dev The full 512-bit product a·b as (hi, lo).
    function _mul512(uint256 a, uint256 b) internal pure returns (uint256 hi, uint256 lo) {
        assembly ("memory-safe") {
            let mm := mulmod(a, b, not(0))
            lo := mul(a, b)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
    }

    function _skip(bytes32 action) internal {
        skipped[action]++;
    }

    function _record(Violation kind, string memory message) internal {
        if (bytes(violation[kind]).length == 0) violation[kind] = message;
    }

    function _recordRevert(string memory what, bytes memory err) internal {
        _record(Violation.UnexpectedRevert, string.concat(what, ": ", vm.toString(err)));
    }
}
