package com.reservebtc.gateway.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.reservebtc.gateway.api.BitcoinAddressJson;
import com.reservebtc.gateway.api.OracleOperationJson;
import com.reservebtc.gateway.api.TransactionJson;

/**
 * One message of the server-sent-events stream, pushed to the subscribers of {@code address} after
 * the change it reports has been committed to the read model.
 *
 * @param type {@code transaction} (a new chain log), {@code finality} (its block became
 *     CONFIRMED/FINALIZED), {@code retracted} (its block was orphaned by a reorg: it no longer
 *     counts), {@code binding} (a Bitcoin address bound or unbound) or {@code sync} (an oracle
 *     operation step)
 * @param address the subscriber address the message is for (lowercase)
 * @param eventId {@code chainId:txHash:logIndex} for chain logs
 * @param finality PENDING, CONFIRMED, FINALIZED or RETRACTED for chain logs; absent otherwise
 * @param listed for chain logs: whether the entry appears in /transactions
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
    OracleOperationJson operation) {

  public static final String TRANSACTION = "transaction";
  public static final String FINALITY = "finality";
  public static final String RETRACTED = "retracted";
  public static final String BINDING = "binding";
  public static final String SYNC = "sync";
}
