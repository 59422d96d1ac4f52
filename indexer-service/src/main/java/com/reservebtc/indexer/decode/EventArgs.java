package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.Address;
import java.math.BigInteger;

/**
 * The decoded arguments of one log, in the indexer's own types: indexed ones (topics) and
 * non-indexed ones (data), each in declaration order. Numbers are {@link BigInteger}, addresses
 * {@link Address}, strings {@link String}.
 */
record EventArgs(Object[] indexed, Object[] data) {

  Address indexedAddress(int i) {
    return (Address) indexed[i];
  }

  BigInteger number(int i) {
    return (BigInteger) data[i];
  }

  /** A decimal string of an unsigned integer argument (uint256 does not fit a long). */
  String decimal(int i) {
    return number(i).toString();
  }

  String string(int i) {
    return (String) data[i];
  }
}
