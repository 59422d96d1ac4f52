package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.Consumed;
import com.reservebtc.chainconsumer.Projection;
import com.reservebtc.gateway.api.TransactionRow;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gateway's read model, fed batch by batch by the chain-consumer, in one database transaction
 * per batch: chain logs set-based ({@link ChainLogProjection}, {@link DisputeProjection}), the
 * finality changes the batch's block markers cause ({@link FinalityEvents}), then the records of
 * the other topics one by one (they are few; their projectors keep a content inbox because their
 * writers' outboxes publish at least once), and last the {@code users} rows of the users the batch
 * touched ({@link UserRecords}). The batch's stream events are handed to {@link CommittedChanges},
 * which publishes them with the transaction.
 */
@Component
class GatewayProjection implements Projection {

  private static final Pattern USER = Pattern.compile("^0x[0-9a-f]{40}$");
  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

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
  private final UserLocks locks;
  private final UserRecords users;
  private final JdbcClient jdbc;
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
      UserLocks locks,
      UserRecords users,
      JdbcClient jdbc,
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
    this.locks = locks;
    this.users = users;
    this.jdbc = jdbc;
    this.meters = meters;
  }

  @Override
  public void apply(Batch batch) {
    // Locks are taken in one order by every batch: the chains' heights (a batch with markers
    // holds them for update from its start; one with chain logs takes them for share, as its
    // projections label finality), then every user the batch may change, in key order (the
    // projections below lock subsets of these again, re-entrant). Users first and heights second
    // would let a batch with markers and one without wait for each other in a circle.
    Map<String, UserTouch> touches = userTouches(batch);
    Set<String> lockedUsers = new TreeSet<>(touches.keySet());
    for (Consumed record : batch.records()) {
      if (isUser(record.key())) {
        lockedUsers.add(record.key());
      }
    }
    if (!batch.chainChanges().isEmpty()) {
      batch.holdHeights();
    }
    locks.lock(lockedUsers);
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
    users.refresh(touches.values().stream().map(UserTouch::toTouch).toList());
    for (ChainChange change : batch.chainChanges()) {
      counter(
              change.record().topic(),
              change.kind() == ChainChange.Kind.RETRACT ? Outcome.RETRACTED : Outcome.APPLIED)
          .increment();
    }
  }

  /**
   * The users whose {@code users} row the batch may change (the inputs of {@link UserRecords}:
   * chain logs of the user or a wrBTC transfer's other party, bindings and the previous owner of a
   * re-bound Bitcoin address, risk alerts), each with the last record of the batch that concerns
   * them, whether they lost something (then their row is recomputed) and the span of the listed
   * logs the batch applied for them.
   */
  private Map<String, UserTouch> userTouches(Batch batch) {
    Map<String, UserTouch> touches = new TreeMap<>();
    for (ChainChange change : batch.chainChanges()) {
      ChainLog chainLog = chainLogOf(change.record().value());
      if (chainLog == null) {
        continue;
      }
      String cause = cause(change.record()) + " " + change.kind() + " " + change.eventId();
      TransactionRow row = chainLog.row();
      touch(touches, row.userAddress(), cause).add(change.kind(), row);
      if (isUser(row.counterparty())) {
        touch(touches, row.counterparty(), cause).add(change.kind(), row);
      }
    }
    List<String> rebound = new ArrayList<>();
    for (Consumed record : batch.records()) {
      if (record.value() instanceof BindingEvent e) {
        touch(touches, ChainEventMapper.address(e.getEthAddress(), "ethAddress"), cause(record));
        if (e.getBtcAddress() != null) {
          rebound.add(e.getBtcAddress().trim());
        }
      } else if (record.value() instanceof EmergencyAlert e) {
        touch(touches, ChainEventMapper.address(e.getUser(), "user"), cause(record));
      }
    }
    if (!rebound.isEmpty()) {
      // a bind moves the Bitcoin address away from its previous owner, who loses it
      jdbc.sql(
              "SELECT eth_address FROM bitcoin_addresses WHERE bitcoin_address = ANY(:btc::text[])")
          .param("btc", rebound.toArray(String[]::new))
          .query(String.class)
          .list()
          .forEach(
              owner -> {
                UserTouch touch = touches.get(owner);
                if (touch == null) {
                  touch = touch(touches, owner, "re-bound Bitcoin address");
                }
                touch.recompute = true;
              });
    }
    return touches;
  }

  private static UserTouch touch(Map<String, UserTouch> touches, String user, String cause) {
    UserTouch touch = touches.computeIfAbsent(user, UserTouch::new);
    touch.cause = cause;
    return touch;
  }

  /** What the batch did to one user, collected record by record. */
  private static final class UserTouch {
    private final String user;
    private String cause;
    private boolean recompute;
    private Instant first;
    private Instant last;
    private Long lastBlock;

    UserTouch(String user) {
      this.user = user;
    }

    void add(ChainChange.Kind kind, TransactionRow row) {
      if (kind != ChainChange.Kind.APPLY) {
        recompute = true; // a log left its block: the row is recomputed from the tables
        return;
      }
      if (!row.listed()) {
        return; // as the recomputation, which reads listed rows only
      }
      Instant at = row.blockTimestamp();
      first = first == null || at.isBefore(first) ? at : first;
      last = last == null || at.isAfter(last) ? at : last;
      lastBlock = lastBlock == null ? row.blockNumber() : Math.max(lastBlock, row.blockNumber());
    }

    UserRecords.Touch toTouch() {
      return new UserRecords.Touch(user, cause, recompute, first, last, lastBlock);
    }
  }

  private static String cause(Consumed record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
  }

  private static boolean isUser(String key) {
    return key != null && USER.matcher(key).matches() && !key.equals(ZERO_ADDRESS);
  }

  private static ChainLog chainLogOf(Object value) {
    if (value instanceof SyncedEvent e) {
      return ChainEventMapper.synced(e);
    } else if (value instanceof TokenEvent e) {
      return ChainEventMapper.token(e);
    } else if (value instanceof FeeVaultEvent e) {
      return ChainEventMapper.feeVault(e);
    } else if (value instanceof EmergencyBurnEvent e) {
      return ChainEventMapper.emergencyBurn(e);
    }
    return null;
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
