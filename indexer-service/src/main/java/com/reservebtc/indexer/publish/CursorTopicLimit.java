package com.reservebtc.indexer.publish;

import com.reservebtc.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * What the broker allows for one cursor record ({@code max.message.bytes} of the cursor topic),
 * read at every (re)start of the ingest loop, so the indexer can warn before the cursor outgrows it
 * and name the limit when the broker refuses it. A limit that cannot be read is unknown (-1), never
 * guessed.
 */
@Component
public class CursorTopicLimit {

  private static final Logger log = LoggerFactory.getLogger(CursorTopicLimit.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final KafkaAdmin admin;
  private volatile long maxMessageBytes = -1;
  private boolean warned;

  CursorTopicLimit(KafkaAdmin admin) {
    this.admin = admin;
  }

  /** The cursor topic's max.message.bytes, -1 if unknown. */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  void refresh() {
    ConfigResource topic =
        new ConfigResource(ConfigResource.Type.TOPIC, Topics.INDEXER_CURSOR.name());
    try (Admin client = Admin.create(admin.getConfigurationProperties())) {
      Map<ConfigResource, Config> configs =
          client
              .describeConfigs(List.of(topic))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ConfigEntry entry = configs.get(topic).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      long limit = entry == null ? -1 : Long.parseLong(entry.value());
      if (limit != maxMessageBytes) {
        log.info(
            "Topic {} accepts cursor records of up to {} bytes (max.message.bytes; compressed)",
            Topics.INDEXER_CURSOR.name(),
            limit);
      }
      maxMessageBytes = limit;
      warned = false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug(
          "Cannot read max.message.bytes of {}: {}", Topics.INDEXER_CURSOR.name(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Warns once when an (uncompressed) cursor passes 80 % of the limit. */
  void check(int cursorBytes) {
    long limit = maxMessageBytes;
    if (limit > 0 && cursorBytes > limit * 0.8 && !warned) {
      warned = true;
      log.warn(
          "The cursor record is {} bytes uncompressed, {} % of max.message.bytes of {} ({}):"
              + " raise the topic's max.message.bytes and the producer's max.request.size before"
              + " busier blocks make the broker refuse it",
          cursorBytes, cursorBytes * 100 / limit, Topics.INDEXER_CURSOR.name(), limit);
    }
  }
}
