// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FeePolicy} from "./FeePolicy.sol";
import {FeeVault} from "./FeeVault.sol";
import {RBTCSynth} from "./RBTCSynth.sol";
import {VaultWrBTC} from "./VaultWrBTC.sol";

/// @title OracleAggregator
/// @notice The committee reports a user's confirmed Bitcoin balance in satoshis; the aggregator mints or
///         burns rBTC-SYNTH by the difference to the last report and charges the fee quoted by the fee
///         policy from the user's prepaid fee vault balance.
/// @dev Guarantees: lastSats(user) equals the user's rBTC-SYNTH balance plus the rBTC-SYNTH they locked in
///      the wrBTC vault; a sync never charges more than maxFeePerSyncWei; a downward sync the user cannot
///      pay for burns the user's whole balance instead of leaving unbacked tokens. Does NOT check the
///      proof bytes, the Bitcoin height or confirmation depth (minConfirmations is informational):
///      confirmation depth is entirely the oracle committee's job. Synced.height is always 0.
contract OracleAggregator {
    string private constant INSUFFICIENT_FEES = "Insufficient fees";
    string private constant COMMITTEE_BURN = "Committee emergency burn";

    RBTCSynth public immutable synth;
    FeeVault public immutable feeVault;
    FeePolicy public immutable feePolicy;
    VaultWrBTC public immutable wrbtc;
    address public immutable committee;
    uint256 public immutable minConfirmations;
    uint256 public immutable maxFeePerSyncWei;

    mapping(address => uint64) public lastSats;
    mapping(address => bool) public emergencyBurnExecuted;
    uint256 public totalEmergencyBurns;

    event Synced(
        address indexed user, uint64 newBalanceSats, int64 deltaSats, uint256 feeWei, uint32 height, uint64 timestamp
    );
    event NeedsTopUp(address indexed user);
    event EmergencyBurn(address indexed user, uint256 burnedAmount, string reason);

    error Restricted();
    error FeeCapExceeded();
    error ZeroAddress();
    error ZeroValue();
    error BalanceOutOfRange();
    error WiringMismatch();

    modifier onlyCommittee() {
        if (msg.sender != committee) revert Restricted();
        _;
    }

    /// @dev The token contracts are deployed first with this contract's predicted address; checking the
    ///      wiring here makes a mis-predicted deployment fail instead of producing an unusable protocol.
    constructor(
        RBTCSynth synth_,
        FeeVault feeVault_,
        FeePolicy feePolicy_,
        VaultWrBTC wrbtc_,
        address committee_,
        uint256 minConfirmations_,
        uint256 maxFeePerSyncWei_
    ) {
        if (
            address(synth_) == address(0) || address(feeVault_) == address(0) || address(feePolicy_) == address(0)
                || address(wrbtc_) == address(0) || committee_ == address(0)
        ) revert ZeroAddress();
        if (maxFeePerSyncWei_ == 0) revert ZeroValue();
        if (
            synth_.oracleAggregator() != address(this) || synth_.wrbtc() != address(wrbtc_)
                || feeVault_.oracleAggregator() != address(this) || wrbtc_.oracleAggregator() != address(this)
                || address(wrbtc_.synth()) != address(synth_)
        ) revert WiringMismatch();
        synth = synth_;
        feeVault = feeVault_;
        feePolicy = feePolicy_;
        wrbtc = wrbtc_;
        committee = committee_;
        minConfirmations = minConfirmations_;
        maxFeePerSyncWei = maxFeePerSyncWei_;
    }

    /// @param user the ETH address whose Bitcoin balance is reported
    /// @param newBalanceSats the user's confirmed Bitcoin balance
    /// @param proof reserved for a committee proof; ignored on-chain
    function sync(address user, uint64 newBalanceSats, bytes calldata proof) external onlyCommittee {
        proof; // accepted for interface compatibility, deliberately unchecked
        if (user == address(0)) revert ZeroAddress();
        if (newBalanceSats > uint64(type(int64).max)) revert BalanceOutOfRange();
        uint64 previous = lastSats[user];
        // Both values are within int64 range, so neither the cast nor the subtraction can overflow.
        int64 delta = int64(newBalanceSats) - int64(previous);
        if (delta == 0) return;

        uint256 fee = feePolicy.quoteFees(user, delta);
        if (fee > maxFeePerSyncWei) revert FeeCapExceeded();
        if (feeVault.balanceOf(user) < fee) {
            if (delta < 0) {
                _emergencyBurn(user, INSUFFICIENT_FEES);
                return;
            }
            emit NeedsTopUp(user);
            revert("needs-topup");
        }

        lastSats[user] = newBalanceSats;
        if (delta > 0) {
            synth.oracleMint(user, uint64(delta));
        } else {
            _burnBacking(user, uint64(-delta));
        }
        if (fee > 0) feeVault.spendFrom(user, fee);
        emit Synced(user, newBalanceSats, delta, fee, 0, uint64(block.timestamp));
    }

    /// @notice Burns the user's whole balance at the committee's request.
    function executeEmergencyBurn(address user) external onlyCommittee {
        if (user == address(0)) revert ZeroAddress();
        if (lastSats[user] == 0) revert ZeroValue();
        _emergencyBurn(user, COMMITTEE_BURN);
    }

    function resetEmergencyBurnStatus(address user) external onlyCommittee {
        if (user == address(0)) revert ZeroAddress();
        emergencyBurnExecuted[user] = false;
    }

    /// @notice Registers a verified user and deposits msg.value into their fee vault balance.
    /// @param method the Bitcoin signature method the committee verified; recorded off-chain only
    /// @param checksum checksum of the verified binding; recorded off-chain only
    function registerAndPrepay(address user, uint8 method, bytes32 checksum) external payable onlyCommittee {
        (method, checksum); // part of the interface; the binding itself is kept off-chain
        if (user == address(0)) revert ZeroAddress();
        if (msg.value > 0) feeVault.depositETH{value: msg.value}(user);
    }

    function _emergencyBurn(address user, string memory reason) private {
        uint64 amount = lastSats[user];
        lastSats[user] = 0;
        emergencyBurnExecuted[user] = true;
        totalEmergencyBurns += 1;
        _burnBacking(user, amount);
        emit EmergencyBurn(user, amount, reason);
        emit Synced(user, 0, -int64(amount), 0, 0, uint64(block.timestamp));
    }

    /// @dev Burns unlocked rBTC-SYNTH first and slashes the remainder from the user's wrapped position.
    function _burnBacking(address user, uint64 amount) private {
        uint256 unlocked = synth.balanceOf(user);
        if (unlocked >= amount) {
            synth.oracleBurn(user, amount);
            return;
        }
        if (unlocked > 0) synth.oracleBurn(user, uint64(unlocked));
        wrbtc.slashFromOracle(user, amount - unlocked);
    }
}
