package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a record that cannot be applied to {@code <topic>.dlt}, with its original bytes and
 * where it came from: headers {@value #ORIGINAL_TOPIC}, {@value #ORIGINAL_PARTITION}, {@value
 * #ORIGINAL_OFFSET}, {@value #ORIGINAL_TIMESTAMP}, {@value #GROUP} (the consumer group that gave
 * up: several services read one topic and share its dead-letter topic), {@value #EXCEPTION} and
 * {@value #MESSAGE} (text). Waits for the acknowledgement: a dead letter that is not stored is a
 * transient failure, and the record is not skipped.
 */
public final class DeadLetters {

  public static final String ORIGINAL_TOPIC = "rbtc-dlt-original-topic";
  public static final String ORIGINAL_PARTITION = "rbtc-dlt-original-partition";
  public static final String ORIGINAL_OFFSET = "rbtc-dlt-original-offset";
  public static final String ORIGINAL_TIMESTAMP = "rbtc-dlt-original-timestamp";
  public static final String GROUP = "rbtc-dlt-group";
  public static final String EXCEPTION = "rbtc-dlt-exception";
  public static final String MESSAGE = "rbtc-dlt-message";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_MESSAGE = 2_000;

  private final Producer<String, byte[]> producer;
  private final String group;
  private final MeterRegistry meters;
  private final long sendTimeoutMillis;

  DeadLetters(
      Producer<String, byte[]> producer,
      String group,
      MeterRegistry meters,
      long sendTimeoutMillis) {
    this.producer = producer;
    this.group = group;
    this.meters = meters;
    this.sendTimeoutMillis = sendTimeoutMillis;
  }

  void publish(
      String topic,
      int partition,
      long offset,
      long timestamp,
      String key,
      byte[] value,
      Throwable cause) {
    String message = String.valueOf(rootMessage(cause));
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(ORIGINAL_TOPIC, bytes(topic));
    headers.add(ORIGINAL_PARTITION, bytes(Integer.toString(partition)));
    headers.add(ORIGINAL_OFFSET, bytes(Long.toString(offset)));
    headers.add(ORIGINAL_TIMESTAMP, bytes(Long.toString(timestamp)));
    headers.add(GROUP, bytes(group));
    headers.add(EXCEPTION, bytes(rootCause(cause).getClass().getName()));
    headers.add(MESSAGE, bytes(message));
    String deadLetterTopic = Topics.deadLetterOf(topic);
    try {
      producer
          .send(new ProducerRecord<>(deadLetterTopic, null, key, value, headers))
          .get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failures.TransientFailure("interrupted while dead-lettering", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new Failures.TransientFailure(
          deadLetterTopic + " did not acknowledge a dead letter; the record is retried", e);
    }
    meters.counter("rbtc.consumer.dead.letters", "topic", topic).increment();
    log.warn(
        "dead-lettered {}-{}@{} (key {}) to {}: {}",
        topic,
        partition,
        offset,
        key,
        deadLetterTopic,
        message);
  }

  static Throwable rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = rootCause(failure);
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
