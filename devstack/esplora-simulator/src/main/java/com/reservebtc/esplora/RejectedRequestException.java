package com.reservebtc.esplora;

/**
 * A dev control or query was refused because its input is invalid for the current chain (bad
 * amount, unknown address format, insufficient funds, reorg deeper than the chain). Nothing was
 * changed. Over HTTP this becomes a 400.
 */
public class RejectedRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RejectedRequestException(String message) {
    super(message);
  }
}
