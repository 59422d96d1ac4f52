package com.reservebtc.oracle.ownership;

/** The Bitcoin message-signature schemes, named as they are stored and published. */
public enum SignatureScheme {
  /** The legacy 65-byte compact signature ("signmessage"), with BIP-137 header bytes. */
  BIP137,
  /** BIP-322 "simple" signatures (a witness stack), for P2WPKH and P2TR key-path addresses. */
  BIP322_SIMPLE;

  /** How an unbinding authorised by the EVM address's signature alone records its scheme. */
  public static final String EIP191_LABEL = "EIP191";

  /** The {@code method} argument of {@code OracleAggregator.registerAndPrepay}. */
  public int methodId() {
    return ordinal();
  }
}
