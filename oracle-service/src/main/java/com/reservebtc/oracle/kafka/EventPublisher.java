package com.reservebtc.oracle.kafka;

import com.reservebtc.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes the oracle's records to their catalogue topics and waits for the broker's
 * acknowledgement.
 *
 * <p>Guarantees: a method returns only after every record was acknowledged ({@code acks=all},
 * idempotent producer); otherwise it throws {@link PublishException}. Does not retry beyond the
 * producer's own retries: callers keep what they could not publish and publish it again later.
 */
@Component
public class EventPublisher {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

  private final KafkaTemplate<String, SpecificRecord> kafka;

  EventPublisher(KafkaTemplate<String, SpecificRecord> kafka) {
    this.kafka = kafka;
  }

  public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value) {
    publishAll(topic, List.of(Map.entry(key, value)));
  }

  /** Sends all records, then waits for all acknowledgements. */
  public <V extends SpecificRecord> void publishAll(
      Topic<V> topic, List<Map.Entry<String, V>> records) {
    List<CompletableFuture<SendResult<String, SpecificRecord>>> acks =
        new ArrayList<>(records.size());
    try {
      for (Map.Entry<String, V> record : records) {
        acks.add(kafka.send(topic.name(), record.getKey(), record.getValue()));
      }
    } catch (KafkaException e) {
      // The producer refused before returning a future: e.g. no metadata of the topic within
      // max.block.ms (a broker away or slow to answer).
      throw new PublishException(
          "publishing to " + topic.name() + " failed: " + e.getMostSpecificCause().getMessage(), e);
    }
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PublishException(
          "publishing to " + topic.name() + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException(
          "publishing to " + topic.name() + " was not acknowledged within " + ACK_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing to " + topic.name(), e);
    }
  }

  /** A record was not acknowledged by the broker. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
