package com.reservebtc.yield.pool;

import java.math.BigInteger;

/**
 * A user's entry in the pool's {@code participants} mapping, read at the latest block.
 *
 * @param active the user has joined
 * @param participantType 0 Bitcoin holder, 1 trader
 * @param amount the contribution the pool accrues yield on (sats for a holder)
 */
record PoolPosition(boolean active, int participantType, BigInteger amount) {}
