package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.List;

/**
 * One log of the protocol's contracts on the canonical chain, decoded with the contracts' ABI.
 *
 * @param contract which contract emitted it
 * @param name the Solidity event name
 * @param addresses the indexed address arguments, lowercased, in order
 * @param numbers the non-indexed numeric arguments, in order
 * @param text the non-indexed string argument (EmergencyBurn reasons), or null
 */
record ChainEvent(
    long chainId,
    ContractKind contract,
    String name,
    long blockNumber,
    String blockHash,
    String txHash,
    int logIndex,
    List<String> addresses,
    List<BigInteger> numbers,
    String text) {

  static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

  /** The protocol's contracts. */
  enum ContractKind {
    ORACLE_AGGREGATOR,
    RBTC_SYNTH,
    FEE_VAULT,
    VAULT_WRBTC,
    YIELD_POOL
  }

  /** The product's event identity, {@code chainId:txHash:logIndex}. */
  String eventId() {
    return chainId + ":" + txHash + ":" + logIndex;
  }

  /** The identity and the block it is in, {@code chainId:txHash:logIndex@blockHash}. */
  String publication() {
    return eventId() + "@" + blockHash;
  }

  /** The family name used in the report, e.g. {@code FeeVault.Deposited}. */
  String family() {
    String prefix =
        switch (contract) {
          case ORACLE_AGGREGATOR -> "OracleAggregator";
          case RBTC_SYNTH -> "RBTCSynth";
          case FEE_VAULT -> "FeeVault";
          case VAULT_WRBTC -> "VaultWrBTC";
          case YIELD_POOL -> "YieldScalesPool";
        };
    String detail = "";
    if (name.equals("Transfer")) {
      detail = isMint() ? " (mint)" : isBurn() ? " (burn)" : " (move)";
    } else if (name.equals("Synced")) {
      detail = number(1).signum() > 0 ? " (mint)" : " (burn)";
    }
    return prefix + "." + name + detail;
  }

  String address(int i) {
    return addresses.get(i);
  }

  BigInteger number(int i) {
    return numbers.get(i);
  }

  boolean is(ContractKind kind, String event) {
    return contract == kind && name.equals(event);
  }

  boolean isMint() {
    return name.equals("Transfer") && address(0).equals(ZERO_ADDRESS);
  }

  boolean isBurn() {
    return name.equals("Transfer") && address(1).equals(ZERO_ADDRESS);
  }

  String describe() {
    return family() + " " + eventId() + " in block " + blockNumber + " " + blockHash;
  }
}
