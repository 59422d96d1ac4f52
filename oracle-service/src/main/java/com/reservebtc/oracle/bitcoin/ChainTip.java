package com.reservebtc.oracle.bitcoin;

/**
 * A Bitcoin chain tip as one source reported it: a height and the hash of the block at that height,
 * read consistently (the hash was re-checked at the height).
 */
public record ChainTip(long height, String hash) {}
