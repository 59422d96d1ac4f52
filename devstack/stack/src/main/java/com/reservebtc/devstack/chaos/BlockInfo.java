package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A block header as the node reports it, with its transactions' hashes in block order. */
record BlockInfo(
    long number,
    String hash,
    String parentHash,
    long timestamp,
    BigInteger baseFeePerGas,
    List<String> transactions,
    String stateRoot,
    String receiptsRoot,
    long gasUsed) {

  static BlockInfo of(JsonNode block) {
    if (block == null || block.isNull()) {
      throw new ChaosException("the node has no such block");
    }
    return new BlockInfo(
        JsonRpc.quantity(block.get("number")),
        block.get("hash").asString(),
        block.get("parentHash").asString(),
        JsonRpc.quantity(block.get("timestamp")),
        new BigInteger(block.get("baseFeePerGas").asString().substring(2), 16),
        block.get("transactions").valueStream().map(JsonNode::asString).toList(),
        block.path("stateRoot").asString(""),
        block.path("receiptsRoot").asString(""),
        JsonRpc.quantity(block.get("gasUsed")));
  }

  /**
   * What differs between this block and another at the same height, field by field: for a block
   * mined again that did not come out identical.
   */
  String differencesFrom(BlockInfo other) {
    List<String> differences = new java.util.ArrayList<>();
    if (!parentHash.equals(other.parentHash)) {
      differences.add("parent");
    }
    if (timestamp != other.timestamp) {
      differences.add("timestamp " + other.timestamp + " -> " + timestamp);
    }
    if (!baseFeePerGas.equals(other.baseFeePerGas)) {
      differences.add("base fee " + other.baseFeePerGas + " -> " + baseFeePerGas);
    }
    if (!transactions.equals(other.transactions)) {
      differences.add(
          transactions.size() == other.transactions.size()
                  && new java.util.HashSet<>(transactions)
                      .equals(new java.util.HashSet<>(other.transactions))
              ? "transaction order"
              : "transactions " + other.transactions + " -> " + transactions);
    }
    if (gasUsed != other.gasUsed) {
      differences.add("gas used " + other.gasUsed + " -> " + gasUsed);
    }
    if (!receiptsRoot.equals(other.receiptsRoot)) {
      differences.add("receipts root");
    }
    if (!stateRoot.equals(other.stateRoot)) {
      differences.add("state root");
    }
    return differences.isEmpty() ? "only the hash" : String.join(", ", differences);
  }

  String shortHash() {
    return hash.substring(0, 10);
  }
}
