package com.reservebtc.contracts.revert;

import java.util.Arrays;
import java.util.Optional;
import org.web3j.crypto.Hash;

/**
 * The custom errors the protocol contracts revert with, identified by their 4-byte selector.
 *
 * <p>web3j does not generate types for Solidity custom errors, so this is the one place their
 * signatures are written. Several contracts share an error (e.g. {@code Restricted()}); a selector
 * identifies the error, not the contract that raised it.
 */
public enum ContractError {
  RESTRICTED("Restricted()"),
  FEE_CAP_EXCEEDED("FeeCapExceeded()"),
  ZERO_ADDRESS("ZeroAddress()"),
  ZERO_VALUE("ZeroValue()"),
  BALANCE_OUT_OF_RANGE("BalanceOutOfRange()"),
  WIRING_MISMATCH("WiringMismatch()"),
  SOULBOUND("Soulbound()"),
  INSUFFICIENT_BALANCE("InsufficientBalance()"),
  INSUFFICIENT_ALLOWANCE("InsufficientAllowance()"),
  INSUFFICIENT_LOCKED("InsufficientLocked()"),
  TRANSFER_FAILED("TransferFailed()"),
  ALREADY_PARTICIPANT("AlreadyParticipant()"),
  NOT_PARTICIPANT("NotParticipant()"),
  NOT_BITCOIN_HOLDER("NotBitcoinHolder()"),
  NO_OPEN_DISPUTE("NoOpenDispute()");

  private final String signature;
  private final String selector;

  ContractError(String signature) {
    this.signature = signature;
    this.selector = Hash.sha3String(signature).substring(0, 10);
  }

  /** Solidity signature, e.g. {@code FeeCapExceeded()}. */
  public String signature() {
    return signature;
  }

  /** Lowercase 0x-prefixed 4-byte selector, e.g. {@code 0x5a20e14c}. */
  public String selector() {
    return selector;
  }

  /** The error whose selector starts {@code revertData} (lowercase 0x hex), if any. */
  static Optional<ContractError> fromRevertData(String revertData) {
    if (revertData.length() < 10) {
      return Optional.empty();
    }
    String prefix = revertData.substring(0, 10);
    return Arrays.stream(values()).filter(e -> e.selector.equals(prefix)).findFirst();
  }
}
