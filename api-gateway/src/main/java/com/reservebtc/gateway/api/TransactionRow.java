package com.reservebtc.gateway.api;

import com.reservebtc.schemas.EventIds;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored chain log as the {@code transactions} table holds it; the common form between the
 * projection (JDBC) and the read API (R2DBC).
 *
 * @param token RBTC_SYNTH, WRBTC or ETH (fee vault); null where not a token movement
 * @param counterparty the recipient of a wrBTC transfer sent by {@code userAddress}, else null
 * @param delta signed change of {@code userAddress}'s balance of {@code token}
 * @param newBalanceSats the attested balance after a Synced log, else null
 * @param listed whether /transactions shows the row (false when another row of the same transaction
 *     already shows the movement)
 */
public record TransactionRow(
    long chainId,
    String txHash,
    int logIndex,
    long blockNumber,
    String blockHash,
    Instant blockTimestamp,
    String contract,
    String eventName,
    String token,
    String userAddress,
    String counterparty,
    TxType txType,
    BigInteger amount,
    BigInteger delta,
    BigInteger feeWei,
    Long newBalanceSats,
    String bitcoinAddress,
    TxFinality finality,
    boolean emergencyBurn,
    boolean listed,
    String reason,
    String source,
    String spentBy) {

  public TransactionRow {
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(blockHash, "blockHash");
    Objects.requireNonNull(blockTimestamp, "blockTimestamp");
    Objects.requireNonNull(userAddress, "userAddress");
    Objects.requireNonNull(txType, "txType");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(feeWei, "feeWei");
    Objects.requireNonNull(finality, "finality");
  }

  /** The event identity {@code chainId:txHash:logIndex}. */
  public String eventId() {
    return EventIds.of(chainId, txHash, logIndex);
  }

  public TransactionRow withFinality(TxFinality newFinality) {
    return new TransactionRow(
        chainId,
        txHash,
        logIndex,
        blockNumber,
        blockHash,
        blockTimestamp,
        contract,
        eventName,
        token,
        userAddress,
        counterparty,
        txType,
        amount,
        delta,
        feeWei,
        newBalanceSats,
        bitcoinAddress,
        newFinality,
        emergencyBurn,
        listed,
        reason,
        source,
        spentBy);
  }

  public TransactionRow withEmergencyBurn(boolean flag) {
    return new TransactionRow(
        chainId,
        txHash,
        logIndex,
        blockNumber,
        blockHash,
        blockTimestamp,
        contract,
        eventName,
        token,
        userAddress,
        counterparty,
        txType,
        amount,
        delta,
        feeWei,
        newBalanceSats,
        bitcoinAddress,
        finality,
        flag,
        listed,
        reason,
        source,
        spentBy);
  }

  public TransactionRow withBitcoinAddress(String address) {
    return new TransactionRow(
        chainId,
        txHash,
        logIndex,
        blockNumber,
        blockHash,
        blockTimestamp,
        contract,
        eventName,
        token,
        userAddress,
        counterparty,
        txType,
        amount,
        delta,
        feeWei,
        newBalanceSats,
        address,
        finality,
        emergencyBurn,
        listed,
        reason,
        source,
        spentBy);
  }
}
