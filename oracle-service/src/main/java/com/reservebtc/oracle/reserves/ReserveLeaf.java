package com.reservebtc.oracle.reserves;

import java.util.HexFormat;

/**
 * One leaf of a proof-of-reserves snapshot: a bound Bitcoin address's confirmed balance at the
 * snapshot's height, attributed to the EVM address it is bound to.
 *
 * @param index position in the snapshot's leaf order
 * @param ethAddress lower-case 0x EVM address
 * @param btcAddress canonical Bitcoin address (informational; the hash commits to the script)
 * @param scriptPubKey lower-case hex of the output script the address pays to
 * @param confirmedSats confirmed balance at {@code btcHeight}
 * @param btcHeight the Bitcoin tip height the balance was observed at
 * @param leafHash lower-case hex leaf hash ({@link ReserveProofVerifier#leafHash})
 */
public record ReserveLeaf(
    int index,
    String ethAddress,
    String btcAddress,
    String scriptPubKey,
    long confirmedSats,
    long btcHeight,
    String leafHash) {

  private static final HexFormat HEX = HexFormat.of();

  /** A leaf with its hash computed; the index is assigned once the leaves are sorted. */
  static ReserveLeaf of(
      String ethAddress, String btcAddress, byte[] scriptPubKey, long confirmedSats, long height) {
    return new ReserveLeaf(
        -1,
        ethAddress,
        btcAddress,
        HEX.formatHex(scriptPubKey),
        confirmedSats,
        height,
        HEX.formatHex(
            ReserveProofVerifier.leafHash(ethAddress, scriptPubKey, confirmedSats, height)));
  }

  ReserveLeaf withIndex(int newIndex) {
    return new ReserveLeaf(
        newIndex, ethAddress, btcAddress, scriptPubKey, confirmedSats, btcHeight, leafHash);
  }

  byte[] hashBytes() {
    return HEX.parseHex(leafHash);
  }
}
