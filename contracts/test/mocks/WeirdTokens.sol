// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockTokenBase, StandardMockToken} from "./MockTokenBase.sol";

/// @title Burns a fixed share of every transfer (fee-on-transfer / deflationary)
/// @notice The sender is debited `amount`, the recipient credited `amount − fee` and the fee is
///         burnt, with fee = amount × feeBps / 10 000 (rounded down). Minting takes no fee.
contract FeeOnTransferToken is StandardMockToken {
    /// @notice The fee in basis points (100 = 1%).
    uint256 public immutable feeBps;

    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 feeBps_)
        StandardMockToken(name_, symbol_, decimals_)
    {
        feeBps = feeBps_;
    }

    /// @notice The fee taken from a transfer of `amount`.
    function feeOf(uint256 amount) public view returns (uint256) {
        return amount * feeBps / 10_000;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 balance = _balances[from];
        if (balance < amount) revert BalanceTooLow();
        uint256 fee = feeOf(amount);
        unchecked {
            _balances[from] = balance - amount;
            totalSupply -= fee;
        }
        _balances[to] += amount - fee;
        emit Transfer(from, to, amount - fee);
        if (fee != 0) emit Transfer(from, address(0), fee);
    }
}

/// @title USDT-style: transfer, transferFrom and approve return nothing
/// @notice Reverts on failure, as USDT does; a caller decoding a bool return value would revert.
contract NoReturnToken is MockTokenBase {
    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        MockTokenBase(name_, symbol_, decimals_)
    {}

    function approve(address spender, uint256 amount) external {
        _approve(msg.sender, spender, amount);
    }

    function transfer(address to, uint256 amount) external {
        _transfer(msg.sender, to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) external {
        if (!_useAllowance(from, msg.sender, amount)) revert AllowanceTooLow();
        _transfer(from, to, amount);
    }
}

/// @title Signals failure by returning false instead of reverting (ZRX/BAT-style)
/// @notice A failed transfer moves nothing and returns false. `setFailAll(true)` makes every
///         transfer fail that way (a paused or blocklisting token that does not revert).
contract ReturnsFalseToken is MockTokenBase {
    /// @notice Whether every transfer returns false.
    bool public failAll;

    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        MockTokenBase(name_, symbol_, decimals_)
    {}

    function setFailAll(bool failAll_) external {
        failAll = failAll_;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _approve(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        if (failAll || _balances[msg.sender] < amount) return false;
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (failAll || _balances[from] < amount) return false;
        if (!_useAllowance(from, msg.sender, amount)) return false;
        _transfer(from, to, amount);
        return true;
    }
}

/// @title Reverts on a zero-amount transfer (as some real tokens, e.g. LEND, did)
contract ZeroTransferRevertToken is StandardMockToken {
    /// @notice A transfer of zero tokens was attempted.
    error ZeroAmount();

    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        StandardMockToken(name_, symbol_, decimals_)
    {}

    function _transfer(address from, address to, uint256 amount) internal override {
        if (amount == 0) revert ZeroAmount();
        super._transfer(from, to, amount);
    }
}

/// @title A token whose balanceOf can be made to revert (paused proxy, broken upgrade, out of gas)
/// @notice While paused, `balanceOf` reverts and transfers revert too; only `balanceOf`'s failure
///         matters to the pair, which reads balances without asking for a transfer.
contract PausableBalanceToken is StandardMockToken {
    /// @notice The token is paused.
    error Paused();

    /// @notice Whether the token is paused.
    bool public paused;

    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        StandardMockToken(name_, symbol_, decimals_)
    {}

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (paused) revert Paused();
        return _balances[account];
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (paused) revert Paused();
        super._transfer(from, to, amount);
    }
}

/// @title A token that can take balance away from a holder without a transfer (negative rebase,
///        admin burn, blocklist seizure)
contract SeizableToken is StandardMockToken {
    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        StandardMockToken(name_, symbol_, decimals_)
    {}

    /// @notice Burns `amount` of `account`'s balance; open to anyone (test double).
    function seize(address account, uint256 amount) external {
        _balances[account] -= amount;
        totalSupply -= amount;
        emit Transfer(account, address(0), amount);
    }
}
