package com.reservebtc.indexer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.avro.RecentBlock;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

  private static final String H1 = "0x" + "1".repeat(64);
  private static final String H2 = "0x" + "2".repeat(64);
  private static final String H3 = "0x" + "3".repeat(64);
  private static final String TX = "0x" + "f".repeat(64);
  private static final String USER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

  private final CursorCodec codec = new CursorCodec();

  @Test
  void theCursorCarriesNoRecordsAndStaysSmallWhateverTheWindowHolds() {
    List<ChainRecord> many = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      many.add(
          ChainRecord.of(
              new FeeVaultEvent(ref(2, H2, i), FeeVaultEventKind.DEPOSITED, USER, "1000", null)));
    }
    IndexedChain chain =
        new IndexedChain(
            new BlockRef(3, H3),
            List.of(
                new WindowBlock(2, H2, H1, 1_700_000_000L, many),
                new WindowBlock(3, H3, H2, 1_700_000_012L, List.of())));

    IndexerCursor cursor = codec.toAvro(31337, chain, 1, 0, 1234);
    byte[] bytes = AvroValueSerializer.encode(cursor);
    IndexerCursor wire = (IndexerCursor) AvroValueDeserializer.decode(bytes);

    assertThat(bytes.length).isLessThan(200);
    assertThat(codec.lastEncodedBytes()).isEqualTo(bytes.length);
    assertThat(wire.getRecentBlocks()).isEmpty();
    assertThat(wire.getBlockNumber()).isEqualTo(3);
    assertThat(wire.getBlockHash()).isEqualTo(H3);
    assertThat(wire.getWindowFromBlock()).isEqualTo(2);
    assertThat(wire.getConfirmedBlock()).isEqualTo(1);
    assertThat(wire.getFinalizedBlock()).isZero();
    assertThat(CursorCodec.legacyWindow(wire)).isFalse();
  }

  @Test
  void anEmptyWindowIsMarkedSo() {
    IndexerCursor cursor =
        codec.toAvro(31337, new IndexedChain(new BlockRef(3, H3), List.of()), -1, -1, 1);

    assertThat(cursor.getWindowFromBlock()).isEqualTo(-1);
  }

  @Test
  void aCursorOfAnEarlierReleaseIsReadWithTheRecordsItsWindowCarries() {
    ChainRecord deposit =
        ChainRecord.of(
            new FeeVaultEvent(ref(2, H2, 0), FeeVaultEventKind.DEPOSITED, USER, "1000", null));
    ChainRecord scales =
        ChainRecord.of(
            new YieldPoolEvent(ref(2, H2, 1), new ScalesBalanceUpdated("100", "1", "9")));
    IndexerCursor legacy =
        new IndexerCursor(
            31337L,
            3L,
            H3,
            List.of(
                new RecentBlock(
                    2L,
                    H2,
                    H1,
                    1_700_000_000L,
                    List.of(encoded(deposit), encoded(scales)),
                    List.of(Topics.CHAIN_FEE_VAULT.name(), Topics.CHAIN_YIELD_POOL.name())),
                new RecentBlock(3L, H3, H2, 1_700_000_012L, List.of(), List.of())),
            -1L,
            -1L,
            -1L,
            1234L);
    IndexerCursor wire =
        (IndexerCursor) AvroValueDeserializer.decode(AvroValueSerializer.encode(legacy));

    IndexedChain back = codec.fromLegacyAvro(wire);

    assertThat(CursorCodec.legacyWindow(wire)).isTrue();
    assertThat(back.tip()).isEqualTo(new BlockRef(3, H3));
    assertThat(back.window()).hasSize(2);
    WindowBlock first = back.window().get(0);
    assertThat(first.parentHash()).isEqualTo(H1);
    assertThat(first.records()).containsExactly(deposit, scales);
    assertThat(first.records().get(1).key()).isEqualTo("global");
    assertThat(back.window().get(1).timestamp()).isEqualTo(1_700_000_012L);
  }

  private static ByteBuffer encoded(ChainRecord record) {
    return ByteBuffer.wrap(AvroValueSerializer.encode(record.value()));
  }

  private static ChainLogRef ref(long block, String hash, int logIndex) {
    return new ChainLogRef(
        31337L,
        "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
        block,
        hash,
        TX,
        logIndex,
        1_700_000_000L,
        Finality.PENDING,
        false);
  }
}
