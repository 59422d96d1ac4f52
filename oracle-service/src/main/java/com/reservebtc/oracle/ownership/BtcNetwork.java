package com.reservebtc.oracle.ownership;

import java.util.Locale;
import org.bitcoinj.base.BitcoinNetwork;

/**
 * The Bitcoin network whose addresses the oracle accepts. Configured as {@code
 * rbtc.bitcoin.network} with the lower-case {@link #id()}; the same id travels on the wire.
 */
public enum BtcNetwork {
  MAINNET(BitcoinNetwork.MAINNET),
  TESTNET(BitcoinNetwork.TESTNET),
  SIGNET(BitcoinNetwork.SIGNET),
  REGTEST(BitcoinNetwork.REGTEST);

  private final BitcoinNetwork bitcoinj;

  BtcNetwork(BitcoinNetwork bitcoinj) {
    this.bitcoinj = bitcoinj;
  }

  /** {@code mainnet}, {@code testnet}, {@code signet} or {@code regtest}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  BitcoinNetwork bitcoinj() {
    return bitcoinj;
  }
}
