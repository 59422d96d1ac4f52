package com.reservebtc.oracle.bitcoin;

/**
 * A block of the Bitcoin chain as the agreeing sources reported it: its height and hash.
 *
 * @param height block height
 * @param hash block hash, 64 lower-case hex digits
 */
public record BitcoinBlock(long height, String hash) {}
