package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.ReserveAttestation;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Entry point of the projections: every record of the {@link ProjectedTopics} is applied in its own
 * database transaction, together with its inbox row. An exception rolls the transaction back and
 * leaves the record to the shared error handler (bounded retries, then the dead-letter topic).
 */
@Component
class ProjectionListener {

  private final TransactionTemplate transactions;
  private final ChainEventProjector chainEvents;
  private final BlockMarkerProjector blockMarkers;
  private final BindingProjector bindings;
  private final OperationProjector operations;
  private final AttestationProjector attestations;
  private final AlertProjector alerts;
  private final YieldParticipantProjector participants;
  private final DisputeProjector disputes;
  private final BalanceObservationProjector observations;
  private final OracleAlertProjector oracleAlerts;
  private final MeterRegistry meters;

  ProjectionListener(
      TransactionTemplate transactions,
      ChainEventProjector chainEvents,
      BlockMarkerProjector blockMarkers,
      BindingProjector bindings,
      OperationProjector operations,
      AttestationProjector attestations,
      AlertProjector alerts,
      YieldParticipantProjector participants,
      DisputeProjector disputes,
      BalanceObservationProjector observations,
      OracleAlertProjector oracleAlerts,
      MeterRegistry meters) {
    this.transactions = transactions;
    this.chainEvents = chainEvents;
    this.blockMarkers = blockMarkers;
    this.bindings = bindings;
    this.operations = operations;
    this.attestations = attestations;
    this.alerts = alerts;
    this.participants = participants;
    this.disputes = disputes;
    this.observations = observations;
    this.oracleAlerts = oracleAlerts;
    this.meters = meters;
  }

  @KafkaListener(
      id = "gateway-projections",
      idIsGroup = false,
      topics = "#{@projectedTopics.names()}")
  void onRecord(ConsumerRecord<String, SpecificRecord> record) {
    String topic = record.topic();
    SpecificRecord value = record.value();
    if (value == null) {
      throw new InvalidRecordException("record without a value at offset " + record.offset());
    }
    Topic<?> expected =
        Topics.byName(topic)
            .orElseThrow(() -> new InvalidRecordException("topic not in the catalogue: " + topic));
    if (!expected.valueType().isInstance(value)) {
      throw new InvalidRecordException(
          value.getSchema().getFullName() + " is not a value type of " + topic);
    }
    Outcome outcome = transactions.execute(status -> apply(topic, value));
    counter(topic, outcome).increment();
  }

  private Outcome apply(String topic, SpecificRecord value) {
    if (value instanceof SyncedEvent e) {
      return chainEvents.project(topic, ChainEventMapper.synced(e));
    } else if (value instanceof TokenEvent e) {
      return chainEvents.project(topic, ChainEventMapper.token(e));
    } else if (value instanceof FeeVaultEvent e) {
      return chainEvents.project(topic, ChainEventMapper.feeVault(e));
    } else if (value instanceof EmergencyBurnEvent e) {
      return chainEvents.project(topic, ChainEventMapper.emergencyBurn(e));
    } else if (value instanceof BlockMarker e) {
      return blockMarkers.project(e);
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
    } else if (value instanceof YieldPoolEvent e) {
      return disputes.project(topic, e);
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
