package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidRegistryTest {

  @TempDir Path temp;
  private Process sleeper;

  @AfterEach
  void stopSleeper() {
    if (sleeper != null) {
      sleeper.destroyForcibly();
    }
  }

  private Progress quietProgress() {
    return new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void stopsALeftoverWhoseIdentityStillMatches() throws Exception {
    sleeper = new ProcessBuilder("sleep", "300").start();
    Path file = temp.resolve("pids");
    new PidRegistry(file).add("sleeper", sleeper.toHandle());

    new PidRegistry(file).stopLeftovers(quietProgress());

    assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void leavesAloneAProcessThatNoLongerMatchesTheRecord() throws Exception {
    sleeper = new ProcessBuilder("sleep", "300").start();
    Path file = temp.resolve("pids");
    // same PID, but recorded with another command line: as if the PID had been recycled
    Files.writeString(
        file,
        "sleeper\t"
            + sleeper.pid()
            + "\t"
            + sleeper.toHandle().info().startInstant().orElseThrow().toEpochMilli()
            + "\tsome-other-program --flag\n");

    new PidRegistry(file).stopLeftovers(quietProgress());

    assertThat(sleeper.isAlive()).isTrue();
  }

  @Test
  void removeForgetsAProcess() throws Exception {
    sleeper = new ProcessBuilder("sleep", "300").start();
    Path file = temp.resolve("pids");
    PidRegistry registry = new PidRegistry(file);
    registry.add("sleeper", sleeper.toHandle());
    assertThat(PidRegistry.read(file)).extracting(PidRegistry.Entry::pid).contains(sleeper.pid());

    registry.remove(sleeper.pid());

    assertThat(PidRegistry.read(file)).isEqualTo(List.of());
    assertThat(ChildProcess.stop(sleeper.toHandle(), Duration.ofSeconds(5))).isTrue();
  }
}
