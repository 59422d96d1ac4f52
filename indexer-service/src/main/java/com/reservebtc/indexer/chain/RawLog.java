package com.reservebtc.indexer.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.Log;

/**
 * One contract log as the node returned it, validated and in the indexer's own types. Says nothing
 * about whether the log's block is still canonical.
 *
 * @param topics lowercase 0x topics, topic 0 first
 * @param data lowercase 0x ABI-encoded non-indexed arguments
 * @param blockTimestamp the block's timestamp (epoch seconds) when the node sent it with the log
 *     (newer nodes do), else -1
 */
public record RawLog(
    Address address,
    List<String> topics,
    String data,
    long blockNumber,
    String blockHash,
    String txHash,
    int logIndex,
    long blockTimestamp) {

  public RawLog {
    Objects.requireNonNull(address, "address");
    List<String> checked = new ArrayList<>(topics.size());
    for (String topic : topics) {
      checked.add(Hashes.require("log topic", topic));
    }
    topics = List.copyOf(checked);
    if (data == null || data.isEmpty()) {
      data = "0x";
    } else {
      String canonical = Hashes.canonicalHex(data, -1);
      if (canonical == null || canonical.length() % 2 != 0) {
        throw new IllegalArgumentException("log data is not 0x hex bytes");
      }
      data = canonical;
    }
    if (blockNumber < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + blockNumber);
    }
    blockHash = Hashes.require("log block hash", blockHash);
    txHash = Hashes.require("log transaction hash", txHash);
    if (logIndex < 0) {
      throw new IllegalArgumentException("log index must be >= 0, was " + logIndex);
    }
    if (blockTimestamp < -1) {
      throw new IllegalArgumentException("block timestamp must be >= 0, was " + blockTimestamp);
    }
  }

  /** Topic 0, the event signature hash, or null for an anonymous log without topics. */
  public String topic0() {
    return topics.isEmpty() ? null : topics.get(0);
  }

  /**
   * Copies a web3j log of a mined block (web3j's type is used by tests and tools that build logs).
   *
   * @throws IllegalArgumentException if the log is pending (no block) or malformed
   */
  public static RawLog of(Log log) {
    if (log.getBlockHash() == null || log.getBlockNumberRaw() == null) {
      throw new IllegalArgumentException(
          "log of transaction " + log.getTransactionHash() + " has no block (pending log)");
    }
    return new RawLog(
        Address.of(log.getAddress()),
        log.getTopics() == null ? List.of() : log.getTopics(),
        log.getData(),
        log.getBlockNumber().longValueExact(),
        log.getBlockHash(),
        log.getTransactionHash(),
        toInt(log.getLogIndex()),
        -1);
  }

  private static int toInt(BigInteger value) {
    if (value == null) {
      throw new IllegalArgumentException("log has no log index");
    }
    return value.intValueExact();
  }
}
