package com.reservebtc.txsender;

import java.math.BigInteger;
import java.util.List;

/**
 * The receipt of a mined transaction, read once it was deep enough.
 *
 * @param hash the version of the transaction that was mined
 * @param blockNumber block it was mined in
 * @param blockHash that block's hash
 * @param success receipt status 1
 * @param gasUsed gas it used
 * @param effectiveGasPrice wei per gas it paid, or {@code null} if the node does not say
 * @param logs the logs it emitted, in order
 */
public record Receipt(
    String hash,
    long blockNumber,
    String blockHash,
    boolean success,
    BigInteger gasUsed,
    BigInteger effectiveGasPrice,
    List<LogEntry> logs) {

  public Receipt {
    logs = List.copyOf(logs);
  }

  /**
   * One log of the receipt.
   *
   * @param address emitting contract, lower case
   * @param topics topic hashes, topic 0 first
   * @param data ABI-encoded non-indexed fields
   * @param logIndex position in the block
   */
  public record LogEntry(String address, List<String> topics, String data, long logIndex) {

    public LogEntry {
      topics = List.copyOf(topics);
    }
  }
}
