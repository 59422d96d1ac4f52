// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title FeePolicy
/// @notice Quotes the fee the aggregator charges for one sync:
///         fee = (delta > 0 ? delta * weiPerSat * pctBps / 10000 : 0) + fixedWei.
/// @dev Stateless apart from its immutables, so a quote never changes for a deployed policy.
///      The user argument is part of the interface so that a future policy can price per user;
///      this policy ignores it. Like the deployed policy it accepts any parameters: a zero
///      weiPerSat or pctBps is a fixed-fee-only policy, and all zeros charge nothing.
contract FeePolicy {
    uint256 private constant BPS_DENOMINATOR = 10_000;

    uint256 public immutable pctBps;
    uint256 public immutable fixedWei;
    uint256 public immutable weiPerSat;

    constructor(uint256 pctBps_, uint256 fixedWei_, uint256 weiPerSat_) {
        pctBps = pctBps_;
        fixedWei = fixedWei_;
        weiPerSat = weiPerSat_;
    }

    function quoteFees(address, int64 deltaSats) external view returns (uint256 feeWei) {
        feeWei = fixedWei;
        if (deltaSats > 0) {
            feeWei += (uint256(uint64(deltaSats)) * weiPerSat * pctBps) / BPS_DENOMINATOR;
        }
    }
}
