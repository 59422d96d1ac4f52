// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title FeeVault
/// @notice Holds the ETH users (or anyone on their behalf) prepay for sync fees.
///         Only the aggregator can spend from a user's balance; a user can withdraw whatever is left.
/// @dev Spent fees stay in the vault as collected fees until the fee collector sweeps them.
///      The vault does not price anything: the aggregator decides the amount it spends.
contract FeeVault {
    address public immutable oracleAggregator;
    address public immutable feeCollector;

    mapping(address => uint256) private _balances;
    uint256 public collectedFees;

    event Deposited(address indexed user, uint256 amount);
    event Spent(address indexed user, uint256 amount, address indexed by);
    event Withdrawn(address indexed user, uint256 amount);
    event FeesCollected(address indexed to, uint256 amount);

    error Restricted();
    error ZeroAddress();
    error ZeroValue();
    error InsufficientBalance();
    error TransferFailed();

    constructor(address oracleAggregator_, address feeCollector_) {
        if (oracleAggregator_ == address(0) || feeCollector_ == address(0)) revert ZeroAddress();
        oracleAggregator = oracleAggregator_;
        feeCollector = feeCollector_;
    }

    function depositETH(address user) external payable {
        if (user == address(0)) revert ZeroAddress();
        if (msg.value == 0) revert ZeroValue();
        _balances[user] += msg.value;
        emit Deposited(user, msg.value);
    }

    function balanceOf(address user) external view returns (uint256) {
        return _balances[user];
    }

    function spendFrom(address user, uint256 amount) external {
        if (msg.sender != oracleAggregator) revert Restricted();
        if (amount == 0) revert ZeroValue();
        uint256 balance = _balances[user];
        if (balance < amount) revert InsufficientBalance();
        _balances[user] = balance - amount;
        collectedFees += amount;
        emit Spent(user, amount, msg.sender);
    }

    /// @notice Returns the caller's whole remaining prepaid balance.
    function withdrawUnused() external {
        uint256 amount = _balances[msg.sender];
        if (amount == 0) revert ZeroValue();
        _balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @notice Moves every fee spent so far to `to`; only the fee collector may do this.
    function collectFees(address to) external {
        if (msg.sender != feeCollector) revert Restricted();
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = collectedFees;
        if (amount == 0) revert ZeroValue();
        collectedFees = 0;
        emit FeesCollected(to, amount);
        _send(to, amount);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
