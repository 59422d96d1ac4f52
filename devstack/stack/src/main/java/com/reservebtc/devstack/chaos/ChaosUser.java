package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * One user of the run: an EVM wallet and a regtest Bitcoin key, both derived from the run's seed
 * (so a seed names the same users every time). DEV ONLY keys, for a local chain.
 */
record ChaosUser(int index, Credentials wallet, ECKey bitcoinKey, String bitcoinAddress) {

  private static final BigInteger CURVE_ORDER =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  static ChaosUser derive(long seed, int index) {
    Credentials wallet = Credentials.create(key(seed, "evm", index).toString(16));
    ECKey bitcoin = ECKey.fromPrivate(key(seed, "btc", index));
    return new ChaosUser(
        index,
        wallet,
        bitcoin,
        bitcoin.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString());
  }

  /** A wallet of the harness itself (it pays for fee deposits in forks it mines). */
  static Credentials sponsor(long seed) {
    return Credentials.create(key(seed, "sponsor", 0).toString(16));
  }

  String address() {
    return wallet.getAddress().toLowerCase(Locale.ROOT);
  }

  private static BigInteger key(long seed, String purpose, int index) {
    byte[] digest =
        Hash.sha3(
            ("rbtc-chaos:" + seed + ":" + purpose + ":" + index).getBytes(StandardCharsets.UTF_8));
    return new BigInteger(1, digest).mod(CURVE_ORDER.subtract(BigInteger.ONE)).add(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return "user " + index + " " + address();
  }
}
