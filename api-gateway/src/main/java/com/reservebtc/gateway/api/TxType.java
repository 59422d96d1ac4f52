package com.reservebtc.gateway.api;

/**
 * The {@code tx_type} of a stored chain log. MINT and BURN are the oracle's syncs (Synced logs), as
 * the frontend contract names them; the other values name the token or fee-vault log they come
 * from.
 */
public enum TxType {
  /** Synced with a positive delta. */
  MINT,
  /** Synced with a negative delta (including the Synced of an emergency burn). */
  BURN,
  /** OracleAggregator EmergencyBurn or YieldScalesPool EmergencyBurnTriggered. */
  EMERGENCY_BURN,
  SYNTH_MINT,
  SYNTH_BURN,
  SYNTH_TRANSFER,
  WRBTC_MINT,
  WRBTC_BURN,
  WRBTC_TRANSFER,
  WRAP,
  REDEEM,
  SLASH,
  FEE_DEPOSIT,
  FEE_SPENT,
  FEE_WITHDRAW
}
