package com.reservebtc.reserves.verifier;

import java.util.Locale;

/**
 * One Bitcoin address inside a user's leaf: its output script and its balance as of the
 * attestation's Bitcoin block.
 *
 * @param btcAddress the address as text (shown to the user; not hashed — the script is)
 * @param scriptPubKey lower-case hex of the output script, 1..255 bytes
 * @param sats the balance as of the attested block, never negative
 */
public record LeafAddress(String btcAddress, String scriptPubKey, long sats) {

  public LeafAddress {
    scriptPubKey = scriptPubKey.toLowerCase(Locale.ROOT);
    byte[] script = Hex.decode(scriptPubKey);
    if (script.length == 0 || script.length > 255) {
      throw new IllegalArgumentException("a scriptPubKey is 1..255 bytes");
    }
    if (sats < 0) {
      throw new IllegalArgumentException("a balance cannot be negative");
    }
  }

  byte[] script() {
    return Hex.decode(scriptPubKey);
  }
}
