// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {TidepoolPairExtension} from "../src/TidepoolPairExtension.sol";
import {ITidepoolFactory} from "../src/interfaces/ITidepoolFactory.sol";
import {ITidepoolPair} from "../src/interfaces/ITidepoolPair.sol";

contract FactoryTest is Fixture {
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    function test_constructorSetsFeeToSetter() public view {
        assertEq(factory.feeToSetter(), feeSetter, "feeToSetter");
        assertEq(factory.feeTo(), address(0), "fee off at deployment");
        assertEq(factory.allPairsLength(), 0, "no pairs");
    }

    function test_createPair_recordsAndEmits() public {
        (address t0, address t1) = address(tokenA) < address(tokenB)
            ? (address(tokenA), address(tokenB))
            : (address(tokenB), address(tokenA));
        vm.expectEmit(true, true, false, false, address(factory));
        emit PairCreated(t0, t1, address(0), 1);
        vm.recordLogs();
        address pair = factory.createPair(address(tokenB), address(tokenA));

        assertEq(factory.getPair(address(tokenA), address(tokenB)), pair, "getPair(a,b)");
        assertEq(factory.getPair(address(tokenB), address(tokenA)), pair, "getPair(b,a)");
        assertEq(factory.allPairs(0), pair, "allPairs(0)");
        assertEq(factory.allPairsLength(), 1, "allPairsLength");
        assertEq(TidepoolPair(pair).token0(), t0, "token0 sorted");
        assertEq(TidepoolPair(pair).token1(), t1, "token1 sorted");
        assertEq(TidepoolPair(pair).factory(), address(factory), "pair.factory");

        // The event's data carries the pair address and the new pair count.
        bytes memory data = vm.getRecordedLogs()[0].data;
        (address loggedPair, uint256 count) = abi.decode(data, (address, uint256));
        assertEq(loggedPair, pair, "event pair");
        assertEq(count, 1, "event count");
    }

    function test_createPair_countsUp() public {
        factory.createPair(address(tokenA), address(tokenB));
        address second = factory.createPair(address(tokenA), address(tokenC));
        assertEq(factory.allPairsLength(), 2, "two pairs");
        assertEq(factory.allPairs(1), second, "second pair");
    }

    function test_createPair_revertsIdentical() public {
        vm.expectRevert(ITidepoolFactory.IdenticalAddresses.selector);
        factory.createPair(address(tokenA), address(tokenA));
    }

    function test_createPair_revertsZeroAddress() public {
        vm.expectRevert(ITidepoolFactory.ZeroAddress.selector);
        factory.createPair(address(0), address(tokenA));
        vm.expectRevert(ITidepoolFactory.ZeroAddress.selector);
        factory.createPair(address(tokenA), address(0));
    }

    function test_createPair_revertsExisting() public {
        factory.createPair(address(tokenA), address(tokenB));
        vm.expectRevert(ITidepoolFactory.PairExists.selector);
        factory.createPair(address(tokenA), address(tokenB));
        vm.expectRevert(ITidepoolFactory.PairExists.selector);
        factory.createPair(address(tokenB), address(tokenA));
    }

    function test_getPair_unknownIsZero() public view {
        assertEq(factory.getPair(address(tokenA), address(tokenC)), address(0), "no pair yet");
    }

    function test_parameters_emptyOutsideCreation() public {
        factory.createPair(address(tokenA), address(tokenB));
        (address t0, address t1, address ext) = factory.parameters();
        assertEq(t0, address(0), "token0 cleared");
        assertEq(t1, address(0), "token1 cleared");
        assertEq(ext, factory.pairExtension(), "extension");
    }

    function test_setFeeTo() public {
        vm.prank(feeSetter);
        factory.setFeeTo(alice);
        assertEq(factory.feeTo(), alice, "feeTo");
        vm.prank(feeSetter);
        factory.setFeeTo(address(0));
        assertEq(factory.feeTo(), address(0), "fee off again");
    }

    function test_setFeeTo_revertsForOthers() public {
        vm.prank(alice);
        vm.expectRevert(ITidepoolFactory.Forbidden.selector);
        factory.setFeeTo(alice);
        assertEq(factory.feeTo(), address(0), "unchanged");
    }

    function test_setFeeToSetter() public {
        vm.prank(feeSetter);
        factory.setFeeToSetter(alice);
        assertEq(factory.feeToSetter(), alice, "new setter");
        // The old setter lost the role, the new one has it.
        vm.prank(feeSetter);
        vm.expectRevert(ITidepoolFactory.Forbidden.selector);
        factory.setFeeTo(bob);
        vm.prank(alice);
        factory.setFeeTo(bob);
        assertEq(factory.feeTo(), bob, "set by new setter");
    }

    function test_setFeeToSetter_revertsForOthers() public {
        vm.prank(bob);
        vm.expectRevert(ITidepoolFactory.Forbidden.selector);
        factory.setFeeToSetter(bob);
        assertEq(factory.feeToSetter(), feeSetter, "unchanged");
    }

    function test_pairInitialize_alwaysForbidden() public {
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        address t0 = pair.token0();
        address t1 = pair.token1();
        vm.expectRevert(ITidepoolPair.Forbidden.selector);
        pair.initialize(t0, address(tokenC)); // anyone
        vm.prank(address(factory));
        vm.expectRevert(ITidepoolPair.Forbidden.selector);
        pair.initialize(t0, address(tokenC)); // even the factory: tokens are fixed at construction
        assertEq(pair.token0(), t0, "token0 unchanged");
        assertEq(pair.token1(), t1, "token1 unchanged");
    }

    function test_extension_directCallsTouchNoPair() public {
        TidepoolPair pair = TidepoolPair(factory.createPair(address(tokenA), address(tokenB)));
        tokenA.mint(address(pair), 10 ether);
        tokenB.mint(address(pair), 10 ether);
        pair.mint(alice);
        TidepoolPairExtension ext = TidepoolPairExtension(factory.pairExtension());
        assertEq(pair.extension(), address(ext), "pair uses the factory's extension");

        // Called directly, the extension has no tokens of its own to act on.
        vm.expectRevert();
        ext.sync();
        vm.expectRevert();
        ext.skim(alice);
        // Its own ledger is empty and separate from every pair's.
        assertEq(ext.totalSupply(), 0, "no LP of its own");
        assertEq(pair.balanceOf(alice), 10 ether - MINIMUM_LIQUIDITY, "pair ledger untouched");
        (uint112 r0, uint112 r1,) = pair.getReserves();
        assertEq(r0, 10 ether, "reserve0 untouched");
        assertEq(r1, 10 ether, "reserve1 untouched");
    }
}
