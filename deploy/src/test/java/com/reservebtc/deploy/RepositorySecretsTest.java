package com.reservebtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.deploy.check.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing an operator applies holds a secret: no private key, no kustomize secret generator, no
 * Secret object (the overlays' rendered Secrets are refused by OverlaysTest as well).
 */
class RepositorySecretsTest {

  private static final Pattern SECRET =
      Pattern.compile(
          "-----BEGIN [A-Z ]*PRIVATE KEY-----"
              + "|(?<![0-9A-Fa-f:])(0x)?[0-9A-Fa-f]{64}(?![0-9A-Fa-f])"
              + "|secretGenerator:"
              + "|^kind: Secret\\s*$",
          Pattern.MULTILINE);

  @Test
  void manifestsAndRunbookHoldNoSecretValues() throws IOException {
    List<String> found = new ArrayList<>();
    for (String dir : List.of("base", "components", "overlays")) {
      try (Stream<Path> files = Files.walk(Repository.deploy().resolve(dir))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          scan(file, found);
        }
      }
    }
    scan(Repository.deploy().resolve("README.md"), found);
    assertThat(found).isEmpty();
  }

  @Test
  void theScanFindsAKey() {
    assertThat(SECRET.matcher("RBTC_ORACLE_COMMITTEE_KEY=0x" + "ab".repeat(32)).find()).isTrue();
    assertThat(SECRET.matcher("image: x@sha256:" + "ab".repeat(32)).find()).isFalse();
  }

  private static void scan(Path file, List<String> found) throws IOException {
    Matcher m = SECRET.matcher(Files.readString(file));
    while (m.find()) {
      found.add(Repository.root().relativize(file) + ": " + m.group());
    }
  }
}
