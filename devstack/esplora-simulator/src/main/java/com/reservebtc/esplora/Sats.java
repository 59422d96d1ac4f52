package com.reservebtc.esplora;

/** Checks on satoshi amounts: always {@code long}, never fractional, never above all bitcoin. */
final class Sats {
  static final long PER_BTC = 100_000_000L;

  /** Bitcoin's MAX_MONEY: no single output or transaction may carry more. */
  static final long MAX_MONEY = 21_000_000L * PER_BTC;

  private Sats() {}

  /** An amount a transaction output may carry: 1..MAX_MONEY. */
  static long requireOutputAmount(String field, long sats) {
    if (sats <= 0) {
      throw new RejectedRequestException(field + " must be a positive number of sats, was " + sats);
    }
    if (sats > MAX_MONEY) {
      throw new RejectedRequestException(
          field + " must not exceed " + MAX_MONEY + " sats (21 million BTC), was " + sats);
    }
    return sats;
  }

  /** Adds amounts of one transaction, refusing totals no transaction could carry. */
  static long addWithinMaxMoney(long a, long b) {
    long sum = Math.addExact(a, b);
    if (sum > MAX_MONEY) {
      throw new RejectedRequestException(
          "total of " + sum + " sats exceeds " + MAX_MONEY + " sats (21 million BTC)");
    }
    return sum;
  }
}
