package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;

/** The decoded arguments of one log, read as the indexer's own types (no web3j type escapes). */
@SuppressWarnings("rawtypes") // web3j's ABI API is raw-typed
record EventArgs(List<Type> indexed, List<Type> data) {

  Address indexedAddress(int i) {
    return Address.of(((org.web3j.abi.datatypes.Address) indexed.get(i)).getValue());
  }

  BigInteger number(int i) {
    return ((NumericType) data.get(i)).getValue();
  }

  /** A decimal string of an unsigned integer argument (uint256 does not fit a long). */
  String decimal(int i) {
    return number(i).toString();
  }

  String string(int i) {
    return ((Utf8String) data.get(i)).getValue();
  }
}
