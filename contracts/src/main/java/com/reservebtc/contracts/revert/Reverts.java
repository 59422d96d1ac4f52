package com.reservebtc.contracts.revert;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.protocol.core.Response;

/**
 * Reads the revert data a node returns for a failed {@code eth_call} / {@code eth_estimateGas}.
 *
 * <p>Guarantees: recognises the two shapes the protocol contracts produce — a custom error ({@link
 * ContractError}) and a Solidity {@code Error(string)} such as {@link #NEEDS_TOP_UP}. Does not
 * fetch anything from the chain, and returns empty (never a guess) for data it cannot decode.
 */
public final class Reverts {

  /** Revert string of {@code OracleAggregator.sync} for an upward sync the fee vault cannot pay. */
  public static final String NEEDS_TOP_UP = "needs-topup";

  /** Selector of Solidity's built-in {@code Error(string)}. */
  public static final String ERROR_STRING_SELECTOR = "0x08c379a0";

  private static final Pattern HEX = Pattern.compile("0x([0-9a-f]{2})*");

  private Reverts() {}

  /**
   * The revert data of a JSON-RPC error, as lowercase 0x hex.
   *
   * <p>web3j keeps {@code error.data} as raw JSON, i.e. with the quotes of the JSON string; this
   * removes them. Empty if the error carries no hex data (e.g. a transport or nonce error).
   */
  public static Optional<String> revertData(Response.Error error) {
    return error == null ? Optional.empty() : normalize(error.getData());
  }

  /** The custom error encoded in {@code revertData}, if it is one of the protocol's errors. */
  public static Optional<ContractError> customError(String revertData) {
    return normalize(revertData).flatMap(ContractError::fromRevertData);
  }

  /** The message of an {@code Error(string)} revert, e.g. {@code "needs-topup"}. */
  public static Optional<String> message(String revertData) {
    Optional<String> data = normalize(revertData);
    if (data.isEmpty()
        || !data.get().startsWith(ERROR_STRING_SELECTOR)
        || data.get().length() < ERROR_STRING_SELECTOR.length() + 128) {
      return Optional.empty();
    }
    try {
      @SuppressWarnings({"rawtypes", "unchecked"})
      List<TypeReference<Type>> outputs = (List) List.of(new TypeReference<Utf8String>() {});
      List<Type> decoded =
          FunctionReturnDecoder.decode(
              "0x" + data.get().substring(ERROR_STRING_SELECTOR.length()), outputs);
      return decoded.isEmpty() ? Optional.empty() : Optional.of((String) decoded.get(0).getValue());
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  /** True if {@code revertData} is the aggregator's {@value #NEEDS_TOP_UP} revert. */
  public static boolean isNeedsTopUp(String revertData) {
    return message(revertData).filter(NEEDS_TOP_UP::equals).isPresent();
  }

  private static Optional<String> normalize(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String value = raw.trim();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    value = value.toLowerCase(Locale.ROOT);
    if (!value.startsWith("0x")) {
      value = "0x" + value;
    }
    return HEX.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }
}
