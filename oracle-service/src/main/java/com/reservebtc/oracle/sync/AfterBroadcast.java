package com.reservebtc.oracle.sync;

import com.reservebtc.txsender.SentTx;

/**
 * Called on the sync thread after a sync transaction was broadcast and before its receipt is
 * awaited — the moment a crash leaves a SUBMITTED step without an outcome. The application defines
 * no such bean; a test defines one to stop the oracle at exactly that point.
 */
@FunctionalInterface
public interface AfterBroadcast {

  void broadcast(String user, SentTx tx);
}
