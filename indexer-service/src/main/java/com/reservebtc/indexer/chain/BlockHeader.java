package com.reservebtc.indexer.chain;

/**
 * The parts of an EVM block header the indexer needs: where the block sits and when it was made.
 *
 * @param number block height
 * @param hash lowercase 0x block hash
 * @param parentHash lowercase 0x hash of the parent block
 * @param timestamp the block's own timestamp, epoch seconds
 * @param logsBloom the header's bloom of its logs, null when the node did not send one
 */
public record BlockHeader(
    long number, String hash, String parentHash, long timestamp, LogsBloom logsBloom) {

  /** A header without a bloom (unknown: a block without one may hold any log). */
  public BlockHeader(long number, String hash, String parentHash, long timestamp) {
    this(number, hash, parentHash, timestamp, null);
  }

  public BlockHeader {
    if (number < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + number);
    }
    hash = Hashes.require("block hash", hash);
    parentHash = Hashes.require("parent hash", parentHash);
    if (timestamp < 0) {
      throw new IllegalArgumentException("block timestamp must be >= 0, was " + timestamp);
    }
  }

  /**
   * Whether the block may hold a log of one of {@code addresses} with one of {@code topic0s}: true
   * when the header has no bloom.
   */
  public boolean mightHoldLogs(
      java.util.Collection<LogsBloom.Probe> addresses,
      java.util.Collection<LogsBloom.Probe> topic0s) {
    return logsBloom == null || logsBloom.mightContainAny(addresses, topic0s);
  }

  /** Whether {@code child} is this block's direct child on the same chain. */
  public boolean isParentOf(BlockHeader child) {
    return child.number == number + 1 && child.parentHash.equals(hash);
  }
}
