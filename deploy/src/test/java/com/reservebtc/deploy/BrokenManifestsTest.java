package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.check.Checks;
import com.reservebtc.deploy.check.Kustomize;
import com.reservebtc.deploy.check.Manifest;
import com.reservebtc.deploy.check.Report;
import com.reservebtc.deploy.check.Repository;
import com.reservebtc.deploy.check.Runbook;
import com.reservebtc.deploy.check.Schemas;
import com.reservebtc.deploy.check.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest broken in one way fails validation with exactly the message that names the object and
 * the fault: starting from the valid testnet overlay, each case breaks one thing.
 */
class BrokenManifestsTest {

  private static final Path BROKEN = Path.of("src/test/resources/broken");
  private static final Path BROKEN_OVERLAYS = Path.of("src/test/resources/broken-overlays");

  private static Schemas schemas;
  private static Path kubectl;
  private static String testnet;

  @BeforeAll
  static void renderTestnet() {
    kubectl = Kustomize.kubectl().orElse(null);
    Assumptions.assumeTrue(
        kubectl != null, "kubectl is not on the PATH: broken manifests were NOT checked");
    schemas = Schemas.load();
    testnet = Kustomize.renderText(kubectl, Repository.deploy().resolve("overlays/testnet"));
  }

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(Repository.deploy().resolve(BROKEN))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void brokenObjectIsReportedByName(String name) throws IOException {
    Path fixture = Repository.deploy().resolve(BROKEN).resolve(name);
    List<String> expected =
        Files.readAllLines(fixture).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    assertThat(expected).as("%s names the problems it expects", fixture).isNotEmpty();

    List<Manifest> manifests = copy(testnet);
    for (Manifest broken : Yaml.read(fixture)) {
      manifests.removeIf(m -> m.kind().equals(broken.kind()) && m.name().equals(broken.name()));
      manifests.add(broken);
    }
    assertThat(check(manifests).problems()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void catalogueTopicWithoutKafkaTopicIsReported() {
    List<Manifest> manifests = copy(testnet);
    manifests.removeIf(
        m -> m.kind().equals("KafkaTopic") && m.name().equals("rbtc.oracle.bindings.v1.dlt"));
    assertThat(check(manifests).problems())
        .containsExactly("no KafkaTopic for rbtc.oracle.bindings.v1.dlt (topic catalogue)");
  }

  @Test
  void aclBeyondTheCatalogueIsReported() {
    List<Manifest> manifests = copy(testnet);
    change(
        manifests,
        "KafkaUser",
        "yield-service",
        user ->
            acls(user)
                .add(
                    Map.of(
                        "resource",
                        Map.of("type", "topic", "name", "rbtc.chain.synced.v1"),
                        "operations",
                        List.of("Write"))));
    assertThat(check(manifests).problems())
        .containsExactly(
            "KafkaUser reservebtc/yield-service: allows [Write] on topic rbtc.chain.synced.v1,"
                + " which the topic catalogue does not give it");
  }

  @Test
  void missingAclIsReported() {
    List<Manifest> manifests = copy(testnet);
    change(
        manifests,
        "KafkaUser",
        "api-gateway",
        user ->
            acls(user)
                .removeIf(
                    acl -> "group".equals(Yaml.map(Yaml.map(acl).get("resource")).get("type"))));
    // its own group, and (for the health report) the groups it may describe
    assertThat(check(manifests).problems())
        .containsExactly(
            "KafkaUser reservebtc/api-gateway: lacks [Describe, Read] on group api-gateway, which"
                + " the topic catalogue gives it",
            "KafkaUser reservebtc/api-gateway: lacks [Describe] on group emergency-burn-service,"
                + " which the topic catalogue gives it",
            "KafkaUser reservebtc/api-gateway: lacks [Describe] on group indexer-service, which the"
                + " topic catalogue gives it",
            "KafkaUser reservebtc/api-gateway: lacks [Describe] on group yield-service, which the"
                + " topic catalogue gives it");
  }

  @Test
  void corsOpenToEveryOriginIsReported() {
    List<Manifest> manifests = copy(testnet);
    Manifest config =
        manifests.stream()
            .filter(m -> m.kind().equals("ConfigMap") && m.name().startsWith("api-gateway-config"))
            .findFirst()
            .orElseThrow();
    change(
        manifests,
        "ConfigMap",
        config.name(),
        cm -> Yaml.map(cm.body().get("data")).put("RBTC_GATEWAY_CORS_ALLOWED_ORIGINS", "*"));
    assertThat(check(manifests).problems())
        .containsExactly(
            "Deployment reservebtc/api-gateway: RBTC_GATEWAY_CORS_ALLOWED_ORIGINS must name origins,"
                + " not \"*\"");
  }

  @Test
  void misspeltFieldInAnOverlayPatchIsReported() {
    List<Manifest> manifests =
        Kustomize.render(
            kubectl, Repository.deploy().resolve(BROKEN_OVERLAYS).resolve("unknown-field"));
    assertThat(check(manifests).problems())
        .containsExactly(
            "Deployment reservebtc/api-gateway: .spec.template.spec.containers[0].livenesProbe:"
                + " unknown field (not in V1Container)");
  }

  @Test
  void topicAddedInAnOverlayButNotInTheCatalogueIsReported() {
    List<Manifest> manifests =
        Kustomize.render(
            kubectl,
            Repository.deploy().resolve(BROKEN_OVERLAYS).resolve("topic-not-in-catalogue"));
    assertThat(check(manifests).problems())
        .containsExactly(
            "KafkaTopic reservebtc/rbtc.oracle.audit.v1: topic rbtc.oracle.audit.v1 is not in the"
                + " topic catalogue (com.reservebtc.schemas.Topics)");
  }

  private static Report check(List<Manifest> manifests) {
    return Checks.all(schemas, manifests, 3, 2, Runbook.secretsToCreate());
  }

  /** The valid overlay, parsed anew so that a case can change it without touching the others. */
  private static List<Manifest> copy(String rendered) {
    return new ArrayList<>(Yaml.parse(rendered, "testnet"));
  }

  private static void change(
      List<Manifest> manifests, String kind, String name, Consumer<Manifest> change) {
    Manifest target =
        manifests.stream()
            .filter(m -> m.kind().equals(kind) && m.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the overlay"));
    change.accept(target);
  }

  private static List<Object> acls(Manifest user) {
    @SuppressWarnings("unchecked")
    List<Object> acls = (List<Object>) user.at("spec", "authorization", "acls");
    return acls;
  }
}
