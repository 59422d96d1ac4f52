package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.RawLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;

/**
 * One Solidity event ABI with its signature hash computed once. Decoding checks the shape of the
 * log (topic count, data length) and throws {@link LogDecodingException} rather than returning a
 * partial result.
 */
@SuppressWarnings("rawtypes") // web3j's ABI API is raw-typed
final class AbiEvent {

  private final Event event;
  private final String topic0;

  AbiEvent(Event event) {
    this.event = event;
    this.topic0 = EventEncoder.encode(event).toLowerCase(Locale.ROOT);
  }

  String topic0() {
    return topic0;
  }

  String name() {
    return event.getName();
  }

  EventArgs decode(RawLog log) {
    List<TypeReference<Type>> indexedTypes = event.getIndexedParameters();
    List<TypeReference<Type>> dataTypes = event.getNonIndexedParameters();
    if (log.topics().size() != 1 + indexedTypes.size()) {
      throw malformed(log, "has " + log.topics().size() + " topics", null);
    }
    List<Type> data;
    try {
      data = FunctionReturnDecoder.decode(log.data(), dataTypes);
    } catch (RuntimeException e) {
      throw malformed(log, "has undecodable data", e);
    }
    if (data.size() != dataTypes.size()) {
      throw malformed(
          log, "has data for " + data.size() + " of " + dataTypes.size() + " args", null);
    }
    List<Type> indexed = new ArrayList<>(indexedTypes.size());
    for (int i = 0; i < indexedTypes.size(); i++) {
      try {
        indexed.add(
            FunctionReturnDecoder.decodeIndexedValue(log.topics().get(i + 1), indexedTypes.get(i)));
      } catch (RuntimeException e) {
        throw malformed(log, "has an undecodable topic " + (i + 1), e);
      }
    }
    return new EventArgs(indexed, data);
  }

  private LogDecodingException malformed(RawLog log, String problem, Throwable cause) {
    return new LogDecodingException(
        event.getName()
            + " log "
            + log.txHash()
            + ":"
            + log.logIndex()
            + " of "
            + log.address()
            + " "
            + problem
            + "; is the contract address configured with the right kind?",
        cause);
  }
}
