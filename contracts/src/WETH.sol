// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IWETH} from "./interfaces/IWETH.sol";

/// @title Wrapped Ether with WETH9's interface, events and semantics
/// @notice deposit / withdraw / plain ETH transfers wrap and unwrap 1:1; `totalSupply` is the ETH
///         held, as in WETH9, so wrapping writes one storage slot (the balance) rather than two.
///         Emits WETH9's Deposit and Withdrawal events, which wallets and indexers look for. An
///         allowance of 2^256-1 is never spent, and `transferFrom` by the owner needs no allowance.
contract WETH is IWETH {
    /// @notice Token name.
    string public constant name = "Wrapped Ether";
    /// @notice Token symbol.
    string public constant symbol = "WETH";
    /// @notice Token decimals.
    uint8 public constant decimals = 18;

    /// @notice WETH held by each account.
    mapping(address account => uint256) public balanceOf;
    /// @notice What `spender` may move from `owner`.
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice ERC-20 approval.
    event Approval(address indexed src, address indexed guy, uint256 wad);
    /// @notice ERC-20 transfer.
    event Transfer(address indexed src, address indexed dst, uint256 wad);
    /// @notice ETH wrapped.
    event Deposit(address indexed dst, uint256 wad);
    /// @notice WETH unwrapped.
    event Withdrawal(address indexed src, uint256 wad);

    /// @notice The balance is below the amount.
    error InsufficientBalance();
    /// @notice The allowance is below the amount.
    error InsufficientAllowance();
    /// @notice Sending ETH to the caller failed.
    error ETHTransferFailed();

    /// @notice Wraps the ETH sent.
    receive() external payable {
        deposit();
    }

    /// @notice Wraps the ETH sent with any other calldata, as WETH9's payable fallback does.
    fallback() external payable {
        deposit();
    }

    /// @notice Wraps the ETH sent, crediting the caller.
    function deposit() public payable {
        // Unchecked: a balance cannot exceed the ETH supply.
        unchecked {
            balanceOf[msg.sender] += msg.value;
        }
        emit Deposit(msg.sender, msg.value);
    }

    /// @notice Unwraps `wad` and sends the ETH to the caller.
    function withdraw(uint256 wad) external {
        uint256 balance = balanceOf[msg.sender];
        if (balance < wad) revert InsufficientBalance();
        unchecked {
            balanceOf[msg.sender] = balance - wad;
        }
        emit Withdrawal(msg.sender, wad);
        // slither-disable-next-line low-level-calls -- the ETH send; the balance is debited before it
        (bool ok,) = msg.sender.call{value: wad}("");
        if (!ok) revert ETHTransferFailed();
    }

    /// @notice All WETH in existence: the ETH this contract holds.
    function totalSupply() external view returns (uint256) {
        return address(this).balance;
    }

    /// @notice Approves `guy` to move up to `wad` of the caller's WETH.
    function approve(address guy, uint256 wad) external returns (bool) {
        allowance[msg.sender][guy] = wad;
        emit Approval(msg.sender, guy, wad);
        return true;
    }

    /// @notice Moves `wad` from the caller to `dst`.
    function transfer(address dst, uint256 wad) external returns (bool) {
        return transferFrom(msg.sender, dst, wad);
    }

    /// @notice Moves `wad` from `src` to `dst`, spending an allowance unless the caller is `src`.
    function transferFrom(address src, address dst, uint256 wad) public returns (bool) {
        if (src != msg.sender) {
            uint256 allowed = allowance[src][msg.sender];
            if (allowed != type(uint256).max) {
                if (allowed < wad) revert InsufficientAllowance();
                unchecked {
                    allowance[src][msg.sender] = allowed - wad;
                }
            }
        }
        uint256 balance = balanceOf[src];
        if (balance < wad) revert InsufficientBalance();
        // Unchecked: wad ≤ balance, and no balance can exceed the ETH supply.
        unchecked {
            balanceOf[src] = balance - wad;
            balanceOf[dst] += wad;
        }
        emit Transfer(src, dst, wad);
        return true;
    }
}
