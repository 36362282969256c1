// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {PairAddress} from "../src/libraries/PairAddress.sol";

/// @notice The one copy of the init code hash matches the compiled pair, and the off-chain
///         formula gives the address the factory deploys to.
contract PairAddressTest is Fixture {
    function test_initCodeHashMatchesCompiledPair() public pure {
        assertEq(
            PairAddress.INIT_CODE_HASH,
            keccak256(type(TidepoolPair).creationCode),
            "update PairAddress.INIT_CODE_HASH"
        );
    }

    function test_pairForMatchesFactory() public {
        address pair = factory.createPair(address(tokenA), address(tokenB));
        assertEq(
            PairAddress.pairFor(address(factory), address(tokenA), address(tokenB)), pair, "pairFor(a, b)"
        );
        assertEq(
            PairAddress.pairFor(address(factory), address(tokenB), address(tokenA)), pair, "pairFor(b, a)"
        );
    }

    function testFuzz_pairForMatchesFactory(address a, address b) public {
        vm.assume(a != b && a != address(0) && b != address(0));
        address pair = factory.createPair(a, b);
        assertEq(PairAddress.pairFor(address(factory), a, b), pair, "pairFor");
        (address t0, address t1) = PairAddress.sortTokens(a, b);
        assertEq(TidepoolPair(pair).token0(), t0, "token0");
        assertEq(TidepoolPair(pair).token1(), t1, "token1");
    }
}
