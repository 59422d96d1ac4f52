package com.reservebtc.chainconsumer.testing;

import com.reservebtc.schemas.CatalogueTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Creates the catalogue's topics on a test broker and waits until every partition has a leader, so
 * a producer that starts right after does not meet partitions that are not writable yet.
 */
public final class CatalogueTopicsReady {

  private CatalogueTopicsReady() {}

  public static void create(Admin admin, Duration timeout) {
    create(admin, CatalogueTopics.newTopics(), timeout);
  }

  /**
   * Creates {@code topics} (e.g. the catalogue's with some changed) and waits for their leaders.
   */
  public static void create(Admin admin, List<NewTopic> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<String> names = topics.stream().map(NewTopic::name).toList();
      while (true) {
        boolean ready = true;
        for (TopicDescription topic :
            admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
          ready &= topic.partitions().stream().allMatch(p -> p.leader() != null);
        }
        if (ready) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("catalogue topics have no leaders after " + timeout);
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create the catalogue topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
