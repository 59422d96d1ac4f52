package com.reservebtc.schemas;

import com.reservebtc.schemas.avro.ChainLogRef;
import java.util.Locale;

/**
 * Identity of chain events: {@code chainId:txHash:logIndex}. The block hash is deliberately not
 * part of it, so the same log re-mined in another block after a reorg keeps its identity.
 */
public final class EventIds {

  private EventIds() {}

  public static String of(ChainLogRef log) {
    return of(log.getChainId(), log.getTxHash(), log.getLogIndex());
  }

  public static String of(long chainId, String txHash, int logIndex) {
    return chainId + ":" + txHash.toLowerCase(Locale.ROOT) + ":" + logIndex;
  }
}
