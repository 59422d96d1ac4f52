package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

class VerifierTest {

  static ECKeyPair operator;
  static ECKeyPair stranger;
  static String signer;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws Exception {
    operator = Keys.createEcKeyPair();
    stranger = Keys.createEcKeyPair();
    signer = "0x" + Keys.getAddress(operator).toLowerCase(Locale.ROOT);
  }

  static final String USER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

  Snapshot snapshot() {
    return Snapshot.first(SumTreeTest.USERS, BigInteger.valueOf(2_100_000_000_160_001L), operator);
  }

  @Test
  void acceptsAGenuineProofOfEveryUser() throws IOException {
    Snapshot snapshot = snapshot();
    for (SumLeaf leaf : snapshot.leaves) {
      Result result =
          verify(
              "proof",
              "--signer",
              signer,
              "--address",
              leaf.ethAddress(),
              write("p.json", snapshot.proofJson(leaf.ethAddress())));

      assertThat(result.status).as(result.out).isZero();
      assertThat(result.out)
          .contains(
              "VERIFIED", "backing MATCHED", "equals the signed Merkle root and reserves total");
    }
  }

  @Test
  void rejectsAChangedBalance() throws IOException {
    Snapshot snapshot = snapshot();
    // 7500 -> 7501 in one address (and the sum kept consistent: 10001)
    String forged =
        snapshot
            .proofJson(USER)
            .replace("\"sats\":7500", "\"sats\":7501")
            .replace("\"sum\":10000,", "\"sum\":10001,");

    Result result = verify("proof", "--signer", signer, write("p.json", forged));

    assertThat(result.status).as(result.out).isEqualTo(1);
    assertThat(result.out).contains("REJECTED", "not in the attested tree");
  }

  @Test
  void rejectsAChangedSumOfTheLeafOrOfASibling() throws IOException {
    Snapshot snapshot = snapshot();
    String proof = snapshot.proofJson(USER);
    String leafSum = proof.replace("\"sum\":10000,", "\"sum\":10500,");
    List<ProofStep> path = snapshot.tree.proof(snapshot.indexOf(USER));
    ProofStep first = path.get(0);
    String siblingSum =
        proof.replace(
            "\"hash\":\"" + first.sibling().hashHex() + "\",\"sum\":" + first.sibling().sum(),
            "\"hash\":\""
                + first.sibling().hashHex()
                + "\",\"sum\":"
                + (first.sibling().sum() + 1));

    Result leaf = verify("proof", "--signer", signer, write("a.json", leafSum));
    Result sibling = verify("proof", "--signer", signer, write("b.json", siblingSum));

    assertThat(leaf.status).as(leaf.out).isEqualTo(1);
    assertThat(leaf.out).contains("REJECTED", "is not the sum of its addresses");
    assertThat(siblingSum).isNotEqualTo(proof);
    assertThat(sibling.status).as(sibling.out).isEqualTo(1);
    assertThat(sibling.out).contains("REJECTED", "not in the attested tree");
  }

  @Test
  void rejectsASwappedSibling() throws IOException {
    Snapshot snapshot = snapshot();
    // the first user's leaf has three steps
    int index = snapshot.indexOf("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    List<ProofStep> path = new ArrayList<>(snapshot.tree.proof(index));
    // the sibling moved to the other side: a path for another position
    ProofStep first = path.get(0);
    path.set(
        0,
        new ProofStep(
            first.side() == ProofStep.Side.LEFT ? ProofStep.Side.RIGHT : ProofStep.Side.LEFT,
            first.sibling()));
    // two siblings exchanged between levels
    List<ProofStep> exchanged = new ArrayList<>(snapshot.tree.proof(index));
    ProofStep a = exchanged.get(0);
    ProofStep b = exchanged.get(1);
    exchanged.set(0, new ProofStep(a.side(), b.sibling()));
    exchanged.set(1, new ProofStep(b.side(), a.sibling()));

    Result side =
        verify(
            "proof",
            "--signer",
            signer,
            write("a.json", snapshot.proofJson(index, snapshot.leaves.get(index), path)));
    Result levels =
        verify(
            "proof",
            "--signer",
            signer,
            write("b.json", snapshot.proofJson(index, snapshot.leaves.get(index), exchanged)));

    assertThat(side.status).as(side.out).isEqualTo(1);
    assertThat(side.out).contains("REJECTED", "wrong side");
    assertThat(levels.status).as(levels.out).isEqualTo(1);
    assertThat(levels.out).contains("REJECTED", "not in the attested tree");
  }

  @Test
  void rejectsAWrongSalt() throws IOException {
    Snapshot snapshot = snapshot();
    String forged = snapshot.proofJson(USER).replace("22".repeat(32), "23" + "22".repeat(31));

    Result result = verify("proof", "--signer", signer, write("p.json", forged));

    assertThat(result.status).as(result.out).isEqualTo(1);
    assertThat(result.out).contains("REJECTED", "not in the attested tree");
  }

  @Test
  void rejectsAnAttestationSignedByAnotherKey() throws IOException {
    Snapshot forged =
        Snapshot.first(SumTreeTest.USERS, BigInteger.valueOf(2_100_000_000_160_001L), stranger);

    Result result = verify("proof", "--signer", signer, write("p.json", forged.proofJson(USER)));

    assertThat(result.status).as(result.out).isEqualTo(1);
    assertThat(result.out).contains("REJECTED", "not by the published signer " + signer);
  }

  @Test
  void rejectsAChangedStatementUnderAGenuineSignature() throws IOException {
    Snapshot snapshot = snapshot();
    String forged =
        snapshot
            .proofJson(USER)
            .replace(
                "rBTC-SYNTH total supply (sats): 2100000000160001",
                "rBTC-SYNTH total supply (sats): 2100000000100001");

    Result result = verify("proof", "--signer", signer, write("p.json", forged));

    assertThat(forged).isNotEqualTo(snapshot.proofJson(USER));
    assertThat(result.status).as(result.out).isEqualTo(1);
    assertThat(result.out).contains("REJECTED", "not by the published signer");
  }

  @Test
  void reportsAShortfallWhenTheSupplyExceedsTheReserves() throws IOException {
    Snapshot snapshot =
        Snapshot.first(SumTreeTest.USERS, BigInteger.valueOf(2_100_000_000_185_001L), operator);

    Result result = verify("proof", "--signer", signer, write("p.json", snapshot.proofJson(USER)));

    assertThat(snapshot.statement.backing()).isEqualTo(Statement.Backing.SHORTFALL);
    assertThat(result.status).as(result.out).isZero();
    assertThat(result.out)
        .contains("backing SHORTFALL: reserves − supply = -25000 sats", "99.99 %");
  }

  @Test
  void aProofMustBelongToTheAddressAndAttestationTheUserNames() throws IOException {
    Snapshot snapshot = snapshot();
    Snapshot later = snapshot.next(SumTreeTest.USERS, BigInteger.ZERO, operator);
    Path proof = write("p.json", snapshot.proofJson(USER));

    Result otherUser =
        verify(
            "proof",
            "--signer",
            signer,
            "--address",
            "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
            proof);
    Result otherAttestation =
        verify(
            "proof",
            "--signer",
            signer,
            "--attestation",
            write("a.json", later.attestationJson()),
            proof);
    Result sameAttestation =
        verify(
            "proof",
            "--signer",
            signer,
            "--attestation",
            write(
                "b.json",
                "{\"success\":true,\"attestations\":[" + snapshot.attestationJson() + "]}"),
            proof);

    assertThat(otherUser.status).isEqualTo(1);
    assertThat(otherUser.out).contains("not 0x70997970c51812dc3a010c7d01b50e0d17dc79c8's");
    assertThat(otherAttestation.status).isEqualTo(1);
    assertThat(otherAttestation.out).contains("not for the attestation given");
    assertThat(sameAttestation.status).as(sameAttestation.out).isZero();
  }

  @Test
  void checksAPublicExportAgainstItsAttestation() throws IOException {
    Snapshot snapshot = snapshot();
    Path attestation = write("a.json", snapshot.attestationJson());
    String export = snapshot.exportJsonl();
    String[] lines = export.split("\n");
    String reordered =
        lines[1].replace("\"index\":1", "\"index\":0")
            + "\n"
            + lines[0].replace("\"index\":0", "\"index\":1")
            + "\n"
            + String.join("\n", List.of(lines).subList(2, lines.length));
    String dropped = String.join("\n", List.of(lines).subList(0, lines.length - 1));

    Result ok =
        verify(
            "export", "--signer", signer, "--attestation", attestation, write("e.jsonl", export));
    Result outOfOrder =
        verify(
            "export",
            "--signer",
            signer,
            "--attestation",
            attestation,
            write("f.jsonl", reordered));
    Result missing =
        verify(
            "export", "--signer", signer, "--attestation", attestation, write("g.jsonl", dropped));

    assertThat(export).doesNotContain("0x", "bcrt1", "0014");
    assertThat(ok.status).as(ok.out).isZero();
    assertThat(outOfOrder.status).isEqualTo(1);
    assertThat(outOfOrder.out).contains("ascending");
    assertThat(missing.status).isEqualTo(1);
    assertThat(missing.out).contains("the export has 4 leaves, the attestation 5");
  }

  @Test
  void checksAHistoryChainAndCatchesAReplacedAttestation() throws IOException {
    Snapshot first = snapshot();
    Snapshot second =
        first.next(SumTreeTest.USERS.subList(0, 3), BigInteger.valueOf(160_000), operator);
    Snapshot third =
        second.next(SumTreeTest.USERS.subList(0, 2), BigInteger.valueOf(160_000), operator);
    // the operator re-signs #2 with another root: both versions were published
    Snapshot replaced =
        first.next(SumTreeTest.USERS.subList(0, 2), BigInteger.valueOf(160_000), operator);
    // a chain that skips the real #2 and links #3 to nothing published
    String good =
        "{\"attestations\":["
            + third.attestationJson()
            + ","
            + second.attestationJson()
            + ","
            + first.attestationJson()
            + "]}";
    String withReplacement =
        "{\"attestations\":["
            + third.attestationJson()
            + ","
            + replaced.attestationJson()
            + ","
            + second.attestationJson()
            + ","
            + first.attestationJson()
            + "]}";
    String broken =
        "{\"attestations\":["
            + third.attestationJson()
            + ","
            + replaced.attestationJson()
            + ","
            + first.attestationJson()
            + "]}";

    Result ok = verify("history", "--signer", signer, write("h.json", good));
    Result twice = verify("history", "--signer", signer, write("i.json", withReplacement));
    Result chain = verify("history", "--signer", signer, write("j.json", broken));

    assertThat(ok.status).as(ok.out).isZero();
    assertThat(ok.out).contains("3 attestation(s) #1..#3", "back to the first");
    assertThat(twice.status).isEqualTo(1);
    assertThat(twice.out).contains("sequence 2 was signed more than once");
    assertThat(chain.status).isEqualTo(1);
    assertThat(chain.out).contains("#3 names " + second.statement.hash());
  }

  @Test
  void signsAProofRequestWithAKeyFile() throws IOException {
    String hex =
        org.web3j.utils.Numeric.toHexStringNoPrefixZeroPadded(operator.getPrivateKey(), 64);
    Path key = write("key.hex", "0x" + hex + "\n");

    Result result = verify("request", "--key-file", key, "--timestamp", "1764760000");

    String expected = Verifier.proofRequest(1_764_760_000L, signer);
    assertThat(result.status).as(result.out).isZero();
    assertThat(result.out)
        .contains(
            "address="
                + signer
                + "&timestamp=1764760000&signature="
                + Eip191Test.sign(operator, expected),
            expected);
  }

  @Test
  void usageErrorsAndUnreadableFilesExitWithTwo() throws IOException {
    assertThat(verify("proof", write("p.json", snapshot().proofJson(USER))).status).isEqualTo(2);
    assertThat(verify("proof", "--signer", signer, dir.resolve("missing.json")).status)
        .isEqualTo(2);
    assertThat(verify("proof", "--signer", signer, write("bad.json", "{\"leaf\":")).status)
        .isEqualTo(2);
    assertThat(verify("fold", "--signer", signer, write("x.json", "{}")).status).isEqualTo(2);
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  record Result(int status, String out) {}

  static Result verify(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = args[i].toString();
    }
    int status =
        Verifier.run(
            strings,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
  }
}
