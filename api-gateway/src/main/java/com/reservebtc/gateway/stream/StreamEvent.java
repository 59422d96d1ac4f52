package com.reservebtc.gateway.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.reservebtc.gateway.api.AlertJson;
import com.reservebtc.gateway.api.BitcoinAddressJson;
import com.reservebtc.gateway.api.DisputeJson;
import com.reservebtc.gateway.api.OracleOperationJson;
import com.reservebtc.gateway.api.TransactionJson;
import com.reservebtc.gateway.api.YieldParticipantJson;

/**
 * One message of the server-sent-events stream, pushed to the subscribers of {@code address} after
 * the change it reports has been committed to the read model.
 *
 * @param type {@code transaction} (a new chain log), {@code finality} (its block became
 *     CONFIRMED/FINALIZED), {@code retracted} (its block was orphaned by a reorg: it no longer
 *     counts), {@code binding} (a Bitcoin address bound or unbound), {@code sync} (an oracle
 *     operation step), {@code alert} (an emergency-burn alert), {@code yield} (the yield
 *     participant state changed) or {@code dispute} (a balance dispute was indexed or retracted)
 * @param address the subscriber address the message is for (lowercase)
 * @param eventId {@code chainId:txHash:logIndex} for chain logs (transactions and disputes)
 * @param finality PENDING, CONFIRMED, FINALIZED or RETRACTED for chain logs; absent otherwise
 * @param listed for transactions: whether the entry appears in /transactions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamEvent(
    String type,
    String address,
    String eventId,
    String finality,
    Long blockNumber,
    Boolean listed,
    TransactionJson transaction,
    BitcoinAddressJson binding,
    OracleOperationJson operation,
    AlertJson alert,
    YieldParticipantJson participant,
    DisputeJson dispute) {

  public static final String TRANSACTION = "transaction";
  public static final String FINALITY = "finality";
  public static final String RETRACTED = "retracted";
  public static final String BINDING = "binding";
  public static final String SYNC = "sync";
  public static final String ALERT = "alert";
  public static final String YIELD = "yield";
  public static final String DISPUTE = "dispute";

  /** A chain-log event ({@code transaction}, {@code finality} or {@code retracted}). */
  public static StreamEvent transaction(
      String type,
      String address,
      String eventId,
      String finality,
      long blockNumber,
      boolean listed,
      TransactionJson transaction) {
    return new StreamEvent(
        type,
        address,
        eventId,
        finality,
        blockNumber,
        listed,
        transaction,
        null,
        null,
        null,
        null,
        null);
  }

  public static StreamEvent binding(String address, BitcoinAddressJson binding) {
    return new StreamEvent(
        BINDING, address, null, null, null, null, null, binding, null, null, null, null);
  }

  public static StreamEvent sync(String address, OracleOperationJson operation) {
    return new StreamEvent(
        SYNC, address, null, null, null, null, null, null, operation, null, null, null);
  }

  public static StreamEvent alert(String address, AlertJson alert) {
    return new StreamEvent(
        ALERT, address, null, null, null, null, null, null, null, alert, null, null);
  }

  public static StreamEvent yield(String address, YieldParticipantJson participant) {
    return new StreamEvent(
        YIELD, address, null, null, null, null, null, null, null, null, participant, null);
  }

  /** A dispute indexed ({@code finality} PENDING/CONFIRMED/FINALIZED) or retracted. */
  public static StreamEvent dispute(
      String address, String eventId, String finality, long blockNumber, DisputeJson dispute) {
    return new StreamEvent(
        DISPUTE,
        address,
        eventId,
        finality,
        blockNumber,
        null,
        null,
        null,
        null,
        null,
        null,
        dispute);
  }
}
