package com.reservebtc.schemas;

import java.util.Locale;
import java.util.regex.Pattern;

/** Builds record keys so that every writer spells a key the same way. */
public final class Keys {

  /** Key of records that concern the whole system rather than one user or chain. */
  public static final String GLOBAL = "global";

  private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Keys() {}

  /**
   * The key of a user's records: the lowercased 0x address.
   *
   * @throws IllegalArgumentException if {@code address} is not a 20-byte 0x-prefixed hex address
   */
  public static String user(String address) {
    if (address == null || !EVM_ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          "not an EVM address (expected 0x followed by 40 hex digits): " + address);
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /** The key of chain-wide records: the decimal chain id. */
  public static String chain(long chainId) {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive: " + chainId);
    }
    return Long.toString(chainId);
  }
}
