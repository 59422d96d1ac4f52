package com.reservebtc.deploy;

import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.TopicCheck;
import com.reservebtc.schemas.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kafka topics of a deployment and what each service may do on the cluster, derived from the
 * topic catalogue ({@link Topics}) and rendered as Strimzi {@code KafkaTopic} and {@code KafkaUser}
 * resources.
 *
 * <p>Guarantees: every catalogue topic and its dead-letter topic get a {@code KafkaTopic} with the
 * catalogue's partition count; a service may write only the topics it is the writer of, read only
 * the topics it is a reader of, and read and write the dead-letter topics of those it reads (its
 * error handler publishes there and an operator replay reads them back). The only grants beyond the
 * catalogue are the indexer's transactional ids and its check of the cursor topic's size limit
 * ({@link #extraGrants}). Says nothing about the broker's own settings (see {@code
 * deploy/base/kafka/kafka.yaml}).
 */
public final class KafkaAccess {

  /** Name of the Strimzi {@code Kafka} resource the topics and users belong to. */
  public static final String CLUSTER = "kafka";

  /** Copies of every partition: one broker may be lost (or drained) without losing a write. */
  public static final int REPLICAS = 3;

  /** With acks=all, a write survives the loss of any one replica. */
  public static final int MIN_IN_SYNC_REPLICAS = 2;

  /**
   * Start of every transactional id of the indexer ({@code rbtc-indexer-<chainId>-<n>}, from its
   * {@code spring.kafka.producer.transaction-id-prefix}); granted as a prefix so one set of ACLs
   * serves any chain.
   */
  public static final String INDEXER_TRANSACTIONAL_ID_PREFIX = "rbtc-indexer-";

  private static final String HEADER =
      """
      # Generated from the topic catalogue (com.reservebtc.schemas.Topics) by
      # com.reservebtc.deploy.KafkaAccess. Do not edit: KafkaAccessTest fails when this file differs
      # from what the catalogue gives, and writes the expected file under deploy/target/kafka-access/.
      """;

  private KafkaAccess() {}

  /**
   * One {@code KafkaTopic}.
   *
   * @param name the topic name (also the resource name)
   * @param partitions partitions, from the catalogue
   * @param config topic-level broker settings, sorted by key
   */
  public record TopicSpec(String name, int partitions, SortedMap<String, Object> config) {}

  /**
   * What an ACL applies to, as Strimzi spells it.
   *
   * @param type {@code topic}, {@code group} or {@code transactionalId}
   * @param name the resource name or name prefix
   * @param patternType {@code literal} or {@code prefix}
   */
  public record Resource(String type, String name, String patternType)
      implements Comparable<Resource> {

    private static final List<String> TYPE_ORDER = List.of("topic", "group", "transactionalId");
    private static final Comparator<Resource> ORDER =
        Comparator.comparingInt((Resource r) -> TYPE_ORDER.indexOf(r.type()))
            .thenComparing(Resource::name)
            .thenComparing(Resource::patternType);

    static Resource topic(String name) {
      return new Resource("topic", name, "literal");
    }

    static Resource group(String name) {
      return new Resource("group", name, "literal");
    }

    static Resource transactionalIdPrefix(String prefix) {
      return new Resource("transactionalId", prefix, "prefix");
    }

    @Override
    public int compareTo(Resource other) {
      return ORDER.compare(this, other);
    }
  }

  /** Every topic of the deployment in catalogue order, each followed by its dead-letter topic. */
  public static List<TopicSpec> topics() {
    List<TopicSpec> topics = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      SortedMap<String, Object> config = new TreeMap<>();
      config.put("min.insync.replicas", MIN_IN_SYNC_REPLICAS);
      if (topic.compacted()) {
        config.put("cleanup.policy", "compact");
      } else {
        // Consumers build their state from the whole history (a new consumer group starts at the
        // earliest offset), so records are never deleted by age.
        config.put("retention.ms", -1);
      }
      topics.add(new TopicSpec(topic.name(), topic.partitions(), config));

      // A dead letter stays until an operator has dealt with it; same partitions as the topic,
      // because the dead-letter publisher keeps a record's partition.
      SortedMap<String, Object> deadLetterConfig = new TreeMap<>();
      deadLetterConfig.put("min.insync.replicas", MIN_IN_SYNC_REPLICAS);
      deadLetterConfig.put("retention.ms", -1);
      topics.add(new TopicSpec(topic.deadLetter(), topic.partitions(), deadLetterConfig));
    }
    return topics;
  }

  /** The ACLs of each service's {@code KafkaUser}: resource to allowed operations, sorted. */
  public static Map<Service, SortedMap<Resource, SortedSet<String>>> acls() {
    Map<Service, SortedMap<Resource, SortedSet<String>>> acls = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      acls.put(service, new TreeMap<>());
    }
    for (Topic<?> topic : Topics.all()) {
      grant(acls, topic.writer(), Resource.topic(topic.name()), "Write", "Describe");
      for (Service reader : topic.readers()) {
        grant(acls, reader, Resource.topic(topic.name()), "Read", "Describe");
        grant(acls, reader, Resource.topic(topic.deadLetter()), "Read", "Write", "Describe");
        grant(acls, reader, Resource.group(reader.id()), "Read");
      }
    }
    extraGrants(acls);
    return acls;
  }

  /**
   * What a service needs beyond the catalogue's topics. Idempotent producers need nothing more:
   * since Kafka 3.0 Write on a topic implies IdempotentWrite.
   */
  private static void extraGrants(Map<Service, SortedMap<Resource, SortedSet<String>>> acls) {
    // The indexer publishes in transactions (events and cursor atomically).
    grant(
        acls,
        Service.INDEXER,
        Resource.transactionalIdPrefix(INDEXER_TRANSACTIONAL_ID_PREFIX),
        "Write",
        "Describe");
    // The gateway's operators' health report (GET /api/ops/health) measures every consumer
    // group's lag and the records on every dead-letter topic: it describes the groups and the
    // topics (committed and end offsets) and reads or writes nothing more of them.
    for (Topic<?> topic : Topics.all()) {
      grant(acls, Service.GATEWAY, Resource.topic(topic.name()), "Describe");
      grant(acls, Service.GATEWAY, Resource.topic(topic.deadLetter()), "Describe");
      for (Service reader : topic.readers()) {
        grant(acls, Service.GATEWAY, Resource.group(reader.id()), "Describe");
      }
    }
    // Every service checks the topics it uses before it starts (TopicCheck: partitions, cleanup
    // policy, replication, min.insync.replicas), which reads their configs.
    for (Service service : Service.values()) {
      for (TopicCheck.Expected expected : TopicCheck.expectedFor(service)) {
        grant(acls, service, Resource.topic(expected.name()), "DescribeConfigs");
      }
    }
  }

  private static void grant(
      Map<Service, SortedMap<Resource, SortedSet<String>>> acls,
      Service service,
      Resource resource,
      String... operations) {
    acls.get(service).computeIfAbsent(resource, r -> new TreeSet<>()).addAll(List.of(operations));
  }

  /** The {@code KafkaTopic} resources, one YAML document each. */
  public static String topicsYaml() {
    StringBuilder out = new StringBuilder(HEADER);
    for (TopicSpec topic : topics()) {
      resourceHeader(out, "KafkaTopic", topic.name());
      out.append("  partitions: ")
          .append(topic.partitions())
          .append('\n')
          .append("  replicas: ")
          .append(REPLICAS)
          .append('\n')
          .append("  config:\n");
      topic
          .config()
          .forEach(
              (key, value) ->
                  out.append("    ").append(key).append(": ").append(value).append('\n'));
    }
    return out.toString();
  }

  /** The {@code KafkaUser} resources (SCRAM-SHA-512, simple authorization), one per service. */
  public static String usersYaml() {
    StringBuilder out = new StringBuilder(HEADER);
    for (Map.Entry<Service, SortedMap<Resource, SortedSet<String>>> user : acls().entrySet()) {
      resourceHeader(out, "KafkaUser", user.getKey().id());
      out.append("  authentication:\n")
          .append("    type: scram-sha-512\n")
          .append("  authorization:\n")
          .append("    type: simple\n")
          .append("    acls:\n");
      for (Map.Entry<Resource, SortedSet<String>> acl : user.getValue().entrySet()) {
        Resource resource = acl.getKey();
        out.append("      - resource: {type: ")
            .append(resource.type())
            .append(", name: ")
            .append(resource.name())
            .append(", patternType: ")
            .append(resource.patternType())
            .append("}\n")
            .append("        operations: [")
            .append(String.join(", ", acl.getValue()))
            .append("]\n")
            .append("        host: \"*\"\n");
      }
    }
    return out.toString();
  }

  /** A Strimzi resource of the cluster {@link #CLUSTER}, up to its {@code spec:} line. */
  private static void resourceHeader(StringBuilder out, String kind, String name) {
    out.append("---\n")
        .append("apiVersion: kafka.strimzi.io/v1\n")
        .append("kind: ")
        .append(kind)
        .append('\n')
        .append("metadata:\n")
        .append("  name: ")
        .append(name)
        .append('\n')
        .append("  labels:\n")
        .append("    strimzi.io/cluster: ")
        .append(CLUSTER)
        .append('\n')
        .append("spec:\n");
  }
}
