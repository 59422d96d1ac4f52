package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rbtc-por-v2 tree against vectors computed by an independent implementation of the README's
 * steps (a separate program with its own SHA-256), written out here as hex.
 */
class SumTreeTest {

  /**
   * Five users: one address, two addresses (given out of order), a zero balance, 21 M BTC, 1 sat.
   */
  static final List<SumLeaf> USERS =
      List.of(
          SumLeaf.of(
              "11".repeat(32),
              "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
              List.of(new LeafAddress("bcrt1qa", "0014" + "ab".repeat(20), 150_000))),
          SumLeaf.of(
              "22".repeat(32),
              "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
              List.of(
                  new LeafAddress("bcrt1pc", "5120" + "cd".repeat(32), 2_500),
                  new LeafAddress("bcrt1q0", "0014" + "01".repeat(20), 7_500))),
          SumLeaf.of(
              "33".repeat(32),
              "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
              List.of(new LeafAddress("m", "76a914" + "ee".repeat(20) + "88ac", 0))),
          SumLeaf.of(
              "44".repeat(32),
              "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
              List.of(
                  new LeafAddress("2", "a914" + "99".repeat(20) + "87", 2_100_000_000_000_000L))),
          SumLeaf.of(
              "55".repeat(32),
              "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
              List.of(new LeafAddress("bcrt1q7", "0014" + "77".repeat(20), 1))));

  @Test
  void leafHashesAreTheSha256OfTheDocumentedPreimage() throws Exception {
    // user 1: 0x00 ‖ salt ‖ eth ‖ u64 10000 ‖ u32 2 ‖ (22, 0014 01…, 7500) ‖ (34, 5120 cd…, 2500)
    String preimage =
        "00"
            + "22".repeat(32)
            + "3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
            + "0000000000002710"
            + "00000002"
            + "16"
            + "0014"
            + "01".repeat(20)
            + "0000000000001d4c"
            + "22"
            + "5120"
            + "cd".repeat(32)
            + "00000000000009c4";
    String expected = "707d2be5385c58e964a0ea7a99802929b41554b274236dec0cfb4a61f246ef61";

    assertThat(Hex.encode(MessageDigest.getInstance("SHA-256").digest(Hex.decode(preimage))))
        .isEqualTo(expected);
    assertThat(USERS.get(1).node()).isEqualTo(SumNode.of(expected, 10_000));
    assertThat(USERS.get(0).node())
        .isEqualTo(
            SumNode.of(
                "25e1b4053195958b236e1100a4786fe121bcb20141fc3abf605b2a912d8d4517", 150_000));
    assertThat(USERS.get(2).node())
        .isEqualTo(
            SumNode.of("48a5b3ef4d76435a70850c4f5742c3244910717224db921b821026c5658dfdfd", 0));
    assertThat(USERS.get(3).node())
        .isEqualTo(
            SumNode.of(
                "1b154a5bbc127d9004951e539ac591890b5e5bf513b5df15f0a622026a1fe5e9",
                2_100_000_000_000_000L));
    assertThat(USERS.get(4).node())
        .isEqualTo(
            SumNode.of("2696ed91899b385df290fed8a9f8f727473f8e2279a7102d0d0c8047c356af1d", 1));
  }

  @Test
  void aParentCommitsToBothChildrenAndBothSums() throws Exception {
    // 0x01 ‖ left hash ‖ u64 150000 ‖ right hash ‖ u64 10000
    String preimage =
        "01"
            + "25e1b4053195958b236e1100a4786fe121bcb20141fc3abf605b2a912d8d4517"
            + "00000000000249f0"
            + "707d2be5385c58e964a0ea7a99802929b41554b274236dec0cfb4a61f246ef61"
            + "0000000000002710";
    SumNode parent = SumNode.parent(USERS.get(0).node(), USERS.get(1).node());

    assertThat(parent.hash())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(Hex.decode(preimage)));
    assertThat(parent.sum()).isEqualTo(160_000);
  }

  @Test
  void oneLeafIsItsOwnRoot() {
    SumTree tree = tree(1);

    assertThat(tree.root())
        .isEqualTo(
            SumNode.of(
                "25e1b4053195958b236e1100a4786fe121bcb20141fc3abf605b2a912d8d4517", 150_000));
    assertThat(tree.proof(0)).isEmpty();
  }

  @Test
  void rootsOfTwoThreeAndFiveLeavesMatchTheVectors() {
    assertThat(tree(2).root())
        .isEqualTo(
            SumNode.of(
                "38de9149ae42465f1c807bcccd617c2236af95ab66579b27dcf572950d645284", 160_000));
    // odd: the third leaf is carried up unchanged, not paired with itself
    assertThat(tree(3).root())
        .isEqualTo(
            SumNode.of(
                "57b255100795c6df9ed9aa36a223ceb2dc5afe04d611143c6287a993dc4e8389", 160_000));
    assertThat(tree(5).root())
        .isEqualTo(
            SumNode.of(
                "6c2785a5a6cfb79b5531e459ef9ce0fedb5a79a26eab941c987e50dd000f2457",
                2_100_000_000_160_001L));
    assertThat(SumTree.rootOf(ordered(5))).isEqualTo(tree(5).root());
  }

  @Test
  void theRootOfAHundredThousandLeavesMatchesTheVector() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<SumNode> leaves = new ArrayList<>(100_000);
    for (int i = 0; i < 100_000; i++) {
      byte[] eth = java.util.Arrays.copyOf(sha.digest(tagged("eth", i)), 20);
      byte[] script = java.util.Arrays.copyOf(sha.digest(tagged("script", i)), 20);
      leaves.add(
          SumLeaf.of(
                  Hex.encode(sha.digest(tagged("salt", i))),
                  "0x" + Hex.encode(eth),
                  List.of(
                      new LeafAddress("", "0014" + Hex.encode(script), (i * 7919L) % 100_000_000)))
              .node());
    }
    leaves.sort(SumNode::compareHash);

    SumTree tree = new SumTree(leaves);

    assertThat(tree.root())
        .isEqualTo(
            SumNode.of(
                "d48c944347cea26ce32eb69dcddddbc68889a5d543a8785cac799ca44dca7853",
                4_952_904_050_000L));
    for (int index : new int[] {0, 1, 31_337, 99_998, 99_999}) {
      assertThat(SumTree.fold(leaves.get(index), index, 100_000, tree.proof(index)))
          .isEqualTo(tree.root());
    }
  }

  @Test
  void everyLeafsPathFoldsToTheRootForEveryCountUpToSeventeen() {
    for (int count = 1; count <= 17; count++) {
      List<SumNode> leaves = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        leaves.add(new SumNode(sha(i), i * 1_000L));
      }
      SumTree tree = new SumTree(leaves);
      for (int i = 0; i < count; i++) {
        assertThat(SumTree.fold(leaves.get(i), i, count, tree.proof(i)))
            .as("leaf %d of %d", i, count)
            .isEqualTo(tree.root());
      }
      assertThat(tree.root().sum()).isEqualTo(1_000L * count * (count - 1) / 2);
    }
  }

  @Test
  void aPathForAnotherPositionOrWithAnExtraStepIsRefused() {
    SumTree tree = tree(5);
    List<SumNode> leaves = ordered(5);
    List<ProofStep> path = tree.proof(1);

    assertThatThrownBy(() -> SumTree.fold(leaves.get(1), 0, 5, path))
        .hasMessageContaining("wrong side");
    List<ProofStep> longer = new ArrayList<>(path);
    longer.add(path.get(0));
    assertThatThrownBy(() -> SumTree.fold(leaves.get(1), 1, 5, longer))
        .hasMessageContaining("steps");
    assertThatThrownBy(() -> SumTree.fold(leaves.get(4), 4, 5, tree.proof(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sumsCannotBeNegativeOrOverflow() {
    assertThatThrownBy(() -> new SumNode(new byte[32], -1)).hasMessageContaining("negative");
    assertThatThrownBy(() -> new LeafAddress("a", "0014", -5)).hasMessageContaining("negative");
    SumNode big = new SumNode(new byte[32], Long.MAX_VALUE);
    assertThatThrownBy(() -> SumNode.parent(big, new SumNode(new byte[32], 1)))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(
            () ->
                new SumLeaf(
                    "11".repeat(32),
                    "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                    List.of(new LeafAddress("a", "0014" + "ab".repeat(20), 5)),
                    6))
        .hasMessageContaining("not the sum");
  }

  static SumTree tree(int users) {
    return new SumTree(ordered(users));
  }

  /** The first {@code users} leaves in leaf order (ascending hash). */
  static List<SumNode> ordered(int users) {
    List<SumNode> nodes =
        new ArrayList<>(USERS.subList(0, users).stream().map(SumLeaf::node).toList());
    nodes.sort(Comparator.comparing(SumNode::hashHex));
    return nodes;
  }

  private static byte[] tagged(String tag, int i) {
    byte[] text = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(text.length + 4).put(text).putInt(i).array();
  }

  private static byte[] sha(int i) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(tagged("node", i));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
