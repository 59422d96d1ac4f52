package com.reservebtc.txsender;

import java.math.BigInteger;
import java.util.Objects;

/** The fee fields of one signed transaction, in wei per gas. */
public sealed interface Fees {

  /** The most the transaction can pay per gas: what the max-fee cap limits. */
  BigInteger maxPerGas();

  /**
   * An EIP-1559 (type-2) transaction.
   *
   * @param maxFeePerGas the most paid per gas, base fee included
   * @param maxPriorityFeePerGas the most of it paid to the block producer
   */
  record Dynamic(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) implements Fees {

    public Dynamic {
      Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
      Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
      if (maxPriorityFeePerGas.signum() < 0 || maxFeePerGas.compareTo(maxPriorityFeePerGas) < 0) {
        throw new IllegalArgumentException(
            "need 0 <= maxPriorityFeePerGas <= maxFeePerGas, was "
                + maxPriorityFeePerGas
                + " and "
                + maxFeePerGas);
      }
    }

    @Override
    public BigInteger maxPerGas() {
      return maxFeePerGas;
    }

    @Override
    public String toString() {
      return "maxFee " + maxFeePerGas + " wei/gas, priority " + maxPriorityFeePerGas + " wei/gas";
    }
  }

  /** A legacy transaction, used only on a node whose blocks have no base fee. */
  record Legacy(BigInteger gasPrice) implements Fees {

    public Legacy {
      Objects.requireNonNull(gasPrice, "gasPrice");
      if (gasPrice.signum() < 0) {
        throw new IllegalArgumentException("gasPrice must be >= 0, was " + gasPrice);
      }
    }

    @Override
    public BigInteger maxPerGas() {
      return gasPrice;
    }

    @Override
    public String toString() {
      return "gasPrice " + gasPrice + " wei/gas (legacy)";
    }
  }
}
