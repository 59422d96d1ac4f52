package com.reservebtc.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds the repository checkout (for the service jars and the default data directory) and the
 * project version the jars carry in their names.
 */
final class RepoRoot {

  /** System property naming the repository root; checked after an explicit option. */
  static final String PROPERTY = "rbtc.devstack.repo-root";

  /** Only the reactor root lists the devstack module (module poms name the root as parent). */
  private static final String ROOT_MARKER = "<module>devstack</module>";

  private RepoRoot() {}

  /** The explicit root, else the system property, else the nearest parent holding the root pom. */
  static Path locate(Optional<Path> explicit) {
    if (explicit.isPresent()) {
      return requireRoot(explicit.get(), "--repo-root");
    }
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return requireRoot(Path.of(property), "-D" + PROPERTY);
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) {
        return dir;
      }
    }
    throw new DevStackException(
        "cannot find the repository root (the pom.xml of the reactor) in "
            + start
            + " or any parent; run from inside the checkout or pass --repo-root");
  }

  /** The version the launcher was built with, which is the version of the service jars. */
  static String projectVersion() {
    try (InputStream in = RepoRoot.class.getResourceAsStream("devstack.properties")) {
      if (in == null) {
        throw new DevStackException("devstack.properties is missing from the launcher build");
      }
      Properties properties = new Properties();
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new DevStackException("cannot read devstack.properties: " + e, e);
    }
  }

  private static Path requireRoot(Path dir, String source) {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!isRoot(absolute)) {
      throw new DevStackException(
          absolute
              + " (from "
              + source
              + ") is not the repository root: its pom.xml is not the reactor");
    }
    return absolute;
  }

  private static boolean isRoot(Path dir) {
    Path pom = dir.resolve("pom.xml");
    try {
      return Files.isRegularFile(pom)
          && Files.readString(pom, StandardCharsets.UTF_8).contains(ROOT_MARKER);
    } catch (IOException e) {
      return false;
    }
  }
}
