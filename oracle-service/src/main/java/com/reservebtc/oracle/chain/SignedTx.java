package com.reservebtc.oracle.chain;

/**
 * A transaction signed by the committee key, known before it is broadcast.
 *
 * @param hash lower-case 0x transaction hash
 * @param nonce the committee account nonce it uses
 */
public record SignedTx(String hash, long nonce) {}
