package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Progress progress =
      new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String[] lines() {
    return bytes.toString(StandardCharsets.UTF_8).split("\n");
  }

  @Test
  void aStepEndsOnItsOwnLineWithItsDuration() {
    progress.begin("waiting for Kafka").ok();

    assertThat(lines()).hasSize(1);
    assertThat(lines()[0]).matches("\\[ *\\d+\\.\\d s\\] waiting for Kafka… ok \\(\\d+\\.\\d s\\)");
  }

  @Test
  void aLinePrintedMeanwhileDoesNotGarbleTheStep() {
    Progress.Step step = progress.begin("waiting for services");
    progress.line("api-gateway ready");
    step.failed();

    String[] lines = lines();
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).endsWith("waiting for services… ");
    assertThat(lines[1]).endsWith("api-gateway ready");
    assertThat(lines[2]).contains("waiting for services… FAILED (");
  }

  @Test
  void aDetailIsAddedToOk() {
    progress.begin("creating topics").ok("26 created");

    assertThat(lines()[0]).contains("creating topics… ok, 26 created (");
  }
}
