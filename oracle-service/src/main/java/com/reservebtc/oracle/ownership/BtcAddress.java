package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.util.Arrays;
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
    Address address;
    try {
      address = AddressParser.getDefault(network.bitcoinj()).parseAddress(text.trim());
    } catch (IllegalArgumentException e) {
      throw new OwnershipRejectedException(
          Reason.INVALID_BTC_ADDRESS,
          "'" + text + "' is not a valid " + network.id() + " Bitcoin address: " + e.getMessage());
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
