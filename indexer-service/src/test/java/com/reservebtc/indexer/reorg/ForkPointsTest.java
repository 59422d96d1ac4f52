package com.reservebtc.indexer.reorg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.indexer.chain.BlockRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForkPointsTest {

  @Test
  void findsTheNewestStillCanonicalBlockAndOrphansEverythingAbove() {
    IndexedChain indexed = chain(100, 105, "a");
    Map<Long, String> canonical = hashes(100, 102, "a");
    canonical.putAll(hashes(103, 106, "b"));
    List<Long> asked = new ArrayList<>();

    ForkPoint fork =
        ForkPoints.find(
            indexed,
            n -> {
              asked.add(n);
              return Optional.ofNullable(canonical.get(n));
            });

    assertThat(fork.block()).isEqualTo(new BlockRef(102, hash("a", 102)));
    assertThat(fork.orphaned()).extracting(WindowBlock::number).containsExactly(103L, 104L, 105L);
    // Walks back from the newest block and stops at the first match.
    assertThat(asked).containsExactly(105L, 104L, 103L, 102L);
  }

  @Test
  void aCanonicalTipMeansNothingIsOrphaned() {
    IndexedChain indexed = chain(10, 12, "a");

    ForkPoint fork = ForkPoints.find(indexed, n -> Optional.of(hash("a", n)));

    assertThat(fork.block().number()).isEqualTo(12);
    assertThat(fork.orphaned()).isEmpty();
  }

  @Test
  void blocksTheNodeNoLongerHasAreOrphaned() {
    IndexedChain indexed = chain(10, 14, "a");
    Map<Long, String> canonical = hashes(10, 11, "a");

    ForkPoint fork = ForkPoints.find(indexed, n -> Optional.ofNullable(canonical.get(n)));

    assertThat(fork.block().number()).isEqualTo(11);
    assertThat(fork.orphaned()).extracting(WindowBlock::number).containsExactly(12L, 13L, 14L);
  }

  @Test
  void aReorgBelowTheWholeWindowIsRefused() {
    IndexedChain indexed = chain(10, 14, "a");

    assertThatThrownBy(() -> ForkPoints.find(indexed, n -> Optional.of(hash("b", n))))
        .isInstanceOf(ReorgTooDeepException.class)
        .hasMessageContaining("below block 10");
  }

  @Test
  void aReorgOfATipOutsideTheWindowIsRefused() {
    IndexedChain deepTip = new IndexedChain(new BlockRef(500, hash("a", 500)), List.of());

    assertThatThrownBy(() -> ForkPoints.find(deepTip, n -> Optional.of(hash("b", n))))
        .isInstanceOf(ReorgTooDeepException.class)
        .hasMessageContaining("500");
  }

  @Test
  void rewindKeepsBlocksUpToTheForkPointAndMovesTheTipThere() {
    IndexedChain indexed = chain(100, 105, "a");
    ForkPoint fork =
        new ForkPoint(
            new BlockRef(102, hash("a", 102)),
            indexed.window().stream().filter(b -> b.number() > 102).toList());

    IndexedChain rewound = indexed.rewind(fork);

    assertThat(rewound.tip()).isEqualTo(new BlockRef(102, hash("a", 102)));
    assertThat(rewound.window()).extracting(WindowBlock::number).containsExactly(100L, 101L, 102L);
    assertThat(rewound.nextBlock(0)).isEqualTo(103);
  }

  @Test
  void extendForgetsBlocksThatLeftTheReorgWindow() {
    IndexedChain indexed = chain(100, 103, "a");
    List<WindowBlock> next = List.of(block(104, "a"), block(105, "a"));

    IndexedChain extended = indexed.extend(new BlockRef(105, hash("a", 105)), next, 101);

    assertThat(extended.window())
        .extracting(WindowBlock::number)
        .containsExactly(102L, 103L, 104L, 105L);
    assertThat(extended.tip().number()).isEqualTo(105);
    assertThatThrownBy(
            () -> extended.extend(new BlockRef(106, hash("a", 106)), List.of(block(105, "a")), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyChainStartsAtTheFirstConfiguredBlock() {
    assertThat(IndexedChain.empty().nextBlock(77)).isEqualTo(77);
    assertThat(IndexedChain.empty().tipRef()).isEmpty();
  }

  static IndexedChain chain(long first, long last, String fork) {
    List<WindowBlock> window = new ArrayList<>();
    for (long n = first; n <= last; n++) {
      window.add(block(n, fork));
    }
    return new IndexedChain(new BlockRef(last, hash(fork, last)), window);
  }

  static WindowBlock block(long n, String fork) {
    return new WindowBlock(n, hash(fork, n), hash(fork, n - 1), 1_700_000_000L + n, List.of());
  }

  static Map<Long, String> hashes(long first, long last, String fork) {
    Map<Long, String> hashes = new HashMap<>();
    for (long n = first; n <= last; n++) {
      hashes.put(n, hash(fork, n));
    }
    return hashes;
  }

  /** A distinct, well-formed block hash per fork letter and height. */
  static String hash(String fork, long n) {
    String digits = Long.toHexString(n);
    String prefix = fork.equals("a") ? "a" : "b";
    return "0x" + prefix.repeat(64 - digits.length()) + digits;
  }
}
