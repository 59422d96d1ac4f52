package com.reservebtc.oracle.reserves;

import com.reservebtc.reserves.verifier.Statement;
import java.math.BigInteger;

/**
 * A stored, signed proof-of-reserves snapshot (rbtc-por-v2). Every figure is in the signed {@link
 * Statement}.
 *
 * @param id database id (0 before it is stored)
 * @param statement the signed statement
 * @param statementHash SHA-256 of the statement's text, lower-case hex
 * @param signature EIP-191 signature of the statement's text, {@code 0x} + 130 hex digits
 * @param signer the address that signed
 */
public record ReserveSnapshot(
    long id, Statement statement, String statementHash, String signature, String signer) {

  ReserveSnapshot withId(long newId) {
    return new ReserveSnapshot(newId, statement, statementHash, signature, signer);
  }

  /** Reserves over supply as a fraction (1.0 = fully backed); 1 when both are 0. */
  public double backingFraction() {
    BigInteger supply = statement.synthTotalSupply();
    if (supply.signum() == 0) {
      return statement.reservesSats() == 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return new java.math.BigDecimal(statement.reservesSats())
        .divide(new java.math.BigDecimal(supply), java.math.MathContext.DECIMAL64)
        .doubleValue();
  }
}
