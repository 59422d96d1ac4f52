package com.reservebtc.esplora;

import java.util.Locale;
import org.bitcoinj.base.BitcoinNetwork;

/**
 * The Bitcoin network whose address formats the simulator accepts and whose genesis block it starts
 * from. Only address encoding and the genesis block differ between networks; consensus rules are
 * not simulated.
 */
public enum Network {
  MAINNET(
      BitcoinNetwork.MAINNET,
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
      1231006505L,
      210_000),
  TESTNET(
      BitcoinNetwork.TESTNET,
      "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
      1296688602L,
      210_000),
  SIGNET(
      BitcoinNetwork.SIGNET,
      "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
      1598918400L,
      210_000),
  REGTEST(
      BitcoinNetwork.REGTEST,
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
      1296688602L,
      150);

  private final BitcoinNetwork bitcoinj;
  private final String genesisHash;
  private final long genesisTime;
  private final int halvingInterval;

  Network(BitcoinNetwork bitcoinj, String genesisHash, long genesisTime, int halvingInterval) {
    this.bitcoinj = bitcoinj;
    this.genesisHash = genesisHash;
    this.genesisTime = genesisTime;
    this.halvingInterval = halvingInterval;
  }

  /**
   * Parses the names used by the product's configuration ({@code regtest|testnet|signet|mainnet})
   * and bitcoind's aliases ({@code main}, {@code test}, {@code bitcoin}), case-insensitively.
   */
  public static Network parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Bitcoin network must be one of " + names());
    }
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "mainnet", "main", "bitcoin" -> MAINNET;
      case "testnet", "test", "testnet3" -> TESTNET;
      case "signet" -> SIGNET;
      case "regtest" -> REGTEST;
      default ->
          throw new IllegalArgumentException(
              "Unknown Bitcoin network '" + name + "'; use one of " + names());
    };
  }

  /** The lower-case name used on the wire and in configuration. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  BitcoinNetwork bitcoinj() {
    return bitcoinj;
  }

  String genesisHash() {
    return genesisHash;
  }

  long genesisTime() {
    return genesisTime;
  }

  /** Block subsidy at a height, halving like the real network (regtest halves every 150). */
  long subsidyAt(int height) {
    int halvings = height / halvingInterval;
    return halvings >= 64 ? 0 : (50L * Sats.PER_BTC) >> halvings;
  }

  private static String names() {
    return "regtest, testnet, signet, mainnet";
  }
}
