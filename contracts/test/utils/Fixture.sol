// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../base/Test.sol";
import {TidepoolFactory} from "../../src/TidepoolFactory.sol";
import {TidepoolPair} from "../../src/TidepoolPair.sol";
import {TidepoolRouter} from "../../src/TidepoolRouter.sol";
import {WETH} from "../../src/WETH.sol";
import {TestToken} from "../../src/devnet/TestToken.sol";

/// @title A deployed Tidepool (WETH, factory, router) with three 18-decimal tokens
/// @notice Deployed as on a real chain: Factory(feeToSetter), WETH(), Router(factory, WETH).
abstract contract Fixture is Test {
    WETH internal weth;
    TidepoolFactory internal factory;
    TidepoolRouter internal router;
    TestToken internal tokenA;
    TestToken internal tokenB;
    TestToken internal tokenC;

    address internal feeSetter;
    address internal alice;
    address internal bob;

    uint256 internal constant MINIMUM_LIQUIDITY = 1000;
    uint256 internal constant MAX = type(uint256).max;

    function setUp() public virtual {
        feeSetter = makeAddr("feeSetter");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        weth = new WETH();
        factory = new TidepoolFactory(feeSetter);
        router = new TidepoolRouter(address(factory), address(weth));
        tokenA = new TestToken("Token A", "TKA", 18);
        tokenB = new TestToken("Token B", "TKB", 18);
        tokenC = new TestToken("Token C", "TKC", 18);
        vm.label(address(weth), "WETH");
        vm.label(address(factory), "factory");
        vm.label(address(router), "router");
        vm.label(address(tokenA), "tokenA");
        vm.label(address(tokenB), "tokenB");
        vm.label(address(tokenC), "tokenC");
    }

    /// @notice Mints `amount` of `token` to `to` and lets the router spend it.
    function fund(TestToken token, address to, uint256 amount) internal {
        token.mint(to, amount);
        vm.prank(to);
        token.approve(address(router), MAX);
    }

    /// @notice Creates the pair of `a` and `b` (if needed) and deposits the amounts directly,
    ///         minting the LP tokens to `to`.
    function provide(TestToken a, TestToken b, uint256 amountA, uint256 amountB, address to)
        internal
        returns (TidepoolPair pair, uint256 liquidity)
    {
        address p = factory.getPair(address(a), address(b));
        if (p == address(0)) p = factory.createPair(address(a), address(b));
        pair = TidepoolPair(p);
        a.mint(p, amountA);
        b.mint(p, amountB);
        liquidity = pair.mint(to);
    }

    /// @notice The reserves of `pair` ordered as (reserve of `a`, reserve of the other token).
    function reservesOf(TidepoolPair pair, address a) internal view returns (uint256 ra, uint256 rb) {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        (ra, rb) = pair.token0() == a ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }

    /// @notice The path [a, b].
    function path2(address a, address b) internal pure returns (address[] memory p) {
        p = new address[](2);
        p[0] = a;
        p[1] = b;
    }

    /// @notice The path [a, b, c].
    function path3(address a, address b, address c) internal pure returns (address[] memory p) {
        p = new address[](3);
        p[0] = a;
        p[1] = b;
        p[2] = c;
    }

    /// @notice floor(√y), computed independently of the contracts' sqrt (Babylonian method).
    function isqrt(uint256 y) internal pure returns (uint256 z) {
        if (y > 3) {
            z = y;
            uint256 x = y / 2 + 1;
            while (x < z) {
                z = x;
                x = (y / x + x) / 2;
            }
        } else if (y != 0) {
            z = 1;
        }
    }
}
