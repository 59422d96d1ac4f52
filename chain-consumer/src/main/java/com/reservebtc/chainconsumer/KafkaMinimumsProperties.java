package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.TopicCheck;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the service's Kafka topics must offer before it consumes them ({@code rbtc.kafka.*}, the
 * same settings every service reads): see {@link TopicCheck}.
 *
 * @param minReplication least replication factor of every topic the service uses
 * @param minInsyncReplicas least effective {@code min.insync.replicas} of each of them
 * @param checkTimeout how long the broker may take to describe the topics
 */
@ConfigurationProperties("rbtc.kafka")
public record KafkaMinimumsProperties(
    @DefaultValue("3") int minReplication,
    @DefaultValue("2") int minInsyncReplicas,
    @DefaultValue("30s") Duration checkTimeout) {

  TopicCheck.Minimums minimums() {
    return new TopicCheck.Minimums(minReplication, minInsyncReplicas);
  }
}
