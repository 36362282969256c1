// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @title A test token that burns a share of every transfer
/// @notice Not part of the protocol: a devnet and test stand-in for the fee-on-transfer tokens of the
///         real world (the receiver gets less than the sender sent), to exercise Router02's
///         `…SupportingFeeOnTransferTokens` functions. Minting is not charged.
contract FeeOnTransferToken is TestToken {
    /// @notice The share of each transfer burned, in basis points.
    uint256 public immutable feeBps;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param feeBps_ The share burned on every transfer (e.g. 200 = 2%).
    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 feeBps_)
        TestToken(name_, symbol_, decimals_)
    {
        feeBps = feeBps_;
    }

    /// @notice Sends `amount` less the fee to `to`; the fee is burned.
    function transfer(address to, uint256 amount) public override returns (bool) {
        uint256 fee = amount * feeBps / 10_000;
        _burn(msg.sender, fee);
        _transfer(msg.sender, to, amount - fee);
        return true;
    }

    /// @notice Moves `amount` less the fee from `from` to `to` with an allowance; the fee is burned.
    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        _spendAllowance(from, msg.sender, amount);
        uint256 fee = amount * feeBps / 10_000;
        _burn(from, fee);
        _transfer(from, to, amount - fee);
        return true;
    }
}
