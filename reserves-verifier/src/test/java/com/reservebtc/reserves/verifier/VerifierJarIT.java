package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** The packaged jar, run as a user runs it: {@code java -jar reserves-verifier.jar …}. */
class VerifierJarIT {

  @TempDir Path dir;

  @Test
  void thePackagedJarVerifiesAProofAndRejectsAForgery() throws Exception {
    ECKeyPair operator = Keys.createEcKeyPair();
    String signer = "0x" + Keys.getAddress(operator).toLowerCase(Locale.ROOT);
    Snapshot snapshot =
        Snapshot.first(SumTreeTest.USERS, BigInteger.valueOf(2_100_000_000_160_001L), operator);
    Path proof =
        Files.writeString(dir.resolve("proof.json"), snapshot.proofJson(VerifierTest.USER));
    Path forged =
        Files.writeString(
            dir.resolve("forged.json"),
            snapshot
                .proofJson(VerifierTest.USER)
                .replace("\"sats\":2500", "\"sats\":2600")
                .replace("\"sum\":10000,", "\"sum\":10100,"));

    Run ok = java("proof", "--signer", signer, proof.toString());
    Run rejected = java("proof", "--signer", signer, forged.toString());

    assertThat(ok.status).as(ok.out).isZero();
    assertThat(ok.out).contains("VERIFIED");
    assertThat(rejected.status).as(rejected.out).isEqualTo(1);
    assertThat(rejected.out).contains("REJECTED");
  }

  record Run(int status, String out) {}

  private Run java(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("rbtc.verifier.jar");
    assertThat(Path.of(jar)).exists();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out);
  }
}
