package com.reservebtc.txsender;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * Told when the max-fee cap stops the key's progress and when progress resumes — once per change,
 * not per poll. A service turns these into alert records; the sender itself also logs one WARN line
 * per change and sets the {@code rbtc.txsender.stuck} gauge. Called on the thread that noticed the
 * change; must not block for long and must not throw.
 */
public interface SenderListener {

  /** A listener that does nothing (the WARN line and the gauge remain). */
  SenderListener NONE = new SenderListener() {};

  /** Progress of the key stopped because of the cap. */
  default void stuck(Stuck stuck) {}

  /**
   * Progress resumed: the stuck transaction was mined, replaced or dropped, or a send succeeded.
   */
  default void resumed(String address, String detail) {}

  /**
   * Why the key cannot progress.
   *
   * @param address the key's address, lower case
   * @param nonce the nonce of the stuck transaction, or {@code null} when a new transaction was
   *     refused before signing because the base fee is above the cap
   * @param hashes every version of the stuck transaction (empty when nothing was signed)
   * @param fees fees of its latest version (null when nothing was signed)
   * @param baseFeePerGas the node's base fee when this was noticed (null on a legacy node)
   * @param maxFeePerGasCap the configured cap
   * @param reason one sentence for an operator
   * @param since when this was noticed
   */
  record Stuck(
      String address,
      Long nonce,
      List<String> hashes,
      Fees fees,
      BigInteger baseFeePerGas,
      BigInteger maxFeePerGasCap,
      String reason,
      Instant since) {

    public Stuck {
      hashes = List.copyOf(hashes);
    }
  }
}
