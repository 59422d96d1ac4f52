package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

  @TempDir Path temp;

  @Test
  void refusesAFolderWithOtherFiles() throws Exception {
    Files.writeString(temp.resolve("thesis.tex"), "precious");

    assertThatThrownBy(() -> DataDirectory.open(temp))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("not empty");
    assertThat(temp.resolve("thesis.tex")).exists();
  }

  @Test
  void onlyOneLauncherAtATime() {
    Path dir = temp.resolve("stack");
    try (DataDirectory first = DataDirectory.open(dir)) {
      assertThatThrownBy(() -> DataDirectory.open(dir))
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining("already running");
    }
    DataDirectory.open(dir).close();
  }

  @Test
  void wipeRemovesStateButKeepsTheDirectoryUsable() throws Exception {
    Path dir = temp.resolve("stack");
    try (DataDirectory data = DataDirectory.open(dir)) {
      Files.createDirectories(data.kafka().resolve("topic-0"));
      Files.writeString(data.deployment(), "x");

      data.wipe();

      assertThat(data.kafka()).doesNotExist();
      assertThat(data.deployment()).doesNotExist();
      assertThat(data.logs()).isDirectory();
    }
    DataDirectory.open(dir).close();
  }
}
