package com.reservebtc.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of the catalogue as a broker must hold them, for whoever creates topics outside the
 * Kubernetes operator (the local stack, test brokers): every catalogue topic with its partition
 * count, compacted ones with {@code cleanup.policy=compact}, each followed by its dead-letter topic
 * (same partitions, never compacted). Replication is left to the broker's default.
 */
public final class CatalogueTopics {

  private CatalogueTopics() {}

  /** Every topic and dead-letter topic, in catalogue order. */
  public static List<NewTopic> newTopics() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      NewTopic main = new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty());
      if (topic.compacted()) {
        main.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(main);
      topics.add(
          new NewTopic(
              Topics.deadLetterOf(topic.name()),
              Optional.of(topic.partitions()),
              Optional.empty()));
    }
    return topics;
  }
}
