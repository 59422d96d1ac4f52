package com.reservebtc.oracle.reserves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleTreeTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String ETH = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  private static final byte[] P2WPKH = HEX.parseHex("00142b05d564e6a7a33c087f16e0f730d1440123799d");

  @Test
  void leafAndNodeEncodingMatchAnIndependentComputation() {
    // Expected values computed outside Java (Python hashlib) from the README's encoding.
    byte[] l0 = ReserveProofVerifier.leafHash(ETH, P2WPKH, 1_250_000, 101);
    assertThat(HEX.formatHex(l0))
        .isEqualTo("a28f05996637d65b990b6937250ce7914795d782900bd349545d6a83639e2f0b");
    byte[] l1 =
        ReserveProofVerifier.leafHash(
            "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            HEX.parseHex("5120" + "11".repeat(32)),
            42,
            101);
    byte[] l2 =
        ReserveProofVerifier.leafHash(
            ETH, HEX.parseHex("76a914" + "22".repeat(20) + "88ac"), 0, 101);
    assertThat(new MerkleTree(List.of(l0, l1, l2)).rootHex())
        .isEqualTo("3f3e36cbc43953ea44858729817a3c483ce79531b0836d7642a6215aca3e6de2");
  }

  @Test
  void oneLeafIsItsOwnRootWithAnEmptyPath() {
    byte[] leaf = leaf(0);
    MerkleTree tree = new MerkleTree(List.of(leaf));
    assertThat(tree.root()).isEqualTo(leaf);
    assertThat(tree.proof(0)).isEmpty();
    assertThat(ReserveProofVerifier.fold(leaf, tree.proof(0))).isEqualTo(tree.root());
  }

  @Test
  void twoLeavesHashLeftThenRight() {
    MerkleTree tree = new MerkleTree(List.of(leaf(0), leaf(1)));
    assertThat(tree.root()).isEqualTo(ReserveProofVerifier.nodeHash(leaf(0), leaf(1)));
    assertThat(tree.proof(0)).containsExactly("R:" + HEX.formatHex(leaf(1)));
    assertThat(tree.proof(1)).containsExactly("L:" + HEX.formatHex(leaf(0)));
  }

  @Test
  void anOddLastNodeIsCarriedUpNotDuplicated() {
    MerkleTree three = new MerkleTree(leaves(3));
    byte[] left = ReserveProofVerifier.nodeHash(leaf(0), leaf(1));
    assertThat(three.root()).isEqualTo(ReserveProofVerifier.nodeHash(left, leaf(2)));
    assertThat(three.proof(2)).containsExactly("L:" + HEX.formatHex(left));

    MerkleTree five = new MerkleTree(leaves(5));
    byte[] four =
        ReserveProofVerifier.nodeHash(
            ReserveProofVerifier.nodeHash(leaf(0), leaf(1)),
            ReserveProofVerifier.nodeHash(leaf(2), leaf(3)));
    assertThat(five.root()).isEqualTo(ReserveProofVerifier.nodeHash(four, leaf(4)));
    // Leaf 4 is carried up twice: its path has a single step, at the top.
    assertThat(five.proof(4)).containsExactly("L:" + HEX.formatHex(four));
    assertThat(five.proof(0)).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 100})
  void everyLeafsProofFoldsToTheRootAndTheVerifierAgrees(int count) {
    List<byte[]> leaves = leaves(count);
    MerkleTree tree = new MerkleTree(leaves);
    assertThat(ReserveProofVerifier.root(leaves)).isEqualTo(tree.root());
    for (int i = 0; i < count; i++) {
      assertThat(ReserveProofVerifier.fold(leaves.get(i), tree.proof(i)))
          .as("leaf %d of %d", i, count)
          .isEqualTo(tree.root());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5})
  void aTamperedLeafOrPathDoesNotFoldToTheRoot(int count) {
    MerkleTree tree = new MerkleTree(leaves(count));
    for (int i = 0; i < count; i++) {
      byte[] tampered = ReserveProofVerifier.leafHash(ETH, P2WPKH, 1_000 + i + 1, 101);
      assertThat(ReserveProofVerifier.fold(tampered, tree.proof(i))).isNotEqualTo(tree.root());
      List<String> swapped = new ArrayList<>(tree.proof(i));
      String first = swapped.get(0);
      swapped.set(0, (first.charAt(0) == 'L' ? "R" : "L") + first.substring(1));
      assertThat(ReserveProofVerifier.fold(leaf(i), swapped)).isNotEqualTo(tree.root());
    }
  }

  @Test
  void refusesAnEmptyTreeAndMalformedInput() {
    assertThatThrownBy(() -> new MerkleTree(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReserveProofVerifier.leafHash("0x1234", P2WPKH, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReserveProofVerifier.leafHash(ETH, P2WPKH, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReserveProofVerifier.fold(leaf(0), List.of("X:" + "00".repeat(32))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commandLineVerifiesAProofAndRejectsATamperedOne() {
    List<byte[]> leaves = leaves(5);
    MerkleTree tree = new MerkleTree(leaves);
    List<String> args = new ArrayList<>();
    args.addAll(List.of(tree.rootHex(), ETH, HEX.formatHex(P2WPKH), "1003", "101"));
    args.addAll(tree.proof(3));
    Output ok = run(args);
    assertThat(ok.status()).as(ok.text()).isZero();
    assertThat(ok.text()).contains("VERIFIED");

    args.set(3, "1004");
    Output tampered = run(args);
    assertThat(tampered.status()).isEqualTo(1);
    assertThat(tampered.text()).contains("MISMATCH");

    assertThat(run(List.of("nonsense")).status()).isEqualTo(2);
  }

  @Test
  void commandLineRecomputesTheRootOfAnExport(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      lines.add(
          "{\"index\":"
              + i
              + ",\"ethAddress\":\""
              + ETH
              + "\",\"btcAddress\":\"bcrt1q…\",\"scriptPubKey\":\""
              + HEX.formatHex(P2WPKH)
              + "\",\"confirmedSats\":"
              + (1000 + i)
              + ",\"btcHeight\":101,\"leafHash\":\""
              + HEX.formatHex(leaf(i))
              + "\"}");
    }
    Path export = dir.resolve("reserves.jsonl");
    Files.write(export, lines, StandardCharsets.UTF_8);
    String root = new MerkleTree(leaves(3)).rootHex();

    Output ok = run(List.of("--export", export.toString(), root));
    assertThat(ok.status()).as(ok.text()).isZero();
    assertThat(ok.text()).contains("leaves        3", "total sats    3003", "VERIFIED");

    lines.set(1, lines.get(1).replace("\"confirmedSats\":1001", "\"confirmedSats\":9001"));
    Files.write(export, lines, StandardCharsets.UTF_8);
    Output tampered = run(List.of("--export", export.toString(), root));
    assertThat(tampered.status()).isEqualTo(1);
    assertThat(tampered.text()).contains("line 2", "MISMATCH");
  }

  private record Output(int status, String text) {}

  private static Output run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status = ReserveProofVerifier.run(args.toArray(String[]::new), stream, stream);
    return new Output(status, out.toString(StandardCharsets.UTF_8));
  }

  private static List<byte[]> leaves(int count) {
    return IntStream.range(0, count).mapToObj(MerkleTreeTest::leaf).toList();
  }

  private static byte[] leaf(int i) {
    return ReserveProofVerifier.leafHash(ETH, P2WPKH, 1_000 + i, 101);
  }
}
