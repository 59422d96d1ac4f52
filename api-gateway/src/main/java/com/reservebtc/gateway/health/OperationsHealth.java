package com.reservebtc.gateway.health;

import com.reservebtc.gateway.health.CheckResult.Status;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes the operators' health figures from real checks, each measured when asked: the indexer's
 * last committed block per chain against the node's head, every consumer group's lag (committed
 * offsets against read-committed end offsets), the records on every dead-letter topic, the oracle's
 * last cycle and its Bitcoin sources' agreement, pending oracle transactions, the latest
 * proof-of-reserves backing ratio and the users at risk of an emergency burn. A check that cannot
 * be measured (database, broker or node away, too slow) is failed with the reason; the report is
 * always returned. The overall figure is {@link HealthReport}'s formula.
 */
@Service
public class OperationsHealth {

  static final int WEIGHT_INDEXER = 3;
  static final int WEIGHT_CONSUMERS = 3;
  static final int WEIGHT_DEAD_LETTERS = 2;
  static final int WEIGHT_ORACLE = 3;
  static final int WEIGHT_PENDING = 2;
  static final int WEIGHT_BACKING = 3;
  static final int WEIGHT_AT_RISK = 1;

  private static final String DEAD_LETTER_SUFFIX = ".dlt";
  private static final BigDecimal FULL_BACKING = new BigDecimal("100");

  private final JdbcClient jdbc;
  private final Admin admin;
  private final HealthProperties properties;
  private final long chainId;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http;

  OperationsHealth(
      JdbcClient jdbc,
      Admin healthAdmin,
      HealthProperties properties,
      @Value("${rbtc.chain.id:31337}") long chainId,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.admin = healthAdmin;
    this.properties = properties;
    this.chainId = chainId;
    this.json = json;
    this.clock = Clock.systemUTC();
    this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
  }

  /** Runs every check now. Blocking: call it off the event loop. */
  public HealthReport report() {
    List<CheckResult> checks = new ArrayList<>();
    checks.add(guard("indexer", WEIGHT_INDEXER, this::indexer));
    checks.add(guard("consumer-lag", WEIGHT_CONSUMERS, this::consumerLag));
    checks.add(guard("dead-letters", WEIGHT_DEAD_LETTERS, this::deadLetters));
    checks.add(guard("oracle", WEIGHT_ORACLE, this::oracle));
    checks.add(guard("pending-transactions", WEIGHT_PENDING, this::pending));
    checks.add(guard("backing-ratio", WEIGHT_BACKING, this::backing));
    checks.add(guard("users-at-risk", WEIGHT_AT_RISK, this::atRisk));
    return HealthReport.of(checks, clock.instant());
  }

  /** A check's status, values and reason, before its name and weight are attached. */
  record Measured(Status status, Map<String, Object> value, String reason) {}

  private static CheckResult guard(String name, int weight, Supplier<Measured> check) {
    try {
      Measured m = check.get();
      return new CheckResult(name, m.status(), weight, m.value(), m.reason());
    } catch (RuntimeException e) {
      return new CheckResult(
          name, Status.FAILED, weight, Map.of(), "could not be measured: " + describe(e));
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof IllegalStateException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  // --- indexer: last committed block per chain against the node's head ---

  private Measured indexer() {
    List<Map<String, Object>> chains =
        jdbc.sql(
                "SELECT chain_id, head_block, confirmed_block, finalized_block, updated_at"
                    + " FROM chain_heights ORDER BY chain_id")
            .query(
                (rs, n) -> {
                  Map<String, Object> c = new LinkedHashMap<>();
                  c.put("chainId", rs.getLong("chain_id"));
                  c.put("lastCommittedBlock", (Long) rs.getObject("head_block"));
                  c.put("confirmedBlock", (Long) rs.getObject("confirmed_block"));
                  c.put("finalizedBlock", (Long) rs.getObject("finalized_block"));
                  c.put("appliedAt", rs.getObject("updated_at", OffsetDateTime.class).toInstant());
                  return c;
                })
            .list();
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("chains", chains);
    Map<String, Object> served = null;
    for (Map<String, Object> c : chains) {
      if (((Long) c.get("chainId")) == chainId) {
        served = c;
      }
    }
    if (served == null || served.get("lastCommittedBlock") == null) {
      return new Measured(
          Status.DEGRADED, value, "no block of chain " + chainId + " committed by the indexer yet");
    }
    long committed = (Long) served.get("lastCommittedBlock");
    if (properties.chainRpcUrl().isBlank()) {
      return new Measured(
          Status.DEGRADED,
          value,
          "last committed block " + committed + "; no node configured to compare the head with");
    }
    long nodeHead;
    try {
      nodeHead = nodeHead();
    } catch (RuntimeException e) {
      return new Measured(
          Status.DEGRADED,
          value,
          "last committed block " + committed + "; the node did not answer: " + describe(e));
    }
    long lag = Math.max(0, nodeHead - committed);
    served.put("nodeHead", nodeHead);
    served.put("headLag", lag);
    Status status = Status.of(lag, properties.headLagDegraded(), properties.headLagFailed());
    return new Measured(
        status,
        value,
        "chain "
            + chainId
            + ": indexer "
            + lag
            + " block(s) behind the node (head "
            + nodeHead
            + ", last committed "
            + committed
            + "); degraded from "
            + properties.headLagDegraded()
            + ", failed from "
            + properties.headLagFailed());
  }

  private long nodeHead() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(properties.chainRpcUrl()))
            .timeout(properties.timeout())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(response.body());
      JsonNode result = body.get("result");
      if (response.statusCode() != 200 || result == null || !result.isString()) {
        throw new IllegalStateException(
            "eth_blockNumber answered HTTP " + response.statusCode() + " without a result");
      }
      return Long.decode(result.asString());
    } catch (IOException e) {
      throw new IllegalStateException(e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // --- consumer lag per group ---

  private Measured consumerLag() {
    List<String> groups = new ArrayList<>();
    for (GroupListing group : get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all())) {
      groups.add(group.groupId());
    }
    groups.sort(null);
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
    Set<TopicPartition> partitions = new java.util.HashSet<>();
    for (String group : groups) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
      offsets.values().removeIf(java.util.Objects::isNull);
      committed.put(group, offsets);
      partitions.addAll(offsets.keySet());
    }
    Map<TopicPartition, Long> ends = endOffsets(partitions, OffsetSpec.latest());
    List<Map<String, Object>> lags = new ArrayList<>();
    Status status = Status.OK;
    String worst = null;
    long worstLag = -1;
    for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : committed.entrySet()) {
      long lag = 0;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> p : group.getValue().entrySet()) {
        Long end = ends.get(p.getKey());
        if (end != null) {
          lag += Math.max(0, end - p.getValue().offset());
        }
      }
      Status groupStatus =
          Status.of(lag, properties.consumerLagDegraded(), properties.consumerLagFailed());
      status = status.worse(groupStatus);
      if (lag > worstLag) {
        worstLag = lag;
        worst = group.getKey();
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("group", group.getKey());
      entry.put("lag", lag);
      entry.put("partitions", group.getValue().size());
      entry.put("status", groupStatus);
      lags.add(entry);
    }
    String reason =
        worst == null
            ? "no consumer group has committed offsets"
            : lags.size()
                + " consumer group(s); largest lag "
                + worstLag
                + " record(s) ("
                + worst
                + "); degraded from "
                + properties.consumerLagDegraded()
                + ", failed from "
                + properties.consumerLagFailed();
    return new Measured(worst == null ? Status.DEGRADED : status, Map.of("groups", lags), reason);
  }

  // --- dead letters ---

  private Measured deadLetters() {
    List<String> topics = new ArrayList<>();
    for (String name : get(admin.listTopics().names())) {
      if (name.endsWith(DEAD_LETTER_SUFFIX)) {
        topics.add(name);
      }
    }
    topics.sort(null);
    Set<TopicPartition> partitions = new java.util.HashSet<>();
    if (!topics.isEmpty()) {
      for (TopicDescription d : get(admin.describeTopics(topics).allTopicNames()).values()) {
        for (TopicPartitionInfo p : d.partitions()) {
          partitions.add(new TopicPartition(d.name(), p.partition()));
        }
      }
    }
    Map<TopicPartition, Long> starts = endOffsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> ends = endOffsets(partitions, OffsetSpec.latest());
    Map<String, Long> counts = new TreeMap<>();
    topics.forEach(t -> counts.put(t, 0L));
    for (TopicPartition p : partitions) {
      counts.merge(p.topic(), ends.get(p) - starts.get(p), Long::sum);
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> nonEmpty = new TreeMap<>(counts);
    nonEmpty.values().removeIf(c -> c == 0);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("total", total);
    value.put("topics", counts);
    return new Measured(
        total == 0 ? Status.OK : Status.DEGRADED,
        value,
        total == 0
            ? "no record on " + topics.size() + " dead-letter topic(s)"
            : total
                + " record(s) on dead-letter topics "
                + nonEmpty
                + " (replayed ones included until the topic's retention removes them)");
  }

  private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions, OffsetSpec spec) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, spec));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        get(
            admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all());
    Map<TopicPartition, Long> offsets = new HashMap<>();
    result.forEach((p, info) -> offsets.put(p, info.offset()));
    return offsets;
  }

  private <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // --- oracle: last cycle and source agreement ---

  private Measured oracle() {
    long monitored =
        jdbc.sql("SELECT count(*) FROM bitcoin_addresses WHERE is_monitoring")
            .query(Long.class)
            .single();
    Instant lastCycle =
        jdbc.sql(
                """
                SELECT greatest((SELECT max(verified_at) FROM balance_verifications),
                                (SELECT max(last_operation_at) FROM sync_status))
                """)
            .query(OffsetDateTime.class)
            .optional()
            .map(OffsetDateTime::toInstant)
            .orElse(null);
    String agreement =
        jdbc.sql(
                """
                SELECT kind FROM oracle_alerts WHERE kind IN ('SOURCES_DISAGREE', 'SOURCES_AGREE')
                ORDER BY occurred_at DESC, id DESC LIMIT 1
                """)
            .query(String.class)
            .optional()
            .orElse("SOURCES_AGREE");
    List<String> excluded =
        jdbc.sql(
                """
                SELECT subject FROM (
                    SELECT DISTINCT ON (subject) subject, kind FROM oracle_alerts
                    WHERE kind IN ('SOURCE_EXCLUDED', 'SOURCE_READMITTED')
                    ORDER BY subject, occurred_at DESC, id DESC) latest
                WHERE kind = 'SOURCE_EXCLUDED' ORDER BY subject
                """)
            .query(String.class)
            .list();
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("monitoredAddresses", monitored);
    value.put("lastCycleAt", lastCycle);
    Long age = lastCycle == null ? null : Duration.between(lastCycle, clock.instant()).toSeconds();
    value.put("lastCycleAgeSeconds", age);
    value.put("sourcesAgree", agreement.equals("SOURCES_AGREE"));
    value.put("excludedSources", excluded);
    if (!agreement.equals("SOURCES_AGREE")) {
      return new Measured(
          Status.FAILED, value, "the Bitcoin sources disagree: the oracle does not sync");
    }
    Status status = Status.OK;
    List<String> reasons = new ArrayList<>();
    if (monitored == 0) {
      reasons.add("no Bitcoin address is monitored");
    } else if (lastCycle == null) {
      status = Status.DEGRADED;
      reasons.add(monitored + " monitored address(es) but no oracle cycle seen yet");
    } else {
      status =
          Status.of(
              age,
              properties.oracleCycleDegraded().toSeconds(),
              properties.oracleCycleFailed().toSeconds());
      reasons.add("last oracle cycle " + age + " s ago");
    }
    if (!excluded.isEmpty()) {
      status = status.worse(Status.DEGRADED);
      reasons.add("sources excluded: " + excluded);
    } else {
      reasons.add("sources agree");
    }
    return new Measured(status, value, String.join("; ", reasons));
  }

  // --- pending oracle transactions ---

  private Measured pending() {
    Instant stuckBefore = clock.instant().minus(properties.pendingStuckAfter());
    Map<String, Object> value =
        jdbc.sql(
                """
                SELECT count(*) AS pending,
                       count(*) FILTER (WHERE last_operation_at < :stuckBefore) AS stuck
                FROM sync_status WHERE last_status IN ('PLANNED', 'SUBMITTED', 'SPLIT')
                """)
            .param("stuckBefore", OffsetDateTime.ofInstant(stuckBefore, java.time.ZoneOffset.UTC))
            .query(
                (rs, n) -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("pending", rs.getLong("pending"));
                  v.put("olderThanStuckAfter", rs.getLong("stuck"));
                  return v;
                })
            .single();
    List<String> stuckAtCap =
        jdbc.sql(
                """
                SELECT subject FROM (
                    SELECT DISTINCT ON (subject) subject, kind FROM oracle_alerts
                    WHERE kind IN ('TRANSACTION_STUCK', 'TRANSACTION_UNSTUCK')
                    ORDER BY subject, occurred_at DESC, id DESC) latest
                WHERE kind = 'TRANSACTION_STUCK' ORDER BY subject
                """)
            .query(String.class)
            .list();
    value.put("stuckAtFeeCap", stuckAtCap);
    long old = (Long) value.get("olderThanStuckAfter");
    Status status = old == 0 && stuckAtCap.isEmpty() ? Status.OK : Status.DEGRADED;
    return new Measured(
        status,
        value,
        value.get("pending")
            + " oracle transaction(s) pending, "
            + old
            + " for longer than "
            + properties.pendingStuckAfter()
            + ", "
            + stuckAtCap.size()
            + " stuck at the fee cap");
  }

  // --- backing ratio ---

  private Measured backing() {
    return jdbc.sql(
            """
            SELECT backing_ratio, total_confirmed_sats, synth_total_supply, btc_height, created_at
            FROM proof_of_reserves ORDER BY created_at DESC, id DESC LIMIT 1
            """)
        .query(
            (rs, n) -> {
              Map<String, Object> v = new LinkedHashMap<>();
              String ratio = rs.getString("backing_ratio");
              v.put("backingRatioPercent", ratio);
              v.put("reservesSats", rs.getLong("total_confirmed_sats"));
              v.put("supply", rs.getBigDecimal("synth_total_supply").toBigInteger().toString());
              v.put("btcHeight", rs.getLong("btc_height"));
              v.put("attestedAt", rs.getObject("created_at", OffsetDateTime.class).toInstant());
              if (!ratio.matches("^[0-9]+(\\.[0-9]+)?$")) {
                // "n/a": the supply is zero, nothing needs backing
                return new Measured(
                    Status.OK, v, "latest attestation: no supply to back (" + ratio + ")");
              }
              BigDecimal percent = new BigDecimal(ratio);
              boolean backed = percent.compareTo(FULL_BACKING) >= 0;
              return new Measured(
                  backed ? Status.OK : Status.FAILED,
                  v,
                  "latest attestation: reserves back "
                      + ratio
                      + " % of the supply"
                      + (backed ? "" : " (shortfall)"));
            })
        .optional()
        .orElseGet(
            () ->
                new Measured(
                    Status.DEGRADED, Map.of(), "no proof-of-reserves attestation received yet"));
  }

  // --- users at risk ---

  private Measured atRisk() {
    long atRisk =
        jdbc.sql("SELECT count(*) FROM emergency_risk WHERE at_risk").query(Long.class).single();
    return new Measured(
        atRisk == 0 ? Status.OK : Status.DEGRADED,
        Map.of("usersAtRisk", atRisk),
        atRisk == 0
            ? "no user at risk of an emergency burn"
            : atRisk + " user(s) at risk of an emergency burn (fee vault too low for a sync)");
  }
}
