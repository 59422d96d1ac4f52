package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJvmTest {

  @TempDir Path dir;

  @Test
  void everyServiceRunsWithC2AndACollectorChosenForIt() {
    for (ServiceSpec spec : ServiceSpec.all()) {
      List<String> defaults = ServiceJvm.defaultOptions(spec.name());
      assertThat(defaults).as(spec.name()).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
      assertThat(defaults).as(spec.name()).anyMatch(o -> o.startsWith("-Xmx"));
    }
    assertThat(ServiceJvm.defaultOptions("api-gateway")).contains("-XX:+UseG1GC");
    assertThat(ServiceJvm.defaultOptions("indexer-service")).contains("-XX:+UseParallelGC");
  }

  @Test
  void systemPropertiesAloneAreAddedToTheDefaultsAnyOtherOptionReplacesThem() {
    assertThat(ServiceJvm.effectiveOptions("yield-service", List.of("-Da=1")))
        .containsExactly("-Xmx256m", "-XX:+UseParallelGC", "-Da=1");
    assertThat(ServiceJvm.effectiveOptions("yield-service", List.of("-Da=1", "-Xmx1g")))
        .containsExactly("-Da=1", "-Xmx1g");
  }

  @Test
  void aJarThatCannotBeExtractedRunsAsItIsWithoutAnArchive() throws IOException {
    Path jar = plainJar(dir.resolve("yield-service-1.jar"), null);

    ServiceJvm jvm =
        ServiceJvm.prepare(
            "yield-service",
            "yield-service",
            jar,
            List.of(),
            dir.resolve("apps"),
            dir.resolve("yield.log"));

    assertThat(jvm.arguments()).endsWith("-jar", jar.toString());
    assertThat(jvm.arguments())
        .noneMatch(a -> a.contains("SharedArchiveFile") || a.contains("ArchiveClassesAtExit"))
        .doesNotContain("-Dspring.aot.enabled=true");
  }

  @Test
  void aJarWithAotCodeRunsWithAotEnabled() throws IOException {
    Path jar = plainJar(dir.resolve("aot.jar"), "com.example.App");

    assertThat(ServiceJvm.hasAotCode(jar)).isTrue();
    assertThat(ServiceJvm.hasAotCode(plainJar(dir.resolve("plain.jar"), null))).isFalse();
  }

  @Test
  void anArchiveRecordedByARunIsKeptOnlyAfterAGracefulStop() throws IOException {
    Path apps = dir.resolve("apps");
    Path jar = extractedAlready(apps, "indexer-service");

    ServiceJvm first =
        ServiceJvm.prepare("indexer-service", "indexer-service", jar, List.of(), apps, log());
    Path recording = apps.resolve("indexer-service.jsa.recording");
    assertThat(first.arguments()).contains("-XX:ArchiveClassesAtExit=" + recording);
    Files.writeString(recording, "archive");
    first.stopped(false);
    assertThat(recording).doesNotExist();
    assertThat(apps.resolve("indexer-service.jsa")).doesNotExist();

    ServiceJvm second =
        ServiceJvm.prepare("indexer-service", "indexer-service", jar, List.of(), apps, log());
    Files.writeString(recording, "archive");
    second.stopped(true);
    assertThat(apps.resolve("indexer-service.jsa")).exists();

    ServiceJvm third =
        ServiceJvm.prepare("indexer-service", "indexer-service", jar, List.of(), apps, log());
    assertThat(third.arguments())
        .contains("-XX:SharedArchiveFile=" + apps.resolve("indexer-service.jsa"))
        .endsWith("-jar", apps.resolve("indexer-service").resolve(jar.getFileName()).toString());
    assertThat(third.arguments().indexOf("-XX:+UseParallelGC"))
        .isGreaterThan(third.arguments().indexOf("-Dspring.aot.enabled=true"));

    ServiceJvm profiled =
        ServiceJvm.prepare(
            "indexer-service",
            "indexer-service",
            jar,
            List.of("-Xmx320m", "-XX:StartFlightRecording=filename=x.jfr"),
            apps,
            log());
    assertThat(profiled.arguments()).noneMatch(a -> a.contains("Archive"));
  }

  @Test
  void aNewBuildDiscardsTheExtractionAndItsArchive() throws IOException {
    Path apps = dir.resolve("apps");
    Path jar = extractedAlready(apps, "indexer-service");
    Files.writeString(apps.resolve("indexer-service.jsa"), "archive of the previous build");
    // Another build of the jar: a plain jar now, which cannot be extracted.
    Files.delete(jar);
    plainJar(jar, null);

    ServiceJvm jvm =
        ServiceJvm.prepare("indexer-service", "indexer-service", jar, List.of(), apps, log());

    assertThat(apps.resolve("indexer-service.jsa")).doesNotExist();
    assertThat(jvm.arguments()).endsWith("-jar", jar.toString());
  }

  private Path log() {
    return dir.resolve("logs").resolve("service.log");
  }

  /** A Spring AOT-processed jar whose extraction is in place (as a previous start leaves it). */
  private Path extractedAlready(Path apps, String service) throws IOException {
    Path jar = plainJar(dir.resolve(service + "-1.jar"), "com.example.App");
    Path extracted = apps.resolve(service);
    Files.createDirectories(extracted.resolve("lib"));
    Files.copy(jar, extracted.resolve(jar.getFileName()));
    try (OutputStream out = Files.newOutputStream(apps.resolve(service + ".source"))) {
      ServiceJvm.source(jar).store(out, null);
    }
    return jar;
  }

  /** A jar with a manifest; with {@code aotStartClass}, the AOT initializer of that class too. */
  private static Path plainJar(Path jar, String aotStartClass) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (aotStartClass != null) {
      manifest.getMainAttributes().putValue("Start-Class", aotStartClass);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      if (aotStartClass != null) {
        out.putNextEntry(
            new JarEntry(
                "BOOT-INF/classes/"
                    + aotStartClass.replace('.', '/')
                    + "__ApplicationContextInitializer.class"));
        out.write(new byte[] {0});
        out.closeEntry();
      }
    }
    return jar;
  }
}
