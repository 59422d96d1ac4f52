package com.reservebtc.emergency.burns;

import com.reservebtc.emergency.inbox.ProcessedEvents;
import com.reservebtc.emergency.kafka.ChainValues;
import com.reservebtc.emergency.outbox.Outbox;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies one emergency-burn record in one database transaction: inbox entry, the {@code
 * emergency_burns} row and, for a token burn by the OracleAggregator, a BURNED alert in the outbox.
 * A retraction deletes the row; the alert already published for it is not recalled.
 *
 * <p>YieldScalesPool burns are recorded but not alerted: the pool only removes sats from the yield
 * contribution after the aggregator already burned the tokens, so a second alert would announce the
 * same loss twice.
 */
@Service
class EmergencyBurnRecorder {

  private static final Logger log = LoggerFactory.getLogger(EmergencyBurnRecorder.class);

  private final ProcessedEvents inbox;
  private final EmergencyBurnRepository burns;
  private final Outbox outbox;

  EmergencyBurnRecorder(ProcessedEvents inbox, EmergencyBurnRepository burns, Outbox outbox) {
    this.inbox = inbox;
    this.burns = burns;
    this.outbox = outbox;
  }

  /** Returns whether an alert was queued. */
  @Transactional
  boolean apply(EmergencyBurnEvent event) {
    ChainLogRef chainLog = event.getLog();
    String user = ChainValues.address(event.getUser());
    long burnedSats = ChainValues.sats("burnedAmount", event.getBurnedAmount());
    if (!inbox.claim(chainLog, Topics.CHAIN_EMERGENCY_BURNS.name())) {
      return false;
    }
    String eventId = EventIds.of(chainLog);
    if (chainLog.getRetracted()) {
      burns.delete(chainLog);
      log.info("emergency burn retracted by reorg: user={} event={}", user, eventId);
      return false;
    }
    burns.insert(chainLog, user, event.getSource().name(), burnedSats, event.getReason());
    log.info(
        "emergency burn recorded: user={} source={} sats={} event={}",
        user,
        event.getSource(),
        burnedSats,
        eventId);
    if (event.getSource() != EmergencyBurnSource.ORACLE_AGGREGATOR) {
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
}
