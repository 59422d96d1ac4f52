package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.check.Checks;
import com.reservebtc.deploy.check.Kustomize;
import com.reservebtc.deploy.check.Manifest;
import com.reservebtc.deploy.check.Report;
import com.reservebtc.deploy.check.Repository;
import com.reservebtc.deploy.check.Runbook;
import com.reservebtc.deploy.check.Schemas;
import com.reservebtc.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders each overlay with kubectl and validates every object (schemas, policies, references, the
 * topic catalogue, the services' wiring). Without kubectl on the PATH these tests are skipped and
 * say so; everywhere this project builds (CI included) it is there.
 */
class OverlaysTest {

  private static Schemas schemas;
  private static Path kubectl;

  @BeforeAll
  static void setUp() {
    kubectl = Kustomize.kubectl().orElse(null);
    Assumptions.assumeTrue(
        kubectl != null, "kubectl is not on the PATH: the overlays were NOT rendered or validated");
    schemas = Schemas.load();
  }

  private static List<Manifest> render(String overlay) {
    return Kustomize.render(kubectl, Repository.deploy().resolve("overlays").resolve(overlay));
  }

  private static void assertValid(List<Manifest> manifests, int replicas, int minInSync) {
    Report report = Checks.all(schemas, manifests, replicas, minInSync, Runbook.secretsToCreate());
    assertThat(report.problems()).as(report.toString()).isEmpty();
  }

  private static Map<String, Long> kinds(List<Manifest> manifests) {
    return manifests.stream()
        .collect(Collectors.groupingBy(Manifest::kind, TreeMap::new, Collectors.counting()));
  }

  @Test
  void testnetOverlayIsValidAndHighlyAvailable() {
    List<Manifest> manifests = render("testnet");
    assertValid(manifests, 3, 2);
    assertThat(kinds(manifests))
        .containsEntry("Deployment", 5L)
        .containsEntry("KafkaTopic", (long) Topics.all().size() * 2)
        .containsEntry("KafkaUser", 5L)
        .containsEntry("KafkaNodePool", 2L)
        .containsEntry("ScheduledBackup", 1L)
        .containsEntry("NetworkPolicy", 6L)
        .containsEntry("PodDisruptionBudget", 5L)
        .containsEntry("ServiceMonitor", 1L)
        .containsEntry("PrometheusRule", 1L);
    Manifest postgres = only(manifests, "Cluster");
    assertThat(postgres.at("spec", "instances")).isEqualTo(3);
    assertThat(postgres.at("spec", "backup", "barmanObjectStore", "destinationPath"))
        .isEqualTo("s3://reservebtc-backups/testnet");
    assertThat(only(manifests, "HorizontalPodAutoscaler").at("spec", "minReplicas")).isEqualTo(2);
  }

  @Test
  void localOverlayIsValidOnOneNode() {
    List<Manifest> manifests = render("local");
    assertValid(manifests, 1, 1);
    Manifest pool = only(manifests, "KafkaNodePool");
    assertThat(pool.at("spec", "replicas")).isEqualTo(1);
    assertThat(pool.at("spec", "roles")).isEqualTo(List.of("controller", "broker"));
    assertThat(only(manifests, "Cluster").at("spec", "instances")).isEqualTo(1);
    assertThat(only(manifests, "Cluster").at("spec", "backup")).isNull();
    assertThat(kinds(manifests)).doesNotContainKey("ScheduledBackup");
  }

  private static Manifest only(List<Manifest> manifests, String kind) {
    List<Manifest> found = manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }
}
