package com.reservebtc.devstack.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every dead-letter topic ({@code <topic>.dlt}) must be empty: nothing good is ever dead-lettered
 * (SPEC §4). Each record found is one mismatch, with the failure its headers name.
 */
final class DeadLetterCheck implements ReadModelCheck {

  private static final int SHOWN_PER_TOPIC = 5;

  @Override
  public String readModel() {
    return "dead-letter topics";
  }

  @Override
  public List<Mismatch> check(Verification v) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, v.kafkaBootstrap());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Mismatch> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(30));
      for (String topic :
          topics.keySet().stream().filter(t -> t.endsWith(".dlt")).sorted().toList()) {
        List<TopicPartition> partitions =
            topics.get(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> begin =
            consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
        if (partitions.stream().allMatch(p -> end.get(p).equals(begin.get(p)))) {
          continue;
        }
        int count = 0;
        List<String> shown = new ArrayList<>();
        Map<TopicPartition, Long> remaining = new HashMap<>(end);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < remaining.get(p))
            && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            count++;
            if (shown.size() < SHOWN_PER_TOPIC) {
              shown.add(describe(record));
            }
          }
        }
        if (count > 0) {
          out.add(
              new Mismatch(
                  readModel(),
                  topic,
                  "0 records",
                  count + " records, e.g. " + String.join("; ", shown)));
        }
      }
    }
    return out;
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
    String headers =
        StreamSupport.stream(record.headers().spliterator(), false)
            .filter(
                h -> h.key().contains("exception-message") || h.key().contains("original-topic"))
            .map(DeadLetterCheck::header)
            .collect(Collectors.joining(", "));
    return "key " + key + " [" + headers + "]";
  }

  private static String header(Header h) {
    String value = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    return h.key() + "=" + (value.length() > 200 ? value.substring(0, 200) + "…" : value);
  }
}
