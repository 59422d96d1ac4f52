package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.KafkaAccess.Resource;
import com.reservebtc.deploy.check.Repository;
import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.TopicCheck;
import com.reservebtc.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

  @Test
  void committedTopicsAndUsersAreWhatTheCatalogueGives() throws IOException {
    Map<String, String> generated =
        Map.of("topics.yaml", KafkaAccess.topicsYaml(), "users.yaml", KafkaAccess.usersYaml());
    Path target = Repository.deploy().resolve("target/kafka-access");
    Files.createDirectories(target);
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Files.writeString(target.resolve(file.getKey()), file.getValue());
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path committed = Repository.deploy().resolve("base/kafka").resolve(file.getKey());
      assertThat(Files.exists(committed) ? Files.readString(committed) : "")
          .as(
              "%s differs from the topic catalogue; take the regenerated file: cp %s %s",
              Repository.root().relativize(committed),
              Repository.root().relativize(target.resolve(file.getKey())),
              Repository.root().relativize(committed))
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everyCatalogueTopicAndItsDeadLetterTopicExistsWithTheCataloguePartitions() {
    Map<String, KafkaAccess.TopicSpec> topics =
        KafkaAccess.topics().stream()
            .collect(Collectors.toMap(KafkaAccess.TopicSpec::name, t -> t));
    assertThat(topics).hasSize(2 * Topics.all().size());
    for (Topic<?> topic : Topics.all()) {
      assertThat(topics.get(topic.name()).partitions()).isEqualTo(topic.partitions());
      assertThat(topics.get(topic.deadLetter()).partitions()).isEqualTo(topic.partitions());
      assertThat(topics.get(topic.deadLetter()).config()).doesNotContainKey("cleanup.policy");
    }
    assertThat(topics.get(Topics.INDEXER_CURSOR.name()).config())
        .containsEntry("cleanup.policy", "compact");
    assertThat(topics.get(Topics.CHAIN_SYNCED.name()).config())
        .containsEntry("retention.ms", -1)
        .containsEntry("min.insync.replicas", 2);
  }

  @Test
  void onlyTheWriterMayWriteATopicAndOnlyItsReadersReadIt() {
    for (Topic<?> topic : Topics.all()) {
      Resource resource = new Resource("topic", topic.name(), "literal");
      for (Service service : Service.values()) {
        Set<String> ops =
            KafkaAccess.acls().get(service).getOrDefault(resource, new java.util.TreeSet<>());
        assertThat(ops.contains("Write"))
            .as("%s writes %s", service, topic.name())
            .isEqualTo(topic.writer() == service);
        assertThat(ops.contains("Read"))
            .as("%s reads %s", service, topic.name())
            .isEqualTo(topic.readBy(service));
      }
    }
  }

  @Test
  void readersReadAndWriteTheDeadLetterTopicAndTheirOwnGroupOnly() {
    for (Service service : Service.values()) {
      SortedMap<Resource, SortedSet<String>> acls = KafkaAccess.acls().get(service);
      boolean readsAnything = Topics.all().stream().anyMatch(t -> t.readBy(service));
      // the gateway's health report may describe (never read) the other groups
      assertThat(
              acls.entrySet().stream()
                  .filter(e -> e.getKey().type().equals("group"))
                  .filter(e -> !e.getValue().equals(new java.util.TreeSet<>(List.of("Describe"))))
                  .map(Map.Entry::getKey))
          .containsExactlyElementsOf(
              readsAnything
                  ? java.util.List.of(new Resource("group", service.id(), "literal"))
                  : java.util.List.of());
      for (Topic<?> topic : Topics.all()) {
        SortedSet<String> dlt = acls.get(new Resource("topic", topic.deadLetter(), "literal"));
        if (topic.readBy(service)) {
          assertThat(dlt)
              .contains("Describe", "Read", "Write")
              .isSubsetOf("Describe", "DescribeConfigs", "Read", "Write");
        } else if (service == Service.GATEWAY) {
          assertThat(dlt).containsExactly("Describe");
        } else {
          assertThat(dlt).isNull();
        }
      }
    }
  }

  @Test
  void theGatewayMayDescribeEveryGroupAndTopicForItsHealthReportAndNoMore() {
    SortedMap<Resource, SortedSet<String>> acls = KafkaAccess.acls().get(Service.GATEWAY);
    for (Topic<?> topic : Topics.all()) {
      for (String name : List.of(topic.name(), topic.deadLetter())) {
        assertThat(acls.get(Resource.topic(name))).as(name).contains("Describe");
        if (!topic.readBy(Service.GATEWAY) && !topic.writer().equals(Service.GATEWAY)) {
          assertThat(acls.get(Resource.topic(name))).as(name).doesNotContain("Read", "Write");
        }
      }
      for (Service reader : topic.readers()) {
        SortedSet<String> group = acls.get(Resource.group(reader.id()));
        assertThat(group).as(reader.id()).contains("Describe");
        if (reader != Service.GATEWAY) {
          assertThat(group).as(reader.id()).containsExactly("Describe");
        }
      }
    }
  }

  @Test
  void onlyTheIndexerUsesTransactionsUnderItsConfiguredPrefix() {
    String prefix =
        String.valueOf(
            Repository.setting(
                com.reservebtc.deploy.check.Repository.applicationYml(Service.INDEXER),
                "spring.kafka.producer.transaction-id-prefix"));
    assertThat(prefix).startsWith(KafkaAccess.INDEXER_TRANSACTIONAL_ID_PREFIX);
    for (Service service : Service.values()) {
      boolean transactional =
          KafkaAccess.acls().get(service).keySet().stream()
              .anyMatch(r -> r.type().equals("transactionalId"));
      assertThat(transactional).as(service.id()).isEqualTo(service == Service.INDEXER);
    }
  }

  @Test
  void everyServiceMayReadTheConfigsOfTheTopicsItChecksAtStart() {
    for (Service service : Service.values()) {
      for (TopicCheck.Expected expected : TopicCheck.expectedFor(service)) {
        assertThat(KafkaAccess.acls().get(service).get(Resource.topic(expected.name())))
            .as(service.id() + " on " + expected.name())
            .contains("DescribeConfigs", "Describe");
      }
    }
  }
}
