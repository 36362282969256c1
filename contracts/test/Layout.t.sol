// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Fixture} from "./utils/Fixture.sol";
import {TidepoolPair} from "../src/TidepoolPair.sol";
import {PairAddress} from "../src/libraries/PairAddress.sol";
import {WETH} from "../src/WETH.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

/// @dev Withdraws from WETH and, on receiving the ETH, tries to withdraw again.
contract ReenteringReceiver {
    WETH internal immutable weth;
    uint256 internal again;
    bool public reentryFailed;

    constructor(WETH weth_) {
        weth = weth_;
    }

    function start(uint256 wad, uint256 wadAgain) external {
        again = wadAgain;
        weth.withdraw(wad);
    }

    receive() external payable {
        if (again == 0) return;
        uint256 wad = again;
        again = 0;
        try weth.withdraw(wad) {}
        catch {
            reentryFailed = true;
        }
    }
}

/// @notice What tools read without the ABI: the pair's storage where Uniswap V2 keeps it (reserves
///         in slot 8, price accumulators in 9 and 10, kLast in 11), a lock in transient storage
///         only, the EIP-712 domain through EIP-5267; and what cannot fool the factory or WETH.
contract LayoutTest is Fixture {
    TidepoolPair internal pair;
    uint256 internal ownerKey = 0xA11CE;
    address internal owner;

    function setUp() public override {
        super.setUp();
        owner = vm.addr(ownerKey);
        vm.warp(1_700_000_000);
        (pair,) = provide(tokenA, tokenB, 10 ether, 40 ether, owner);
    }

    function _slot(uint256 n) internal view returns (uint256) {
        return uint256(vm.load(address(pair), bytes32(n)));
    }

    function test_v2StorageSlots() public {
        vm.prank(feeSetter);
        factory.setFeeTo(makeAddr("feeTo"));
        tokenA.mint(address(pair), 1 ether);
        vm.warp(block.timestamp + 60);
        pair.swap(0, 1 ether, bob, "");
        tokenA.mint(address(pair), 1 ether);
        tokenB.mint(address(pair), 4 ether);
        pair.mint(alice); // kLast is written when the protocol fee is on

        (uint112 r0, uint112 r1, uint32 ts) = pair.getReserves();
        uint256 packed = _slot(8);
        assertEq(packed & type(uint112).max, r0, "slot 8: reserve0");
        assertEq((packed >> 112) & type(uint112).max, r1, "slot 8: reserve1");
        assertEq(packed >> 224, ts, "slot 8: blockTimestampLast");
        assertEq(_slot(9), pair.price0CumulativeLast(), "slot 9: price0CumulativeLast");
        assertEq(_slot(10), pair.price1CumulativeLast(), "slot 10: price1CumulativeLast");
        assertTrue(pair.price0CumulativeLast() != 0, "the oracle moved");
        assertEq(_slot(11), pair.kLast(), "slot 11: kLast");
        assertTrue(pair.kLast() != 0, "kLast set");
        for (uint256 i; i < 8; ++i) {
            assertEq(_slot(i), 0, "slots 0-7 stay empty");
        }
        assertEq(_slot(12), 0, "slot 12: V2's lock is transient here");
    }

    function test_lockIsTransient_aLockedCallWritesOnlyTheReserves() public {
        tokenA.mint(address(pair), 1 ether); // a donation for sync to adopt, same block
        vm.record();
        pair.sync();
        (, bytes32[] memory writes) = vm.accesses(address(pair));
        for (uint256 i; i < writes.length; ++i) {
            assertEq(uint256(writes[i]), 8, "only the reserves' slot is written");
        }
        assertTrue(writes.length > 0, "sync wrote the reserves");
    }

    function test_eip712Domain_matchesTheDomainSeparator() public {
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        ) = pair.eip712Domain();
        assertEq(uint8(fields), 0x0f, "name, version, chainId, verifyingContract");
        assertEq(name, "Tidepool LP", "name");
        assertEq(version, "1", "version");
        assertEq(chainId, block.chainid, "chainId");
        assertEq(verifyingContract, address(pair), "verifyingContract");
        assertEq(salt, bytes32(0), "salt");
        assertEq(extensions.length, 0, "extensions");
        bytes32 rebuilt = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        assertEq(rebuilt, pair.DOMAIN_SEPARATOR(), "the advertised domain is the one permits use");
    }

    function test_permitSignedBeforeAChainIdChangeIsRefusedAfter() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(pair.PERMIT_TYPEHASH(), owner, alice, 1 ether, pair.nonces(owner), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", pair.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digest);
        uint256 snapshot = vm.snapshotState();
        pair.permit(owner, alice, 1 ether, deadline, v, r, s);
        assertEq(pair.allowance(owner, alice), 1 ether, "valid on its own chain");
        vm.revertToState(snapshot);
        vm.chainId(block.chainid + 1);
        vm.expectRevert(ERC20.InvalidPermit.selector);
        pair.permit(owner, alice, 1 ether, deadline, v, r, s);
    }

    function test_pairCodeSizeMatchesADeployedPair() public view {
        assertEq(address(pair).code.length, PairAddress.PAIR_CODE_SIZE, "update PairAddress.PAIR_CODE_SIZE");
    }

    function test_foreignCodeAtAPairAddressIsNotAPair() public {
        address would = PairAddress.pairFor(address(factory), address(tokenA), address(tokenC));
        // An EOA carrying an EIP-7702 delegation designator at the pair's address.
        vm.etch(would, abi.encodePacked(hex"ef0100", address(router)));
        assertEq(factory.getPair(address(tokenA), address(tokenC)), address(0), "a delegation is not a pair");
        // Any other code that is not a pair's length.
        vm.etch(would, new bytes(PairAddress.PAIR_CODE_SIZE - 1));
        assertEq(factory.getPair(address(tokenA), address(tokenC)), address(0), "short code is not a pair");
        vm.etch(would, new bytes(PairAddress.PAIR_CODE_SIZE + 1));
        assertEq(factory.getPair(address(tokenA), address(tokenC)), address(0), "long code is not a pair");
        // The address is taken, so the factory cannot deploy there.
        vm.expectRevert();
        factory.createPair(address(tokenA), address(tokenC));
        // Nor can the router be made to deposit there.
        fund(tokenA, alice, 1 ether);
        fund(tokenC, alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert();
        router.addLiquidity(address(tokenA), address(tokenC), 1 ether, 1 ether, 0, 0, alice, block.timestamp);
        assertEq(tokenA.balanceOf(would), 0, "nothing deposited at the foreign address");
        // A real pair is found.
        assertEq(factory.getPair(address(tokenA), address(tokenB)), address(pair), "the real pair");
    }

    function test_wethWithdrawReenteredFromTheReceiver() public {
        ReenteringReceiver receiver = new ReenteringReceiver(weth);
        vm.deal(address(this), 3 ether);
        weth.deposit{value: 3 ether}();
        weth.transfer(address(receiver), 3 ether);

        // Re-entering for more than is left fails; the first withdrawal stands.
        receiver.start(2 ether, 2 ether);
        assertTrue(receiver.reentryFailed(), "a re-entry beyond the balance fails");
        assertEq(address(receiver).balance, 2 ether, "ETH out: the first withdrawal only");
        assertEq(weth.balanceOf(address(receiver)), 1 ether, "debited before the call");

        // Re-entering within what is left succeeds, and the sum is exact.
        receiver.start(0.5 ether, 0.5 ether);
        assertEq(address(receiver).balance, 3 ether, "both withdrawals paid");
        assertEq(weth.balanceOf(address(receiver)), 0, "and both debited");
        assertEq(weth.totalSupply(), 0, "WETH holds no ETH it owes nobody");
    }
}
