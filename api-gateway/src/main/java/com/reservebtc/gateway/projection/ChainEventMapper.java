package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns chain records into {@link TransactionRow}s. Validates what the read model relies on
 * (addresses, hashes, unsigned amounts) and rejects the rest with {@link InvalidRecordException}.
 */
final class ChainEventMapper {

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");
  private static final Pattern HASH = Pattern.compile("0x[0-9a-f]{64}");
  private static final BigInteger UINT256_MAX =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private ChainEventMapper() {}

  static ChainLog synced(SyncedEvent e) {
    if (e.getDeltaSats() == 0) {
      throw new InvalidRecordException(
          "Synced with delta 0 cannot occur on-chain: " + describe(e.getLog()));
    }
    if (e.getNewBalanceSats() < 0) {
      throw new InvalidRecordException(
          "Synced with negative newBalanceSats: " + describe(e.getLog()));
    }
    long delta = e.getDeltaSats();
    return row(
        e.getLog(),
        "Synced",
        "RBTC_SYNTH",
        address(e.getUser(), "user"),
        null,
        delta > 0 ? TxType.MINT : TxType.BURN,
        BigInteger.valueOf(delta).abs(),
        BigInteger.valueOf(delta),
        amount(e.getFeeWei(), "feeWei"),
        e.getNewBalanceSats(),
        false,
        true,
        null,
        null,
        null);
  }

  static ChainLog token(TokenEvent e) {
    String user = address(e.getUser(), "user");
    BigInteger amount = amount(e.getAmount(), "amount");
    boolean synth = e.getToken() == Token.RBTC_SYNTH;
    String counterparty = null;
    TxType type;
    BigInteger delta;
    String event;
    switch (e.getKind()) {
      case MINT -> {
        type = synth ? TxType.SYNTH_MINT : TxType.WRBTC_MINT;
        delta = amount;
        event = "Transfer";
      }
      case BURN -> {
        type = synth ? TxType.SYNTH_BURN : TxType.WRBTC_BURN;
        delta = amount.negate();
        event = "Transfer";
      }
      case TRANSFER -> {
        String from = address(e.getFrom(), "from");
        String to = address(e.getTo(), "to");
        if (!from.equals(user) && !to.equals(user)) {
          throw new InvalidRecordException(
              "Transfer keyed by "
                  + user
                  + " is neither sent nor received by it: "
                  + describe(e.getLog()));
        }
        // One row per log, always from the sender's side; the recipient sees it as counterparty.
        user = from;
        type = synth ? TxType.SYNTH_TRANSFER : TxType.WRBTC_TRANSFER;
        counterparty = to;
        delta = amount.negate();
        event = "Transfer";
      }
      case WRAPPED -> {
        type = TxType.WRAP;
        delta = amount;
        event = "Wrapped";
      }
      case REDEEMED -> {
        type = TxType.REDEEM;
        delta = amount.negate();
        event = "Redeemed";
      }
      case SLASHED -> {
        type = TxType.SLASH;
        delta = amount.negate();
        event = "Slashed";
      }
      default -> throw new InvalidRecordException("unknown token event kind " + e.getKind());
    }
    // A sync's rBTC-SYNTH Transfer is shown by its Synced row, and wrBTC mints/burns by the
    // Wrapped/Redeemed/Slashed row of the same transaction.
    boolean listed =
        !synth
            && (type == TxType.WRBTC_TRANSFER
                || type == TxType.WRAP
                || type == TxType.REDEEM
                || type == TxType.SLASH);
    return row(
        e.getLog(),
        event,
        e.getToken().name(),
        user,
        counterparty,
        type,
        amount,
        delta,
        BigInteger.ZERO,
        null,
        false,
        listed,
        null,
        null,
        null);
  }

  static ChainLog feeVault(FeeVaultEvent e) {
    String user = address(e.getUser(), "user");
    BigInteger amount = amount(e.getAmountWei(), "amountWei");
    return switch (e.getKind()) {
      case DEPOSITED ->
          row(
              e.getLog(),
              "Deposited",
              "ETH",
              user,
              null,
              TxType.FEE_DEPOSIT,
              amount,
              amount,
              BigInteger.ZERO,
              null,
              false,
              true,
              null,
              null,
              null);
      // The fee of a sync is shown on its Synced row.
      case SPENT ->
          row(
              e.getLog(),
              "Spent",
              "ETH",
              user,
              null,
              TxType.FEE_SPENT,
              amount,
              amount.negate(),
              amount,
              null,
              false,
              false,
              null,
              null,
              e.getSpentBy() == null ? null : address(e.getSpentBy(), "spentBy"));
      case WITHDRAWN ->
          row(
              e.getLog(),
              "Withdrawn",
              "ETH",
              user,
              null,
              TxType.FEE_WITHDRAW,
              amount,
              amount.negate(),
              BigInteger.ZERO,
              null,
              false,
              true,
              null,
              null,
              null);
    };
  }

  static ChainLog emergencyBurn(EmergencyBurnEvent e) {
    BigInteger amount = amount(e.getBurnedAmount(), "burnedAmount");
    boolean pool = e.getSource() == EmergencyBurnSource.YIELD_POOL;
    // The aggregator's burn is shown by the Synced row of the same transaction (flagged as an
    // emergency burn); the pool's has no Synced row, so it is listed itself.
    return row(
        e.getLog(),
        pool ? "EmergencyBurnTriggered" : "EmergencyBurn",
        "RBTC_SYNTH",
        address(e.getUser(), "user"),
        null,
        TxType.EMERGENCY_BURN,
        amount,
        amount.negate(),
        BigInteger.ZERO,
        null,
        true,
        pool,
        e.getReason(),
        e.getSource().name(),
        null);
  }

  private static ChainLog row(
      ChainLogRef log,
      String event,
      String token,
      String user,
      String counterparty,
      TxType type,
      BigInteger amount,
      BigInteger delta,
      BigInteger feeWei,
      Long newBalanceSats,
      boolean emergency,
      boolean listed,
      String reason,
      String source,
      String spentBy) {
    if (log == null) {
      throw new InvalidRecordException("chain record without log reference");
    }
    if (log.getChainId() <= 0 || log.getBlockNumber() < 0 || log.getLogIndex() < 0) {
      throw new InvalidRecordException("invalid log position: " + describe(log));
    }
    TransactionRow row =
        new TransactionRow(
            log.getChainId(),
            hash(log.getTxHash(), "txHash"),
            log.getLogIndex(),
            log.getBlockNumber(),
            hash(log.getBlockHash(), "blockHash"),
            Instant.ofEpochSecond(log.getBlockTimestamp()),
            address(log.getContract(), "contract"),
            event,
            token,
            user,
            counterparty,
            type,
            amount,
            delta,
            feeWei,
            newBalanceSats,
            null,
            TxFinality.valueOf(log.getFinality().name()),
            emergency,
            listed,
            reason,
            source,
            spentBy);
    return new ChainLog(row, log.getRetracted());
  }

  static String address(String raw, String field) {
    String lower = raw == null ? null : raw.toLowerCase(Locale.ROOT);
    if (lower == null || !ADDRESS.matcher(lower).matches()) {
      throw new InvalidRecordException(field + " is not an EVM address: " + raw);
    }
    return lower;
  }

  static String hash(String raw, String field) {
    String lower = raw == null ? null : raw.toLowerCase(Locale.ROOT);
    if (lower == null || !HASH.matcher(lower).matches()) {
      throw new InvalidRecordException(field + " is not a 32-byte 0x hash: " + raw);
    }
    return lower;
  }

  static BigInteger amount(String raw, String field) {
    BigInteger value;
    try {
      value = new BigInteger(raw);
    } catch (NumberFormatException | NullPointerException e) {
      throw new InvalidRecordException(field + " is not a decimal integer: " + raw);
    }
    if (value.signum() < 0 || value.compareTo(UINT256_MAX) > 0) {
      throw new InvalidRecordException(field + " is outside uint256: " + raw);
    }
    return value;
  }

  static String describe(ChainLogRef log) {
    return log.getChainId()
        + ":"
        + log.getTxHash()
        + ":"
        + log.getLogIndex()
        + " in block "
        + log.getBlockNumber();
  }
}
