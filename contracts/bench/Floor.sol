// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

// The gas floor of the Uniswap V2 interface, for `cargo xtask bench gas`: an exchange that does
// only what V2's interface forces on every call — the token transfers, reading the pair's token
// balances, the reserve and price-accumulator writes, the LP token's balance and supply writes,
// the pools list, and the events — and nothing else: no K check, no slippage or deadline checks,
// no protocol fee, no reentrancy lock, no minimum liquidity, no sqrt. It is not an exchange anyone
// should use (it loses funds to anyone who asks); it measures how much of a V2 trade no
// implementation can avoid. Not part of the protocol; never deployed outside the benchmark.

/// @dev A pair's tokens, read by its constructor so that every pair has the same creation code.
interface IFloorParameters {
    function parameters() external view returns (address token0, address token1);
}

/// @title Floor pair: V2's Sync/Swap/Mint/Burn/Transfer events and storage writes, nothing else
contract FloorPair {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    event Sync(uint112 reserve0, uint112 reserve1);

    address public immutable token0;
    address public immutable token1;

    uint112 private reserve0;
    uint112 private reserve1;
    uint32 private blockTimestampLast;
    uint256 public price0CumulativeLast;
    uint256 public price1CumulativeLast;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    constructor() {
        (token0, token1) = IFloorParameters(msg.sender).parameters();
    }

    function getReserves() external view returns (uint112, uint112, uint32) {
        return (reserve0, reserve1, blockTimestampLast);
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }

    function _balances() private view returns (uint256, uint256) {
        return
            (
                SafeTransferLib.balanceOf(token0, address(this)),
                SafeTransferLib.balanceOf(token1, address(this))
            );
    }

    function _update(uint256 balance0, uint256 balance1) private {
        uint32 ts = uint32(block.timestamp);
        (uint112 r0, uint112 r1, uint32 last) = (reserve0, reserve1, blockTimestampLast);
        unchecked {
            uint32 elapsed = ts - last;
            if (elapsed != 0 && r0 != 0 && r1 != 0) {
                price0CumulativeLast += (uint256(r1) << 112) / r0 * elapsed;
                price1CumulativeLast += (uint256(r0) << 112) / r1 * elapsed;
            }
        }
        (reserve0, reserve1, blockTimestampLast) = (uint112(balance0), uint112(balance1), ts);
        emit Sync(uint112(balance0), uint112(balance1));
    }

    function mint(address to) external returns (uint256 liquidity) {
        (uint256 b0, uint256 b1) = _balances();
        uint256 amount0 = b0 - reserve0;
        uint256 amount1 = b1 - reserve1;
        liquidity = amount0;
        totalSupply += liquidity;
        balanceOf[to] += liquidity;
        emit Transfer(address(0), to, liquidity);
        _update(b0, b1);
        emit Mint(msg.sender, amount0, amount1);
    }

    function burn(address to) external returns (uint256 amount0, uint256 amount1) {
        (uint256 b0, uint256 b1) = _balances();
        uint256 liquidity = balanceOf[address(this)];
        uint256 supply = totalSupply;
        amount0 = liquidity * b0 / supply;
        amount1 = liquidity * b1 / supply;
        balanceOf[address(this)] = 0;
        totalSupply = supply - liquidity;
        emit Transfer(address(this), address(0), liquidity);
        SafeTransferLib.safeTransfer(token0, to, amount0);
        SafeTransferLib.safeTransfer(token1, to, amount1);
        (b0, b1) = _balances();
        _update(b0, b1);
        emit Burn(msg.sender, amount0, amount1, to);
    }

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata) external {
        (uint112 r0, uint112 r1) = (reserve0, reserve1);
        if (amount0Out != 0) SafeTransferLib.safeTransfer(token0, to, amount0Out);
        if (amount1Out != 0) SafeTransferLib.safeTransfer(token1, to, amount1Out);
        (uint256 b0, uint256 b1) = _balances();
        uint256 in0;
        uint256 in1;
        unchecked {
            in0 = b0 > r0 - amount0Out ? b0 - (r0 - amount0Out) : 0;
            in1 = b1 > r1 - amount1Out ? b1 - (r1 - amount1Out) : 0;
        }
        _update(b0, b1);
        emit Swap(msg.sender, in0, in1, amount0Out, amount1Out, to);
    }
}

/// @title Floor factory: CREATE2 pairs, the pools list and PairCreated
contract FloorFactory is IFloorParameters {
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    address[] public allPairs;
    address private t0;
    address private t1;
    bytes32 public immutable pairCodeHash = keccak256(type(FloorPair).creationCode);

    constructor(address) {}

    function parameters() external view returns (address, address) {
        return (t0, t1);
    }

    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    function getPair(address a, address b) external view returns (address pair) {
        pair = FloorLib.pairFor(address(this), pairCodeHash, a, b);
        if (pair.code.length == 0) pair = address(0);
    }

    function createPair(address a, address b) external returns (address pair) {
        (address x, address y) = a < b ? (a, b) : (b, a);
        (t0, t1) = (x, y);
        pair = address(new FloorPair{salt: keccak256(abi.encodePacked(x, y))}());
        allPairs.push(pair);
        emit PairCreated(x, y, pair, allPairs.length);
    }
}

/// @dev CREATE2 pair addresses, reserves and the pair's swap call, as cheaply as they can be had.
library FloorLib {
    function pairFor(address factory, bytes32 codeHash, address a, address b)
        internal
        pure
        returns (address pair)
    {
        (address x, address y) = a < b ? (a, b) : (b, a);
        /// @solidity memory-safe-assembly
        assembly {
            let m := mload(0x40)
            mstore(0x00, shl(96, x))
            mstore(0x14, shl(96, y))
            let salt := keccak256(0x00, 0x28)
            mstore(m, or(shl(160, 0xff), factory))
            mstore(add(m, 0x20), salt)
            mstore(add(m, 0x40), codeHash)
            pair := and(keccak256(add(m, 11), 85), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    function reserves(address pair) internal view returns (uint256 r0, uint256 r1) {
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x00, 0x0902f1ac) // getReserves()
            if iszero(staticcall(gas(), pair, 0x1c, 0x04, 0x00, 0x40)) { revert(0, 0) }
            r0 := mload(0x00)
            r1 := mload(0x20)
        }
    }

    function amountOut(uint256 amountIn, uint256 rIn, uint256 rOut) internal pure returns (uint256) {
        unchecked {
            uint256 withFee = amountIn * 997;
            return withFee * rOut / (rIn * 1000 + withFee);
        }
    }

    function swap(address pair, uint256 out0, uint256 out1, address to) internal {
        /// @solidity memory-safe-assembly
        assembly {
            let m := mload(0x40)
            mstore(m, 0x022c0d9f00000000000000000000000000000000000000000000000000000000)
            mstore(add(m, 0x04), out0)
            mstore(add(m, 0x24), out1)
            mstore(add(m, 0x44), to)
            mstore(add(m, 0x64), 0x80)
            mstore(add(m, 0x84), 0)
            if iszero(call(gas(), pair, 0, m, 0xa4, 0, 0)) {
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
        }
    }
}

interface IFloorWETH {
    function deposit() external payable;
    function withdraw(uint256) external;
}

/// @title Floor router: the Router02 functions the benchmark calls, moving tokens and nothing more
contract FloorRouter {
    using SafeTransferLib for address;

    address public immutable factory;
    address public immutable WETH;
    bytes32 private immutable codeHash;

    constructor(address factory_, address weth_) {
        factory = factory_;
        WETH = weth_;
        codeHash = FloorFactory(factory_).pairCodeHash();
    }

    receive() external payable {}

    function _pair(address a, address b) private view returns (address) {
        return FloorLib.pairFor(factory, codeHash, a, b);
    }

    function getAmountsOut(uint256 amountIn, address[] calldata path)
        public
        view
        returns (uint256[] memory amounts)
    {
        amounts = new uint256[](path.length);
        amounts[0] = amountIn;
        unchecked {
            for (uint256 i; i < path.length - 1; ++i) {
                (uint256 r0, uint256 r1) = FloorLib.reserves(_pair(path[i], path[i + 1]));
                (uint256 rIn, uint256 rOut) = path[i] < path[i + 1] ? (r0, r1) : (r1, r0);
                amounts[i + 1] = FloorLib.amountOut(amounts[i], rIn, rOut);
            }
        }
    }

    /// @dev Pays `amounts` along `path`; `pair` is the first hop's pair.
    function _swap(uint256[] memory amounts, address[] calldata path, address pair, address to) private {
        unchecked {
            uint256 last = path.length - 1;
            for (uint256 i; i < last; ++i) {
                uint256 out = amounts[i + 1];
                (uint256 o0, uint256 o1) = path[i] < path[i + 1] ? (uint256(0), out) : (out, uint256(0));
                address next = i < last - 1 ? _pair(path[i + 1], path[i + 2]) : to;
                FloorLib.swap(pair, o0, o1, next);
                pair = next;
            }
        }
    }

    function swapExactTokensForTokens(uint256 amountIn, uint256, address[] calldata path, address to, uint256)
        external
        returns (uint256[] memory amounts)
    {
        amounts = getAmountsOut(amountIn, path);
        address first = _pair(path[0], path[1]);
        path[0].safeTransferFrom(msg.sender, first, amountIn);
        _swap(amounts, path, first, to);
    }

    function swapExactETHForTokens(uint256, address[] calldata path, address to, uint256)
        external
        payable
        returns (uint256[] memory amounts)
    {
        amounts = getAmountsOut(msg.value, path);
        address first = _pair(path[0], path[1]);
        IFloorWETH(WETH).deposit{value: msg.value}();
        WETH.safeTransfer(first, msg.value);
        _swap(amounts, path, first, to);
    }

    function swapExactTokensForETH(uint256 amountIn, uint256, address[] calldata path, address to, uint256)
        external
        returns (uint256[] memory amounts)
    {
        amounts = getAmountsOut(amountIn, path);
        address first = _pair(path[0], path[1]);
        path[0].safeTransferFrom(msg.sender, first, amountIn);
        _swap(amounts, path, first, address(this));
        uint256 out = amounts[amounts.length - 1];
        IFloorWETH(WETH).withdraw(out);
        to.safeTransferETH(out);
    }

    function _deposit(address a, address b, uint256 amountA, uint256 amountB)
        private
        returns (address pair, uint256, uint256)
    {
        pair = _pair(a, b);
        if (pair.code.length == 0) FloorFactory(factory).createPair(a, b);
        (uint112 r0, uint112 r1,) = FloorPair(pair).getReserves();
        if (r0 != 0) {
            (uint256 rA, uint256 rB) = a < b ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
            amountB = amountA * rB / rA;
        }
        return (pair, amountA, amountB);
    }

    function addLiquidity(
        address a,
        address b,
        uint256 amountA,
        uint256 amountB,
        uint256,
        uint256,
        address to,
        uint256
    ) external returns (uint256, uint256, uint256 liquidity) {
        address pair;
        (pair, amountA, amountB) = _deposit(a, b, amountA, amountB);
        a.safeTransferFrom(msg.sender, pair, amountA);
        b.safeTransferFrom(msg.sender, pair, amountB);
        liquidity = FloorPair(pair).mint(to);
        return (amountA, amountB, liquidity);
    }

    function addLiquidityETH(address token, uint256 amountToken, uint256, uint256, address to, uint256)
        external
        payable
        returns (uint256, uint256 amountETH, uint256 liquidity)
    {
        address pair;
        (pair, amountToken, amountETH) = _deposit(token, WETH, amountToken, msg.value);
        token.safeTransferFrom(msg.sender, pair, amountToken);
        IFloorWETH(WETH).deposit{value: amountETH}();
        WETH.safeTransfer(pair, amountETH);
        liquidity = FloorPair(pair).mint(to);
        return (amountToken, amountETH, liquidity);
    }

    function removeLiquidity(address a, address b, uint256 liquidity, uint256, uint256, address to, uint256)
        external
        returns (uint256 amountA, uint256 amountB)
    {
        address pair = _pair(a, b);
        FloorPair(pair).transferFrom(msg.sender, pair, liquidity);
        (uint256 amount0, uint256 amount1) = FloorPair(pair).burn(to);
        (amountA, amountB) = a < b ? (amount0, amount1) : (amount1, amount0);
    }
}
