package com.reservebtc.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at a service's start that the broker's topics are what the catalogue needs, so a service
 * never runs against a cursor topic that retention would erase (not compacted), a user topic that
 * compaction would thin out, a partition count that breaks per-key order, or replication that loses
 * acknowledged records when one broker dies.
 *
 * <p>For a service it checks every catalogue topic it writes or reads ({@link
 * Topics#usedBy(Service)}) and the dead-letter topic of every topic it reads but does not write:
 * each must exist; a catalogue topic with exactly the catalogue's partition count, a dead-letter
 * topic with at least as many partitions as its source; {@code cleanup.policy} exactly {@code
 * compact} for compacted catalogue topics and without {@code compact} for all others; a replication
 * factor and an effective {@code min.insync.replicas} of at least the given {@link Minimums}, and
 * {@code min.insync.replicas} not above the replication factor (acks=all writes would all fail).
 *
 * <p>{@link #verify} throws one {@link TopicCheckException} that lists every violation with what to
 * do. It reads only (describe topics and configs); it never creates or changes a topic. Stateless
 * and thread-safe.
 */
public final class TopicCheck {

  private TopicCheck() {}

  /**
   * The least replication a deployment may run with. Production: 3 replicas, 2 in sync; the local
   * single-broker stack passes 1 / 1.
   *
   * @param replicationFactor least replicas per partition
   * @param minInsyncReplicas least effective {@code min.insync.replicas} of each topic
   */
  public record Minimums(int replicationFactor, int minInsyncReplicas) {

    /** Three replicas, two of them in sync for a write to be acknowledged. */
    public static final Minimums PRODUCTION = new Minimums(3, 2);

    public Minimums {
      if (replicationFactor < 1 || minInsyncReplicas < 1) {
        throw new IllegalArgumentException(
            "minimum replication and in-sync replicas must be >= 1, were "
                + replicationFactor
                + " / "
                + minInsyncReplicas);
      }
    }
  }

  /**
   * One topic a service needs.
   *
   * @param name the topic name
   * @param partitions the catalogue's partition count
   * @param compacted whether {@code cleanup.policy} must be exactly {@code compact}
   * @param deadLetter a dead-letter topic: at least {@code partitions} partitions are enough
   */
  public record Expected(String name, int partitions, boolean compacted, boolean deadLetter) {

    public Expected {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * What the broker reports for one topic.
   *
   * @param cleanupPolicy the effective {@code cleanup.policy}, e.g. {@code delete} or {@code
   *     compact,delete}
   * @param minInsyncReplicas the effective {@code min.insync.replicas}
   * @param replicationFactor the smallest replica count of its partitions
   */
  public record Observed(
      int partitions, int replicationFactor, String cleanupPolicy, int minInsyncReplicas) {}

  /** The topics {@code service} needs: its catalogue topics, then the dead letters it writes. */
  public static List<Expected> expectedFor(Service service) {
    List<Expected> expected = new ArrayList<>();
    for (Topic<?> topic : Topics.usedBy(service)) {
      expected.add(new Expected(topic.name(), topic.partitions(), topic.compacted(), false));
    }
    for (Topic<?> topic : Topics.usedBy(service)) {
      if (topic.readBy(service) && topic.writer() != service) {
        expected.add(new Expected(topic.deadLetter(), topic.partitions(), false, true));
      }
    }
    return List.copyOf(expected);
  }

  /**
   * Reads the topics {@code service} needs from the broker and checks them.
   *
   * @throws TopicCheckException listing every violation, if there is any
   * @throws IllegalStateException if the broker cannot be asked within {@code timeout}
   */
  public static void verify(Admin admin, Service service, Minimums minimums, Duration timeout) {
    verify(admin, service.id(), expectedFor(service), minimums, timeout);
  }

  /**
   * Reads {@code expected} from the broker and checks them.
   *
   * @param who names the service in the message
   * @throws TopicCheckException listing every violation, if there is any
   */
  public static void verify(
      Admin admin, String who, Collection<Expected> expected, Minimums minimums, Duration timeout) {
    List<String> violations = violations(expected, describe(admin, expected, timeout), minimums);
    if (!violations.isEmpty()) {
      throw new TopicCheckException(message(who, violations), violations);
    }
  }

  /**
   * The violations of {@code observed} (absent topics are missing) against {@code expected}, each
   * one line naming the topic, what is wrong and what to do; empty when all is well.
   */
  public static List<String> violations(
      Collection<Expected> expected, Map<String, Observed> observed, Minimums minimums) {
    List<String> violations = new ArrayList<>();
    for (Expected topic : expected) {
      Observed seen = observed.get(topic.name());
      String policy = topic.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : "delete";
      if (seen == null) {
        violations.add(
            topic.name()
                + ": missing; create it with "
                + topic.partitions()
                + " partitions, cleanup.policy="
                + policy
                + ", replication factor >= "
                + minimums.replicationFactor()
                + " and min.insync.replicas >= "
                + minimums.minInsyncReplicas());
        continue;
      }
      if (topic.deadLetter()
          ? seen.partitions() < topic.partitions()
          : seen.partitions() != topic.partitions()) {
        violations.add(
            topic.name()
                + ": has "
                + seen.partitions()
                + " partitions, the catalogue needs "
                + (topic.deadLetter() ? "at least " : "")
                + topic.partitions()
                + (seen.partitions() < topic.partitions()
                    ? "; add partitions (kafka-topics --alter --partitions "
                        + topic.partitions()
                        + ") before any record is written, or re-create it"
                    : "; re-create it (per-key order depends on the partition count)"));
      }
      List<String> policies = policies(seen.cleanupPolicy());
      if (topic.compacted() && !policies.equals(List.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
        violations.add(
            topic.name()
                + ": cleanup.policy is '"
                + seen.cleanupPolicy()
                + "', must be exactly 'compact' (otherwise retention deletes the latest value and"
                + " the service silently starts over); set cleanup.policy=compact");
      } else if (!topic.compacted() && policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        violations.add(
            topic.name()
                + ": cleanup.policy is '"
                + seen.cleanupPolicy()
                + "', must not compact (compaction keeps one record per key and drops events);"
                + " set cleanup.policy=delete");
      }
      if (seen.replicationFactor() < minimums.replicationFactor()) {
        violations.add(
            topic.name()
                + ": replication factor "
                + seen.replicationFactor()
                + " is below "
                + minimums.replicationFactor()
                + "; reassign its partitions to more brokers");
      }
      if (seen.minInsyncReplicas() < minimums.minInsyncReplicas()) {
        violations.add(
            topic.name()
                + ": min.insync.replicas "
                + seen.minInsyncReplicas()
                + " is below "
                + minimums.minInsyncReplicas()
                + "; set min.insync.replicas="
                + minimums.minInsyncReplicas());
      }
      if (seen.minInsyncReplicas() > seen.replicationFactor()) {
        violations.add(
            topic.name()
                + ": min.insync.replicas "
                + seen.minInsyncReplicas()
                + " exceeds its replication factor "
                + seen.replicationFactor()
                + ", so every acks=all write fails; lower it or add replicas");
      }
    }
    return List.copyOf(violations);
  }

  static String message(String who, List<String> violations) {
    StringBuilder text =
        new StringBuilder("Kafka topics needed by ")
            .append(who)
            .append(" are not as the catalogue (com.reservebtc.schemas.Topics) requires; refusing")
            .append(" to start. ")
            .append(violations.size())
            .append(violations.size() == 1 ? " problem:" : " problems:");
    for (String violation : violations) {
      text.append("\n  - ").append(violation);
    }
    text.append(
        "\nA local single-broker stack may relax the replication minimums with"
            + " rbtc.kafka.min-replication=1 and rbtc.kafka.min-insync-replicas=1"
            + " (RBTC_KAFKA_MIN_REPLICATION, RBTC_KAFKA_MIN_INSYNC_REPLICAS).");
    return text.toString();
  }

  private static List<String> policies(String value) {
    if (value == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        all.add(part.strip());
      }
    }
    all.sort(null);
    return all;
  }

  private static Map<String, Observed> describe(
      Admin admin, Collection<Expected> expected, Duration timeout) {
    List<String> names = expected.stream().map(Expected::name).distinct().toList();
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin.describeTopics(names).topicNameValues();
    Map<String, TopicDescription> found = new HashMap<>();
    for (String name : names) {
      try {
        found.put(name, await(futures.get(name), timeout));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException(
              "cannot describe Kafka topic " + name + ": " + e.getCause(), e);
        }
      }
    }
    List<ConfigResource> resources =
        found.keySet().stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs =
          resources.isEmpty() ? Map.of() : await(admin.describeConfigs(resources).all(), timeout);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read Kafka topic configurations: " + e.getCause(), e);
    }
    Map<String, Observed> observed = new HashMap<>();
    found.forEach(
        (name, description) -> {
          Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
          int replication =
              description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
          observed.put(
              name,
              new Observed(
                  description.partitions().size(),
                  replication,
                  value(config, TopicConfig.CLEANUP_POLICY_CONFIG),
                  Integer.parseInt(
                      Objects.requireNonNullElse(
                          value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), "1"))));
        });
    return observed;
  }

  private static String value(Config config, String key) {
    ConfigEntry entry = config == null ? null : config.get(key);
    return entry == null ? null : entry.value();
  }

  private static <T> T await(KafkaFuture<T> future, Duration timeout) throws ExecutionException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the Kafka broker did not describe the topics within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka topics", e);
    }
  }
}
