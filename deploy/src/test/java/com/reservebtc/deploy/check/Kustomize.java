package com.reservebtc.deploy.check;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, the way an operator's {@code kubectl
 * apply -k} will. Needs kubectl on the PATH; {@link #kubectl()} tells whether it is there.
 */
public final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private Kustomize() {}

  /** kubectl on the PATH, if any. */
  public static Optional<Path> kubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The objects {@code kubectl kustomize dir} produces.
   *
   * @throws IllegalStateException naming the directory and kustomize's message if it fails
   */
  public static List<Manifest> render(Path kubectl, Path dir) {
    return Yaml.parse(renderText(kubectl, dir), "kustomize " + dir);
  }

  /** What {@code kubectl kustomize dir} prints: the objects as one YAML stream. */
  public static String renderText(Path kubectl, Path dir) {
    try {
      Path errors = Files.createTempFile("kustomize", ".err");
      try {
        Process process =
            new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                .redirectError(errors.toFile())
                .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "kubectl kustomize " + dir + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "kubectl kustomize "
                  + dir
                  + " failed (exit "
                  + process.exitValue()
                  + "): "
                  + Files.readString(errors).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl kustomize " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rendering " + dir, e);
    }
  }
}
