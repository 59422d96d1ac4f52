package com.reservebtc.schemas;

import com.reservebtc.schemas.Topic.KeyKind;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.ReserveAttestation;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The topic catalogue: the only place in the code base where a topic name is written. Each topic
 * has exactly one writing service and a fixed set of readers; deployments derive topics and ACLs
 * from here.
 */
public final class Topics {

  /**
   * Partitions of a topic keyed by user: a user's records stay in order on one partition, and a
   * consumer group spreads over up to this many threads or replicas.
   */
  public static final int USER_PARTITIONS = 6;

  /** OracleAggregator Synced. Writer: indexer-service. */
  public static final Topic<SyncedEvent> CHAIN_SYNCED =
      new Topic<>(
          "rbtc.chain.synced.v1",
          SyncedEvent.class,
          KeyKind.USER,
          false,
          Service.INDEXER,
          Set.of(Service.EMERGENCY_BURN, Service.GATEWAY),
          USER_PARTITIONS);

  /** OracleAggregator EmergencyBurn and YieldScalesPool EmergencyBurnTriggered. Writer: indexer. */
  public static final Topic<EmergencyBurnEvent> CHAIN_EMERGENCY_BURNS =
      new Topic<>(
          "rbtc.chain.emergency-burns.v1",
          EmergencyBurnEvent.class,
          KeyKind.USER,
          false,
          Service.INDEXER,
          Set.of(Service.EMERGENCY_BURN, Service.YIELD, Service.GATEWAY),
          USER_PARTITIONS);

  /** rBTC-SYNTH and wrBTC balance-changing logs. Writer: indexer. */
  public static final Topic<TokenEvent> CHAIN_TOKEN_TRANSFERS =
      new Topic<>(
          "rbtc.chain.token-transfers.v1",
          TokenEvent.class,
          KeyKind.USER,
          false,
          Service.INDEXER,
          Set.of(Service.YIELD, Service.GATEWAY),
          USER_PARTITIONS);

  /** FeeVault Deposited, Spent, Withdrawn. Writer: indexer. */
  public static final Topic<FeeVaultEvent> CHAIN_FEE_VAULT =
      new Topic<>(
          "rbtc.chain.fee-vault.v1",
          FeeVaultEvent.class,
          KeyKind.USER,
          false,
          Service.INDEXER,
          Set.of(Service.EMERGENCY_BURN, Service.GATEWAY),
          USER_PARTITIONS);

  /** YieldScalesPool events except EmergencyBurnTriggered. Writer: indexer. */
  public static final Topic<YieldPoolEvent> CHAIN_YIELD_POOL =
      new Topic<>(
          "rbtc.chain.yield-pool.v1",
          YieldPoolEvent.class,
          KeyKind.USER,
          false,
          Service.INDEXER,
          Set.of(Service.YIELD, Service.GATEWAY),
          USER_PARTITIONS);

  /**
   * Head, confirmed, finalized and retracted block markers. Writer: indexer, which also reads the
   * newest markers back when it recovers its cursor.
   */
  public static final Topic<BlockMarker> CHAIN_BLOCKS =
      new Topic<>(
          "rbtc.chain.blocks.v1",
          BlockMarker.class,
          KeyKind.CHAIN,
          false,
          Service.INDEXER,
          Set.of(Service.INDEXER, Service.EMERGENCY_BURN, Service.YIELD, Service.GATEWAY),
          1);

  /**
   * Logs of configured contracts that carry a consumed event's signature but do not decode: the
   * indexer publishes them here, raises an alert and goes on (instead of stopping the chain).
   * Retracted like chain records when their block is orphaned. Writer: indexer.
   */
  public static final Topic<QuarantinedLog> CHAIN_QUARANTINE =
      new Topic<>(
          "rbtc.chain.quarantine.v1",
          QuarantinedLog.class,
          KeyKind.CHAIN,
          false,
          Service.INDEXER,
          Set.of(Service.GATEWAY),
          1);

  /**
   * The indexer's resume point, committed in the same transaction as the events. Internal to the
   * indexer. Writer: indexer.
   */
  public static final Topic<IndexerCursor> INDEXER_CURSOR =
      new Topic<>(
          "rbtc.indexer.cursor.v1",
          IndexerCursor.class,
          KeyKind.CHAIN,
          true,
          Service.INDEXER,
          Set.of(Service.INDEXER),
          1);

  /** Verified BTC-to-EVM address bindings and unbindings. Writer: oracle-service. */
  public static final Topic<BindingEvent> ORACLE_BINDINGS =
      new Topic<>(
          "rbtc.oracle.bindings.v1",
          BindingEvent.class,
          KeyKind.USER,
          false,
          Service.ORACLE,
          Set.of(Service.GATEWAY),
          USER_PARTITIONS);

  /** Observed confirmed Bitcoin balances. Writer: oracle-service. */
  public static final Topic<BtcBalanceObservation> ORACLE_BTC_BALANCES =
      new Topic<>(
          "rbtc.oracle.btc-balances.v1",
          BtcBalanceObservation.class,
          KeyKind.USER,
          false,
          Service.ORACLE,
          Set.of(Service.EMERGENCY_BURN, Service.GATEWAY),
          USER_PARTITIONS);

  /** Every oracle operation step. Writer: oracle-service. */
  public static final Topic<OracleOperation> ORACLE_OPERATIONS =
      new Topic<>(
          "rbtc.oracle.operations.v1",
          OracleOperation.class,
          KeyKind.USER,
          false,
          Service.ORACLE,
          Set.of(Service.GATEWAY),
          USER_PARTITIONS);

  /**
   * Operator alerts of the oracle: Bitcoin sources excluded or disagreeing, transactions stuck at
   * the fee cap. Writer: oracle-service.
   */
  public static final Topic<OracleAlert> ORACLE_ALERTS =
      new Topic<>(
          "rbtc.oracle.alerts.v1",
          OracleAlert.class,
          KeyKind.GLOBAL,
          false,
          Service.ORACLE,
          Set.of(Service.GATEWAY),
          1);

  /** Proof-of-reserves snapshots. Writer: oracle-service. */
  public static final Topic<ReserveAttestation> RESERVES_ATTESTATIONS =
      new Topic<>(
          "rbtc.reserves.attestations.v1",
          ReserveAttestation.class,
          KeyKind.GLOBAL,
          false,
          Service.ORACLE,
          Set.of(Service.GATEWAY),
          1);

  /** At-risk warnings and burn notices. Writer: emergency-burn-service. */
  public static final Topic<EmergencyAlert> EMERGENCY_ALERTS =
      new Topic<>(
          "rbtc.emergency.alerts.v1",
          EmergencyAlert.class,
          KeyKind.USER,
          false,
          Service.EMERGENCY_BURN,
          Set.of(Service.GATEWAY),
          USER_PARTITIONS);

  /** YieldScales participant state changes. Writer: yield-service. */
  public static final Topic<YieldParticipantState> YIELD_PARTICIPANTS =
      new Topic<>(
          "rbtc.yield.participants.v1",
          YieldParticipantState.class,
          KeyKind.USER,
          false,
          Service.YIELD,
          Set.of(Service.GATEWAY),
          USER_PARTITIONS);

  private static final List<Topic<?>> ALL =
      List.of(
          CHAIN_SYNCED,
          CHAIN_EMERGENCY_BURNS,
          CHAIN_TOKEN_TRANSFERS,
          CHAIN_FEE_VAULT,
          CHAIN_YIELD_POOL,
          CHAIN_BLOCKS,
          CHAIN_QUARANTINE,
          INDEXER_CURSOR,
          ORACLE_BINDINGS,
          ORACLE_BTC_BALANCES,
          ORACLE_OPERATIONS,
          ORACLE_ALERTS,
          RESERVES_ATTESTATIONS,
          EMERGENCY_ALERTS,
          YIELD_PARTICIPANTS);

  private static final String DEAD_LETTER_SUFFIX = ".dlt";

  private Topics() {}

  /** Every topic of the catalogue, in a stable order. */
  public static List<Topic<?>> all() {
    return ALL;
  }

  /** The catalogue entry with this name, if any. */
  public static Optional<Topic<?>> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The topics {@code service} writes or reads, in catalogue order: what it needs at start (see
   * {@link TopicCheck}).
   */
  public static List<Topic<?>> usedBy(Service service) {
    return ALL.stream().filter(t -> t.writer() == service || t.readBy(service)).toList();
  }

  /** Name of the dead-letter topic that receives records of {@code topic} that failed for good. */
  public static String deadLetterOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }
}
