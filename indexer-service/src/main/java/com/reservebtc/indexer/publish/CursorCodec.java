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
 * Converts the indexed chain to the wire {@link IndexerCursor} and back. Records of window blocks
 * travel single-object encoded, exactly as published, so a retraction after a restart is the same
 * event the consumers saw.
 */
final class CursorCodec {

  private final AvroValueSerializer serializer = new AvroValueSerializer();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();

  IndexerCursor toAvro(long chainId, IndexedChain chain, long nowMillis) {
    List<RecentBlock> recent = new ArrayList<>(chain.window().size());
    for (WindowBlock block : chain.window()) {
      List<ByteBuffer> logs = new ArrayList<>(block.records().size());
      List<String> topics = new ArrayList<>(block.records().size());
      for (ChainRecord record : block.records()) {
        logs.add(ByteBuffer.wrap(serializer.serialize(record.topic().name(), record.value())));
        topics.add(record.topic().name());
      }
      recent.add(
          new RecentBlock(block.number(), block.hash(), block.parentHash(), 0L, logs, topics));
    }
    return new IndexerCursor(chainId, chain.tip().number(), chain.tip().hash(), recent, nowMillis);
  }

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
      window.add(
          WindowBlock.restored(block.getNumber(), block.getHash(), block.getParentHash(), records));
    }
    return new IndexedChain(new BlockRef(cursor.getBlockNumber(), cursor.getBlockHash()), window);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
