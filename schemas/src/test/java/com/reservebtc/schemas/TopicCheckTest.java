package com.reservebtc.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.schemas.TopicCheck.Expected;
import com.reservebtc.schemas.TopicCheck.Minimums;
import com.reservebtc.schemas.TopicCheck.Observed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCheckTest {

  private static final Minimums PRODUCTION = Minimums.PRODUCTION;

  /** Every topic the service needs, exactly as a production deployment creates them. */
  private static Map<String, Observed> healthy(Service service) {
    Map<String, Observed> observed = new HashMap<>();
    for (Expected e : TopicCheck.expectedFor(service)) {
      observed.put(
          e.name(), new Observed(e.partitions(), 3, e.compacted() ? "compact" : "delete", 2));
    }
    return observed;
  }

  @Test
  void theIndexerNeedsItsChainTopicsAndItsCompactedCursorButNoDeadLetters() {
    List<Expected> expected = TopicCheck.expectedFor(Service.INDEXER);

    assertThat(expected)
        .extracting(Expected::name)
        .contains(
            Topics.CHAIN_SYNCED.name(),
            Topics.CHAIN_BLOCKS.name(),
            Topics.CHAIN_QUARANTINE.name(),
            Topics.INDEXER_CURSOR.name())
        .noneMatch(name -> name.endsWith(".dlt"));
    assertThat(expected)
        .filteredOn(Expected::compacted)
        .extracting(Expected::name)
        .containsExactly(Topics.INDEXER_CURSOR.name());
  }

  @Test
  void aConsumerAlsoNeedsTheDeadLetterTopicOfEveryTopicItReads() {
    List<Expected> expected = TopicCheck.expectedFor(Service.GATEWAY);

    assertThat(expected)
        .filteredOn(Expected::deadLetter)
        .extracting(Expected::name)
        .contains(Topics.CHAIN_SYNCED.deadLetter(), Topics.CHAIN_QUARANTINE.deadLetter());
  }

  @Test
  void aDeploymentAsTheCatalogueSaysPasses() {
    assertThat(
            TopicCheck.violations(
                TopicCheck.expectedFor(Service.INDEXER), healthy(Service.INDEXER), PRODUCTION))
        .isEmpty();
  }

  @Test
  void listsEveryViolationWithItsTopicAndWhatToDo() {
    Map<String, Observed> observed = healthy(Service.INDEXER);
    observed.remove(Topics.CHAIN_QUARANTINE.name());
    observed.put(Topics.INDEXER_CURSOR.name(), new Observed(1, 3, "delete", 2));
    observed.put(Topics.CHAIN_SYNCED.name(), new Observed(3, 3, "delete", 2));
    observed.put(Topics.CHAIN_FEE_VAULT.name(), new Observed(6, 1, "compact", 1));

    List<String> violations =
        TopicCheck.violations(TopicCheck.expectedFor(Service.INDEXER), observed, PRODUCTION);

    assertThat(violations)
        .anySatisfy(
            v -> assertThat(v).startsWith(Topics.CHAIN_QUARANTINE.name() + ": missing; create it"))
        .anySatisfy(
            v ->
                assertThat(v)
                    .startsWith(Topics.INDEXER_CURSOR.name())
                    .contains("must be exactly 'compact'"))
        .anySatisfy(
            v ->
                assertThat(v)
                    .startsWith(Topics.CHAIN_SYNCED.name())
                    .contains("has 3 partitions, the catalogue needs 6"))
        .anySatisfy(
            v ->
                assertThat(v)
                    .startsWith(Topics.CHAIN_FEE_VAULT.name())
                    .contains("must not compact"))
        .anySatisfy(
            v ->
                assertThat(v)
                    .startsWith(Topics.CHAIN_FEE_VAULT.name())
                    .contains("replication factor 1 is below 3"))
        .anySatisfy(
            v ->
                assertThat(v)
                    .startsWith(Topics.CHAIN_FEE_VAULT.name())
                    .contains("min.insync.replicas 1 is below 2"));
    assertThat(violations).hasSize(6);
  }

  @Test
  void compactAndDeleteIsNotCompactedEnoughForTheCursor() {
    Map<String, Observed> observed = healthy(Service.INDEXER);
    observed.put(Topics.INDEXER_CURSOR.name(), new Observed(1, 3, "compact,delete", 2));

    assertThat(TopicCheck.violations(TopicCheck.expectedFor(Service.INDEXER), observed, PRODUCTION))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("'compact,delete'"));
  }

  @Test
  void theLocalSingleBrokerStackPassesWithRelaxedMinimumsOnly() {
    Map<String, Observed> singleBroker = new HashMap<>();
    for (Expected e : TopicCheck.expectedFor(Service.INDEXER)) {
      singleBroker.put(
          e.name(), new Observed(e.partitions(), 1, e.compacted() ? "compact" : "delete", 1));
    }
    List<Expected> expected = TopicCheck.expectedFor(Service.INDEXER);

    assertThat(TopicCheck.violations(expected, singleBroker, new Minimums(1, 1))).isEmpty();
    assertThat(TopicCheck.violations(expected, singleBroker, PRODUCTION))
        .hasSize(2 * expected.size());
  }

  @Test
  void moreInSyncReplicasThanReplicasIsAViolationWhateverTheMinimums() {
    Map<String, Observed> observed = healthy(Service.INDEXER);
    observed.put(Topics.CHAIN_BLOCKS.name(), new Observed(1, 1, "delete", 2));

    assertThat(
            TopicCheck.violations(
                TopicCheck.expectedFor(Service.INDEXER), observed, new Minimums(1, 1)))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("exceeds its replication factor 1"));
  }

  @Test
  void aDeadLetterTopicMayHaveMorePartitionsButNotFewer() {
    Map<String, Observed> observed = healthy(Service.GATEWAY);
    observed.put(Topics.CHAIN_SYNCED.deadLetter(), new Observed(12, 3, "delete", 2));
    List<Expected> expected = TopicCheck.expectedFor(Service.GATEWAY);
    assertThat(TopicCheck.violations(expected, observed, PRODUCTION)).isEmpty();

    observed.put(Topics.CHAIN_SYNCED.deadLetter(), new Observed(2, 3, "delete", 2));
    assertThat(TopicCheck.violations(expected, observed, PRODUCTION))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("needs at least 6"));
  }

  @Test
  void theMessageNamesTheServiceEveryProblemAndTheLocalRelaxation() {
    TopicCheckException e =
        new TopicCheckException(
            TopicCheck.message("indexer-service", List.of("a: missing", "b: wrong")),
            List.of("a: missing", "b: wrong"));

    assertThat(e.getMessage())
        .startsWith("Kafka topics needed by indexer-service")
        .contains("2 problems:\n  - a: missing\n  - b: wrong")
        .contains("rbtc.kafka.min-replication=1");
    assertThat(e.violations()).hasSize(2);
  }

  @Test
  void minimumsBelowOneAreRefused() {
    assertThatThrownBy(() -> new Minimums(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
