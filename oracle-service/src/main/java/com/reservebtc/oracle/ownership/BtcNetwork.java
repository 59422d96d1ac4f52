package com.reservebtc.oracle.ownership;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.bitcoinj.base.BitcoinNetwork;

/**
 * The Bitcoin network whose addresses the oracle accepts and whose chain its sources must serve.
 * Configured as {@code rbtc.bitcoin.network} with the lower-case {@link #id()}; the same id travels
 * on the wire.
 *
 * <p>testnet3, testnet4 and signet share address formats ({@code tb1…}), so an address cannot tell
 * them apart; the genesis block hash can, and every source is checked against it.
 */
public enum BtcNetwork {
  MAINNET(
      BitcoinNetwork.MAINNET, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"),
  /** testnet3. */
  TESTNET(
      BitcoinNetwork.TESTNET, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943"),
  TESTNET4(
      BitcoinNetwork.TESTNET, "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043"),
  SIGNET(BitcoinNetwork.SIGNET, "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6"),
  REGTEST(
      BitcoinNetwork.REGTEST, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");

  private final BitcoinNetwork bitcoinj;
  private final String genesisHash;

  BtcNetwork(BitcoinNetwork bitcoinj, String genesisHash) {
    this.bitcoinj = bitcoinj;
    this.genesisHash = genesisHash;
  }

  /** {@code mainnet}, {@code testnet}, {@code testnet4}, {@code signet} or {@code regtest}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The hash of block 0, as Esplora's {@code /block-height/0} answers it. */
  public String genesisHash() {
    return genesisHash;
  }

  /** The network whose genesis block has this hash, if it is one of ours. */
  public static Optional<BtcNetwork> ofGenesisHash(String hash) {
    return Arrays.stream(values()).filter(n -> n.genesisHash.equals(hash)).findFirst();
  }

  /** Whether addresses of this network and {@code other} look the same. */
  boolean sharesAddressFormatWith(BtcNetwork other) {
    return bitcoinj == other.bitcoinj;
  }

  BitcoinNetwork bitcoinj() {
    return bitcoinj;
  }
}
