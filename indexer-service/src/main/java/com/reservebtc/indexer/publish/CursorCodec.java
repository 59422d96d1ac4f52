package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.avro.RecentBlock;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Converts the indexed chain to the wire {@link IndexerCursor} and back. The cursor is small: the
 * tip, where the window starts and the latest CONFIRMED / FINALIZED heights; the window's blocks
 * and records are stored in the database ({@link com.reservebtc.indexer.reorg.WindowRepository}).
 * Cursors of earlier releases carried the window's records (single-object encoded, exactly as
 * published) and are still read ({@link #legacyWindow}).
 *
 * <p>Not thread-safe: owned by the publisher (encoding) and the reader (decoding) separately.
 */
final class CursorCodec {

  private final AvroValueSerializer serializer = new AvroValueSerializer();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();
  private volatile int lastEncodedBytes;

  /** The wire cursor of {@code chain} with the latest marker heights. */
  IndexerCursor toAvro(
      long chainId, IndexedChain chain, long confirmed, long finalized, long nowMillis) {
    long windowFrom = chain.window().isEmpty() ? -1 : chain.window().get(0).number();
    IndexerCursor cursor =
        new IndexerCursor(
            chainId,
            chain.tip().number(),
            chain.tip().hash(),
            List.of(),
            windowFrom,
            confirmed,
            finalized,
            nowMillis);
    lastEncodedBytes = serializer.serialize(null, cursor).length;
    return cursor;
  }

  /** Bytes of the last cursor built, as written to Kafka (before compression). */
  int lastEncodedBytes() {
    return lastEncodedBytes;
  }

  /** Whether the cursor was written by an earlier release and carries its window's records. */
  static boolean legacyWindow(IndexerCursor cursor) {
    return !cursor.getRecentBlocks().isEmpty();
  }

  /** The tip and window of a cursor of an earlier release, with the records it carries. */
  IndexedChain fromLegacyAvro(IndexerCursor cursor) {
    List<WindowBlock> window = new ArrayList<>(cursor.getRecentBlocks().size());
    for (RecentBlock block : cursor.getRecentBlocks()) {
      if (block.getLogs().size() != block.getTopics().size()) {
        throw new IllegalStateException(
            "cursor block "
                + block.getNumber()
                + " has "
                + block.getLogs().size()
                + " records but "
                + block.getTopics().size()
                + " topics");
      }
      List<ChainRecord> records = new ArrayList<>(block.getLogs().size());
      for (int i = 0; i < block.getLogs().size(); i++) {
        String topic = block.getTopics().get(i);
        SpecificRecord value = deserializer.deserialize(topic, bytes(block.getLogs().get(i)));
        records.add(ChainRecord.of(topic, value));
      }
      window.add(restored(block, records));
    }
    return new IndexedChain(new BlockRef(cursor.getBlockNumber(), cursor.getBlockHash()), window);
  }

  /**
   * A window block as the cursor stored it. Cursors written before blocks carried their timestamp
   * have 0 there; the records of the block still know it.
   */
  private static WindowBlock restored(RecentBlock block, List<ChainRecord> records) {
    long timestamp = block.getTimestamp();
    if (timestamp == 0 && !records.isEmpty()) {
      timestamp = records.get(0).log().getBlockTimestamp();
    }
    return new WindowBlock(
        block.getNumber(), block.getHash(), block.getParentHash(), timestamp, records);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
