package com.reservebtc.devstack;

import com.reservebtc.schemas.CatalogueTopics;
import com.reservebtc.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates every topic of the catalogue ({@link Topics#all()}) and each one's dead-letter topic.
 *
 * <p>Guarantees: after {@link #ensure} every catalogue topic exists; compacted catalogue topics are
 * created with {@code cleanup.policy=compact}, every topic with the catalogue's partition count.
 * Topics that already exist are left exactly as they are (their partition count and configuration
 * are not checked or changed).
 */
final class KafkaTopics {

  private KafkaTopics() {}

  /** The topics the stack needs, in catalogue order, each followed by its dead-letter topic. */
  static List<NewTopic> catalogue() {
    return CatalogueTopics.newTopics();
  }

  /**
   * Creates the missing catalogue topics.
   *
   * @return how many topics were created (0 when all existed)
   */
  static int ensure(String bootstrapServers, Duration timeout) {
    try (Admin admin = KafkaBrokerProcess.admin(bootstrapServers)) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          catalogue().stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      return missing.size();
    } catch (ExecutionException | TimeoutException e) {
      throw new DevStackException(
          "could not create the Kafka topics on "
              + bootstrapServers
              + ": "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while creating Kafka topics", e);
    }
  }
}
