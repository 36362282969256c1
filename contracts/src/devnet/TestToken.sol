// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "solady/tokens/ERC20.sol";

/// @title Mintable ERC-20 for devnets and tests
/// @notice Not part of the protocol: the devnet deploys these to have something to trade. Only the
///         deployer (`minter`) can mint, so a copy deployed by mistake on a real chain cannot be
///         inflated by anyone else.
contract TestToken is ERC20 {
    /// @notice The caller is not the minter.
    error NotMinter();

    /// @notice The account allowed to mint (the deployer).
    address public immutable minter;
    uint8 private immutable _decimals;
    string private _name;
    string private _symbol;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals (e.g. 6 for a USDC-like token, 8 for a BTC-like one).
    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        minter = msg.sender;
        _name = name_;
        _symbol = symbol_;
        _decimals = decimals_;
    }

    /// @notice Token name.
    function name() public view override returns (string memory) {
        return _name;
    }

    /// @notice Token symbol.
    function symbol() public view virtual override returns (string memory) {
        return _symbol;
    }

    /// @notice Token decimals.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Mints `amount` to `to`. Only the minter.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter();
        _mint(to, amount);
    }

    /// @dev No implicit Permit2 allowance.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
