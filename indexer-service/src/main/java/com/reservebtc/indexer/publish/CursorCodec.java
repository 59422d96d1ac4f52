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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Converts the indexed chain to the wire {@link IndexerCursor} and back. Records of window blocks
 * travel single-object encoded, exactly as published, so a retraction after a restart is the same
 * event the consumers saw; window blocks keep their timestamp, so a RETRACTED marker after a
 * restart carries the block's real timestamp.
 *
 * <p>Not thread-safe: owned by the publisher (encoding) and the reader (decoding) separately.
 */
final class CursorCodec {

  private final AvroValueSerializer serializer = new AvroValueSerializer();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();
  private Map<WindowBlock, Encoded> cache = new IdentityHashMap<>();
  private volatile int lastEncodedBytes;

  /**
   * The wire cursor of {@code chain}. Window blocks encoded for an earlier cursor are reused (a
   * block's records never change), so a cursor costs the encoding of its new blocks only.
   */
  IndexerCursor toAvro(long chainId, IndexedChain chain, long nowMillis) {
    Map<WindowBlock, Encoded> next = new IdentityHashMap<>();
    List<RecentBlock> recent = new ArrayList<>(chain.window().size());
    int bytes = 64;
    for (WindowBlock block : chain.window()) {
      Encoded encoded = cache.get(block);
      if (encoded == null) {
        encoded = encode(block);
      }
      next.put(block, encoded);
      recent.add(encoded.block());
      bytes += encoded.bytes();
    }
    cache = next;
    lastEncodedBytes = bytes;
    return new IndexerCursor(chainId, chain.tip().number(), chain.tip().hash(), recent, nowMillis);
  }

  /** About how many bytes the last cursor built takes on the wire (before compression). */
  int lastEncodedBytes() {
    return lastEncodedBytes;
  }

  private Encoded encode(WindowBlock block) {
    List<ByteBuffer> logs = new ArrayList<>(block.records().size());
    List<String> topics = new ArrayList<>(block.records().size());
    int bytes = 200;
    for (ChainRecord record : block.records()) {
      byte[] value = serializer.serialize(record.topic().name(), record.value());
      logs.add(ByteBuffer.wrap(value));
      topics.add(record.topic().name());
      bytes += value.length + record.topic().name().length() + 4;
    }
    return new Encoded(
        new RecentBlock(
            block.number(), block.hash(), block.parentHash(), block.timestamp(), logs, topics),
        bytes);
  }

  private record Encoded(RecentBlock block, int bytes) {}

  IndexedChain fromAvro(IndexerCursor cursor) {
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
