// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Storage and bookkeeping shared by the test tokens in this folder
/// @notice Deliberately not solady: each mock decides for itself how its external ERC-20 functions
///         behave (return a bool or nothing, revert or return false, take a fee, call a hook), and
///         they all share this plain bookkeeping. Anyone may mint: these are test doubles.
abstract contract MockTokenBase {
    event Transfer(address indexed from, address indexed to, uint256 amount);
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    /// @notice The sender holds less than the amount.
    error BalanceTooLow();
    /// @notice The spender's allowance is below the amount.
    error AllowanceTooLow();

    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    mapping(address account => uint256) internal _balances;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    /// @notice The balance of `account`.
    function balanceOf(address account) public view virtual returns (uint256) {
        return _balances[account];
    }

    /// @notice Mints `amount` to `to`; open to anyone (test double).
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        _balances[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function _approve(address owner, address spender, uint256 amount) internal {
        allowance[owner][spender] = amount;
        emit Approval(owner, spender, amount);
    }

    /// @dev Whether `spender` may move `amount` of `owner`'s tokens; consumes the allowance if so.
    function _useAllowance(address owner, address spender, uint256 amount) internal returns (bool) {
        uint256 allowed = allowance[owner][spender];
        if (allowed == type(uint256).max) return true;
        if (allowed < amount) return false;
        allowance[owner][spender] = allowed - amount;
        return true;
    }

    /// @dev Moves `amount` from `from` to `to`, reverting if the balance is too low. Overridden by
    ///      the mocks that take a fee or call a hook.
    function _transfer(address from, address to, uint256 amount) internal virtual {
        uint256 balance = _balances[from];
        if (balance < amount) revert BalanceTooLow();
        unchecked {
            _balances[from] = balance - amount;
        }
        _balances[to] += amount;
        emit Transfer(from, to, amount);
    }
}

/// @title A well-behaved ERC-20 on the shared bookkeeping: returns true, reverts on failure
/// @notice The base of the mocks whose quirk is in `_transfer` or `balanceOf`.
contract StandardMockToken is MockTokenBase {
    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        MockTokenBase(name_, symbol_, decimals_)
    {}

    function approve(address spender, uint256 amount) external returns (bool) {
        _approve(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (!_useAllowance(from, msg.sender, amount)) revert AllowanceTooLow();
        _transfer(from, to, amount);
        return true;
    }
}
