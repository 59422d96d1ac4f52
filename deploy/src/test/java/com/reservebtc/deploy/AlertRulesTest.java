package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.check.Manifest;
import com.reservebtc.deploy.check.Repository;
import com.reservebtc.deploy.check.Yaml;
import com.reservebtc.schemas.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alerts use metrics that exist: each rbtc_* name is one the services register with Micrometer
 * (read from their code), each kafka_* name one of Strimzi's Kafka Exporter, which the Kafka
 * resource enables. Metrics the services do not export yet are listed in {@link #AWAITED}, and only
 * while they are not exported.
 */
class AlertRulesTest {

  /** Metrics alerts wait for: name to the service that should export it. */
  private static final Map<String, Service> AWAITED = Map.of();

  /** Kafka Exporter's metrics (Strimzi's kafka-exporter) the rules use. */
  private static final Set<String> KAFKA_EXPORTER =
      Set.of("kafka_consumergroup_lag", "kafka_topic_partition_current_offset");

  /** What Micrometer's Prometheus registry appends to a meter's name. */
  private static final List<String> SUFFIXES =
      List.of(
          "",
          "_total",
          "_seconds_count",
          "_seconds_sum",
          "_seconds_bucket",
          "_seconds_max",
          "_bytes_count",
          "_bytes_sum",
          "_bytes_max");

  private static final Pattern METER_NAME = Pattern.compile("\"(rbtc\\.[a-z0-9_.]+)\"");
  private static final Pattern METRIC_IN_EXPR =
      Pattern.compile("\\b((?:rbtc|kafka)_[a-z0-9_]+)\\b");

  @Test
  void everyMetricAnAlertUsesIsExportedOrAwaited() throws IOException {
    Set<String> exported = exportedMeterNames();
    List<String> unknown = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (Map<String, Object> rule : rules()) {
      Matcher metric = METRIC_IN_EXPR.matcher(String.valueOf(rule.get("expr")));
      while (metric.find()) {
        String name = metric.group(1);
        used.add(name);
        boolean known =
            KAFKA_EXPORTER.contains(name)
                || AWAITED.containsKey(name)
                || exported.stream()
                    .anyMatch(base -> SUFFIXES.stream().anyMatch(s -> name.equals(base + s)));
        if (!known) {
          unknown.add(rule.get("alert") + " uses " + name);
        }
      }
    }
    assertThat(unknown).as("metrics no service exports (exported: %s)", exported).isEmpty();
    assertThat(used).containsAll(AWAITED.keySet());
    for (String awaited : AWAITED.keySet()) {
      assertThat(
              exported.stream()
                  .anyMatch(base -> SUFFIXES.stream().anyMatch(s -> awaited.equals(base + s))))
          .as("%s is exported by now: remove it from AWAITED", awaited)
          .isFalse();
    }
  }

  @Test
  void theKafkaResourceRunsTheExporterTheRulesRead() {
    Manifest kafka =
        Yaml.read(Repository.deploy().resolve("base/kafka/kafka.yaml")).stream()
            .filter(m -> m.kind().equals("Kafka"))
            .findFirst()
            .orElseThrow();
    assertThat(kafka.at("spec", "kafkaExporter")).isNotNull();
  }

  @Test
  void operatorsAreAlertedOnWhatTheIssueNames() {
    List<String> alerts = rules().stream().map(r -> String.valueOf(r.get("alert"))).toList();
    assertThat(alerts)
        .contains(
            "IndexerBehindHead",
            "IndexerLogQuarantined",
            "ConsumerGroupLagging",
            "DeadLetterRecord",
            "ConsumerBlocked",
            "BitcoinSourcesDisagree",
            "BitcoinObservationsFailing",
            "ChainTransactionStuck",
            "BitcoinSourceExcluded",
            "ReservesBelowSupply",
            "UsersAtRiskOfEmergencyBurn");
    for (Map<String, Object> rule : rules()) {
      assertThat(Yaml.map(rule.get("labels")).get("severity"))
          .as("%s severity", rule.get("alert"))
          .isNotNull();
      assertThat(Yaml.map(rule.get("annotations")).get("summary"))
          .as("%s summary", rule.get("alert"))
          .isNotNull();
    }
  }

  private static List<Map<String, Object>> rules() {
    Manifest rule = Yaml.read(Repository.deploy().resolve("base/monitoring/alerts.yaml")).get(0);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : Yaml.list(rule.at("spec", "groups"))) {
      Yaml.list(Yaml.map(group).get("rules")).forEach(r -> rules.add(Yaml.map(r)));
    }
    return rules;
  }

  /** Meter names written in the services' code, as Prometheus names (dots to underscores). */
  private static Set<String> exportedMeterNames() throws IOException {
    Set<String> names = new TreeSet<>();
    List<String> modules = new ArrayList<>();
    for (Service service : Service.values()) {
      modules.add(service.id());
    }
    // The one transaction sender registers its meters in the services that sign, the one
    // chain-consumer in the services that consume.
    modules.add("transaction-sender");
    modules.add("chain-consumer");
    for (String module : modules) {
      Path sources = Repository.root().resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String code = Files.readString(file);
          if (!code.contains("io.micrometer")) {
            continue;
          }
          Matcher literal = METER_NAME.matcher(code);
          while (literal.find()) {
            names.add(literal.group(1).replace('.', '_'));
          }
        }
      }
    }
    return names;
  }
}
