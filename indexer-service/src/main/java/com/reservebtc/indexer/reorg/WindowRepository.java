package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code indexer.window_blocks} table: each recent block with the records published for it,
 * keyed by block hash, so a reorg or an operator rewind can retract them, however many there are
 * (the Kafka cursor stays small).
 *
 * <p>Guarantees: {@link #store} returns once the rows are durable and writes only while {@code
 * epoch} is the chain's ingest lease; called before the Kafka commit, the committed cursor's blocks
 * always have their rows. {@link #chain} reads only the rows reached from a given block hash
 * through parent hashes, so rows of transactions that never committed are ignored. Records come
 * back exactly as published (single-object bytes). Thread-safe.
 */
@Repository
public class WindowRepository {

  private final JdbcTemplate jdbc;
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();

  WindowRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores {@code blocks} (replacing rows of the same hash) if {@code epoch} holds the lease. */
  public void store(long chainId, long epoch, List<WindowBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(blocks.size());
    for (WindowBlock block : blocks) {
      rows.add(
          new Object[] {
            chainId,
            block.hash(),
            block.number(),
            block.parentHash(),
            block.timestamp(),
            block.records().size(),
            encode(block.records()),
            chainId,
            epoch
          });
    }
    jdbc.batchUpdate(
        """
        insert into window_blocks
          (chain_id, block_hash, block_number, parent_hash, block_timestamp, record_count, records)
        select ?, ?, ?, ?, ?, ?, ?
        where exists (select 1 from ingest_leases where chain_id = ? and epoch = ?)
        on conflict (chain_id, block_hash) do update set
          block_number = excluded.block_number, parent_hash = excluded.parent_hash,
          block_timestamp = excluded.block_timestamp, record_count = excluded.record_count,
          records = excluded.records
        """,
        rows);
  }

  /**
   * The stored blocks from {@code fromHash} (at {@code fromNumber}) back through parent hashes down
   * to {@code downTo}, oldest first; it ends early (above {@code downTo}) at the first block that
   * is not stored.
   */
  public List<WindowBlock> chain(long chainId, String fromHash, long fromNumber, long downTo) {
    if (downTo > fromNumber) {
      return List.of();
    }
    Map<String, WindowBlock> byHash = new HashMap<>();
    jdbc.query(
        """
        select block_hash, block_number, parent_hash, block_timestamp, records
        from window_blocks
        where chain_id = ? and block_number between ? and ?
        """,
        rs -> {
          byHash.put(
              rs.getString(1),
              new WindowBlock(
                  rs.getLong(2),
                  rs.getString(1),
                  rs.getString(3),
                  rs.getLong(4),
                  decode(rs.getBytes(5))));
        },
        chainId,
        downTo,
        fromNumber);
    List<WindowBlock> chain = new ArrayList<>();
    String hash = fromHash;
    long expected = fromNumber;
    while (expected >= downTo) {
      WindowBlock block = byHash.get(hash);
      if (block == null || block.number() != expected) {
        break;
      }
      chain.add(block);
      hash = block.parentHash();
      expected--;
    }
    Collections.reverse(chain);
    return chain;
  }

  /** The lowest block number stored for the chain, -1 if none. */
  public long oldest(long chainId) {
    Long oldest =
        jdbc.queryForObject(
            "select min(block_number) from window_blocks where chain_id = ?", Long.class, chainId);
    return oldest == null ? -1 : oldest;
  }

  /** Deletes the rows of blocks below {@code below}. */
  public int prune(long chainId, long below) {
    return jdbc.update(
        "delete from window_blocks where chain_id = ? and block_number < ?", chainId, below);
  }

  private byte[] encode(List<ChainRecord> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + records.size() * 400);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(records.size());
      for (ChainRecord record : records) {
        byte[] topic = record.topic().name().getBytes(StandardCharsets.UTF_8);
        // The bytes published to Kafka (encoded once, see ChainRecord#wire).
        byte[] value = record.wire();
        out.writeShort(topic.length);
        out.write(topic);
        out.writeInt(value.length);
        out.write(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private List<ChainRecord> decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int count = in.readInt();
      List<ChainRecord> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] topic = new byte[in.readUnsignedShort()];
        in.readFully(topic);
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        String name = new String(topic, StandardCharsets.UTF_8);
        records.add(ChainRecord.of(name, deserializer.deserialize(name, value)));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("malformed window block row", e);
    }
  }
}
