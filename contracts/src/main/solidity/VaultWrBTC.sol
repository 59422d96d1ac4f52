// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RBTCSynth} from "./RBTCSynth.sol";

/// @title VaultWrBTC (wrBTC)
/// @notice Transferable ERC-20 (8 decimals) wrapper around rBTC-SYNTH.
///         wrap(amount) locks `amount` of the caller's rBTC-SYNTH in this vault and mints the same
///         amount of wrBTC to the caller. redeem(amount) burns the caller's wrBTC and releases the same
///         amount of the caller's own locked rBTC-SYNTH. When the oracle burns more of a user's balance
///         than is unlocked, the aggregator slashes the rest from the user's locked position.
/// @dev Guarantees: lockedOf(user) is always backed 1:1 by rBTC-SYNTH held by this vault, and only the
///      user who locked rBTC-SYNTH can release it (rBTC-SYNTH is soulbound, so wrBTC received from someone
///      else cannot be redeemed into it). Does NOT guarantee that wrBTC already transferred away stays
///      backed after a slash: a slash burns at most the wrBTC the slashed user still holds.
contract VaultWrBTC {
    string public constant name = "Wrapped Reserve BTC";
    string public constant symbol = "wrBTC";
    uint8 public constant decimals = 8;

    RBTCSynth public immutable synth;
    address public immutable oracleAggregator;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => uint256) public lockedOf;

    event Transfer(address indexed from, address indexed to, uint256 amount);
    event Approval(address indexed owner, address indexed spender, uint256 amount);
    event Wrapped(address indexed user, uint256 amount);
    event Redeemed(address indexed user, uint256 amount);
    event Slashed(address indexed user, uint256 amount);

    error Restricted();
    error ZeroAddress();
    error ZeroValue();
    error InsufficientBalance();
    error InsufficientAllowance();
    error InsufficientLocked();

    constructor(RBTCSynth synth_, address oracleAggregator_) {
        if (address(synth_) == address(0) || oracleAggregator_ == address(0)) revert ZeroAddress();
        synth = synth_;
        oracleAggregator = oracleAggregator_;
    }

    function wrap(uint256 amount) external {
        if (amount == 0) revert ZeroValue();
        synth.lockForWrap(msg.sender, amount);
        lockedOf[msg.sender] += amount;
        _mint(msg.sender, amount);
        emit Wrapped(msg.sender, amount);
    }

    function redeem(uint256 amount) external {
        if (amount == 0) revert ZeroValue();
        if (lockedOf[msg.sender] < amount) revert InsufficientLocked();
        _burn(msg.sender, amount);
        lockedOf[msg.sender] -= amount;
        synth.unlockFromWrap(msg.sender, amount);
        emit Redeemed(msg.sender, amount);
    }

    /// @notice Removes `amount` of the user's locked rBTC-SYNTH because their Bitcoin balance fell;
    ///         burns as much of the user's own wrBTC as they still hold, up to `amount`.
    function slashFromOracle(address user, uint256 amount) external {
        if (msg.sender != oracleAggregator) revert Restricted();
        if (amount == 0) revert ZeroValue();
        if (lockedOf[user] < amount) revert InsufficientLocked();
        lockedOf[user] -= amount;
        synth.burnLocked(amount);
        uint256 held = balanceOf[user];
        uint256 burned = held < amount ? held : amount;
        if (burned > 0) _burn(user, burned);
        emit Slashed(user, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        if (spender == address(0)) revert ZeroAddress();
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance();
            allowance[from][msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance();
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) private {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function _burn(address from, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance();
        balanceOf[from] = balance - amount;
        totalSupply -= amount;
        emit Transfer(from, address(0), amount);
    }
}
