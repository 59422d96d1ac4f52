package com.reservebtc.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueTest {

  @Test
  void topicNamesAndValueTypesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<Class<?>> types = new HashSet<>();
    for (Topic<?> topic : Topics.all()) {
      assertThat(names.add(topic.name())).as(topic.name()).isTrue();
      assertThat(types.add(topic.valueType())).as(topic.name()).isTrue();
      assertThat(topic.name()).matches("rbtc\\.[a-z]+\\.[a-z-]+\\.v\\d+");
    }
  }

  @Test
  void everyTopicHasOneWriterAndIsReadBySomeService() {
    for (Topic<?> topic : Topics.all()) {
      assertThat(topic.readers()).as(topic.name()).isNotEmpty();
      assertThat(topic.partitions()).as(topic.name()).isPositive();
    }
    assertThat(Topics.INDEXER_CURSOR.readers()).containsExactly(Service.INDEXER);
    assertThat(Topics.CHAIN_SYNCED.writer()).isEqualTo(Service.INDEXER);
    assertThat(Topics.CHAIN_SYNCED.readBy(Service.GATEWAY)).isTrue();
    assertThat(Topics.CHAIN_SYNCED.readBy(Service.ORACLE)).isFalse();
  }

  @Test
  void topicsKeyedByOneValueHaveOnePartition() {
    for (Topic<?> topic : Topics.all()) {
      if (topic.keyKind() != Topic.KeyKind.USER) {
        assertThat(topic.partitions()).as(topic.name()).isEqualTo(1);
      }
    }
  }

  @Test
  void servicesAreFoundByTheirId() {
    assertThat(Service.byId("api-gateway")).isEqualTo(Service.GATEWAY);
    assertThatThrownBy(() -> Service.byId("gateway")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadLetterTopicsFollowTheirSource() {
    assertThat(Topics.CHAIN_SYNCED.deadLetter()).isEqualTo("rbtc.chain.synced.v1.dlt");
    assertThat(Topics.byName("rbtc.chain.synced.v1")).contains(Topics.CHAIN_SYNCED);
    assertThat(Topics.byName("rbtc.chain.synced.v1.dlt")).isEmpty();
  }

  @Test
  void userKeysAreLowercasedAndValidated() {
    assertThat(Keys.user("0xF45D5FEEFD7235D9872079D537F5796BA79B1E52"))
        .isEqualTo("0xf45d5feefd7235d9872079d537f5796ba79b1e52");
    assertThatThrownBy(() -> Keys.user("0x1234")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.user("f45d5feefd7235d9872079d537f5796ba79b1e52"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.user(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chainKeysAreDecimalIds() {
    assertThat(Keys.chain(6342)).isEqualTo("6342");
    assertThatThrownBy(() -> Keys.chain(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventIdsIgnoreTheBlockHashAndCaseOfTheTxHash() {
    assertThat(EventIds.of(6342, "0xABC", 3)).isEqualTo("6342:0xabc:3");
  }
}
