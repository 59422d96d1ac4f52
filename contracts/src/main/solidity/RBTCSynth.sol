// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RBTCSynth (rBTC-SYNTH)
/// @notice Soulbound token, 8 decimals (1 unit = 1 satoshi), mirroring the confirmed Bitcoin balance
///         the oracle committee reported for a user. Only the aggregator mints and burns; holders
///         cannot transfer or approve.
/// @dev Mints and burns are ERC-20 Transfer events from / to the zero address; there are no separate
///      Mint/Burn events. The one sanctioned movement besides mint/burn is the wrBTC vault locking a
///      holder's tokens when they wrap (Transfer holder -> vault) and releasing them on redeem
///      (Transfer vault -> holder); the vault also burns locked tokens it is told to slash.
contract RBTCSynth {
    string public constant name = "Reserve BTC Synth";
    string public constant symbol = "rBTC-SYNTH";
    uint8 public constant decimals = 8;

    address public immutable oracleAggregator;
    address public immutable wrbtc;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 amount);

    error Soulbound();
    error Restricted();
    error ZeroAddress();
    error ZeroValue();
    error InsufficientBalance();

    modifier onlyAggregator() {
        if (msg.sender != oracleAggregator) revert Restricted();
        _;
    }

    modifier onlyVault() {
        if (msg.sender != wrbtc) revert Restricted();
        _;
    }

    constructor(address oracleAggregator_, address wrbtc_) {
        if (oracleAggregator_ == address(0) || wrbtc_ == address(0)) revert ZeroAddress();
        oracleAggregator = oracleAggregator_;
        wrbtc = wrbtc_;
    }

    function oracleMint(address user, uint64 amount) external onlyAggregator {
        if (user == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroValue();
        totalSupply += amount;
        balanceOf[user] += amount;
        emit Transfer(address(0), user, amount);
    }

    function oracleBurn(address user, uint64 amount) external onlyAggregator {
        if (amount == 0) revert ZeroValue();
        _burn(user, amount);
    }

    /// @notice Moves `amount` of the holder's tokens into the vault when they wrap.
    function lockForWrap(address holder, uint256 amount) external onlyVault {
        _move(holder, wrbtc, amount);
    }

    /// @notice Returns `amount` of locked tokens from the vault to the holder when they redeem.
    function unlockFromWrap(address holder, uint256 amount) external onlyVault {
        _move(wrbtc, holder, amount);
    }

    /// @notice Burns `amount` of the tokens the vault holds, when the oracle slashes a wrapped position.
    function burnLocked(uint256 amount) external onlyVault {
        _burn(wrbtc, amount);
    }

    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    function transfer(address, uint256) external pure returns (bool) {
        revert Soulbound();
    }

    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert Soulbound();
    }

    function approve(address, uint256) external pure returns (bool) {
        revert Soulbound();
    }

    function _burn(address from, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance();
        balanceOf[from] = balance - amount;
        totalSupply -= amount;
        emit Transfer(from, address(0), amount);
    }

    function _move(address from, address to, uint256 amount) private {
        if (amount == 0) revert ZeroValue();
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance();
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
