// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @title A test token whose `balanceOf` and `symbol` can be made to revert
/// @notice Not part of the protocol: a devnet and test stand-in for hostile or broken tokens, so
///         that the CLI and the app are shown to survive them (a list, a quote or a screen for
///         other tokens must not break). Trades normally until the minter switches it on.
contract HostileToken is TestToken {
    /// @notice Raised by the switched-on calls.
    error Hostile();

    /// @notice Whether `balanceOf` and `symbol` revert.
    bool public hostile;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        TestToken(name_, symbol_, decimals_)
    {}

    /// @notice Turns the reverting calls on or off. Only the minter.
    /// @param on Whether `balanceOf` and `symbol` revert from now on.
    function setHostile(bool on) external {
        if (msg.sender != minter) revert NotMinter();
        hostile = on;
    }

    /// @notice The balance of `owner`; reverts while hostile.
    function balanceOf(address owner) public view override returns (uint256) {
        if (hostile) revert Hostile();
        return super.balanceOf(owner);
    }

    /// @notice Token symbol; reverts while hostile.
    function symbol() public view override returns (string memory) {
        if (hostile) revert Hostile();
        return super.symbol();
    }
}

/// @title A pre-standard token whose `symbol` and `name` are `bytes32`
/// @notice Not part of the protocol: a devnet and test stand-in for MKR-style tokens, which answer
///         `symbol()` and `name()` with a NUL-padded `bytes32` instead of a `string`. A minimal
///         ERC-20 otherwise (no permit), mintable by its deployer.
contract Bytes32Token {
    /// @notice The caller is not the minter.
    error NotMinter();
    /// @notice The sender's balance or allowance is too small.
    error Insufficient();

    /// @notice ERC-20 transfer event.
    event Transfer(address indexed from, address indexed to, uint256 amount);
    /// @notice ERC-20 approval event.
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    /// @notice Token symbol, NUL-padded.
    bytes32 public immutable symbol;
    /// @notice Token name, NUL-padded.
    bytes32 public immutable name;
    /// @notice Token decimals.
    uint8 public constant decimals = 18;
    /// @notice The account allowed to mint (the deployer).
    address public immutable minter;
    /// @notice Total supply.
    uint256 public totalSupply;
    /// @notice Balances.
    mapping(address owner => uint256 amount) public balanceOf;
    /// @notice Allowances.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    /// @param symbol_ Token symbol.
    /// @param name_ Token name.
    constructor(bytes32 symbol_, bytes32 name_) {
        symbol = symbol_;
        name = name_;
        minter = msg.sender;
    }

    /// @notice Mints `amount` to `to`. Only the minter.
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter();
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Lets `spender` move `amount`.
    /// @param spender Spender.
    /// @param amount Amount.
    /// @return Always true.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Sends `amount` to `to`.
    /// @param to Receiver.
    /// @param amount Amount.
    /// @return Always true.
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice Moves `amount` from `from` to `to` with an allowance.
    /// @param from Owner.
    /// @param to Receiver.
    /// @param amount Amount.
    /// @return Always true.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert Insufficient();
            allowance[from][msg.sender] = allowed - amount;
        }
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 have = balanceOf[from];
        if (have < amount) revert Insufficient();
        unchecked {
            balanceOf[from] = have - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
