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
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
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
  void aCursorSurvivesTheWireWithTheRecordsOfItsWindow() {
    ChainRecord deposit =
        ChainRecord.of(
            new FeeVaultEvent(ref(2, H2, 0), FeeVaultEventKind.DEPOSITED, USER, "1000", null));
    ChainRecord scales =
        ChainRecord.of(
            new YieldPoolEvent(ref(2, H2, 1), new ScalesBalanceUpdated("100", "1", "9")));
    IndexedChain chain =
        new IndexedChain(
            new BlockRef(3, H3),
            List.of(
                new WindowBlock(2, H2, H1, 1_700_000_000L, List.of(deposit, scales)),
                new WindowBlock(3, H3, H2, 1_700_000_012L, List.of())));

    IndexerCursor cursor = codec.toAvro(31337, chain, 1234);
    IndexerCursor wire =
        (IndexerCursor) AvroValueDeserializer.decode(AvroValueSerializer.encode(cursor));
    IndexedChain back = codec.fromAvro(wire);

    assertThat(wire.getBlockNumber()).isEqualTo(3);
    assertThat(wire.getRecentBlocks().get(0).getTopics())
        .containsExactly(Topics.CHAIN_FEE_VAULT.name(), Topics.CHAIN_YIELD_POOL.name());
    assertThat(back.tip()).isEqualTo(chain.tip());
    assertThat(back.window()).hasSize(2);
    WindowBlock first = back.window().get(0);
    assertThat(first.parentHash()).isEqualTo(H1);
    assertThat(first.records()).containsExactly(deposit, scales);
    assertThat(first.records().get(1).key()).isEqualTo("global");
    assertThat(first.timestamp()).isEqualTo(1_700_000_000L);
    // An empty block keeps its timestamp too, so its RETRACTED marker carries the real one.
    assertThat(back.window().get(1).timestamp()).isEqualTo(1_700_000_012L);
  }

  @Test
  void aBlockEncodedOnceTravelsIdenticallyInEveryLaterCursor() {
    ChainRecord deposit =
        ChainRecord.of(
            new FeeVaultEvent(ref(2, H2, 0), FeeVaultEventKind.DEPOSITED, USER, "1000", null));
    WindowBlock second = new WindowBlock(2, H2, H1, 1_700_000_000L, List.of(deposit));
    IndexedChain chain = new IndexedChain(new BlockRef(2, H2), List.of(second));

    byte[] first = AvroValueSerializer.encode(codec.toAvro(31337, chain, 1));
    byte[] again = AvroValueSerializer.encode(codec.toAvro(31337, chain, 1));
    IndexedChain longer =
        chain.extend(
            new BlockRef(3, H3), List.of(new WindowBlock(3, H3, H2, 1_700_000_012L, List.of())), 0);
    IndexerCursor extended = codec.toAvro(31337, longer, 2);

    assertThat(again).isEqualTo(first);
    assertThat(codec.fromAvro(extended).window().get(0).records()).containsExactly(deposit);
    assertThat(codec.lastEncodedBytes()).isGreaterThan(first.length / 2);
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
