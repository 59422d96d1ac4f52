package com.reservebtc.yield.pool;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Where one holder's pool contribution stands, as last checked.
 *
 * @param inStep the pool holds the desired contribution and knows of every aggregator burn
 * @param desiredSats the contribution this service's state says the pool should hold
 * @param onChainSats {@code participants(user).amount} when last read (null: not a participant)
 * @param pendingCall the call that would bring the pool in step (null when in step); sent when the
 *     service holds the pool oracle key, only recorded otherwise
 * @param outOfStepSince since when the pool has been out of step (null when in step)
 * @param checkedAt when the pool was last read for this holder
 * @param txHash the pool transaction in flight (its latest version), else the last one mined
 * @param error why the pool is not (yet) in step, if something stands in the way
 */
public record PoolStatus(
    boolean inStep,
    long desiredSats,
    BigInteger onChainSats,
    String pendingCall,
    Instant outOfStepSince,
    Instant checkedAt,
    String txHash,
    String error) {}
