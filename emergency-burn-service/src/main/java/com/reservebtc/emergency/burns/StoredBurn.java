package com.reservebtc.emergency.burns;

import java.time.Instant;

/** An emergency-burn log as {@code emergency_burns} holds it. */
record StoredBurn(
    String eventId,
    String user,
    String source,
    long burnedSats,
    String reason,
    long chainId,
    String contract,
    String txHash,
    int logIndex,
    long blockNumber,
    String blockHash,
    Instant blockTimestamp) {}
