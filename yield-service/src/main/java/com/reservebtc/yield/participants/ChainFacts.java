package com.reservebtc.yield.participants;

import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.ChainValues;
import com.reservebtc.chainconsumer.MalformedEventException;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import java.math.BigInteger;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes the chain events the pool cares about into ledger entries or scale rows, rejecting
 * anything the indexer should never have written with a {@link MalformedEventException} (the
 * chain-consumer dead-letters that record alone). Events of no concern (wrBTC, plain transfers)
 * decode to nothing.
 */
final class ChainFacts {

  private ChainFacts() {}

  /** A fact to store. */
  sealed interface Fact permits Entry, Scale {
    String eventId();
  }

  record Entry(LedgerEntry entry) implements Fact {
    @Override
    public String eventId() {
      return entry.eventId();
    }
  }

  /** One of the pool's own YieldCalculated / ScalesBalanceUpdated events. */
  record Scale(
      String eventId,
      String kind,
      ChainLogRef log,
      BigInteger totalUsdtVirtual,
      BigInteger totalRbtcSupply,
      BigInteger currentYieldRate,
      BigInteger usdtScale,
      BigInteger rbtcScale,
      BigInteger scaleTimestamp)
      implements Fact {}

  static Optional<Fact> of(ChainChange change) {
    SpecificRecord value = change.record().value();
    ChainLogRef log = change.log();
    String id = change.eventId();
    if (value instanceof TokenEvent token) {
      return token(id, log, token);
    }
    if (value instanceof EmergencyBurnEvent burn) {
      EntryKind kind =
          burn.getSource() == EmergencyBurnSource.YIELD_POOL
              ? EntryKind.POOL_BURN
              : EntryKind.AGGREGATOR_BURN;
      long amount = ChainValues.sats("burnedAmount", burn.getBurnedAmount());
      return entry(
          id,
          log,
          ChainValues.address(burn.getUser()),
          kind,
          BigInteger.valueOf(amount),
          null,
          null);
    }
    if (value instanceof YieldPoolEvent pool) {
      return pool(id, log, pool.getPayload());
    }
    throw new MalformedEventException(
        "not a chain event of the pool: " + value.getSchema().getFullName());
  }

  private static Optional<Fact> token(String id, ChainLogRef log, TokenEvent event) {
    boolean mint = event.getKind() == TokenEventKind.MINT;
    if (event.getToken() != Token.RBTC_SYNTH || (!mint && event.getKind() != TokenEventKind.BURN)) {
      return Optional.empty();
    }
    long amount = ChainValues.sats("amount", event.getAmount());
    return entry(
        id,
        log,
        ChainValues.address(event.getUser()),
        mint ? EntryKind.MINT : EntryKind.BURN,
        BigInteger.valueOf(amount),
        null,
        null);
  }

  private static Optional<Fact> pool(String id, ChainLogRef log, Object payload) {
    if (payload instanceof ParticipantJoined joined) {
      int type = joined.getParticipantType();
      String user = ChainValues.address(joined.getUser());
      if (type != Participant.BITCOIN_HOLDER && type != Participant.TRADER) {
        throw new MalformedEventException("unknown participant type " + type + " for " + user);
      }
      long base = ChainValues.sats("amount", joined.getAmount());
      return entry(id, log, user, EntryKind.JOINED, BigInteger.valueOf(base), type, null);
    }
    if (payload instanceof YieldClaimed claimed) {
      return entry(
          id,
          log,
          ChainValues.address(claimed.getUser()),
          EntryKind.CLAIMED,
          ChainValues.unsigned("amount", claimed.getAmount()),
          null,
          null);
    }
    if (payload instanceof BalanceDisputed disputed) {
      BigInteger oracle = ChainValues.unsigned("oracleBalance", disputed.getOracleBalance());
      return entry(
          id,
          log,
          ChainValues.address(disputed.getUser()),
          EntryKind.DISPUTED,
          ChainValues.unsigned("reportedBalance", disputed.getReportedBalance()),
          null,
          "oracle balance " + oracle);
    }
    if (payload instanceof YieldCalculated calculated) {
      return Optional.of(
          new Scale(
              id,
              "YIELD_CALCULATED",
              log,
              ChainValues.unsigned("totalUsdtVirtual", calculated.getTotalUsdtVirtual()),
              ChainValues.unsigned("totalRbtcSupply", calculated.getTotalRbtcSupply()),
              ChainValues.unsigned("currentYieldRate", calculated.getCurrentYieldRate()),
              null,
              null,
              null));
    }
    if (payload instanceof ScalesBalanceUpdated updated) {
      return Optional.of(
          new Scale(
              id,
              "SCALES_BALANCE_UPDATED",
              log,
              null,
              null,
              null,
              ChainValues.unsigned("usdtScale", updated.getUsdtScale()),
              ChainValues.unsigned("rbtcScale", updated.getRbtcScale()),
              ChainValues.unsigned("scaleTimestamp", updated.getScaleTimestamp())));
    }
    throw new MalformedEventException("unknown yield pool payload: " + payload);
  }

  private static Optional<Fact> entry(
      String id,
      ChainLogRef log,
      String user,
      EntryKind kind,
      BigInteger amount,
      Integer type,
      String details) {
    return Optional.of(
        new Entry(
            new LedgerEntry(
                id,
                log.getChainId(),
                log.getBlockNumber(),
                log.getLogIndex(),
                log.getTxHash(),
                log.getBlockHash(),
                log.getBlockTimestamp(),
                user,
                kind,
                amount,
                type,
                details)));
  }
}
