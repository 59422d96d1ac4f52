package com.reservebtc.esplora;

import java.util.Arrays;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.SegwitAddress;

/** Valid, distinct addresses built from a small number, so tests need no key material. */
final class TestAddresses {
  private TestAddresses() {}

  /** A regtest P2WPKH (bech32) address. */
  static String p2wpkh(int n) {
    return SegwitAddress.fromHash(BitcoinNetwork.REGTEST, filled(20, n)).toString();
  }

  /** A regtest P2TR (bech32m) address. */
  static String p2tr(int n) {
    return SegwitAddress.fromProgram(BitcoinNetwork.REGTEST, 1, filled(32, n)).toString();
  }

  /** A regtest (= testnet prefix) P2PKH base58check address. */
  static String p2pkh(int n) {
    return LegacyAddress.fromPubKeyHash(BitcoinNetwork.REGTEST, filled(20, n)).toString();
  }

  /** A regtest P2SH base58check address. */
  static String p2sh(int n) {
    return LegacyAddress.fromScriptHash(BitcoinNetwork.REGTEST, filled(20, n)).toString();
  }

  static String mainnetP2wpkh(int n) {
    return SegwitAddress.fromHash(BitcoinNetwork.MAINNET, filled(20, n)).toString();
  }

  private static byte[] filled(int length, int n) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) n);
    bytes[0] = (byte) (n >> 8);
    return bytes;
  }
}
