package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.Consumed;
import com.reservebtc.chainconsumer.Projection;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.ReserveAttestation;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.stereotype.Component;

/**
 * The gateway's read model, fed batch by batch by the chain-consumer, in one database transaction
 * per batch: chain logs set-based ({@link ChainLogProjection}, {@link DisputeProjection}), the
 * finality changes the batch's block markers cause ({@link FinalityEvents}), then the records of
 * the other topics one by one (they are few; their projectors keep a content inbox because their
 * writers' outboxes publish at least once). The batch's stream events are handed to {@link
 * CommittedChanges}, which publishes them with the transaction.
 */
@Component
class GatewayProjection implements Projection {

  private final ChainLogProjection chainLogs;
  private final DisputeProjection disputes;
  private final FinalityEvents finality;
  private final CommittedChanges changes;
  private final BindingProjector bindings;
  private final OperationProjector operations;
  private final AttestationProjector attestations;
  private final AlertProjector alerts;
  private final YieldParticipantProjector participants;
  private final BalanceObservationProjector observations;
  private final OracleAlertProjector oracleAlerts;
  private final MeterRegistry meters;

  GatewayProjection(
      ChainLogProjection chainLogs,
      DisputeProjection disputes,
      FinalityEvents finality,
      CommittedChanges changes,
      BindingProjector bindings,
      OperationProjector operations,
      AttestationProjector attestations,
      AlertProjector alerts,
      YieldParticipantProjector participants,
      BalanceObservationProjector observations,
      OracleAlertProjector oracleAlerts,
      MeterRegistry meters) {
    this.chainLogs = chainLogs;
    this.disputes = disputes;
    this.finality = finality;
    this.changes = changes;
    this.bindings = bindings;
    this.operations = operations;
    this.attestations = attestations;
    this.alerts = alerts;
    this.participants = participants;
    this.observations = observations;
    this.oracleAlerts = oracleAlerts;
    this.meters = meters;
  }

  @Override
  public void apply(Batch batch) {
    List<StreamEvent> events = new ArrayList<>(chainLogs.apply(batch));
    events.addAll(disputes.apply(batch));
    Set<String> applied = new HashSet<>();
    for (ChainChange change : batch.chainChanges()) {
      if (change.kind() != ChainChange.Kind.RETRACT) {
        applied.add(change.eventId());
      }
    }
    events.addAll(finality.apply(batch, applied));
    if (!events.isEmpty()) {
      changes.afterCommit(events);
    }
    for (Consumed record : batch.records()) {
      Outcome outcome = applyOther(record.topic(), record.value());
      if (outcome != null) {
        counter(record.topic(), outcome).increment();
      }
    }
    for (ChainChange change : batch.chainChanges()) {
      counter(
              change.record().topic(),
              change.kind() == ChainChange.Kind.RETRACT ? Outcome.RETRACTED : Outcome.APPLIED)
          .increment();
    }
  }

  /** Applies a record of a topic that is not a chain-log topic; null for chain records. */
  private Outcome applyOther(String topic, SpecificRecord value) {
    if (value instanceof SyncedEvent
        || value instanceof TokenEvent
        || value instanceof FeeVaultEvent
        || value instanceof EmergencyBurnEvent
        || value instanceof YieldPoolEvent
        || value instanceof BlockMarker) {
      return null;
    } else if (value instanceof QuarantinedLog) {
      // Counted by the indexer's reconciler and alerted there; nothing of it is shown to users.
      return Outcome.NO_EFFECT;
    } else if (value instanceof BindingEvent e) {
      return bindings.project(topic, e);
    } else if (value instanceof OracleOperation e) {
      return operations.project(topic, e);
    } else if (value instanceof ReserveAttestation e) {
      return attestations.project(topic, e);
    } else if (value instanceof EmergencyAlert e) {
      return alerts.project(topic, e);
    } else if (value instanceof YieldParticipantState e) {
      return participants.project(topic, e);
    } else if (value instanceof BtcBalanceObservation e) {
      return observations.project(e);
    } else if (value instanceof OracleAlert e) {
      return oracleAlerts.project(topic, e);
    }
    throw new InvalidRecordException(
        "the gateway does not project " + value.getSchema().getFullName() + " from " + topic);
  }

  private Counter counter(String topic, Outcome outcome) {
    return Counter.builder("rbtc.gateway.projected.records")
        .description("Records applied by the projections, by topic and outcome")
        .tag("topic", topic)
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .register(meters);
  }
}
