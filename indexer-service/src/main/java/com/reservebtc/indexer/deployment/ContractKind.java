package com.reservebtc.indexer.deployment;

/** The protocol contracts whose logs the indexer reads. FeePolicy emits no events. */
public enum ContractKind {
  ORACLE_AGGREGATOR,
  RBTC_SYNTH,
  FEE_VAULT,
  VAULT_WRBTC,
  YIELD_POOL
}
