package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.check.Repository;
import com.reservebtc.deploy.image.OciImage;
import com.reservebtc.schemas.Service;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Reads the image each service module builds in {@code package} (on an empty base, so no registry
 * is needed; target/image-structure/jib-image.tar) and checks what Kubernetes and an operator rely
 * on: entrypoint and main class, a non-root user, the ports, the declared health and metrics
 * endpoints, the heap sized from the container's memory limit, and the application's layers.
 */
class ImageTest {

  private static final String MANAGEMENT_PORT = "9090";

  private static OciImage image(Service service) throws IOException {
    Path tar =
        Repository.root().resolve(service.id()).resolve("target/image-structure/jib-image.tar");
    assertThat(tar)
        .as(
            "%s was not built; `mvn -B package` in %s builds it (it is skipped with -DskipTests)",
            tar, service.id())
        .exists();
    return OciImage.read(tar);
  }

  @ParameterizedTest
  @EnumSource(Service.class)
  void imageRunsTheServiceAsNonRootWithItsPortsAndHealthEndpoints(Service service)
      throws IOException {
    OciImage image = image(service);
    JsonNode config = image.config();
    String port =
        String.valueOf(Repository.setting(Repository.applicationYml(service), "server.port"));

    assertThat(image.os()).isEqualTo("linux");
    assertThat(image.refName())
        .isEqualTo("reservebtc/" + service.id() + ":" + System.getProperty("rbtc.project.version"));

    String user = config.path("User").asString();
    assertThat(user).as("numeric user:group").matches("[0-9]+:[0-9]+");
    assertThat(user).as("not root").doesNotStartWith("0:");

    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-cp", "@/app/jib-classpath-file");
    assertThat(entrypoint).noneMatch(a -> a.startsWith("-Xmx")).as("heap follows the memory limit");
    String mainClass = entrypoint.get(entrypoint.size() - 1);
    assertThat(mainClass).startsWith("com.reservebtc.").endsWith("Application");

    List<String> ports = new ArrayList<>();
    config.path("ExposedPorts").propertyNames().forEach(ports::add);
    assertThat(ports).containsExactlyInAnyOrder(port + "/tcp", MANAGEMENT_PORT + "/tcp");
    assertThat(strings(config.path("Env"))).contains("MANAGEMENT_SERVER_PORT=" + MANAGEMENT_PORT);

    JsonNode labels = config.path("Labels");
    assertThat(labels.path("com.reservebtc.port.http").asString()).isEqualTo(port);
    assertThat(labels.path("com.reservebtc.port.management").asString()).isEqualTo(MANAGEMENT_PORT);
    assertThat(labels.path("com.reservebtc.health.liveness").asString())
        .isEqualTo("/actuator/health/liveness");
    assertThat(labels.path("com.reservebtc.health.readiness").asString())
        .isEqualTo("/actuator/health/readiness");
    assertThat(labels.path("com.reservebtc.metrics").asString()).isEqualTo("/actuator/prometheus");
    assertThat(labels.path("org.opencontainers.image.title").asString()).isEqualTo(service.id());

    assertThat(image.layerComments())
        .containsSubsequence("dependencies", "resources", "classes", "jvm arg files");
    assertThat(image.layerFiles("classes"))
        .contains("app/classes/" + mainClass.replace('.', '/') + ".class");
    assertThat(image.layerFiles("resources")).contains("app/resources/application.yml");
    String classpath = image.layerFile("jvm arg files", "app/jib-classpath-file");
    assertThat(classpath.strip().split(":"))
        .contains("/app/resources", "/app/classes")
        .anyMatch(jar -> jar.matches("/app/libs/spring-boot-[0-9.]+\\.jar"))
        .anyMatch(jar -> jar.matches("/app/libs/schemas-.+\\.jar"));
  }

  @Test
  void realImagesArePinnedToTheirBaseByDigest() {
    assertThat(System.getProperty("rbtc.image.base"))
        .as("rbtc.image.base in the root pom")
        .matches("[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }
}
