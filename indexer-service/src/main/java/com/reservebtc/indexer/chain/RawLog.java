package com.reservebtc.indexer.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.Log;

/**
 * One contract log as the node returned it, copied out of web3j's mutable response type and
 * validated, so nothing past the chain adapter touches web3j. Says nothing about whether the log's
 * block is still canonical.
 *
 * @param topics lowercase 0x topics, topic 0 first
 * @param data lowercase 0x ABI-encoded non-indexed arguments
 */
public record RawLog(
    Address address,
    List<String> topics,
    String data,
    long blockNumber,
    String blockHash,
    String txHash,
    int logIndex) {

  public RawLog {
    Objects.requireNonNull(address, "address");
    topics = topics.stream().map(t -> Hashes.require("log topic", t)).toList();
    data = data == null || data.isEmpty() ? "0x" : data.toLowerCase(Locale.ROOT);
    if (blockNumber < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + blockNumber);
    }
    blockHash = Hashes.require("log block hash", blockHash);
    txHash = Hashes.require("log transaction hash", txHash);
    if (logIndex < 0) {
      throw new IllegalArgumentException("log index must be >= 0, was " + logIndex);
    }
  }

  /** Topic 0, the event signature hash, or null for an anonymous log without topics. */
  public String topic0() {
    return topics.isEmpty() ? null : topics.get(0);
  }

  /**
   * Copies a web3j log of a mined block.
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
        toInt(log.getLogIndex()));
  }

  private static int toInt(BigInteger value) {
    if (value == null) {
      throw new IllegalArgumentException("log has no log index");
    }
    return value.intValueExact();
  }
}
