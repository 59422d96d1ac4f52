package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Response bodies of the read API other than single transaction entries, named and typed as in the
 * frontend contract (numbers stay numbers, wei and token amounts are strings, times are strings).
 */
public final class ResponsesJson {

  private ResponsesJson() {}

  /**
   * {@code GET /api/realtime/balances}.
   *
   * @param rbtc rBTC balance in sats: newBalanceSats of the latest Synced event of the address
   * @param wrbtc wrBTC balance in base units (8 decimals), from its Transfer logs
   * @param oracle the oracle-attested balance (OracleAggregator.lastSats) as a string
   * @param oracleBalance the same as a number
   * @param lastUpdate block time of the latest Synced event; null if none
   * @param blockNumber block of the latest Synced event; null if none
   * @param feeVaultWei ETH prepaid into the fee vault, in wei
   */
  public record Balances(
      @JsonProperty("address") String address,
      @JsonProperty("rbtc") long rbtc,
      @JsonProperty("wrbtc") String wrbtc,
      @JsonProperty("oracle") String oracle,
      @JsonProperty("oracleBalance") long oracleBalance,
      @JsonProperty("lastUpdate") String lastUpdate,
      @JsonProperty("blockNumber") Long blockNumber,
      @JsonProperty("feeVaultWei") String feeVaultWei) {}

  /**
   * {@code GET /api/realtime/sync-status}.
   *
   * @param synced the oracle has synced the address and its latest operation did not fail
   * @param lastSync when the address was last synced (latest Synced block or confirmed operation)
   * @param syncAge milliseconds since {@code lastSync}; null if never synced
   * @param isRecent {@code syncAge} is within the configured recent window
   * @param status {@code recent} or {@code stale}
   * @param userRegistered the address has a bound Bitcoin address or a sync on record
   * @param lastOperation the oracle's latest operation for the address; null if none
   * @param lastVerified when the oracle last verified the balance (UTC, Z): every bound address
   *     observed by a quorum of Bitcoin sources as of one block and the on-chain balance equal to
   *     their sum, also when nothing had to be synced; null if never
   * @param verifiedBitcoinHeight the Bitcoin block that verification was as of
   * @param verifiedSats the balance it verified
   */
  public record SyncStatus(
      @JsonProperty("synced") boolean synced,
      @JsonProperty("lastSync") String lastSync,
      @JsonProperty("syncAge") Long syncAge,
      @JsonProperty("isRecent") boolean isRecent,
      @JsonProperty("status") String status,
      @JsonProperty("userRegistered") boolean userRegistered,
      @JsonProperty("lastOperation") OracleOperationJson lastOperation,
      @JsonProperty("lastVerified") String lastVerified,
      @JsonProperty("verifiedBitcoinHeight") Long verifiedBitcoinHeight,
      @JsonProperty("verifiedSats") Long verifiedSats) {}

  /** {@code GET /api/realtime/bitcoin-addresses}. */
  public record BitcoinAddresses(
      @JsonProperty("ethAddress") String ethAddress,
      @JsonProperty("bitcoinAddresses") List<BitcoinAddressJson> bitcoinAddresses,
      @JsonProperty("count") int count,
      @JsonProperty("timestamp") String timestamp) {}

  /** {@code GET /api/realtime/emergency-burns}. */
  public record EmergencyBurns(
      @JsonProperty("success") boolean success,
      @JsonProperty("data") EmergencyBurnsData data,
      @JsonProperty("timestamp") String timestamp) {}

  /**
   * @param userBurns the address's EmergencyBurn / EmergencyBurnTriggered logs, newest first
   * @param emergencyTransactions the address's listed transactions flagged as emergency burns
   * @param totalSystemBurns emergency burn logs indexed for all addresses
   * @param atRisk the emergency-burn service's latest verdict: the fee vault cannot pay a downward
   *     sync, so the next decrease of the Bitcoin balance burns the whole rBTC balance
   * @param riskAlert the AT_RISK or CLEARED alert behind {@code atRisk}; null if none was issued
   * @param recentAlerts the address's latest alerts (AT_RISK, CLEARED, BURNED), newest first
   */
  public record EmergencyBurnsData(
      @JsonProperty("userBurns") List<UserBurn> userBurns,
      @JsonProperty("emergencyTransactions") List<TransactionJson> emergencyTransactions,
      @JsonProperty("totalSystemBurns") long totalSystemBurns,
      @JsonProperty("hasEmergencyBurns") boolean hasEmergencyBurns,
      @JsonProperty("atRisk") boolean atRisk,
      @JsonProperty("riskAlert") AlertJson riskAlert,
      @JsonProperty("recentAlerts") List<AlertJson> recentAlerts) {}

  /**
   * One emergency burn of a user.
   *
   * @param burnedAmount sats burned, decimal string
   * @param source ORACLE_AGGREGATOR or YIELD_POOL
   */
  public record UserBurn(
      @JsonProperty("tx_hash") String txHash,
      @JsonProperty("block_number") long blockNumber,
      @JsonProperty("block_timestamp") String blockTimestamp,
      @JsonProperty("user_address") String userAddress,
      @JsonProperty("burned_amount") String burnedAmount,
      @JsonProperty("reason") String reason,
      @JsonProperty("source") String source,
      @JsonProperty("status") String status,
      @JsonProperty("finality") String finality) {}

  /**
   * {@code GET /api/realtime/yield-status}.
   *
   * @param isParticipant the address joined the YieldScalesPool on chain
   * @param isEligible the yield service considers the address eligible (without a state of the
   *     service: it holds rBTC)
   * @param participantData the participant's state; null unless {@code isParticipant}
   * @param currentBalance the address's rBTC balance in sats
   * @param systemStats counts of the participants registered on chain; tiers as of now
   */
  public record YieldStatus(
      @JsonProperty("isParticipant") boolean isParticipant,
      @JsonProperty("isEligible") boolean isEligible,
      @JsonProperty("participantData") YieldParticipantJson participantData,
      @JsonProperty("currentBalance") long currentBalance,
      @JsonProperty("systemStats") YieldSystemStats systemStats,
      @JsonProperty("yieldScalesContract") String yieldScalesContract,
      @JsonProperty("timestamp") String timestamp) {}

  public record YieldSystemStats(
      @JsonProperty("totalParticipants") long totalParticipants,
      @JsonProperty("bitcoinHolders") long bitcoinHolders,
      @JsonProperty("traders") long traders,
      @JsonProperty("bronzeTier") long bronzeTier,
      @JsonProperty("silverTier") long silverTier,
      @JsonProperty("goldTier") long goldTier) {}

  /**
   * {@code GET /api/realtime/disputes}: the address's YieldScalesPool balance disputes. Disputes
   * are raised on chain ({@code disputeBalance} from the user's wallet, prepared by {@code POST
   * /api/realtime/disputes}) and indexed here.
   */
  public record Disputes(
      @JsonProperty("success") boolean success,
      @JsonProperty("data") DisputesData data,
      @JsonProperty("timestamp") String timestamp) {}

  /**
   * @param userDisputes the address's disputes, newest first
   * @param hasActiveDispute the address has an open dispute (its latest; a resolution is not
   *     visible in the chain logs)
   * @param totalDisputes the address's disputes
   * @param totalSystemDisputes disputes indexed for all addresses
   */
  public record DisputesData(
      @JsonProperty("userDisputes") List<DisputeJson> userDisputes,
      @JsonProperty("hasActiveDispute") boolean hasActiveDispute,
      @JsonProperty("totalDisputes") long totalDisputes,
      @JsonProperty("totalSystemDisputes") long totalSystemDisputes) {}

  /** {@code POST /api/realtime/disputes}: the call for the participant's wallet. */
  public record DisputeSubmission(
      @JsonProperty("success") boolean success,
      @JsonProperty("data") DisputeSubmissionData data,
      @JsonProperty("timestamp") String timestamp) {}

  /**
   * @param transaction the call to send from the participant's address
   * @param reportedBalance the disputed balance the participant claims, sats (decimal)
   * @param oracleBalance the oracle's balance being disputed, sats (decimal)
   * @param instructions what the frontend does with it, in one sentence
   */
  public record DisputeSubmissionData(
      @JsonProperty("transaction") WalletCall transaction,
      @JsonProperty("reportedBalance") String reportedBalance,
      @JsonProperty("oracleBalance") String oracleBalance,
      @JsonProperty("instructions") String instructions) {}

  /** An {@code eth_sendTransaction} request: from, to, ABI-encoded data and value (0x hex). */
  public record WalletCall(
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("data") String data,
      @JsonProperty("value") String value) {}

  /** {@code GET /api/realtime/proof-of-reserves}. */
  public record ProofOfReserves(
      @JsonProperty("success") boolean success,
      @JsonProperty("data") ProofOfReservesData data,
      @JsonProperty("timestamp") String timestamp) {}

  /**
   * @param latestProof the oracle's latest attestation; null until one is published
   */
  public record ProofOfReservesData(
      @JsonProperty("latestProof") ReserveProof latestProof,
      @JsonProperty("currentTotals") ReserveTotals currentTotals) {}

  /**
   * @param totalRbtc sum of all addresses' rBTC balances in sats, from the projections
   * @param totalSats confirmed Bitcoin in sats of the latest attestation; null until one exists
   * @param backingRatio percent with two decimals of the latest attestation; null until one exists
   */
  public record ReserveTotals(
      @JsonProperty("totalRBTC") long totalRbtc,
      @JsonProperty("totalSats") Long totalSats,
      @JsonProperty("backingRatio") String backingRatio) {}

  /**
   * @param synthTotalSupply rBTC-SYNTH total supply at attestation time, decimal sats
   * @param createdAt when the oracle created the attestation (UTC, Z)
   */
  public record ReserveProof(
      @JsonProperty("btcHeight") long btcHeight,
      @JsonProperty("btcTipHash") String btcTipHash,
      @JsonProperty("merkleRoot") String merkleRoot,
      @JsonProperty("leafCount") int leafCount,
      @JsonProperty("totalConfirmedSats") long totalConfirmedSats,
      @JsonProperty("synthTotalSupply") String synthTotalSupply,
      @JsonProperty("backingRatio") String backingRatio,
      @JsonProperty("createdAt") String createdAt) {}
}
