package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.RawLog;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Utf8String;

/**
 * One Solidity event ABI with its signature hash computed once, and a decoder for its logs that
 * reads the hex ABI words directly (the events here use only address, intN, uintN and string).
 * Decoding checks the shape of the log (topic count, data length, every value within its type,
 * string offsets and lengths within the data) and throws {@link LogDecodingException} rather than
 * returning a partial result.
 */
final class AbiEvent {

  private static final Pattern NUMERIC = Pattern.compile("(Uint|Int)(\\d+)");

  /** The ABI type of one parameter. */
  private record Param(Kind kind, int bits) {
    String canonical() {
      return switch (kind) {
        case ADDRESS -> "address";
        case UINT -> "uint" + bits;
        case INT -> "int" + bits;
        case STRING -> "string";
      };
    }
  }

  private enum Kind {
    ADDRESS,
    UINT,
    INT,
    STRING
  }

  private final String name;
  private final String topic0;
  private final List<Param> indexed;
  private final List<Param> data;

  AbiEvent(Event event) {
    this.name = event.getName();
    // The canonical signature, e.g. Transfer(address,address,uint256), from the parameters in
    // declaration order.
    StringJoiner types = new StringJoiner(",", event.getName() + "(", ")");
    params(event.getParameters()).forEach(p -> types.add(p.canonical()));
    String signature = types.toString();
    this.topic0 =
        "0x"
            + HexFormat.of()
                .formatHex(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)));
    this.indexed = params(event.getIndexedParameters());
    this.data = params(event.getNonIndexedParameters());
    if (indexed.stream().anyMatch(p -> p.kind() == Kind.STRING)) {
      throw new IllegalArgumentException(name + ": indexed strings are hashed, not decodable");
    }
  }

  String topic0() {
    return topic0;
  }

  String name() {
    return name;
  }

  EventArgs decode(RawLog log) {
    if (log.topics().size() != 1 + indexed.size()) {
      throw malformed(log, "has " + log.topics().size() + " topics", null);
    }
    Object[] indexedValues = new Object[indexed.size()];
    for (int i = 0; i < indexed.size(); i++) {
      String topic = log.topics().get(i + 1);
      try {
        indexedValues[i] = word(indexed.get(i), topic, 2);
      } catch (IllegalArgumentException e) {
        throw malformed(log, "has an undecodable topic " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    String hex = log.data();
    int words = (hex.length() - 2) / 64;
    if ((hex.length() - 2) % 64 != 0 || words < data.size()) {
      throw malformed(log, "has data for " + words + " words, " + data.size() + " expected", null);
    }
    Object[] dataValues = new Object[data.size()];
    for (int i = 0; i < data.size(); i++) {
      Param param = data.get(i);
      try {
        dataValues[i] =
            param.kind() == Kind.STRING ? string(hex, words, i) : word(param, hex, 2 + 64 * i);
      } catch (IllegalArgumentException e) {
        throw malformed(log, "has undecodable data: " + e.getMessage(), e);
      }
    }
    return new EventArgs(indexedValues, dataValues);
  }

  /** The value of one static 32-byte word starting at {@code offset} of {@code hex}. */
  private static Object word(Param param, String hex, int offset) {
    return switch (param.kind()) {
      case ADDRESS -> {
        requireZeros(hex, offset, 24, "address");
        yield Address.of("0x" + hex.substring(offset + 24, offset + 64));
      }
      case UINT -> {
        requireZeros(hex, offset, 64 - param.bits() / 4, "uint" + param.bits());
        yield unsigned(hex, offset + 64 - param.bits() / 4, offset + 64);
      }
      case INT -> signed(hex, offset, param.bits());
      case STRING -> throw new IllegalArgumentException("a string is not a static word");
    };
  }

  private static BigInteger unsigned(String hex, int from, int to) {
    // Skip leading zeros: small amounts are the common case and fit a long.
    int start = from;
    while (start < to && hex.charAt(start) == '0') {
      start++;
    }
    if (to - start <= 15) {
      return start == to ? BigInteger.ZERO : BigInteger.valueOf(parseHex(hex, start, to));
    }
    return new BigInteger(hex.substring(start, to), 16);
  }

  private static BigInteger signed(String hex, int offset, int bits) {
    int digits = bits / 4;
    int valueStart = offset + 64 - digits;
    boolean negative = Character.digit(hex.charAt(valueStart), 16) >= 8;
    char fill = negative ? 'f' : '0';
    for (int i = offset; i < valueStart; i++) {
      if (hex.charAt(i) != fill) {
        throw new IllegalArgumentException("int" + bits + " out of range");
      }
    }
    BigInteger magnitude = new BigInteger(hex.substring(valueStart, offset + 64), 16);
    return negative ? magnitude.subtract(BigInteger.ONE.shiftLeft(bits)) : magnitude;
  }

  /** A dynamic string whose head word is word {@code index}. */
  private static String string(String hex, int words, int index) {
    long offset =
        ((BigInteger) word(new Param(Kind.UINT, 256), hex, 2 + 64 * index)).longValueExact();
    if (offset % 32 != 0 || offset / 32 >= words) {
      throw new IllegalArgumentException("string offset " + offset + " outside the data");
    }
    int lengthWord = (int) (offset / 32);
    long length =
        ((BigInteger) word(new Param(Kind.UINT, 256), hex, 2 + 64 * lengthWord)).longValueExact();
    int start = 2 + 64 * (lengthWord + 1);
    if (length > (hex.length() - start) / 2) {
      throw new IllegalArgumentException("string length " + length + " beyond the data");
    }
    byte[] bytes = HexFormat.of().parseHex(hex, start, start + (int) (2 * length));
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("string is not UTF-8", e);
    }
  }

  private static void requireZeros(String hex, int offset, int count, String type) {
    for (int i = offset; i < offset + count; i++) {
      if (hex.charAt(i) != '0') {
        throw new IllegalArgumentException(type + " out of range");
      }
    }
  }

  private static long parseHex(String hex, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("not hex: " + hex.charAt(i));
      }
      value = (value << 4) | digit;
    }
    return value;
  }

  @SuppressWarnings("rawtypes") // web3j's ABI API is raw-typed
  private static List<Param> params(List<TypeReference<org.web3j.abi.datatypes.Type>> types) {
    List<Param> params = new ArrayList<>(types.size());
    for (TypeReference<?> type : types) {
      Class<?> javaType;
      try {
        javaType = type.getClassType();
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("unknown ABI type " + type.getType(), e);
      }
      if (javaType == org.web3j.abi.datatypes.Address.class) {
        params.add(new Param(Kind.ADDRESS, 160));
      } else if (javaType == Utf8String.class) {
        params.add(new Param(Kind.STRING, 0));
      } else {
        Matcher numeric = NUMERIC.matcher(javaType.getSimpleName());
        if (!numeric.matches()) {
          throw new IllegalArgumentException("unsupported ABI type " + javaType.getSimpleName());
        }
        params.add(
            new Param(
                numeric.group(1).equals("Int") ? Kind.INT : Kind.UINT,
                Integer.parseInt(numeric.group(2))));
      }
    }
    return List.copyOf(params);
  }

  private LogDecodingException malformed(RawLog log, String problem, Throwable cause) {
    return new LogDecodingException(
        name
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
