package com.reservebtc.contracts.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;

final class TestAccounts {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestAccounts() {}

  /** A fresh lowercase address nobody holds a key for, so every test starts from a clean user. */
  static String randomAddress() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
