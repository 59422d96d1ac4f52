package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The Anvil controls the fault test drives: interval mining on and off, snapshots, blocks mined at
 * a chosen timestamp and base fee, the transaction pool, reorgs. Every method is one or a few
 * JSON-RPC calls and throws if the node refuses.
 */
final class AnvilControl {

  private final JsonRpc rpc;

  AnvilControl(JsonRpc rpc) {
    this.rpc = rpc;
  }

  JsonRpc rpc() {
    return rpc;
  }

  /** Stops mining a block a second: pending transactions wait until {@link #mineAt} or resume. */
  void pauseMining() {
    rpc.call("evm_setIntervalMining", 0);
  }

  void resumeMining() {
    rpc.call("evm_setIntervalMining", 1);
  }

  long headNumber() {
    return JsonRpc.quantity(rpc.call("eth_blockNumber"));
  }

  BlockInfo head() {
    return BlockInfo.of(rpc.call("eth_getBlockByNumber", "latest", false));
  }

  BlockInfo block(long number) {
    return BlockInfo.of(rpc.call("eth_getBlockByNumber", JsonRpc.hex(number), false));
  }

  Optional<BlockInfo> blockByTag(String tag) {
    JsonNode block = rpc.call("eth_getBlockByNumber", tag, false);
    return block == null || block.isNull() ? Optional.empty() : Optional.of(BlockInfo.of(block));
  }

  String snapshot() {
    return rpc.call("evm_snapshot").asString();
  }

  void revert(String snapshot) {
    if (!rpc.call("evm_revert", snapshot).asBoolean()) {
      throw new ChaosException("evm_revert(" + snapshot + ") was refused");
    }
  }

  /** Mines one block with exactly this timestamp, holding whatever is pending, and returns it. */
  BlockInfo mineAt(long timestamp) {
    rpc.call("evm_mine", Map.of("timestamp", timestamp, "blocks", 1));
    return head();
  }

  /**
   * The next block's base fee. A revert does not restore Anvil's base fee, so a block mined again
   * on the same parent needs it set to come out identical.
   */
  void setNextBaseFee(BigInteger wei) {
    rpc.call("anvil_setNextBlockBaseFeePerGas", "0x" + wei.toString(16));
  }

  /** The signed raw bytes of every pending transaction, by sender and nonce order. */
  List<String> pendingRaw() {
    JsonNode pending = rpc.call("txpool_content").path("pending");
    List<String> raw = new ArrayList<>();
    for (JsonNode bySender : pending.values()) {
      List<Map.Entry<Long, JsonNode>> byNonce = new ArrayList<>();
      bySender
          .properties()
          .forEach(e -> byNonce.add(Map.entry(Long.parseLong(e.getKey()), e.getValue())));
      byNonce.sort(Map.Entry.comparingByKey());
      for (Map.Entry<Long, JsonNode> tx : byNonce) {
        rawTransaction(tx.getValue().get("hash").asString()).ifPresent(raw::add);
      }
    }
    return raw;
  }

  /** The hashes of every pending transaction. */
  List<String> pendingHashes() {
    List<String> hashes = new ArrayList<>();
    for (JsonNode bySender : rpc.call("txpool_content").path("pending").values()) {
      for (JsonNode tx : bySender.values()) {
        hashes.add(tx.get("hash").asString());
      }
    }
    return hashes;
  }

  /** Removes one transaction from the pool; a transaction no longer there is not an error. */
  void dropTransaction(String hash) {
    rpc.call("anvil_dropTransaction", hash);
  }

  Optional<String> rawTransaction(String hash) {
    JsonNode raw = rpc.call("eth_getRawTransactionByHash", hash);
    return raw == null || raw.isNull() ? Optional.empty() : Optional.of(raw.asString());
  }

  void dropAllTransactions() {
    rpc.call("anvil_dropAllTransactions");
  }

  /**
   * Sends a signed transaction; the node's refusal (nonce too low, known) is returned, not thrown.
   */
  Optional<String> sendRaw(String raw) {
    try {
      rpc.call("eth_sendRawTransaction", raw);
      return Optional.empty();
    } catch (JsonRpc.RpcError e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Replaces the latest {@code depth} blocks with as many empty ones (their transactions are gone).
   */
  void reorg(int depth) {
    rpc.call("anvil_reorg", depth, List.of());
  }

  void setBalance(String address, BigInteger wei) {
    rpc.call("anvil_setBalance", address, "0x" + wei.toString(16));
  }

  /** Moves the chain's clock forward for the blocks mined from now on. */
  void increaseTime(long seconds) {
    rpc.call("evm_increaseTime", seconds);
  }

  long transactionCount(String address, String tag) {
    return JsonRpc.quantity(rpc.call("eth_getTransactionCount", address, tag));
  }

  BigInteger balance(String address) {
    return new BigInteger(
        rpc.call("eth_getBalance", address, "latest").asString().substring(2), 16);
  }
}
