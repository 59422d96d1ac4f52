package com.reservebtc.esplora;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON shapes real Esplora (Blockstream electrs) serves, field for field and in the same order,
 * for the endpoints the simulator implements. Fields real Esplora derives from data the simulator
 * does not model (sizes, weights, merkle roots, difficulty) carry plausible synthetic values.
 */
final class EsploraJson {
  private EsploraJson() {}

  @JsonPropertyOrder({"address", "chain_stats", "mempool_stats"})
  record AddressInfo(
      String address,
      @JsonProperty("chain_stats") TxoStats chainStats,
      @JsonProperty("mempool_stats") TxoStats mempoolStats) {}

  @JsonPropertyOrder({
    "funded_txo_count",
    "funded_txo_sum",
    "spent_txo_count",
    "spent_txo_sum",
    "tx_count"
  })
  record TxoStats(
      @JsonProperty("funded_txo_count") long fundedTxoCount,
      @JsonProperty("funded_txo_sum") long fundedTxoSum,
      @JsonProperty("spent_txo_count") long spentTxoCount,
      @JsonProperty("spent_txo_sum") long spentTxoSum,
      @JsonProperty("tx_count") long txCount) {}

  @JsonPropertyOrder({"txid", "vout", "status", "value"})
  record Utxo(String txid, int vout, TxStatus status, long value) {}

  /**
   * A transaction as {@code /address/{a}/txs} lists it. Script fields (scriptpubkey, asm, type,
   * witness) are left out: the simulator has no scripts; the address and value of every input's
   * previous output and of every output are what a balance needs.
   */
  @JsonPropertyOrder({
    "txid",
    "version",
    "locktime",
    "vin",
    "vout",
    "size",
    "weight",
    "fee",
    "status"
  })
  record TxInfo(
      String txid,
      int version,
      long locktime,
      java.util.List<TxInput> vin,
      java.util.List<TxOutput> vout,
      long size,
      long weight,
      long fee,
      TxStatus status) {}

  @JsonPropertyOrder({"txid", "vout", "prevout", "is_coinbase", "sequence"})
  record TxInput(
      String txid,
      long vout,
      TxOutput prevout,
      @JsonProperty("is_coinbase") boolean isCoinbase,
      long sequence) {}

  /** {@code scriptpubkey_address} is absent for outputs no address represents. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"scriptpubkey_address", "value"})
  record TxOutput(@JsonProperty("scriptpubkey_address") String scriptpubkeyAddress, long value) {}

  /** Unconfirmed transactions carry only {@code confirmed:false}, like real Esplora. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"confirmed", "block_height", "block_hash", "block_time"})
  record TxStatus(
      boolean confirmed,
      @JsonProperty("block_height") Integer blockHeight,
      @JsonProperty("block_hash") String blockHash,
      @JsonProperty("block_time") Long blockTime) {

    static final TxStatus UNCONFIRMED = new TxStatus(false, null, null, null);

    static TxStatus confirmedIn(Block block) {
      return new TxStatus(true, block.height(), block.hash(), block.time());
    }
  }

  @JsonPropertyOrder({
    "id",
    "height",
    "version",
    "timestamp",
    "tx_count",
    "size",
    "weight",
    "merkle_root",
    "previousblockhash",
    "mediantime",
    "nonce",
    "bits",
    "difficulty"
  })
  record BlockInfo(
      String id,
      int height,
      long version,
      long timestamp,
      @JsonProperty("tx_count") int txCount,
      long size,
      long weight,
      @JsonProperty("merkle_root") String merkleRoot,
      String previousblockhash,
      long mediantime,
      long nonce,
      long bits,
      double difficulty) {}

  @JsonPropertyOrder({"in_best_chain", "height", "next_best"})
  record BlockStatus(
      @JsonProperty("in_best_chain") boolean inBestChain,
      Integer height,
      @JsonProperty("next_best") String nextBest) {

    static final BlockStatus NOT_IN_BEST_CHAIN = new BlockStatus(false, null, null);
  }
}
