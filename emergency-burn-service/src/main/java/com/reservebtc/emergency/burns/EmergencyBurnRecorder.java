package com.reservebtc.emergency.burns;

import com.reservebtc.emergency.finality.ChainFinality;
import com.reservebtc.emergency.finality.ChainHeights;
import com.reservebtc.emergency.inbox.ProcessedEvents;
import com.reservebtc.emergency.kafka.ChainValues;
import com.reservebtc.emergency.outbox.Outbox;
import com.reservebtc.emergency.risk.RiskTracker;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.Finality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies one emergency-burn record in one database transaction: inbox entry, the {@code
 * emergency_burns} row (with the higher of the record's finality and the one block markers already
 * gave its block) and, for a token burn by the OracleAggregator, a BURNED alert in the outbox. A
 * retraction deletes the row; for an alerted burn it queues a compensating CLEARED alert that says
 * the burn was retracted by a reorg, followed by the user's AT_RISK alert again if they are at
 * risk.
 *
 * <p>YieldScalesPool burns are recorded but not alerted: the pool only removes sats from the yield
 * contribution after the aggregator already burned the tokens, so a second alert would announce the
 * same loss twice.
 */
@Service
class EmergencyBurnRecorder {

  private static final Logger log = LoggerFactory.getLogger(EmergencyBurnRecorder.class);

  private final ChainFinality finality;
  private final ProcessedEvents inbox;
  private final EmergencyBurnRepository burns;
  private final Outbox outbox;
  private final RiskTracker risk;

  EmergencyBurnRecorder(
      ChainFinality finality,
      ProcessedEvents inbox,
      EmergencyBurnRepository burns,
      Outbox outbox,
      RiskTracker risk) {
    this.finality = finality;
    this.inbox = inbox;
    this.burns = burns;
    this.outbox = outbox;
    this.risk = risk;
  }

  /** Returns whether an alert was queued. */
  @Transactional
  boolean apply(EmergencyBurnEvent event) {
    ChainLogRef chainLog = event.getLog();
    String user = ChainValues.address(event.getUser());
    long burnedSats = ChainValues.sats("burnedAmount", event.getBurnedAmount());
    ChainHeights heights = finality.holdShared(chainLog.getChainId());
    if (!inbox.claim(chainLog, Topics.CHAIN_EMERGENCY_BURNS.name())) {
      return false;
    }
    String eventId = EventIds.of(chainLog);
    boolean alerted = event.getSource() == EmergencyBurnSource.ORACLE_AGGREGATOR;
    if (chainLog.getRetracted()) {
      burns.delete(chainLog);
      log.info("emergency burn retracted by reorg: user={} event={}", user, eventId);
      if (alerted) {
        risk.queueRestatingRisk(retractionNotice(user, burnedSats, eventId, chainLog), chainLog);
      }
      return alerted;
    }
    Finality stored = heights.finalityOf(chainLog.getBlockNumber(), chainLog.getFinality());
    burns.insert(chainLog, user, event.getSource().name(), burnedSats, event.getReason(), stored);
    log.info(
        "emergency burn recorded: user={} source={} sats={} finality={} event={}",
        user,
        event.getSource(),
        burnedSats,
        stored,
        eventId);
    if (!alerted) {
      return false;
    }
    EmergencyAlert alert =
        EmergencyAlert.newBuilder()
            .setUser(user)
            .setKind(AlertKind.BURNED)
            .setEventId(eventId)
            .setMessage(
                "Emergency burn of "
                    + burnedSats
                    + " sats: "
                    + event.getReason()
                    + ". Top up the fee vault before the next sync to keep rBTC-SYNTH backed.")
            .setOccurredAtMillis(chainLog.getBlockTimestamp() * 1000)
            .build();
    outbox.add(Topics.EMERGENCY_ALERTS, user, alert);
    return true;
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
