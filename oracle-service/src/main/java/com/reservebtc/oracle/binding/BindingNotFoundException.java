package com.reservebtc.oracle.binding;

/** The Bitcoin address is not bound (never was, or was already unbound). */
public final class BindingNotFoundException extends RuntimeException {

  BindingNotFoundException(String btcAddress) {
    super(btcAddress + " is not bound; there is nothing to unbind");
  }
}
