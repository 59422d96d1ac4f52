package com.reservebtc.oracle.reserves;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A proof-of-reserves snapshot at one Bitcoin tip.
 *
 * @param id database id (0 before it is stored)
 * @param btcHeight the Bitcoin tip height every leaf was observed at
 * @param btcTipHash the tip's block hash
 * @param merkleRoot lower-case hex root over the leaves
 * @param leafCount number of leaves (bound addresses)
 * @param totalConfirmedSats Σ confirmed sats over the leaves
 * @param synthTotalSupply rBTC-SYNTH totalSupply (sats) read on-chain at {@code synthBlockNumber}
 * @param synthBlockNumber the EVM block the supply was read at
 * @param backingRatio Σ confirmed / supply in percent, truncated to two decimals, or {@code "n/a"}
 *     when the supply is zero
 * @param minConfirmations the confirmation depth the balances were read with
 * @param createdAt when the snapshot was taken
 */
public record ReserveSnapshot(
    long id,
    long btcHeight,
    String btcTipHash,
    String merkleRoot,
    int leafCount,
    long totalConfirmedSats,
    BigInteger synthTotalSupply,
    long synthBlockNumber,
    String backingRatio,
    int minConfirmations,
    Instant createdAt) {

  ReserveSnapshot withId(long newId) {
    return new ReserveSnapshot(
        newId,
        btcHeight,
        btcTipHash,
        merkleRoot,
        leafCount,
        totalConfirmedSats,
        synthTotalSupply,
        synthBlockNumber,
        backingRatio,
        minConfirmations,
        createdAt);
  }
}
