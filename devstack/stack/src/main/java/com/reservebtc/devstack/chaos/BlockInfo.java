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
    List<String> transactions) {

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
        block.get("transactions").valueStream().map(JsonNode::asString).toList());
  }

  String shortHash() {
    return hash.substring(0, 10);
  }
}
