package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.AddressParser;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.SegwitAddress;

/**
 * A Bitcoin address valid on the configured network, in its canonical text form (bech32 lower
 * case), so one address has one spelling in storage and in the uniqueness constraint.
 *
 * <p>Regtest and testnet share legacy (Base58) prefixes; a legacy address is accepted on either.
 *
 * @param text canonical text form
 * @param type the output script type the address pays to
 * @param program the 20- or 32-byte hash or witness program the address commits to
 */
public record BtcAddress(String text, ScriptType type, byte[] program) {

  private static final Pattern ADDRESS_CHARACTERS = Pattern.compile("[0-9A-Za-z]{14,90}");

  public BtcAddress {
    program = program.clone();
  }

  @Override
  public byte[] program() {
    return program.clone();
  }

  /**
   * Parses {@code text} for {@code network}.
   *
   * @throws OwnershipRejectedException with {@link Reason#INVALID_BTC_ADDRESS} if it is not a valid
   *     address of that network
   */
  public static BtcAddress parse(String text, BtcNetwork network) {
    if (text == null || text.isBlank()) {
      throw new OwnershipRejectedException(Reason.INVALID_BTC_ADDRESS, "btcAddress is required");
    }
    if (!ADDRESS_CHARACTERS.matcher(text).matches()) {
      throw new OwnershipRejectedException(
          Reason.INVALID_BTC_ADDRESS,
          "'"
              + Printable.of(text)
              + "' is not a Bitcoin address: only letters and digits, 14 to 90 of them, with"
              + " nothing around them");
    }
    Address address;
    try {
      address = AddressParser.getDefault(network.bitcoinj()).parseAddress(text);
    } catch (IllegalArgumentException e) {
      throw wrongNetworkOrInvalid(text, network, e);
    }
    byte[] program;
    if (address instanceof SegwitAddress segwit) {
      program = segwit.getWitnessProgram();
    } else if (address instanceof LegacyAddress legacy) {
      program = legacy.getHash();
    } else {
      throw new OwnershipRejectedException(
          Reason.INVALID_BTC_ADDRESS, "unsupported address kind: " + text);
    }
    return new BtcAddress(address.toString(), address.getOutputScriptType(), program);
  }

  /**
   * An address that does not parse on {@code network}: if it is a valid address of another network,
   * say which ("wrong network"), else that it is not an address at all.
   */
  private static OwnershipRejectedException wrongNetworkOrInvalid(
      String text, BtcNetwork network, IllegalArgumentException cause) {
    List<String> others = new ArrayList<>();
    for (BtcNetwork other : BtcNetwork.values()) {
      if (other.sharesAddressFormatWith(network) || others.contains(label(other))) {
        continue;
      }
      try {
        AddressParser.getDefault(other.bitcoinj()).parseAddress(text);
        others.add(label(other));
      } catch (IllegalArgumentException notThisOne) {
        // try the next network
      }
    }
    if (!others.isEmpty()) {
      return new OwnershipRejectedException(
          Reason.WRONG_NETWORK,
          "wrong network: "
              + text
              + " is a "
              + String.join(" or ", others)
              + " address; this oracle expects "
              + network.id()
              + " addresses");
    }
    return new OwnershipRejectedException(
        Reason.INVALID_BTC_ADDRESS,
        "'"
            + text
            + "' is not a valid "
            + network.id()
            + " Bitcoin address: "
            + cause.getMessage());
  }

  /** How a network is named in a wrong-network message (address formats shared are named once). */
  private static String label(BtcNetwork network) {
    return switch (network) {
      case MAINNET -> "mainnet";
      case TESTNET, TESTNET4, SIGNET -> "testnet/signet";
      case REGTEST -> "regtest";
    };
  }

  /**
   * The output script this address pays to: P2PKH {@code 76a914<h>88ac}, P2SH {@code a914<h>87},
   * segwit {@code <version op> <push program>} (P2WPKH {@code 0014<h>}, P2WSH {@code 0020<h>}, P2TR
   * {@code 5120<key>}).
   */
  public byte[] scriptPubKey() {
    return switch (type) {
      case P2PKH ->
          concat(
              new byte[] {0x76, (byte) 0xa9, 0x14}, program, new byte[] {(byte) 0x88, (byte) 0xac});
      case P2SH -> concat(new byte[] {(byte) 0xa9, 0x14}, program, new byte[] {(byte) 0x87});
      case P2WPKH, P2WSH -> concat(new byte[] {0x00, (byte) program.length}, program, new byte[0]);
      case P2TR -> concat(new byte[] {0x51, (byte) program.length}, program, new byte[0]);
      default -> throw new IllegalStateException("no output script for " + type);
    };
  }

  private static byte[] concat(byte[] prefix, byte[] body, byte[] suffix) {
    byte[] out = new byte[prefix.length + body.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    System.arraycopy(suffix, 0, out, prefix.length + body.length, suffix.length);
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BtcAddress that
        && text.equals(that.text)
        && type == that.type
        && Arrays.equals(program, that.program);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
