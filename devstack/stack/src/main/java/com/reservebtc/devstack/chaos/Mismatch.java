package com.reservebtc.devstack.chaos;

/**
 * One way a read model differs from the chain.
 *
 * @param readModel where, e.g. {@code gateway.transactions}
 * @param subject which event (its id and block) or which user
 * @param expected what the chain says
 * @param found what the read model holds
 */
record Mismatch(String readModel, String subject, String expected, String found) {

  @Override
  public String toString() {
    return readModel + " | " + subject + " | expected " + expected + " | found " + found;
  }
}
