package com.reservebtc.esplora;

import org.bitcoinj.base.Address;
import org.bitcoinj.base.AddressParser;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.exceptions.AddressFormatException;

/**
 * Accepts the address encodings Bitcoin Core accepts for one network: base58check P2PKH/P2SH and
 * bech32 (witness v0) / bech32m (v1+, taproot) with a valid checksum.
 *
 * <p>Guarantees: an accepted address is returned in canonical form (bech32 lower-cased), so the
 * same address written in upper case finds the same outputs. Regtest, testnet and signet share
 * base58 prefixes, so a testnet base58 address is also a valid regtest one — exactly as in Bitcoin
 * Core.
 */
final class AddressValidator {
  /** Real Esplora's wording for an address that does not parse at all. */
  static final String INVALID = "Invalid Bitcoin address";

  /** Real Esplora's wording for a well-formed address of another network. */
  static final String WRONG_NETWORK = "Address on invalid network";

  private final Network network;
  private final AddressParser parser;

  AddressValidator(Network network) {
    this.network = network;
    this.parser = AddressParser.getDefault(network.bitcoinj());
  }

  /**
   * The canonical form of {@code address}.
   *
   * @throws RejectedRequestException with {@link #INVALID} or {@link #WRONG_NETWORK}
   */
  String canonical(String address) {
    if (address == null || address.isBlank() || address.length() > 100) {
      throw new RejectedRequestException(INVALID);
    }
    try {
      return parser.parseAddress(address).toString();
    } catch (AddressFormatException e) {
      for (Network other : Network.values()) {
        if (other != network && parsesOn(other, address)) {
          throw new RejectedRequestException(WRONG_NETWORK);
        }
      }
      throw new RejectedRequestException(INVALID);
    }
  }

  /**
   * Where {@code /dev/spend} sends coins by default: the P2WPKH address of an all-zero key hash,
   * which no one can spend from.
   */
  String sinkAddress() {
    return SegwitAddress.fromHash(network.bitcoinj(), new byte[20]).toString();
  }

  private static boolean parsesOn(Network candidate, String address) {
    try {
      Address parsed = AddressParser.getDefault(candidate.bitcoinj()).parseAddress(address);
      return parsed != null;
    } catch (AddressFormatException e) {
      return false;
    }
  }
}
