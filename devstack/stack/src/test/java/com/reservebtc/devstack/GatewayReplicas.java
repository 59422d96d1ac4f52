package com.reservebtc.devstack;

import com.reservebtc.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.web3j.crypto.Keys;

/**
 * Which of the two gateway replicas ({@code api-gateway}, {@code api-gateway-2}) consumes each
 * partition of the fee-vault topic, from the consumer group's assignment (the launcher gives each
 * replica its name as Kafka client id), and users whose partition a given replica consumes.
 */
final class GatewayReplicas {

  static final List<String> NAMES =
      List.of(ServiceSpec.API_GATEWAY.name(), ServiceSpec.API_GATEWAY_2.name());

  private static final String GROUP = "api-gateway";
  private static final String TOPIC = Topics.CHAIN_FEE_VAULT.name();

  private final String bootstrap;
  private final Map<Integer, String> owners;

  private GatewayReplicas(String bootstrap, Map<Integer, String> owners) {
    this.bootstrap = bootstrap;
    this.owners = owners;
  }

  /** Waits (up to 2 min) until both replicas hold fee-vault partitions and all are assigned. */
  static GatewayReplicas awaitBoth(String bootstrap) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Map<Integer, String> owners = Map.of();
    while (System.nanoTime() < deadline) {
      owners = assignment(bootstrap);
      if (owners.size() == Topics.CHAIN_FEE_VAULT.partitions()
          && new HashSet<>(owners.values()).containsAll(NAMES)) {
        return new GatewayReplicas(bootstrap, owners);
      }
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
    throw new IllegalStateException(
        "the two gateway replicas did not share the fee-vault partitions within 2 min: " + owners);
  }

  static String other(String replica) {
    return NAMES.get(0).equals(replica) ? NAMES.get(1) : NAMES.get(0);
  }

  /** A fresh user address whose fee-vault records {@code replica} projects. */
  String userProjectedBy(String replica) throws Exception {
    while (true) {
      String user = "0x" + Keys.getAddress(Keys.createEcKeyPair()).toLowerCase(Locale.ROOT);
      if (replica.equals(owners.get(partition(user)))) {
        return user;
      }
    }
  }

  String describe() {
    Map<String, List<Integer>> byReplica = new TreeMap<>();
    owners.forEach((p, r) -> byReplica.computeIfAbsent(r, k -> new ArrayList<>()).add(p));
    return byReplica.toString();
  }

  void checkUnchanged() throws Exception {
    Map<Integer, String> now = assignment(bootstrap);
    if (!now.equals(owners)) {
      throw new IllegalStateException(
          "the fee-vault partitions moved between replicas during the run: "
              + owners
              + " → "
              + now);
    }
  }

  /** Every deposit of {@code users} is on the partition the choice of replica assumed. */
  void checkPublishedPartitions(List<String> users) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> wanted = new HashSet<>(users);
    int seen = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.CHAIN_FEE_VAULT.partitions(); p++) {
        partitions.add(new TopicPartition(TOPIC, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + TOPIC + " to its end");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (wanted.contains(record.key())) {
            seen++;
            if (record.partition() != partition(record.key())) {
              throw new IllegalStateException(
                  record.key() + " was published to partition " + record.partition());
            }
          }
        }
      }
    }
    if (seen == 0) {
      throw new IllegalStateException("no deposit of the benchmark's users found on " + TOPIC);
    }
  }

  /** The producer's default partition of a user's records. */
  private static int partition(String user) {
    byte[] key = com.reservebtc.schemas.Keys.user(user).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % Topics.CHAIN_FEE_VAULT.partitions();
  }

  private static Map<Integer, String> assignment(String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<Integer, String> owners = new TreeMap<>();
    try (Admin admin = Admin.create(props)) {
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP).get();
      if (group.groupState() != GroupState.STABLE) {
        return Map.of();
      }
      for (MemberDescription member : group.members()) {
        // client ids are "<replica name>-<listener thread>"
        String replica = member.clientId().replaceFirst("-\\d+$", "");
        for (TopicPartition tp : member.assignment().topicPartitions()) {
          if (tp.topic().equals(TOPIC)) {
            owners.put(tp.partition(), replica);
          }
        }
      }
    }
    return owners;
  }
}
