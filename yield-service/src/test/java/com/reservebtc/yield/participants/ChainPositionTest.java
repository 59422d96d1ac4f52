package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainPositionTest {

  @Test
  void anEarlierBlockComesFirstWhateverTheLogIndexes() {
    ChainPosition block10 = new ChainPosition(1, 10, 7, "1:0xbb:7");
    ChainPosition block51 = new ChainPosition(1, 51, 0, "1:0xaa:0");
    assertThat(block10).isLessThan(block51);
    assertThat(block51).isGreaterThan(block10);
    assertThat(ChainPosition.min(block51, block10)).isEqualTo(block10);
  }

  @Test
  void ordersByChainThenBlockThenLogIndexThenEventId() {
    List<ChainPosition> expected =
        List.of(
            new ChainPosition(1, 99, 9, "1:0xff:9"),
            new ChainPosition(2, 3, 5, "2:0xcc:5"),
            new ChainPosition(2, 4, 0, "2:0xdd:0"),
            new ChainPosition(2, 4, 1, "2:0xaa:1"),
            new ChainPosition(2, 4, 1, "2:0xbb:1"));
    List<ChainPosition> shuffled = new ArrayList<>(expected);
    java.util.Collections.reverse(shuffled);
    shuffled.sort(null);
    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  @Test
  void eventIdsCompareByCodeUnitsAsTheLedgersCollationDoes() {
    // Byte order, as the ledger's event_id (COLLATE "C") compares: ':' (0x3a) after '1' (0x31).
    // A natural-language collation that skips punctuation would put "1:0xab:1" first.
    ChainPosition a = new ChainPosition(1, 4, 1, "1:0xab:1");
    ChainPosition b = new ChainPosition(1, 4, 1, "1:0xab1:1");
    assertThat(b).isLessThan(a);
  }
}
