package com.reservebtc.oracle.ownership;

import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;

/** Signing helpers for tests outside this package (bitcoinj cannot sign P2SH-P2WPKH headers). */
public final class Bip137VerifierTestSupport {

  private Bip137VerifierTestSupport() {}

  /** The regtest P2SH-P2WPKH address of {@code key}. */
  public static String p2shP2wpkh(ECKey key) {
    return Bip137VerifierTest.p2shP2wpkh(key, BitcoinNetwork.REGTEST);
  }

  /** A BIP-137 signature with the P2SH-P2WPKH header (35–38). */
  public static String signP2shP2wpkh(ECKey key, String message) {
    return Bip137VerifierTest.sign(key, message, 35);
  }
}
