package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.avro.Finality;

/**
 * A chain's heights as the latest markers of each kind state them ({@code null} until one came).
 *
 * @param chainId the chain
 * @param head the head block
 * @param confirmed the highest block labelled CONFIRMED
 * @param finalized the highest block labelled FINALIZED
 */
public record Heights(long chainId, Long head, Long confirmed, Long finalized) {

  /** Nothing known about the chain yet. */
  public static Heights unknown(long chainId) {
    return new Heights(chainId, null, null, null);
  }

  /** The finality of a log in {@code blockNumber} as things stand. */
  public Finality finalityOf(long blockNumber) {
    if (finalized != null && blockNumber <= finalized) {
      return Finality.FINALIZED;
    }
    if (confirmed != null && blockNumber <= confirmed) {
      return Finality.CONFIRMED;
    }
    return Finality.PENDING;
  }
}
