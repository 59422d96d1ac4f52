package com.reservebtc.oracle.binding;

/** The Bitcoin address is already bound to another EVM address. */
public final class BindingConflictException extends RuntimeException {

  BindingConflictException(String btcAddress) {
    super(
        btcAddress
            + " is already bound to another address; a Bitcoin address can be bound to one"
            + " address only");
  }
}
