// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RBTCSynth} from "./RBTCSynth.sol";

/// @title YieldScalesPool
/// @notice Virtual yield accounting for two kinds of participants: Bitcoin holders (type 0, base = their
///         rBTC-SYNTH contribution in sats) and traders (type 1, base = virtual USDT). The yield rate
///         follows the "scales": rbtcScale = totalSupply * 100 / peakSupply (peak only grows),
///         usdtScale = 100, rate_bps = min(usdtScale * rbtcScale * 500 / 1e6, 2000).
///         Owed yield for a period = base * rate_bps * seconds * multiplier / (10000 * 31536000 * 100),
///         multiplier 110 / 125 / 150 % for Bronze (< 180 days) / Silver (>= 180) / Gold (>= 365).
/// @dev Guarantees: a participant's yield is settled at the stored rate before any change of their base,
///      and the scales are recomputed on every oracle operation. Does NOT move tokens: yield and
///      contributions are accounting only, and a period is priced at the rate and loyalty tier current
///      when it is settled (not time-weighted over the period). Scales only see supply changes when a
///      pool operation runs.
contract YieldScalesPool {
    uint8 public constant BITCOIN_HOLDER = 0;
    uint8 public constant TRADER = 1;
    uint256 public constant USDT_SCALE = 100;
    uint256 public constant MAX_RATE_BPS = 2000;

    uint256 private constant SECONDS_PER_YEAR = 31_536_000;
    uint256 private constant SILVER_AFTER = 180 days;
    uint256 private constant GOLD_AFTER = 365 days;
    string private constant ORACLE_BURN = "Oracle emergency burn";

    struct Participant {
        bool active;
        uint8 participantType;
        uint256 amount;
        uint64 joinedAt;
        uint64 lastAccrualAt;
        uint256 accruedYield;
        uint256 totalClaimed;
    }

    struct Dispute {
        bool open;
        uint256 reportedBalance;
        uint256 oracleBalance;
    }

    RBTCSynth public immutable synth;
    address public immutable oracle;

    mapping(address => Participant) public participants;
    mapping(address => Dispute) public disputes;
    uint256 public totalUSDTVirtual;
    uint256 public totalRBTCContribution;
    uint256 public peakSupply;
    uint256 public rbtcScale;
    uint256 public currentYieldRate;

    event ParticipantJoined(address indexed user, uint8 participantType, uint256 amount);
    event YieldCalculated(uint256 totalUSDTVirtual, uint256 totalRBTCSupply, uint256 currentYieldRate);
    event YieldClaimed(address indexed user, uint256 amount);
    event ScalesBalanceUpdated(uint256 usdtScale, uint256 rbtcScale, uint256 timestamp);
    event EmergencyBurnTriggered(address indexed user, uint256 burnedAmount, string reason);
    event BalanceDisputed(address indexed user, uint256 reportedBalance, uint256 oracleBalance);

    error Restricted();
    error ZeroAddress();
    error ZeroValue();
    error AlreadyParticipant();
    error NotParticipant();
    error NotBitcoinHolder();
    error NoOpenDispute();

    modifier onlyOracle() {
        if (msg.sender != oracle) revert Restricted();
        _;
    }

    constructor(RBTCSynth synth_, address oracle_) {
        if (address(synth_) == address(0) || oracle_ == address(0)) revert ZeroAddress();
        synth = synth_;
        oracle = oracle_;
    }

    /// @notice Joins a Bitcoin holder with their current rBTC-SYNTH balance as contribution.
    function joinAsBitcoinHolder(address user) external onlyOracle {
        uint256 amount = synth.balanceOf(user);
        _join(user, BITCOIN_HOLDER, amount);
        totalRBTCContribution += amount;
        _updateScales();
    }

    function joinAsTrader(address user, uint256 usdtAmount) external onlyOracle {
        _join(user, TRADER, usdtAmount);
        totalUSDTVirtual += usdtAmount;
        _updateScales();
    }

    function updateRBTCContribution(address user, uint256 newAmount) external onlyOracle {
        Participant storage p = _holder(user);
        _accrue(p);
        totalRBTCContribution = totalRBTCContribution - p.amount + newAmount;
        p.amount = newAmount;
        _updateScales();
    }

    /// @notice Removes up to `amount` from a holder's contribution after their Bitcoin backing was burned.
    function emergencyBurn(address user, uint256 amount) external onlyOracle {
        if (amount == 0) revert ZeroValue();
        Participant storage p = _holder(user);
        _accrue(p);
        uint256 burned = amount < p.amount ? amount : p.amount;
        p.amount -= burned;
        totalRBTCContribution -= burned;
        emit EmergencyBurnTriggered(user, burned, ORACLE_BURN);
        _updateScales();
    }

    /// @notice Closes the user's open dispute; an accepted dispute sets a holder's contribution to the
    ///         balance they reported.
    function resolveDispute(address user, bool accepted) external onlyOracle {
        Dispute memory dispute = disputes[user];
        if (!dispute.open) revert NoOpenDispute();
        delete disputes[user];
        if (accepted) {
            Participant storage p = _holder(user);
            _accrue(p);
            totalRBTCContribution = totalRBTCContribution - p.amount + dispute.reportedBalance;
            p.amount = dispute.reportedBalance;
        }
        _updateScales();
    }

    function claimYield() external {
        Participant storage p = participants[msg.sender];
        if (!p.active) revert NotParticipant();
        _accrue(p);
        uint256 amount = p.accruedYield;
        if (amount == 0) revert ZeroValue();
        p.accruedYield = 0;
        p.totalClaimed += amount;
        emit YieldClaimed(msg.sender, amount);
    }

    function disputeBalance(uint256 reportedBalance, uint256 oracleBalance) external {
        if (!participants[msg.sender].active) revert NotParticipant();
        disputes[msg.sender] = Dispute(true, reportedBalance, oracleBalance);
        emit BalanceDisputed(msg.sender, reportedBalance, oracleBalance);
    }

    /// @notice Loyalty multiplier in percent (110, 125 or 150) for the time since the user joined.
    function multiplierOf(address user) public view returns (uint256) {
        Participant storage p = participants[user];
        if (!p.active) revert NotParticipant();
        return _multiplier(p.joinedAt);
    }

    /// @notice Yield owed to the user now: settled yield plus the unsettled period at the stored rate.
    function pendingYield(address user) external view returns (uint256) {
        Participant storage p = participants[user];
        if (!p.active) revert NotParticipant();
        return p.accruedYield + _owedSince(p);
    }

    function _join(address user, uint8 participantType, uint256 amount) private {
        if (user == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroValue();
        if (participants[user].active) revert AlreadyParticipant();
        uint64 now64 = uint64(block.timestamp);
        participants[user] = Participant(true, participantType, amount, now64, now64, 0, 0);
        emit ParticipantJoined(user, participantType, amount);
    }

    function _holder(address user) private view returns (Participant storage p) {
        p = participants[user];
        if (!p.active) revert NotParticipant();
        if (p.participantType != BITCOIN_HOLDER) revert NotBitcoinHolder();
    }

    function _accrue(Participant storage p) private {
        p.accruedYield += _owedSince(p);
        p.lastAccrualAt = uint64(block.timestamp);
    }

    function _owedSince(Participant storage p) private view returns (uint256) {
        uint256 elapsed = block.timestamp - p.lastAccrualAt;
        return (p.amount * currentYieldRate * elapsed * _multiplier(p.joinedAt)) / (10_000 * SECONDS_PER_YEAR * 100);
    }

    function _multiplier(uint64 joinedAt) private view returns (uint256) {
        uint256 age = block.timestamp - joinedAt;
        if (age >= GOLD_AFTER) return 150;
        if (age >= SILVER_AFTER) return 125;
        return 110;
    }

    function _updateScales() private {
        uint256 supply = synth.totalSupply();
        if (supply > peakSupply) peakSupply = supply;
        rbtcScale = peakSupply == 0 ? 0 : (supply * 100) / peakSupply;
        uint256 rate = (USDT_SCALE * rbtcScale * 500) / 1e6;
        currentYieldRate = rate < MAX_RATE_BPS ? rate : MAX_RATE_BPS;
        emit ScalesBalanceUpdated(USDT_SCALE, rbtcScale, block.timestamp);
        emit YieldCalculated(totalUSDTVirtual, supply, currentYieldRate);
    }
}
