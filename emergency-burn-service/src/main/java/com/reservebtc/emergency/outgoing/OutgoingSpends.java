package com.reservebtc.emergency.outgoing;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainValues;
import com.reservebtc.chainconsumer.MalformedEventException;
import com.reservebtc.chainconsumer.Outbox;
import com.reservebtc.emergency.risk.FeeProperties;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.EmergencyAlert;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Warns a user whose bound Bitcoin addresses are being spent by transactions the oracle does not
 * count yet (in the mempool, or in blocks shallower than the confirmation depth): such a spend
 * never lowers the synced balance before it is deep enough, but once it is, the balance is synced
 * down — and with a fee vault that cannot pay a downward sync, the aggregator burns the whole
 * balance instead. The user hears it while there is still time to deposit fees.
 *
 * <p>Guarantees: one OUTGOING_UNCONFIRMED alert when the user's uncounted spends appear or grow,
 * one OUTGOING_CLEARED when they are gone (confirmed and synced, or dropped); nothing while they
 * stay the same. Each observation is applied in one transaction with the user's row (locked) and
 * the alert; an observation not newer than the last one applied (a redelivery, or an older record)
 * changes nothing. Observations of a user with an address the oracle could not observe carry no
 * totals and are skipped.
 */
@Service
public class OutgoingSpends {

  private static final Logger log = LoggerFactory.getLogger(OutgoingSpends.class);

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final BigInteger fixedFeeWei;

  OutgoingSpends(JdbcClient jdbc, Outbox outbox, FeeProperties fees) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.fixedFeeWei = fees.fixedWei();
  }

  /** Applies the batch's observations in their order. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void apply(Batch batch) {
    List<BtcBalanceObservation> observations = batch.values(Topics.ORACLE_BTC_BALANCES);
    if (observations.isEmpty()) {
      return;
    }
    for (BtcBalanceObservation observation : observations) {
      apply(observation);
    }
  }

  /** Returns whether an alert was queued. */
  private boolean apply(BtcBalanceObservation observation) {
    Long spent = observation.getUserPendingSpentSats();
    Long received = observation.getUserPendingReceivedSats();
    if (spent == null || received == null) {
      return false;
    }
    if (spent < 0 || received < 0) {
      throw new MalformedEventException("negative pending sats in " + observation);
    }
    String user = ChainValues.address(observation.getEthAddress());
    Instant at = Instant.ofEpochMilli(observation.getObservedAtMillis());
    jdbc.sql("insert into user_risk (user_address) values (?) on conflict do nothing")
        .param(user)
        .update();
    Optional<State> locked =
        jdbc.sql(
                """
                select rbtc_balance_sats, fee_vault_balance_wei, pending_spent_sats,
                       pending_observed_at
                from user_risk where user_address = ? for update
                """)
            .param(user)
            .query(
                (rs, n) ->
                    new State(
                        rs.getLong("rbtc_balance_sats"),
                        rs.getBigDecimal("fee_vault_balance_wei").toBigIntegerExact(),
                        rs.getLong("pending_spent_sats"),
                        Optional.ofNullable(
                                rs.getObject("pending_observed_at", OffsetDateTime.class))
                            .map(OffsetDateTime::toInstant)
                            .orElse(null)))
            .optional();
    State before = locked.orElseThrow();
    if (before.observedAt() != null && !at.isAfter(before.observedAt())) {
      return false;
    }
    jdbc.sql(
            """
            update user_risk set pending_spent_sats = ?, pending_received_sats = ?,
              pending_observed_at = ?, updated_at = now()
            where user_address = ?
            """)
        .params(spent, received, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), user)
        .update();
    AlertKind kind;
    if (spent > before.pendingSpent()) {
      kind = AlertKind.OUTGOING_UNCONFIRMED;
    } else if (spent == 0 && before.pendingSpent() > 0) {
      kind = AlertKind.OUTGOING_CLEARED;
    } else {
      return false;
    }
    String message =
        kind == AlertKind.OUTGOING_CLEARED
            ? "No transaction spending your bound Bitcoin addresses is waiting to be counted any"
                + " more."
            : outgoingMessage(before, spent, received, observation.getMinConfirmations());
    log.info("user {}: {} ({} sats spent, {} sats back)", user, kind, spent, received);
    outbox.add(
        Topics.EMERGENCY_ALERTS,
        user,
        EmergencyAlert.newBuilder()
            .setUser(user)
            .setKind(kind)
            .setRbtcBalanceSats(before.rbtcSats())
            .setFeeVaultBalanceWei(before.vaultWei().toString())
            .setRequiredFeeWei(fixedFeeWei.toString())
            .setPendingSpentSats(spent)
            .setEventId(null)
            .setMessage(message)
            .setOccurredAtMillis(at.toEpochMilli())
            .build());
    return true;
  }

  private String outgoingMessage(State before, long spent, long received, int depth) {
    StringBuilder text =
        new StringBuilder()
            .append(spent)
            .append(
                " sats of your bound Bitcoin addresses are being spent by transactions not yet ")
            .append(depth)
            .append(depth == 1 ? " confirmation" : " confirmations")
            .append(" deep");
    if (received > 0) {
      text.append(" (").append(received).append(" sats of them come back to your addresses)");
    }
    text.append(". Your rBTC-SYNTH balance is not lowered before they are that deep.");
    long decrease = spent - received;
    if (decrease > 0) {
      text.append(" Then it is synced down by ").append(decrease).append(" sats");
      if (before.vaultWei().compareTo(fixedFeeWei) < 0 && before.rbtcSats() > 0) {
        text.append(
                ", and your fee vault ("
                    + before.vaultWei()
                    + " wei) cannot pay the downward-sync fee ("
                    + fixedFeeWei
                    + " wei): the whole balance of ")
            .append(before.rbtcSats())
            .append(" sats would be burned instead. Deposit ETH into the fee vault now.");
      } else {
        text.append('.');
      }
    }
    return text.toString();
  }

  private record State(long rbtcSats, BigInteger vaultWei, long pendingSpent, Instant observedAt) {}
}
