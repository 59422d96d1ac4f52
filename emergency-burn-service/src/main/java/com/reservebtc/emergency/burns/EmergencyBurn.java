package com.reservebtc.emergency.burns;

import java.time.Instant;

/** One recorded emergency burn as served to operators. Amounts in sats. */
record EmergencyBurn(
    String eventId,
    String user,
    String source,
    long burnedAmountSats,
    String reason,
    long chainId,
    String contract,
    String txHash,
    int logIndex,
    long blockNumber,
    String blockHash,
    Instant blockTimestamp,
    String finality,
    Instant createdAt) {}
