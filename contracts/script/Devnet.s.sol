// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ScriptVm} from "./ScriptVm.sol";
import {WETH} from "../src/WETH.sol";
import {TidepoolFactory} from "../src/TidepoolFactory.sol";
import {TidepoolRouter} from "../src/TidepoolRouter.sol";
import {PairAddress} from "../src/libraries/PairAddress.sol";
import {TestToken} from "../src/devnet/TestToken.sol";

/// @title A trading-ready devnet: Tidepool deployed, tokens minted, pools seeded at consistent prices
/// @notice `forge script contracts/script/Devnet.s.sol --rpc-url <anvil> --broadcast` (what
///         `cargo xtask dev` runs). The deployer is DEPLOYER_KEY, by default Anvil's public dev
///         account 0; every one of Anvil's first ten dev accounts is funded with every token. The
///         addresses are written to MANIFEST (default deployments/devnet.json).
contract DevnetScript {
    ScriptVm internal constant vm = ScriptVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev Anvil's well-known dev key 0 (public test key, never holds real funds).
    uint256 internal constant ANVIL_KEY_0 =
        0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;

    struct TokenSpec {
        string name;
        string symbol;
        uint8 decimals;
        uint256 usdPrice; // whole dollars per whole token
    }

    struct PoolSpec {
        uint256 a; // index into the token list; type(uint256).max means WETH
        uint256 b;
        uint256 usdDepth; // dollars of each side
    }

    uint256 internal constant ETH = type(uint256).max;
    uint256 internal constant ETH_USD = 3000;

    /// @notice Deploys and seeds everything, then writes the manifest.
    function run() external {
        uint256 key = vm.envOr("DEPLOYER_KEY", ANVIL_KEY_0);
        string memory manifestPath = vm.envOr("MANIFEST", string("deployments/devnet.json"));
        address deployer = vm.addr(key);

        TokenSpec[5] memory specs = [
            TokenSpec("USD Coin", "USDC", 6, 1),
            TokenSpec("Tether USD", "USDT", 6, 1),
            TokenSpec("Dai Stablecoin", "DAI", 18, 1),
            TokenSpec("Wrapped Bitcoin", "WBTC", 8, 60_000),
            TokenSpec("Tidepool Token", "TIDE", 18, 2)
        ];
        PoolSpec[8] memory pools = [
            PoolSpec(ETH, 0, 3_000_000), // WETH/USDC
            PoolSpec(ETH, 2, 1_500_000), // WETH/DAI
            PoolSpec(0, 1, 2_000_000), // USDC/USDT
            PoolSpec(0, 2, 2_000_000), // USDC/DAI
            PoolSpec(3, ETH, 3_000_000), // WBTC/WETH
            PoolSpec(3, 0, 1_000_000), // WBTC/USDC
            PoolSpec(4, ETH, 500_000), // TIDE/WETH
            PoolSpec(4, 0, 250_000) // TIDE/USDC
        ];

        vm.startBroadcast(key);
        WETH weth = new WETH();
        TidepoolFactory factory = new TidepoolFactory(deployer);
        TidepoolRouter router = new TidepoolRouter(address(factory), address(weth));

        TestToken[5] memory tokens;
        for (uint256 i; i < specs.length; ++i) {
            tokens[i] = new TestToken(specs[i].name, specs[i].symbol, specs[i].decimals);
            uint256 unit = 10 ** specs[i].decimals;
            // Enough for the pools and for each dev account: $10M of every token.
            tokens[i].mint(deployer, 100_000_000 * unit / specs[i].usdPrice);
            for (uint256 k = 1; k < 10; ++k) {
                tokens[i].mint(_devAccount(k), 10_000_000 * unit / specs[i].usdPrice);
            }
            tokens[i].approve(address(router), type(uint256).max);
        }

        for (uint256 p; p < pools.length; ++p) {
            PoolSpec memory s = pools[p];
            if (s.a == ETH || s.b == ETH) {
                uint256 t = s.a == ETH ? s.b : s.a;
                uint256 amountToken = s.usdDepth * 10 ** specs[t].decimals / specs[t].usdPrice;
                uint256 amountEth = s.usdDepth * 1 ether / ETH_USD;
                router.addLiquidityETH{value: amountEth}(
                    address(tokens[t]), amountToken, 0, 0, deployer, type(uint256).max
                );
            } else {
                router.addLiquidity(
                    address(tokens[s.a]),
                    address(tokens[s.b]),
                    s.usdDepth * 10 ** specs[s.a].decimals / specs[s.a].usdPrice,
                    s.usdDepth * 10 ** specs[s.b].decimals / specs[s.b].usdPrice,
                    0,
                    0,
                    deployer,
                    type(uint256).max
                );
            }
        }
        vm.stopBroadcast();

        string memory m = "manifest";
        vm.serializeAddress(m, "weth", address(weth));
        vm.serializeAddress(m, "factory", address(factory));
        vm.serializeAddress(m, "router", address(router));
        vm.serializeAddress(m, "pairExtension", factory.pairExtension());
        vm.serializeUint(m, "pairs", factory.allPairsLength());
        for (uint256 i; i < specs.length; ++i) {
            vm.serializeAddress(m, string.concat("token.", specs[i].symbol), address(tokens[i]));
        }
        string memory json = vm.serializeBytes32(m, "initCodeHash", PairAddress.INIT_CODE_HASH);
        vm.writeJson(json, manifestPath);
    }

    /// @dev Anvil's dev account k of the default mnemonic ("test test ... junk"), derived by Anvil;
    ///      the addresses are public and fixed.
    function _devAccount(uint256 k) internal pure returns (address) {
        address[10] memory accounts = [
            0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266,
            0x70997970C51812dc3A010C7d01b50e0d17dc79C8,
            0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC,
            0x90F79bf6EB2c4f870365E785982E1f101E93b906,
            0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65,
            0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc,
            0x976EA74026E726554dB657fA54763abd0C3a0aa9,
            0x14dC79964da2C08b23698B3D3cc7Ca32193d9955,
            0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f,
            0xa0Ee7A142d267C1f36714E4a8F75612F20a79720
        ];
        return accounts[k];
    }
}
