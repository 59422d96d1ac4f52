package com.reservebtc.oracle.chain;

/** What {@code eth_call} of {@code OracleAggregator.sync} says the transaction would do. */
public sealed interface SimulationResult {

  /** The sync would succeed. */
  record Ok() implements SimulationResult {}

  /** The user's fee-vault balance cannot pay an upward sync ({@code "needs-topup"}). */
  record NeedsTopUp() implements SimulationResult {}

  /** The fee of this delta is above {@code maxFeePerSyncWei}. */
  record FeeCapExceeded() implements SimulationResult {}

  /** Any other revert, with the decoded reason. */
  record Reverted(String reason) implements SimulationResult {}
}
