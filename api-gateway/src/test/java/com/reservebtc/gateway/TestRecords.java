package com.reservebtc.gateway;

import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;

/** Builders of realistic wire records for tests. */
public final class TestRecords {

  public static final String AGGREGATOR = "0x" + "a1".repeat(20);
  public static final String SYNTH = "0x" + "b2".repeat(20);
  public static final String YIELD_POOL = "0x" + "c3".repeat(20);

  /** Block timestamps are derived from the block number so tests can predict them. */
  public static final long GENESIS_SECONDS = 1_758_600_000L;

  private TestRecords() {}

  public static String txHash(long seed) {
    return String.format("0x%064x", seed);
  }

  public static String blockHash(long chainId, long block, int fork) {
    return String.format("0x%016x%016x%032x", chainId, block, fork);
  }

  public static ChainLogRef log(
      long chainId,
      String contract,
      long block,
      int fork,
      String txHash,
      int logIndex,
      boolean retracted) {
    return ChainLogRef.newBuilder()
        .setChainId(chainId)
        .setContract(contract)
        .setBlockNumber(block)
        .setBlockHash(blockHash(chainId, block, fork))
        .setTxHash(txHash)
        .setLogIndex(logIndex)
        .setBlockTimestamp(GENESIS_SECONDS + block)
        .setFinality(Finality.PENDING)
        .setRetracted(retracted)
        .build();
  }

  public static SyncedEvent synced(
      ChainLogRef log, String user, long newBalance, long delta, String feeWei) {
    return SyncedEvent.newBuilder()
        .setLog(log)
        .setUser(user)
        .setNewBalanceSats(newBalance)
        .setDeltaSats(delta)
        .setFeeWei(feeWei)
        .setHeight(0)
        .setTimestamp(log.getBlockTimestamp())
        .build();
  }

  public static TokenEvent synthMint(ChainLogRef log, String user, long amount) {
    return TokenEvent.newBuilder()
        .setLog(log)
        .setToken(Token.RBTC_SYNTH)
        .setKind(TokenEventKind.MINT)
        .setUser(user)
        .setFrom("0x" + "00".repeat(20))
        .setTo(user)
        .setAmount(Long.toString(amount))
        .build();
  }

  public static BindingEvent bound(String eth, String btc, long occurredAtMillis) {
    return BindingEvent.newBuilder()
        .setKind(BindingKind.BOUND)
        .setEthAddress(eth)
        .setBtcAddress(btc)
        .setNetwork("testnet")
        .setSignatureScheme("BIP322_SIMPLE")
        .setMessageTimestamp(occurredAtMillis / 1000 - 30)
        .setOccurredAtMillis(occurredAtMillis)
        .build();
  }

  public static BlockMarker marker(long chainId, BlockMarkerKind kind, long block) {
    return BlockMarker.newBuilder()
        .setChainId(chainId)
        .setKind(kind)
        .setBlockNumber(block)
        .setBlockHash(blockHash(chainId, block, 0))
        .setParentHash(blockHash(chainId, block - 1, 0))
        .setBlockTimestamp(GENESIS_SECONDS + block)
        .build();
  }
}
