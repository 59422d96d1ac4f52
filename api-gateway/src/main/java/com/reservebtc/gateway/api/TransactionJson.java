package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /api/realtime/transactions}, field for field the frontend contract. Wei
 * and token amounts are decimal strings. {@code gas_used} and {@code gas_price} are always null:
 * the chain logs the gateway indexes do not carry gas data, and it does not invent it.
 *
 * @param userAddress the address whose history this entry belongs to (the viewer)
 * @param delta signed change of the viewer's balance of the entry's token
 * @param status {@code pending} until the block is confirmed, then {@code confirmed}
 * @param metadata where the entry comes from on the chain
 */
public record TransactionJson(
    @JsonProperty("tx_hash") String txHash,
    @JsonProperty("block_number") long blockNumber,
    @JsonProperty("block_timestamp") String blockTimestamp,
    @JsonProperty("user_address") String userAddress,
    @JsonProperty("tx_type") String txType,
    @JsonProperty("amount") String amount,
    @JsonProperty("delta") String delta,
    @JsonProperty("fee_wei") String feeWei,
    @JsonProperty("bitcoin_address") String bitcoinAddress,
    @JsonProperty("gas_used") String gasUsed,
    @JsonProperty("gas_price") String gasPrice,
    @JsonProperty("status") String status,
    @JsonProperty("metadata") Metadata metadata) {

  /**
   * Provenance of an entry. Optional members are omitted when they do not apply.
   *
   * @param event the contract event (Synced, Transfer, Wrapped, Deposited, EmergencyBurn, ...)
   * @param token RBTC_SYNTH, WRBTC or ETH
   * @param finality PENDING, CONFIRMED or FINALIZED
   * @param counterparty the other address of a wrBTC transfer
   * @param newBalanceSats the oracle-attested balance after a sync
   * @param reason the reason of an emergency burn
   * @param source ORACLE_AGGREGATOR or YIELD_POOL for an emergency burn
   * @param spentBy the contract that spent from the fee vault
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metadata(
      @JsonProperty("event") String event,
      @JsonProperty("token") String token,
      @JsonProperty("contract") String contract,
      @JsonProperty("chain_id") long chainId,
      @JsonProperty("log_index") int logIndex,
      @JsonProperty("block_hash") String blockHash,
      @JsonProperty("finality") String finality,
      @JsonProperty("is_emergency_burn") boolean emergencyBurn,
      @JsonProperty("counterparty") String counterparty,
      @JsonProperty("new_balance_sats") Long newBalanceSats,
      @JsonProperty("reason") String reason,
      @JsonProperty("source") String source,
      @JsonProperty("spent_by") String spentBy) {}

  /** The entry as {@code viewer} sees it: a wrBTC transfer received shows a positive delta. */
  public static TransactionJson of(TransactionRow row, String viewer) {
    boolean received = !row.userAddress().equals(viewer) && viewer.equals(row.counterparty());
    String subject = received ? viewer : row.userAddress();
    String other = received ? row.userAddress() : row.counterparty();
    return new TransactionJson(
        row.txHash(),
        row.blockNumber(),
        Timestamps.local(row.blockTimestamp()),
        subject,
        row.txType().name(),
        row.amount().toString(),
        (received ? row.delta().negate() : row.delta()).toString(),
        row.feeWei().toString(),
        row.bitcoinAddress(),
        null,
        null,
        row.finality().status(),
        new Metadata(
            row.eventName(),
            row.token(),
            row.contract(),
            row.chainId(),
            row.logIndex(),
            row.blockHash(),
            row.finality().name(),
            row.emergencyBurn(),
            other,
            row.newBalanceSats(),
            row.reason(),
            row.source(),
            row.spentBy()));
  }
}
