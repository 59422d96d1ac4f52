package com.reservebtc.emergency.burns;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.ChainValues;
import com.reservebtc.chainconsumer.Outbox;
import com.reservebtc.emergency.risk.RiskBook;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records emergency-burn logs (OracleAggregator EmergencyBurn, YieldScalesPool
 * EmergencyBurnTriggered) in {@code emergency_burns}: a batch's changes are applied set-based, the
 * last change of each event winning. A token burn by the OracleAggregator is announced (BURNED)
 * when it is applied; its retraction queues a compensating CLEARED alert that says the burn was
 * retracted by a reorg, followed by the user's AT_RISK alert again if they are at risk. A burn that
 * moves to another block without a retraction (REPLACE) is still the same burn: no new alert.
 *
 * <p>YieldScalesPool burns are recorded but not alerted: the pool only removes sats from the yield
 * contribution after the aggregator already burned the tokens, so a second alert would announce the
 * same loss twice.
 */
@Service
public class EmergencyBurns {

  private static final Logger log = LoggerFactory.getLogger(EmergencyBurns.class);

  private final EmergencyBurnRepository burns;
  private final Outbox outbox;
  private final RiskBook risk;

  EmergencyBurns(EmergencyBurnRepository burns, Outbox outbox, RiskBook risk) {
    this.burns = burns;
    this.outbox = outbox;
    this.risk = risk;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void apply(Batch batch) {
    Map<String, ChainChange> last = new LinkedHashMap<>();
    for (ChainChange change : batch.chainChanges()) {
      if (!change.record().topic().equals(Topics.CHAIN_EMERGENCY_BURNS.name())) {
        continue;
      }
      EmergencyBurnEvent event = (EmergencyBurnEvent) change.record().value();
      // validates before anything is written: a malformed record fails alone
      stored(change, event);
      last.remove(change.eventId());
      last.put(change.eventId(), change);
    }
    if (last.isEmpty()) {
      return;
    }
    List<StoredBurn> upserts = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    for (ChainChange change : last.values()) {
      if (change.kind() == ChainChange.Kind.RETRACT) {
        deletes.add(change.eventId());
      } else {
        upserts.add(stored(change, (EmergencyBurnEvent) change.record().value()));
      }
    }
    burns.delete(deletes);
    burns.upsert(upserts);
    for (ChainChange change : batch.chainChanges()) {
      if (change.record().topic().equals(Topics.CHAIN_EMERGENCY_BURNS.name())) {
        announce(change, (EmergencyBurnEvent) change.record().value());
      }
    }
  }

  private void announce(ChainChange change, EmergencyBurnEvent event) {
    String user = ChainValues.address(event.getUser());
    long burnedSats = ChainValues.sats("burnedAmount", event.getBurnedAmount());
    ChainLogRef chainLog = change.log();
    switch (change.kind()) {
      case APPLY -> {
        log.info(
            "emergency burn recorded: user={} source={} sats={} event={}",
            user,
            event.getSource(),
            burnedSats,
            change.eventId());
        if (event.getSource() == EmergencyBurnSource.ORACLE_AGGREGATOR) {
          outbox.add(
              Topics.EMERGENCY_ALERTS,
              user,
              EmergencyAlert.newBuilder()
                  .setUser(user)
                  .setKind(AlertKind.BURNED)
                  .setEventId(change.eventId())
                  .setMessage(
                      "Emergency burn of "
                          + burnedSats
                          + " sats: "
                          + event.getReason()
                          + ". Top up the fee vault before the next sync to keep rBTC-SYNTH"
                          + " backed.")
                  .setOccurredAtMillis(chainLog.getBlockTimestamp() * 1000)
                  .build());
        }
      }
      case RETRACT -> {
        log.info("emergency burn retracted by reorg: user={} event={}", user, change.eventId());
        if (event.getSource() == EmergencyBurnSource.ORACLE_AGGREGATOR) {
          risk.queueRestatingRisk(
              retractionNotice(user, burnedSats, change.eventId(), chainLog), chainLog);
        }
      }
      case REPLACE ->
          log.info(
              "emergency burn {} moved from block {} to block {} {}",
              change.eventId(),
              change.previousBlockHash(),
              chainLog.getBlockNumber(),
              chainLog.getBlockHash());
    }
  }

  private static StoredBurn stored(ChainChange change, EmergencyBurnEvent event) {
    ChainLogRef chainLog = change.log();
    return new StoredBurn(
        change.eventId(),
        ChainValues.address(event.getUser()),
        event.getSource().name(),
        ChainValues.sats("burnedAmount", event.getBurnedAmount()),
        event.getReason(),
        chainLog.getChainId(),
        chainLog.getContract().toLowerCase(Locale.ROOT),
        chainLog.getTxHash().toLowerCase(Locale.ROOT),
        chainLog.getLogIndex(),
        chainLog.getBlockNumber(),
        chainLog.getBlockHash(),
        Instant.ofEpochSecond(chainLog.getBlockTimestamp()));
  }

  private static EmergencyAlert retractionNotice(
      String user, long burnedSats, String eventId, ChainLogRef chainLog) {
    return EmergencyAlert.newBuilder()
        .setUser(user)
        .setKind(AlertKind.CLEARED)
        .setEventId(eventId)
        .setMessage(
            "The emergency burn of "
                + burnedSats
                + " sats in block "
                + chainLog.getBlockNumber()
                + " (tx "
                + chainLog.getTxHash()
                + ") was retracted by a chain reorg: it is not on the canonical chain and the"
                + " earlier burn notice no longer applies.")
        .setOccurredAtMillis(chainLog.getBlockTimestamp() * 1000)
        .build();
  }
}
