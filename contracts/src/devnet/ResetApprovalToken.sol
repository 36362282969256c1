// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestToken} from "./TestToken.sol";

/// @title Test token that refuses to change a non-zero allowance to another non-zero one
/// @notice Not part of the protocol: it behaves like Tether's USDT on Ethereum, whose `approve`
///         requires the allowance to be set to 0 before it is set to a new non-zero amount. Tests
///         use it to check that Tidepool's approvals reset such allowances first.
contract ResetApprovalToken is TestToken {
    /// @notice `approve` was asked to change a non-zero allowance to another non-zero one.
    error AllowanceNotZero();

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        TestToken(name_, symbol_, decimals_)
    {}

    /// @notice Sets `spender`'s allowance to `amount`; reverts `AllowanceNotZero()` when both the
    ///         current allowance and `amount` are non-zero.
    /// @param spender The account allowed to spend.
    /// @param amount The new allowance.
    /// @return Always true.
    function approve(address spender, uint256 amount) public override returns (bool) {
        if (amount != 0 && allowance(msg.sender, spender) != 0) revert AllowanceNotZero();
        return super.approve(spender, amount);
    }
}
