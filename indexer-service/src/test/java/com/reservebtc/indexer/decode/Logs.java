package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.RawLog;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.Log;

/** Builds web3j logs with real ABI encoding, as a node would return them. */
@SuppressWarnings("rawtypes")
final class Logs {

  static final String BLOCK_HASH =
      "0x1111111111111111111111111111111111111111111111111111111111111111";
  static final String TX_HASH =
      "0xABCDEF0000000000000000000000000000000000000000000000000000000001";
  static final long BLOCK = 42;
  static final int LOG_INDEX = 7;

  private Logs() {}

  static Log web3jLog(String contract, Event event, List<Type> indexed, List<Type> data) {
    List<String> topics = new ArrayList<>();
    topics.add(EventEncoder.encode(event));
    for (Type value : indexed) {
      topics.add("0x" + TypeEncoder.encode(value));
    }
    return new Log(
        false,
        "0x" + Integer.toHexString(LOG_INDEX),
        "0x0",
        TX_HASH,
        BLOCK_HASH,
        "0x" + Long.toHexString(BLOCK),
        contract,
        "0x" + FunctionEncoder.encodeConstructor(data),
        null,
        topics);
  }

  static RawLog raw(String contract, Event event, List<Type> indexed, List<Type> data) {
    return RawLog.of(web3jLog(contract, event, indexed, data));
  }

  static Address address(String hex) {
    return new Address(hex);
  }

  static BigInteger big(long value) {
    return BigInteger.valueOf(value);
  }
}
