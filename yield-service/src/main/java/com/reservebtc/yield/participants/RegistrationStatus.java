package com.reservebtc.yield.participants;

/** Where a participant stands with on-chain registration (see the table comment). */
public enum RegistrationStatus {
  OFF_CHAIN,
  PENDING,
  SUBMITTING,
  SUBMITTED,
  FAILED,
  REGISTERED
}
